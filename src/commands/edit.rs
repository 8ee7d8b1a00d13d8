//! `rolecall set`, `unset` and `profile add|rename|copy|rm`: edit, save, report.

use std::io::Write;

use crate::cli::{ProfileCommand, SetArgs, TargetArgs, UnsetArgs};
use crate::profile::edit::{self, Files, Target};
use crate::profile::validate::{self, Finding, Level};
use crate::profile::{FileKind, ProfileSet};
use crate::store::StoreError;
use crate::workspace::{Workspace, WorkspaceError};

use super::{UsageError, place};

/// Splits positional arguments into the target name and the rest.
fn target<'a>(
    t: &'a TargetArgs,
    args: &'a [String],
    rest: usize,
) -> Result<(Target<'a>, &'a [String]), UsageError> {
    let named = t
        .profile
        .as_deref()
        .map(Target::Profile)
        .or(t.sso_session.as_deref().map(Target::SsoSession));
    match (named, args.len()) {
        (Some(target), n) if n == rest => Ok((target, args)),
        (None, n) if n == rest + 1 => Ok((Target::Profile(&args[0]), &args[1..])),
        (Some(_), _) => Err(UsageError(format!(
            "with --profile or --sso-session give {} argument(s) after it",
            rest
        ))),
        (None, _) => Err(UsageError(format!(
            "expected PROFILE and {} more argument(s) (or use --profile / --sso-session)",
            rest
        ))),
    }
}

/// How many times an edit is applied afresh after another program changed a file
/// it did not touch.
const RETRIES: usize = 3;

