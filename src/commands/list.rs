//! `rolecall list` and the plain `rolecall` welcome.

use std::io::Write;

use crate::cli::ListArgs;
use crate::credential::expiry::format_rfc3339;
use crate::credential::status::{EnvExpiry, Status, status_of_resolved};
use crate::profile::Severity;
use crate::profile::chain::Chain;
pub use crate::profile::summary::{Row, rows};
use crate::workspace::Workspace;

use super::{diagnostic_json, print_diagnostics};

/// `rolecall list`.
pub fn run(ws: &Workspace, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    // Stdout is line-buffered: unbuffered, 10,000 profiles took 95,000 write calls
    // (half the run time). Flushed before anything goes to stderr.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    let set = ws.view();
    let refused = set.refused_by_sdk();
    if args.json {
        let diagnostics: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| diagnostic_json(ws, d))
            .collect();
        write_json(ws, &diagnostics, &set, &mut out)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        let rows = rows(&set);
        write_table(&rows, &mut out)?;
        out.flush()?;
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

/// What `serde_json::to_writer_pretty` writes for
/// `{config, credentials, diagnostics, profiles: AllRows(set)}`, byte for byte
/// (a test compares them), with the rows written by
/// [`summary::write_rows_json`](crate::profile::summary::write_rows_json)
/// rather than through serde_json, one row at a time: a `json!` value tree
/// took a quarter of the peak memory at 10,000 profiles, and serde_json's
/// escaping and formatting a quarter of the instructions.
fn write_json<W: Write>(
    ws: &Workspace,
    diagnostics: &[serde_json::Value],
    set: &crate::profile::ProfileSet,
    out: &mut W,
) -> anyhow::Result<()> {
    out.write_all(b"{\n  \"config\": ")?;
    serde_json::to_writer(&mut *out, ws.path(crate::profile::FileKind::Config))?;
    out.write_all(b",\n  \"credentials\": ")?;
    serde_json::to_writer(&mut *out, ws.path(crate::profile::FileKind::Credentials))?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    // Pretty output has line breaks only between tokens (a string's are
    // escaped), so indenting after each one nests the array a level deeper.
    let text = serde_json::to_vec_pretty(diagnostics)?;
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.write_all(b"\n  ")?;
        }
        out.write_all(line)?;
    }
    out.write_all(b",\n  \"profiles\": ")?;
    // One answer for "when does it expire": the credential core's status, as
    // the TUI, the prompt and doctor show it.
    let caches = ws.caches();
    let env = EnvExpiry::from_env(&|k| ws.env.var(k));
    let expiry = |name: &str, chain: Option<&Chain>| match status_of_resolved(
        set, name, chain, &caches, &env,
    ) {
        Status::Expires { at, .. } => Some(format_rfc3339(at)),
        Status::LoginNeeded(_) | Status::Unknown => None,
    };
    crate::profile::summary::write_rows_json(set, 1, &expiry, out)?;
    out.write_all(b"\n}")?;
    Ok(())
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
             Set up SSO profiles:       rolecall sso setup\n\
             See every command:         rolecall --help",
            ws.show(ws.path(crate::profile::FileKind::Config)),
            ws.show(ws.path(crate::profile::FileKind::Credentials)),
        )?;
        return Ok(0);
    }
    run(ws, &ListArgs { json: false }, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written JSON is what serde_json writes for the same output.
    #[test]
    fn json_is_serde_jsons_pretty_output() {
        #[derive(serde::Serialize)]
        struct Output<'a> {
            config: &'a std::path::Path,
            credentials: &'a std::path::Path,
            diagnostics: &'a [serde_json::Value],
            profiles: crate::profile::summary::AllRows<'a>,
        }
        let ws = Workspace::demo();
        let set = ws.view();
        let mut diagnostics: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| diagnostic_json(&ws, d))
            .collect();
        for with_diagnostics in [true, false] {
            if !with_diagnostics {
                diagnostics.clear();
            }
            let expected = serde_json::to_string_pretty(&Output {
                config: ws.path(crate::profile::FileKind::Config),
                credentials: ws.path(crate::profile::FileKind::Credentials),
                diagnostics: &diagnostics,
                profiles: crate::profile::summary::AllRows(
                    &set,
                    &crate::profile::summary::no_expiry,
                ),
            })
            .unwrap();
            let mut written = Vec::new();
            write_json(&ws, &diagnostics, &set, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
        assert!(!set.profiles.is_empty());
    }
}
