//! `rolecall dapr component PROFILE --type ...`: a Dapr component for an AWS
//! building block with the profile's region, printed or written to a new
//! file; and the directory check behind `doctor --dapr-components DIR`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::cli::{DaprCommand, DaprComponentArgs};
use crate::dapr::component::{self, Credentials, Options, Spec};
use crate::profile::Diagnostic;
use crate::workspace::Workspace;

use super::UsageError;
use crate::credential::source::check_usable;

/// `rolecall dapr ...`.
pub fn run(ws: &Workspace, cmd: &DaprCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    match cmd {
        DaprCommand::Component(args) => component(ws, args, out),
    }
}

fn component(ws: &Workspace, args: &DaprComponentArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    let profile = super::named_profile(&ws.env, &args.profile, &args.profile_flag);
    check_usable(ws, &set, &profile)?;
    let region = match (
        &args.region,
        set.profile(&profile).and_then(|p| p.get("region")),
    ) {
        (Some(r), _) => r.clone(),
        (None, Some(r)) => r.to_string(),
        (None, None) => bail!(UsageError(format!(
            "profile '{profile}' has no region: set one (`rolecall set {profile} region REGION`) or pass --region REGION"
        ))),
    };
    let opts = Options {
        table: args.table.clone(),
        ttl_attribute: args.ttl_attribute.clone(),
        partition_key: args.partition_key.clone(),
        bucket: args.bucket.clone(),
        prefix: args.prefix.clone(),
        fifo: args.fifo,
        endpoint: args.endpoint.clone(),
    };
    let fields = component::fields(args.kind, &opts).map_err(|e| UsageError(e.0))?;
    let credentials = match &args.secret {
        Some(secret) => Credentials::SecretRef {
            secret: secret.clone(),
            store: args.secret_store.clone(),
        },
        None if args.secret_store.is_some() => {
            bail!(UsageError("--secret-store needs --secret NAME".into()))
        }
        None => Credentials::DefaultChain,
    };
    let text = component::render(&Spec {
        kind: args.kind,
        name: args
            .name
            .clone()
            .unwrap_or_else(|| args.kind.default_name().to_string()),
        profile,
        region,
        fields,
        credentials,
    });
    match &args.output {
        None => out.write_all(text.as_bytes())?,
        Some(path) => {
            if path.exists() && !args.force {
                bail!(
                    "{} exists: pass --force to replace it, or choose another --output",
                    ws.show(path)
                );
            }
            crate::store::write_atomic(path, text.as_bytes(), 0o644)
                .with_context(|| format!("cannot write {}", ws.show(path)))?;
            eprintln!("wrote {}", ws.show(path));
        }
    }
    Ok(0)
}

/// Findings for every `*.yaml` / `*.yml` file in `dir`, in name order.
pub fn check_dir(ws: &Workspace, dir: &Path) -> anyhow::Result<Vec<Diagnostic>> {
    let entries = std::fs::read_dir(dir).with_context(|| {
        format!("cannot read the Dapr components directory {}: check the path given to --dapr-components", ws.show(dir))
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", ws.show(&path)))?;
        out.extend(crate::dapr::check::check(&ws.show(&path), &text));
    }
    Ok(out)
}
