//! `rolecall set`, `unset` and `profile add|rename|copy|rm`: edit, save, report.

use std::io::Write;

use crate::cli::{ProfileCommand, SetArgs, TargetArgs, UnsetArgs};
use crate::profile::FileKind;
use crate::profile::edit::{self, Files, Target};
use crate::workspace::Workspace;

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

fn save(ws: &Workspace, files: &Files, out: &mut dyn Write) -> anyhow::Result<()> {
    for path in ws.save(files)? {
        // A file that did not exist has no previous version to point at.
        let existed = [&ws.config, &ws.credentials]
            .iter()
            .any(|f| f.path == path && f.exists());
        if existed {
            writeln!(
                out,
                "wrote {} (previous version in {})",
                ws.show(&path),
                ws.show(&crate::store::backup_path(&path))
            )?;
        } else {
            writeln!(out, "created {}", ws.show(&path))?;
        }
    }
    Ok(())
}

/// `rolecall set`.
pub fn set(ws: &Workspace, args: &SetArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let (target, rest) = target(&args.target, &args.args, 2)?;
    let mut files = ws.files();
    let outcome = edit::set(
        &mut files,
        target,
        &rest[0],
        &rest[1],
        args.target.file.map(FileKind::from),
    )?;
    save(ws, &files, out)?;
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
    let (target, rest) = target(&args.target, &args.args, 1)?;
    let mut files = ws.files();
    edit::unset(
        &mut files,
        target,
        &rest[0],
        args.target.file.map(FileKind::from),
    )?;
    save(ws, &files, out)?;
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
    let mut files = ws.files();
    match cmd {
        ProfileCommand::Add { name, properties } => {
            let props = properties
                .iter()
                .map(|p| parse_pair(p))
                .collect::<Result<Vec<_>, _>>()?;
            edit::add_profile(&mut files, name, &props)?;
        }
        ProfileCommand::Rename {
            old,
            new,
            update_references,
        } => {
            let deps = edit::rename_profile(&mut files, old, new, *update_references)?;
            if !deps.is_empty() && !update_references {
                eprintln!(
                    "warning: {} still {} '{old}' as source_profile\n  fix: rolecall profile rename {new} {old}, then again with --update-references",
                    deps.join(", "),
                    if deps.len() == 1 { "names" } else { "name" }
                );
            }
        }
        ProfileCommand::Copy { from, to } => edit::copy_profile(&mut files, from, to)?,
        ProfileCommand::Rm { name, force } => edit::remove_profile(&mut files, name, *force)?,
    }
    save(ws, &files, out)?;
    Ok(0)
}
