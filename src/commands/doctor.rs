//! `rolecall doctor [PROFILE] [--json]`: gathers the environment, the files,
//! the shared caches' expiry times and botocore's boto2 files, hands them to
//! the pure `doctor` module, and prints its report (to stdout: the report is
//! the output). Exit status 1 when a finding is an error.

use std::io::Write;
use std::path::Path;

use crate::cli::DoctorArgs;
use crate::credential::cache::{CacheDirs, Caches};
use crate::doctor::{self, BotoFile, Environment, Input, Report};
use crate::profile::location::{Platform, home_dir};
use crate::profile::{Diagnostic, FileKind};
use crate::workspace::Workspace;

use super::{diagnostic_json, place, show_path};

/// The boto2 files botocore reads: `$BOTO_CONFIG` alone, else `/etc/boto.cfg`
/// and `~/.boto`; those that exist.
fn boto_files(env: &Environment, home: Option<&str>) -> Vec<BotoFile> {
    let paths: Vec<String> = match env.get("BOTO_CONFIG") {
        Some(p) => vec![p.to_string()],
        None => std::iter::once("/etc/boto.cfg".to_string())
            .chain(home.map(|h| format!("{h}/.boto")))
            .collect(),
    };
    paths
        .into_iter()
        .filter_map(|p| {
            let text = String::from_utf8(crate::store::read_regular(Path::new(&p))?).ok()?;
            Some(BotoFile {
                path: show_path(Path::new(&p)),
                text,
            })
        })
        .collect()
}

/// Doctor's report on this process's environment, the workspace's files,
/// `caches` and the boto2 files, for `wanted` (else the environment's profile).
pub fn report(ws: &Workspace, wanted: Option<&str>, caches: &Caches) -> Report {
    let env = Environment::current();
    let home = home_dir(&|k| std::env::var(k).ok(), Platform::current());
    let boto = boto_files(&env, home.as_deref());
    let set = ws.view();
    doctor::diagnose(&Input {
        env: &env,
        set: &set,
        wanted,
        caches,
        boto_files: &boto,
        now: crate::clock::now(),
    })
}

/// `rolecall doctor`.
pub fn run(ws: &Workspace, args: &DoctorArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let home = home_dir(&|k| std::env::var(k).ok(), Platform::current());
    let caches = match (&home, ws.demo) {
        (Some(h), false) => Caches::read(&CacheDirs::under_home(Path::new(h))),
        _ => Caches::default(),
    };
    let wanted = args.profile.clone().or_else(|| args.profile_flag.clone());
    let report = report(ws, wanted.as_deref(), &caches);
    let mut findings = report.findings.clone();
    if let Some(dir) = &args.dapr_components {
        findings.extend(super::dapr::check_dir(dir)?);
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
    report: &Report,
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
