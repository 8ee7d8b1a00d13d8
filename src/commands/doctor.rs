//! `rolecall doctor [PROFILE] [--json]`: doctor's report on the workspace
//! (`doctor::gather`), printed to stdout (the report is the output). Exit
//! status 1 when a finding is an error.

use std::io::Write;

use crate::cli::DoctorArgs;
use crate::doctor;
use crate::profile::{Diagnostic, FileKind};
use crate::workspace::Workspace;

use super::{diagnostic_json, place};

/// `rolecall doctor`.
pub fn run(ws: &Workspace, args: &DoctorArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let caches = ws.caches();
    let wanted = args.profile.clone().or_else(|| args.profile_flag.clone());
    let report = doctor::gather::report(ws, wanted.as_deref(), &caches);
    let mut findings = report.findings.clone();
    if let Some(dir) = &args.dapr_components {
        findings.extend(super::dapr::check_dir(ws, dir)?);
    }
    let failed = findings
        .iter()
        .any(|f| f.severity == crate::profile::Severity::Error);
    if args.json {
        let value = serde_json::json!({
            "profile": report.profile,
            "config": ws.path(FileKind::Config),
            "credentials": ws.path(FileKind::Credentials),
            "families": report.families,
            "findings": findings.iter().map(|d| diagnostic_json(ws, d)).collect::<Vec<_>>(),
            "ok": !failed,
        });
        serde_json::to_writer_pretty(&mut *out, &value)?;
        writeln!(out)?;
    } else {
        write_text(ws, &report, &findings, out)?;
    }
    Ok(u8::from(failed))
}

fn write_text(
    ws: &Workspace,
    report: &doctor::Report,
    findings: &[Diagnostic],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Profile '{}'; which credentials each SDK family uses here:",
        report.profile
    )?;
    for v in &report.families {
        let source = v.winner.describe();
        let selected = match v.profile_from.as_str() {
            "default" | "argument" => String::new(),
            var => format!(" [profile '{}' from {var}]", v.profile),
        };
        writeln!(
            out,
            "  {}{selected}: {source} ({})",
            v.family.label(),
            v.refresh.describe()
        )?;
        writeln!(out, "      {}", v.why)?;
    }
    if findings.is_empty() {
        writeln!(out, "\nNothing to fix.")?;
        return Ok(());
    }
    writeln!(out)?;
    for d in findings {
        let at = d
            .origin
            .map(|o| format!("{}: ", place(ws, o.file, Some(o.line))))
            .unwrap_or_default();
        writeln!(
            out,
            "{}: {at}{}\n  fix: {}",
            d.severity.as_str(),
            d.message,
            d.fix
        )?;
    }
    let count = |s| findings.iter().filter(|d| d.severity == s).count();
    use crate::profile::Severity::*;
    writeln!(
        out,
        "\n{} errors, {} warnings, {} notes",
        count(Error),
        count(Warning),
        count(Info)
    )?;
    Ok(())
}
