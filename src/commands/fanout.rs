//! `rolecall exec --each PATTERN -- CMD`: one command in many profiles.
//!
//! Profiles are chosen by [`crate::exec::fanout::select`] (globs, never fuzzy),
//! listed by `--dry-run`, and confirmed on a terminal unless `--yes`. Then
//! [`crate::credential::source::fanout::launch`] (the TUI's `!` on marked rows
//! calls it too) obtains their credentials before any child starts (MFA codes
//! asked one at a time on the terminal), serves them and runs the children;
//! this module only says how output is shown and reports: the summary
//! (stderr) or the JSON lines (stdout); the exit status is 0 only when every
//! child exited 0.

use std::io::{IsTerminal, Write};

use anyhow::bail;

use crate::cli::{ExecArgs, ExecMode};
use crate::credential::source::fanout::{Launch, launch as launch_fanout};
use crate::credential::source::margin;
use crate::exec::child;
use crate::exec::fanout::Mode;
use crate::exec::fanout::report;
use crate::exec::fanout::run::{Options, Show};
use crate::exec::fanout::select::{Selector, account, select};
use crate::workspace::Workspace;

use super::prompter::Terminal;

/// `exec --each ...`.
pub fn run(ws: &Workspace, args: &ExecArgs) -> anyhow::Result<u8> {
    let f = &args.fanout;
    let set = ws.view();
    let selector = Selector {
        patterns: f.each.clone(),
        kinds: f.kind.clone(),
        sso_sessions: f.sso_session.clone(),
        accounts: f.account.clone(),
    };
    let names = select(&set, &selector);
    if names.is_empty() {
        bail!(
            "no profile matches: --each takes glob patterns over whole names (prod-* matches prod-eu, not preprod); see `rolecall list`"
        );
    }
    if f.dry_run {
        let mut out = std::io::stdout().lock();
        for name in &names {
            let kind = set
                .profile(name)
                .map_or("", |p| crate::profile::kind::classify(p).label());
            let acct = account(&set, name).unwrap_or_default();
            writeln!(out, "{name}\t{kind}\t{acct}")?;
        }
        return Ok(0);
    }
    run_on(ws, args, names)
}

/// Runs the command in `names` (matched by `--each`, or marked in the
/// `--pick` list): asks first on a terminal unless `--yes`, then launches.
pub fn run_on(ws: &Workspace, args: &ExecArgs, names: Vec<String>) -> anyhow::Result<u8> {
    let f = &args.fanout;
    let set = ws.view();
    if args.command.is_empty() {
        bail!(
            "--each runs a command in every profile it matches: give it after `--` (rolecall exec --each 'prod-*' -- aws sts get-caller-identity)"
        );
    }
    if let Some(outer) = ws.env.non_empty("ROLECALL_PROFILE")
        && !args.force
    {
        bail!(
            "already inside `rolecall exec` for profile '{outer}'; running other profiles inside it mixes identities (pass --force to do it anyway)"
        );
    }
    if !f.yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let shown: Vec<&str> = names.iter().take(10).map(String::as_str).collect();
        let more = names.len().saturating_sub(shown.len());
        eprintln!(
            "rolecall: {} match: {}{}",
            crate::words::plural(names.len(), "profile", "profiles"),
            shown.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        if !crate::tty::confirm(&format!("Run `{}` in each?", args.command.join(" ")))? {
            bail!("nothing was run");
        }
    }
    let margin = margin(&ws.env, args.credentials.margin);
    let show = if f.json || f.quiet {
        Show::Quiet
    } else if f.group {
        Show::Group
    } else {
        Show::Live {
            colour: std::io::stdout().is_terminal() && !ws.env.has("NO_COLOR"),
        }
    };
    let options = Options {
        jobs: f.jobs as usize,
        timeout: f.timeout,
        show,
        capture: f.json,
        grace: child::GRACE,
        // On a terminal, unless live lines go to the same one.
        progress: std::io::stderr().is_terminal()
            && !(matches!(show, Show::Live { .. }) && std::io::stdout().is_terminal()),
        forward_signals: true,
    };
    let launch = Launch {
        ws,
        set: &set,
        names: &names,
        command: &args.command,
        mode: args.mode.map(|m| match m {
            ExecMode::Env => Mode::Env,
            ExecMode::Profile => Mode::Profile,
            ExecMode::Server => Mode::Server,
        }),
        refresh: args.credentials.refresh,
        margin,
        prompter: Terminal::shared(),
    };
    let outcomes = launch_fanout(
        &launch,
        &options,
        std::sync::Arc::new(|_| {}),
        std::future::pending(),
    )?;
    if f.json {
        let mut out = std::io::stdout().lock();
        for o in &outcomes {
            writeln!(out, "{}", report::json(o))?;
        }
    }
    eprint!("{}", report::summary(&outcomes));
    Ok(report::exit_status(&outcomes))
}