/// Applies `edit` to the files and saves them. When the save finds that another
/// program changed a file since it was read, the files are read again and the
/// edit applied afresh (validated again, at most [`RETRIES`] times) if that
/// change touched none of the sections the edit changes; otherwise nothing is
/// written and the error says so (exit status 1).
fn apply<T>(
    ws: &Workspace,
    out: &mut dyn Write,
    mut edit: impl FnMut(&mut Files) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut current = ws.clone();
    let mut attempt = 0;
    loop {
        let mut files = current.files();
        let result = edit(&mut files)?;
        match current.save(&files) {
            Ok(written) => {
                report(&current, &written, out)?;
                return Ok(result);
            }
            Err(WorkspaceError::Store(StoreError::Conflict(path))) if attempt < RETRIES => {
                attempt += 1;
                let fresh = current.reload_for_edit()?;
                let theirs = touched(&current.files(), &fresh.files());
                let ours = touched(&current.files(), &files);
                if let Some(both) = theirs.intersection(&ours).next() {
                    anyhow::bail!(
                        "{}: another program changed [{}] since rolecall read it, the section this edit changes; nothing was written. Check the file and run the command again",
                        current.show(&path),
                        both.1
                    );
                }
                current = fresh;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The sections (by file and header) whose text differs between `a` and `b`.
fn touched(a: &Files, b: &Files) -> std::collections::BTreeSet<(FileKind, String)> {
    [FileKind::Config, FileKind::Credentials]
        .into_iter()
        .flat_map(|kind| {
            crate::ini::edit::changed_sections(a.get(kind), b.get(kind))
                .into_iter()
                .map(move |name| (kind, name))
        })
        .collect()
}

fn report(
    ws: &Workspace,
    written: &[std::path::PathBuf],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    for path in written {
        // A file that did not exist has no previous version to point at.
        let existed = [&ws.config, &ws.credentials]
            .iter()
            .any(|f| f.path == *path && f.exists());
        if existed {
            writeln!(
                out,
                "wrote {} (previous version in {})",
                ws.show(path),
                ws.show(&crate::store::backup_path(path))
            )?;
        } else {
            writeln!(out, "created {}", ws.show(path))?;
        }
    }
    Ok(())
}

/// What [`validate::review`] says about writing `changes` to `target`.
fn review(set: &ProfileSet, target: Target, changes: &[(&str, &str)]) -> Vec<Finding> {
    match target {
        Target::Profile(name) => validate::review(set, name, changes),
        Target::SsoSession(_) => validate::review_session(changes),
    }
}

/// Refuses the write when a finding stops it (an error without `--force`, or
/// what the files cannot hold); the message names each key, its problem and
/// the fix. Otherwise returns what to say once the write is done.
fn judge(target: Target, findings: Vec<Finding>, force: bool) -> anyhow::Result<Vec<String>> {
    let who = match target {
        Target::Profile(n) => format!("profile '{n}'"),
        Target::SsoSession(n) => format!("sso-session '{n}'"),
    };
    let refused: Vec<&Finding> = findings.iter().filter(|f| f.refuses(force)).collect();
    if !refused.is_empty() {
        let forceable = refused.iter().all(|f| f.level == Level::Error);
        let lines: Vec<String> = refused
            .iter()
            .map(|f| format!("{who}: {}: {}", f.key, f.message))
            .collect();
        anyhow::bail!(
            "{}\n  nothing was written{}",
            lines.join("\n"),
            if forceable {
                "; fix the value, or pass --force to write it anyway"
            } else {
                ""
            }
        );
    }
    Ok(findings
        .iter()
        .map(|f| match f.level {
            Level::Error => format!(
                "warning: --force wrote past an error: {who}: {}: {}",
                f.key, f.message
            ),
            Level::Warning => format!("warning: {who}: {}: {}", f.key, f.message),
            _ => format!("note: {who}: {}: {}", f.key, f.message),
        })
        .collect())
}

fn tell(notes: &[String]) {
    for n in notes {
        eprintln!("{n}");
    }
}

/// Refuses at once when the files cannot be written at all (the demo).
fn writable(ws: &Workspace) -> anyhow::Result<()> {
    if ws.demo {
        return Err(crate::workspace::WorkspaceError::Demo.into());
    }
    Ok(())
}

/// `rolecall set`.
pub fn set(ws: &Workspace, args: &SetArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    writable(ws)?;
    let (target, rest) = target(&args.target, &args.args, 2)?;
    let (outcome, notes) = apply(ws, out, |files| {
        let findings = review(&files.profile_set(), target, &[(&rest[0], &rest[1])]);
        let notes = judge(target, findings, args.target.force)?;
        let outcome = edit::set(
            files,
            target,
            &rest[0],
            &rest[1],
            args.target.file.map(FileKind::from),
        )?;
        Ok((outcome, notes))
    })?;
    tell(&notes);
    if let Some(o) = outcome.shadowed_by {
        eprintln!(
            "warning: {} still wins over the value just written (the credentials file overrides the config file)\n  fix: rolecall unset --file {} ...",
            place(ws, o.file, Some(o.line)),
            o.file.as_str()
        );
    }
    Ok(0)
}

/// `rolecall unset`.
pub fn unset(ws: &Workspace, args: &UnsetArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    writable(ws)?;
    let (target, rest) = target(&args.target, &args.args, 1)?;
    let notes = apply(ws, out, |files| {
        let findings = review(&files.profile_set(), target, &[(&rest[0], "")]);
        let notes = judge(target, findings, args.target.force)?;
        edit::unset(
            files,
            target,
            &rest[0],
            args.target.file.map(FileKind::from),
        )?;
        Ok(notes)
    })?;
    tell(&notes);
    Ok(0)
}

fn parse_pair(s: &str) -> Result<(String, String), UsageError> {
    s.split_once('=')
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .filter(|(k, _)| !k.is_empty())
        .ok_or_else(|| UsageError(format!("'{s}' is not KEY=VALUE")))
}

/// `rolecall profile ...`.
pub fn profile(ws: &Workspace, cmd: &ProfileCommand, out: &mut dyn Write) -> anyhow::Result<u8> {
    writable(ws)?;
    let notes = apply(ws, out, |files| profile_edit(files, cmd))?;
    tell(&notes);
    Ok(0)
}

/// One `profile` edit on `files`; returns what to say after the write.
fn profile_edit(files: &mut Files, cmd: &ProfileCommand) -> anyhow::Result<Vec<String>> {
    let mut notes = Vec::new();
    match cmd {
        ProfileCommand::Add {
            name,
            properties,
            force,
        } => {
            let props = properties
                .iter()
                .map(|p| parse_pair(p))
                .collect::<Result<Vec<_>, _>>()?;
            let pairs: Vec<(&str, &str)> = props
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let findings = validate::review(&files.profile_set(), name, &pairs);
            notes = judge(Target::Profile(name), findings, *force)?;
            edit::add_profile(files, name, &props)?;
        }
        ProfileCommand::Rename {
            old,
            new,
            update_references,
            force,
        } => {
            let deps = edit::rename_profile(files, old, new, *update_references)?;
            if !deps.is_empty() && !update_references {
                let (list, verb) = (
                    deps.join(", "),
                    if deps.len() == 1 { "names" } else { "name" },
                );
                if !force {
                    anyhow::bail!(
                        "{list} {verb} '{old}' as source_profile and would be left pointing at nothing; nothing was written\n  fix: rolecall profile rename {old} {new} --update-references (or --force to rename anyway)"
                    );
                }
                notes.push(format!(
                    "warning: --force wrote past an error: {list} still {verb} '{old}' as source_profile, which no longer exists\n  fix: rolecall set PROFILE source_profile {new}"
                ));
            }
        }
        ProfileCommand::Copy { from, to } => edit::copy_profile(files, from, to)?,
        ProfileCommand::Rm { name, force } => {
            let deps = edit::dependents(files, name);
            edit::remove_profile(files, name, *force)?;
            if !deps.is_empty() {
                notes.push(format!(
                    "warning: --force wrote past an error: {} still {} '{name}' as source_profile, which no longer exists",
                    deps.join(", "),
                    if deps.len() == 1 { "names" } else { "name" }
                ));
            }
        }
    }
    Ok(notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::location::Overrides;

    fn workspace(dir: &std::path::Path) -> Workspace {
        let overrides = Overrides {
            config: Some(dir.join("config")),
            credentials: Some(dir.join("credentials")),
        };
        Workspace::open(
            &crate::env::Env::from_slice(&[("HOME", "/nonexistent")]),
            &overrides,
        )
        .unwrap()
    }

    fn set_region(ws: &Workspace, profile: &str, value: &str) -> anyhow::Result<()> {
        let mut out = Vec::new();
        apply(ws, &mut out, |files| {
            Ok(edit::set(
                files,
                Target::Profile(profile),
                "region",
                value,
                None,
            )?)
        })
        .map(drop)
    }

    #[test]
    fn an_edit_is_applied_afresh_when_another_program_changed_other_sections() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(
            &config,
            "[default]\nregion = a\n\n[profile b]\nregion = b\n",
        )
        .unwrap();
        let ws = workspace(dir.path());
        // Another program changes profile b after rolecall read the file.
        std::fs::write(
            &config,
            "[default]\nregion = a\n\n[profile b]\nregion = B2\n",
        )
        .unwrap();
        set_region(&ws, "default", "x").unwrap();
        assert_eq!(
            std::fs::read_to_string(&config).unwrap(),
            "[default]\nregion = x\n\n[profile b]\nregion = B2\n",
            "both changes kept"
        );
    }

    #[test]
    fn an_edit_is_refused_when_another_program_changed_its_section() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[default]\nregion = a\n").unwrap();
        let ws = workspace(dir.path());
        std::fs::write(&config, "[default]\nregion = theirs\n").unwrap();
        let err = set_region(&ws, "default", "x").unwrap_err();
        assert!(err.to_string().contains("[default]"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&config).unwrap(),
            "[default]\nregion = theirs\n",
            "untouched"
        );
    }
}
