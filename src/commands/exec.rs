//! `rolecall exec`, `export` and `credential-process`: credentials handed to
//! other programs.

use std::io::Write;
use std::process::Command;

use anyhow::bail;

use crate::cli::{CredentialProcessArgs, ExecArgs, ExecMode, ExportArgs};
use crate::credential::expiry::format_rfc3339;
use crate::exec::env::{EnvDelta, endpoints, env_mode, file_vars, profile_env};
use crate::exec::export::render;
use crate::profile::ProfileSet;
use crate::profile::location::{Overrides, locate_from_env};
use crate::workspace::Workspace;

use super::creds::{check_usable, credentials, is_long_term, margin, pick_profile};

/// The environment change for `mode`, region and endpoints included.
fn delta_for(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    mode: ExecMode,
    args: &crate::cli::CredentialArgs,
) -> anyhow::Result<EnvDelta> {
    let region = set.profile(profile).and_then(|p| p.get("region"));
    Ok(match mode {
        ExecMode::Env => {
            let creds = credentials(ws, set, profile, args.refresh, margin(args.margin))?;
            env_mode(profile, &creds)
                .with_region(region)
                .with_endpoints(&endpoints(set, profile))
        }
        ExecMode::Profile => {
            check_usable(ws, set, profile)?;
            let found = locate_from_env(&Overrides::default()).ok();
            let files = file_vars(&ws.config.path, &ws.credentials.path, found.as_ref());
            let mut d = profile_env(profile, &files).with_region(region);
            d.set
                .push(("ROLECALL_PROFILE".to_string(), profile.to_string()));
            d.remove.retain(|r| r != "ROLECALL_PROFILE");
            d
        }
    })
}

/// `rolecall exec`.
pub fn exec(ws: &Workspace, args: &ExecArgs) -> anyhow::Result<u8> {
    let profile = pick_profile(ws, &args.profile, &args.profile_flag);
    if let Ok(outer) = std::env::var("ROLECALL_PROFILE")
        && !outer.is_empty()
        && outer != profile
        && !args.force
    {
        bail!(
            "already inside `rolecall exec` for profile '{outer}'; running '{profile}' inside it mixes two identities (pass --force to do it anyway)"
        );
    }
    let set = ws.view();
    let mode = args.mode.unwrap_or(if is_long_term(&set, &profile) {
        ExecMode::Env
    } else {
        ExecMode::Profile
    });
    let delta = delta_for(ws, &set, &profile, mode, &args.credentials)?;
    let (program, rest) = match args.command.split_first() {
        Some((p, rest)) => (p.clone(), rest.to_vec()),
        None => (crate::exec::shell(&|k| std::env::var(k).ok()), Vec::new()),
    };
    let mut child = Command::new(&program);
    child.args(&rest);
    delta.apply(&mut child);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let err = child.exec();
        bail!("cannot run {program}: {err}");
    }
    #[cfg(not(unix))]
    {
        let status = child
            .status()
            .map_err(|e| anyhow::anyhow!("cannot run {program}: {e}"))?;
        Ok(status.code().map_or(1, |c| c as u8))
    }
}

/// `rolecall export`: the variables of `env` mode.
pub fn export(ws: &Workspace, args: &ExportArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let profile = pick_profile(ws, &args.profile, &args.profile_flag);
    let set = ws.view();
    let delta = delta_for(ws, &set, &profile, ExecMode::Env, &args.credentials)?;
    out.write_all(render(&delta, args.format).as_bytes())?;
    Ok(0)
}

/// `rolecall credential-process`: `{"Version": 1, ...}` on stdout, nothing else.
pub fn credential_process(
    ws: &Workspace,
    args: &CredentialProcessArgs,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let profile = pick_profile(ws, &args.profile, &args.profile_flag);
    let set = ws.view();
    let creds = credentials(
        ws,
        &set,
        &profile,
        args.credentials.refresh,
        margin(args.credentials.margin),
    )?;
    let mut v = serde_json::json!({
        "Version": 1,
        "AccessKeyId": creds.access_key_id,
        "SecretAccessKey": creds.secret_access_key(),
    });
    if let Some(t) = creds.session_token() {
        v["SessionToken"] = t.into();
    }
    if let Some(e) = creds.expires {
        v["Expiration"] = format_rfc3339(e).into();
    }
    serde_json::to_writer(&mut *out, &v)?;
    writeln!(out)?;
    Ok(0)
}
