//! `rolecall list` and the plain `rolecall` welcome.

use std::io::Write;

use crate::cli::ListArgs;
use crate::credential::expiry::format_rfc3339;
use crate::credential::status::{EnvExpiry, Status, status_of_resolved};
use crate::profile::chain::Chain;
use crate::profile::summary;
pub use crate::profile::summary::{Row, rows};
use crate::profile::{Diagnostic, Severity};
use crate::profile::{ProfileSet, kind};
use crate::text;
use crate::workspace::Workspace;

use super::{print_diagnostics, write_diagnostics_json};

/// `rolecall list`.
pub fn run(ws: &Workspace, args: &ListArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    // Stdout is line-buffered: unbuffered, 10,000 profiles took 95,000 write calls
    // (half the run time). Flushed before anything goes to stderr.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, out);
    let set = ws.view();
    let refused = set.refused_by_sdk();
    if args.json {
        write_json(ws, set.findings(Severity::Info), &set, &mut out)?;
        writeln!(out)?;
        out.flush()?;
    } else {
        use std::io::IsTerminal;
        // On a terminal, long names and regions are cut with `…` (--json has them whole).
        let cap = std::io::stdout().is_terminal().then_some(TERMINAL_COLUMN);
        write_table(&set, cap, &mut out)?;
        out.flush()?;
        let mut warnings = 0;
        print_diagnostics(
            ws,
            set.findings(Severity::Warning).filter(|d| {
                warnings += usize::from(d.severity == Severity::Warning);
                d.severity == Severity::Error
            }),
        );
        if warnings > 0 {
            eprintln!(
                "{}: run `rolecall inspect` to see them",
                super::plural(warnings, "warning", "warnings")
            );
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
/// escaping and formatting a quarter of the instructions. The diagnostics
/// are written one at a time too ([`write_diagnostics_json`]).
fn write_json<W: Write>(
    ws: &Workspace,
    diagnostics: impl IntoIterator<Item = impl std::borrow::Borrow<Diagnostic>>,
    set: &crate::profile::ProfileSet,
    out: &mut W,
) -> anyhow::Result<()> {
    out.write_all(b"{\n  \"config\": ")?;
    serde_json::to_writer(&mut *out, ws.path(crate::profile::FileKind::Config))?;
    out.write_all(b",\n  \"credentials\": ")?;
    serde_json::to_writer(&mut *out, ws.path(crate::profile::FileKind::Credentials))?;
    out.write_all(b",\n  \"diagnostics\": ")?;
    write_diagnostics_json(ws, diagnostics, 1, out)?;
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

/// The widest a name or region column gets on a terminal.
const TERMINAL_COLUMN: usize = 48;

/// The table of every profile. The column widths come from a first pass over
/// the set; then each row is made, written and dropped in turn: a [`Row`] per
/// profile kept for the whole table was a fifth of the peak memory at a
/// million profiles.
fn write_table(set: &ProfileSet, cap: Option<usize>, out: &mut dyn Write) -> std::io::Result<()> {
    let cap = cap.unwrap_or(usize::MAX);
    let (mut wn, mut wk, mut wr) = ("NAME".len(), "KIND".len(), "REGION".len());
    for (name, p) in set.profiles.iter() {
        wn = wn.max(name.chars().count());
        wk = wk.max(kind::classify(p).label().len());
        wr = wr.max(p.get("region").map_or(1, |s| s.chars().count()));
    }
    let (wn, wk, wr) = (wn.min(cap), wk.min(cap), wr.min(cap));
    // Padding by hand (the formatter's `{:w$}` panics from a width of
    // 65,536), into one line's buffer that every row reuses.
    let mut line = String::new();
    let row = |line: &mut String, cells: [&str; 3]| {
        line.clear();
        for (cell, width) in cells.into_iter().zip([wn, wk, wr]) {
            text::push_fit(line, cell, width);
            line.push_str("  ");
        }
    };
    row(&mut line, ["NAME", "KIND", "REGION"]);
    line.push_str("CHAIN\n");
    out.write_all(line.as_bytes())?;
    for (name, p, chain) in set.with_chains() {
        let region = p.get("region").unwrap_or("-");
        row(&mut line, [name, kind::classify(p).label(), region]);
        summary::push_chain_cell(&mut line, &chain);
        line.push('\n');
        out.write_all(line.as_bytes())?;
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
        for with_diagnostics in [true, false] {
            let all: Vec<Diagnostic> = set
                .findings(Severity::Info)
                .map(|d| d.into_owned())
                .collect();
            let diagnostics: Vec<_> = all
                .iter()
                .filter(|_| with_diagnostics)
                .map(|d| super::super::diagnostic_json(&ws, d))
                .collect();
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
            let shown = if with_diagnostics { &all[..] } else { &[] };
            write_json(&ws, shown, &set, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
        assert!(!set.profiles.is_empty());
    }
}
