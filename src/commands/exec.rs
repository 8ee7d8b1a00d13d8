//! `rolecall exec`, `export` and `credential-process`: credentials handed to
//! other programs.

use std::io::Write;
use std::process::Command;

use anyhow::bail;

use crate::cli::{CredentialProcessArgs, ExecArgs, ExecMode, ExportArgs};
use crate::credential::expiry::format_rfc3339;
use crate::credential::source::{RESOLVING_VAR, credentials, is_long_term, margin};
use crate::exec::env::{EnvDelta, endpoints, env_mode};
use crate::exec::export::render;
use crate::profile::ProfileSet;
use crate::workspace::Workspace;

use super::named_profile;
use super::prompter::Terminal;

/// The environment change of `env` mode: the credentials, region and endpoints.
pub(super) fn env_delta(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    args: &crate::cli::CredentialArgs,
    allow_expired: bool,
) -> anyhow::Result<EnvDelta> {
    let region = set.profile(profile).and_then(|p| p.get("region"));
    let creds = crate::credential::source::Source::new(ws, set, profile, Terminal::shared())?
        .allowing_expired(allow_expired)
        .get(args.refresh, margin(&ws.env, args.margin))?;
    Ok(env_mode(profile, &creds)
        .with_region(region)
        .with_endpoints(&endpoints(set, profile)))
}

/// The environment change of `profile` mode: the profile's name, its files
/// where the child would look elsewhere, and its region.
pub(super) fn profile_delta(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
) -> anyhow::Result<EnvDelta> {
    crate::credential::source::fanout::profile_delta(ws, set, profile)
}

/// For `rolecall exec PROFILE CMD ARGS...` without `--`, which clap refuses
/// as an unexpected argument: a sentence showing the command with `--` in
/// place. `None` for any other mistake.
pub fn missing_dashes(args: &[String], kind: clap::error::ErrorKind) -> Option<String> {
    use clap::error::ErrorKind;
    if !matches!(
        kind,
        ErrorKind::UnknownArgument | ErrorKind::ArgumentConflict
    ) || args.iter().any(|a| a == "--")
    {
        return None;
    }
    let at = args.iter().position(|a| a == "exec")?;
    let rest = &args[at + 1..];
    let takes_value = |a: &str| matches!(a, "--mode" | "--profile" | "--margin");
    let named = rest
        .iter()
        .any(|a| a == "--profile" || a.starts_with("--profile="));
    let (mut profile_seen, mut i) = (named, 0);
    while i < rest.len() {
        let a = rest[i].as_str();
        if takes_value(a) {
            i += 2;
            continue;
        }
        if a.starts_with('-') {
            i += 1;
            continue;
        }
        if !profile_seen {
            profile_seen = true;
            i += 1;
            continue;
        }
        break;
    }
    let command = rest.get(i..).filter(|c| !c.is_empty())?;
    let mut fixed = vec!["rolecall".to_string(), "exec".to_string()];
    fixed.extend(rest[..i].iter().cloned());
    fixed.push("--".to_string());
    fixed.extend(command.iter().cloned());
    Some(format!(
        "'{}' is not an argument of `rolecall exec`; to run a command, put `--` before it: {}",
        command[0],
        fixed.join(" ")
    ))
}

/// `rolecall exec`.
pub fn exec(ws: &Workspace, args: &ExecArgs) -> anyhow::Result<u8> {
    #[cfg(unix)]
    if args.fanout.active() {
        return super::fanout::run(ws, args);
    }
    if args.fanout.dry_run {
        bail!("--dry-run lists the profiles --each matches: give --each PATTERN");
    }
    let profile = if args.pick {
        // Only when asked: a wrapper script without --pick never meets a prompt.
        use std::io::IsTerminal;
        if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
            bail!("--pick needs a terminal to show the list; name the profile instead");
        }
        match crate::tui::pick_rows(ws.clone())? {
            Some(crate::tui::Picked::One(name)) => name,
            #[cfg(unix)]
            Some(crate::tui::Picked::Marked(names)) => {
                return super::fanout::run_on(ws, args, names);
            }
            #[cfg(not(unix))]
            Some(crate::tui::Picked::Marked(_)) => {
                bail!("running in several profiles at once needs a Unix system")
            }
            None => bail!("no profile picked"),
        }
    } else {
        named_profile(&ws.env, &args.profile, &args.profile_flag)
    };
    if let Some(outer) = ws.env.non_empty("ROLECALL_PROFILE")
        && outer != profile
        && !args.force
    {
        bail!(
            "already inside `rolecall exec` for profile '{outer}'; running '{profile}' inside it mixes two identities (pass --force to do it anyway)"
        );
    }
    let set = ws.view();
    if args.allow_expired && args.mode != Some(ExecMode::Env) {
        return Err(super::UsageError(
            "--allow-expired only works with --mode env: an endpoint or a profile name cannot hand out expired credentials; add --mode env".to_string(),
        )
        .into());
    }
    // Never a long-running child with credentials that silently expire: keys
    // that do not expire go in the environment, everything else is served.
    let mode = args.mode.unwrap_or(if is_long_term(&set, &profile) {
        ExecMode::Env
    } else {
        ExecMode::Server
    });
    let (program, rest) = match args.command.split_first() {
        Some((p, rest)) => (p.clone(), rest.to_vec()),
        None => (crate::exec::shell(&|k| ws.env.var(k)), Vec::new()),
    };
    record_use(ws, &set, &profile);
    let delta = match mode {
        ExecMode::Server => {
            return super::exec_server::run(ws, &set, &profile, args, &program, &rest);
        }
        ExecMode::Env => env_delta(ws, &set, &profile, &args.credentials, args.allow_expired)?,
        ExecMode::Profile => profile_delta(ws, &set, &profile)?,
    };
    // The child is not part of this process's resolution: it may run rolecall
    // for the same profile again.
    let delta = delta.without(RESOLVING_VAR);
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
    let profile = named_profile(&ws.env, &args.profile, &args.profile_flag);
    let set = ws.view();
    let delta = env_delta(ws, &set, &profile, &args.credentials, args.allow_expired)?;
    out.write_all(render(&delta, args.format).as_bytes())?;
    Ok(0)
}

/// `rolecall credential-process`: `{"Version": 1, ...}` on stdout, nothing else.
pub fn credential_process(
    ws: &Workspace,
    args: &CredentialProcessArgs,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let profile = named_profile(&ws.env, &args.profile, &args.profile_flag);
    let set = ws.view();
    let creds = credentials(
        ws,
        &set,
        &profile,
        args.credentials.refresh,
        margin(&ws.env, args.credentials.margin),
        Terminal::shared(),
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

/// Notes that the user acted on `profile` (the TUI's "recent" order). Best
/// effort: a state file that cannot be written never stops a command.
pub(super) fn record_use(ws: &Workspace, set: &ProfileSet, profile: &str) {
    if ws.demo || set.profile(profile).is_none() {
        return;
    }
    if let Some(path) = ws.paths.recent_file() {
        let _ = crate::recent::record(&path, profile, crate::clock::now());
    }
}
