//! `rolecall list` and the plain `rolecall` welcome.

use std::io::Write;

use serde_json::json;

use crate::cli::ListArgs;
use crate::profile::chain::{self, Base, Chain};
use crate::profile::{Severity, kind};
use crate::workspace::Workspace;

use super::{diagnostic_json, print_diagnostics, show_path};

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The profile.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// `region`, if set.
    pub region: Option<String>,
    /// Profiles from the chain's base to this one.
    pub chain: Vec<String>,
    /// A short description of the chain, or why it cannot be resolved.
    pub chain_summary: String,
    /// Why the chain cannot be resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_error: Option<String>,
    /// `sso_session`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_session: Option<String>,
}

/// A short description of where a chain's credentials start.
pub fn base_summary(base: &Base) -> String {
    match base {
        Base::AccessKey {
            session_token: Some(_),
            ..
        } => "temporary keys".into(),
        Base::AccessKey { .. } => "keys".into(),
        Base::NamedSource { source, .. } => source.clone(),
        Base::WebIdentity { .. } => "web identity".into(),
        Base::Sso {
            sso_session: Some(s),
            ..
        } => format!("sso {s}"),
        Base::Sso { sso_start_url, .. } => format!("sso {sso_start_url}"),
        Base::LoginSession { .. } => "console login".into(),
        Base::CredentialProcess { .. } => "process".into(),
    }
}

/// The chain as one line: `base (keys) → dev → audit`.
pub fn chain_summary(chain: &Chain) -> String {
    let names = chain.profiles();
    let mut s = format!("{} ({})", names[0], base_summary(&chain.base));
    for n in &names[1..] {
        s.push_str(" → ");
        s.push_str(n);
    }
    s
}

/// The rows for every profile, sorted by name.
pub fn rows(set: &crate::profile::ProfileSet) -> Vec<Row> {
    set.profiles
        .iter()
        .map(|(name, p)| {
            let resolved = chain::resolve(set, name);
            let (chain, chain_summary, chain_error) = match &resolved {
                Ok(c) => (
                    c.profiles().iter().map(|s| s.to_string()).collect(),
                    chain_summary(c),
                    None,
                ),
                Err(e) => {
                    // The table shows what is wrong; `inspect` also says how to fix it.
                    let short = e.message.split(": ").next().unwrap_or(&e.message);
                    (Vec::new(), format!("✗ {short}"), Some(e.message.clone()))
                }
            };
            Row {
                name: name.clone(),
                kind: kind::classify(p).label().to_string(),
                region: p.get("region").map(str::to_string),
                chain,
                chain_summary,
                chain_error,
                sso_session: p.get("sso_session").map(str::to_string),
            }
        })
        .collect()
}

/// `rolecall list`.
pub fn run(ws: &Workspace, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    let rows = rows(&set);
    let refused = set.refused_by_sdk();
    if args.json {
        let diagnostics: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| diagnostic_json(ws, d))
            .collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({
                "config": ws.path(crate::profile::FileKind::Config),
                "credentials": ws.path(crate::profile::FileKind::Credentials),
                "profiles": rows,
                "diagnostics": diagnostics,
            }),
        )?;
        writeln!(out)?;
    } else {
        write_table(&rows, out)?;
        print_diagnostics(
            ws,
            set.diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error),
        );
        let warnings = set
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count();
        if warnings > 0 {
            eprintln!("{warnings} warning(s): run `rolecall inspect` to see them");
        }
    }
    Ok(if refused { 1 } else { 0 })
}

fn write_table(rows: &[Row], out: &mut dyn Write) -> std::io::Result<()> {
    let width = |f: &dyn Fn(&Row) -> usize, title: &str| {
        rows.iter().map(f).max().unwrap_or(0).max(title.len())
    };
    let wn = width(&|r| r.name.chars().count(), "NAME");
    let wk = width(&|r| r.kind.len(), "KIND");
    let wr = width(&|r| r.region.as_deref().map_or(1, str::len), "REGION");
    writeln!(
        out,
        "{:wn$}  {:wk$}  {:wr$}  CHAIN",
        "NAME", "KIND", "REGION"
    )?;
    for r in rows {
        writeln!(
            out,
            "{:wn$}  {:wk$}  {:wr$}  {}",
            r.name,
            r.kind,
            r.region.as_deref().unwrap_or("-"),
            r.chain_summary
        )?;
    }
    Ok(())
}

/// `rolecall` with no command: the list, or a welcome when there are no files.
pub fn welcome(ws: &Workspace, out: &mut dyn Write) -> anyhow::Result<u8> {
    if ws.is_empty() {
        writeln!(
            out,
            "Welcome to rolecall. There is no AWS config at {} or {} yet.\n\n\
             Try the bundled demo:      rolecall --demo list\n\
             Create your first profile: rolecall profile add default region=us-east-1\n\
             See every command:         rolecall --help",
            show_path(ws.path(crate::profile::FileKind::Config)),
            show_path(ws.path(crate::profile::FileKind::Credentials)),
        )?;
        return Ok(0);
    }
    run(ws, &ListArgs { json: false }, out)
}
