//! `rolecall init`, `switch`, `prompt`, `completions` and `man`: the shell
//! integration's commands. They run before the workspace is opened (the prompt
//! must not parse every profile); `switch` opens it itself when it needs it.
//! `switch`'s stdout is what the shell function evaluates, so it is written
//! only once the final environment is known, and nothing else goes there: the
//! picker draws on stderr, messages go to stderr.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{anyhow, bail};
use clap::CommandFactory;

use crate::cli::{
    Cli, CompletionShell, CompletionsArgs, InitArgs, ManArgs, PromptArgs, SwitchArgs, SwitchMode,
};
use crate::env::Env;
use crate::exec::env::{file_vars, profile_env};
use crate::paths::Paths;
use crate::profile::location::{Overrides, Platform, locate};
use crate::shell::{self, KEYS_PROFILE_VAR, STATE_ENV, init, prompt, state};
use crate::workspace::Workspace;

use super::UsageError;

/// The variable that asks the binary for completions (see `clap_complete`'s
/// `CompleteEnv`); its own name so another tool's `COMPLETE` never triggers it.
pub const COMPLETE_VAR: &str = "ROLECALL_COMPLETE";

fn overrides(cli: &Cli) -> Overrides {
    Overrides {
        config: cli.config.clone(),
        credentials: cli.credentials.clone(),
    }
}

/// How scripts should call rolecall: as typed when found through `PATH`,
/// else by this binary's absolute path.
fn invoked_as() -> String {
    let argv0 = std::env::args().next().unwrap_or_default();
    if !argv0.is_empty() && !argv0.contains(std::path::MAIN_SEPARATOR) && !argv0.contains('/') {
        return argv0;
    }
    std::env::current_exe()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| "rolecall".to_string())
}

/// Every profile name in the files the environment (and flags) point at, read
/// from the section headers only; nothing when they cannot be found.
pub fn profile_names(env: &Env, overrides: &Overrides) -> Vec<String> {
    let Ok(l) = Paths::aws_files(env, overrides) else {
        return Vec::new();
    };
    let read = |p: &Path| std::fs::read(p).unwrap_or_default();
    shell::scan::profile_names(&read(&l.config), &read(&l.credentials))
}

/// Profile names for dynamic completion (`--config` on the line is not seen:
/// the files come from the environment). Completion answers before `main`
/// takes its snapshot, so this is an entry point that takes its own.
pub fn profile_candidates() -> Vec<clap_complete::CompletionCandidate> {
    profile_names(&Env::real(), &Overrides::default())
        .into_iter()
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}

/// `rolecall init SHELL`.
pub fn init(args: &InitArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    init::check_name(&args.name).map_err(UsageError)?;
    out.write_all(init::script(args.shell, &args.name, &invoked_as()).as_bytes())?;
    Ok(0)
}

/// `rolecall completions SHELL`: the script that registers dynamic completion.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
    let shell: &dyn EnvCompleter = match args.shell {
        CompletionShell::Bash => &Bash,
        CompletionShell::Zsh => &Zsh,
        CompletionShell::Fish => &Fish,
        CompletionShell::Powershell => &Powershell,
        CompletionShell::Elvish => &Elvish,
    };
    shell.write_registration(COMPLETE_VAR, "rolecall", "rolecall", &invoked_as(), out)?;
    Ok(0)
}

/// `rolecall man [SUBCOMMAND]`: the manual page, generated from the CLI definition.
pub fn man(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let cli = Cli::command();
    let page = match &args.command {
        None => cli,
        Some(name) => {
            let Some(sub) = cli.find_subcommand(name).filter(|s| !s.is_hide_set()) else {
                let names: Vec<&str> = cli
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| s.get_name())
                    .collect();
                return Err(UsageError(format!(
                    "there is no subcommand '{name}'; pages exist for: {}",
                    names.join(", ")
                ))
                .into());
            };
            sub.clone()
                .display_name(format!("rolecall-{name}"))
                .bin_name(format!("rolecall {name}"))
        }
    };
    clap_mangen::Man::new(page)
        .source(format!("rolecall {}", env!("CARGO_PKG_VERSION")))
        .render(out)?;
    Ok(0)
}

/// `rolecall prompt`.
pub fn prompt(cli: &Cli, envs: &Env, args: &PromptArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let env = |k: &str| envs.var(k);
    // A bad format is a mistake to see at once, with or without a profile.
    prompt::render(&args.format, &prompt::Shown::default()).map_err(UsageError)?;
    let active = prompt::active(&env);
    let platform = Platform::current();
    let shown = match locate(&env, platform, &overrides(cli)) {
        Ok(l) => {
            let places = prompt::Places {
                config: l.config,
                credentials: l.credentials,
                caches: Paths::new(envs, platform).aws_caches(),
            };
            let read = |p: &Path| std::fs::read(p).ok();
            prompt::shown(&active, &places, &env, &read, crate::clock::now())
        }
        // No home: the name alone.
        Err(_) => match active {
            prompt::Active::None => None,
            prompt::Active::Profile(profile) | prompt::Active::Keys { profile, .. } => {
                Some(prompt::Shown {
                    profile,
                    ..Default::default()
                })
            }
        },
    };
    if let Some(shown) = shown {
        let line = prompt::render(&args.format, &shown).map_err(UsageError)?;
        writeln!(out, "{line}")?;
    }
    Ok(0)
}

/// The TUI as a picker on stderr (stdout is the shell's to evaluate).
fn pick(ws: &Workspace) -> anyhow::Result<Option<String>> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        bail!(
            "the picker needs a terminal on stdin and stderr; name the profile instead (rc PROFILE)"
        );
    }
    crate::tui::terminal::Screen::use_stderr();
    crate::tui::pick(ws.clone())
}

/// `rolecall switch`: the shell code that switches the calling shell.
///
/// The shell's record of what rolecall changed ([`STATE_ENV`]) is read from
/// the snapshot; `main` removes it from the process environment before
/// anything runs, so children (a credential_process) never see it: it may
/// hold the keys it replaced.
pub fn switch(cli: &Cli, envs: &Env, args: &SwitchArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let env = |k: &str| envs.var(k);
    let handed = envs.get(STATE_ENV).unwrap_or_default();
    if args.complete {
        for name in profile_names(envs, &overrides(cli)) {
            writeln!(out, "{name}")?;
        }
        return Ok(0);
    }
    let shell = args
        .shell
        .ok_or_else(|| UsageError("--shell is required".to_string()))?;
    let state = state::State::parse(handed).unwrap_or_else(|e| {
        eprintln!("rolecall: the shell's record of what rolecall changed is unreadable ({e}); starting afresh");
        state::State::default()
    });
    if args.clear {
        out.write_all(shell::code(shell, &state::clear(&state), None).as_bytes())?;
        eprintln!("rolecall: cleared: every variable rolecall set is as it was before");
        return Ok(0);
    }
    if args.profile.as_deref() == Some("-") {
        let (target, next) = state::back(&state, &env).map_err(|e| anyhow!(e))?;
        let now = target
            .get("AWS_PROFILE")
            .or_else(|| target.get(KEYS_PROFILE_VAR))
            .cloned()
            .flatten();
        out.write_all(shell::code(shell, &target, Some(&next)).as_bytes())?;
        eprintln!(
            "rolecall: back to {}",
            now.as_deref().unwrap_or("no profile")
        );
        return Ok(0);
    }
    let ws = super::open_workspace(cli, envs)?;
    if ws.demo {
        bail!("the demo profiles are not real: run without --demo");
    }
    let set = ws.view();
    let name = match &args.profile {
        None => match pick(&ws)? {
            Some(name) => name,
            None => {
                eprintln!("rolecall: nothing picked; the shell is unchanged");
                return Ok(1);
            }
        },
        Some(typed) => {
            let name = shell::resolve_name(set.profiles.keys().map(|n| n.as_str()), typed)
                .map_err(|e| anyhow!(e))?;
            if &name != typed {
                eprintln!("rolecall: '{typed}' matches {name}");
            }
            name
        }
    };
    crate::credential::source::check_usable(&ws, &set, &name)?;
    let delta = match args.mode {
        SwitchMode::Profile => {
            // Where a tool would look once rolecall's own changes are undone.
            let baseline = |k: &str| state.baseline(&env, k);
            let found = locate(&baseline, Platform::current(), &Overrides::default()).ok();
            profile_env(
                &name,
                &file_vars(&ws.config.path, &ws.credentials.path, found.as_ref()),
            )
        }
        SwitchMode::Env => {
            let mut d = super::exec::env_delta(&ws, &set, &name, &args.credentials)?;
            // ROLECALL_PROFILE is `rolecall exec`'s nesting guard: not for a shell.
            d.set.retain(|(k, _)| k != "ROLECALL_PROFILE");
            d.set.push((KEYS_PROFILE_VAR.to_string(), name.clone()));
            d
        }
    };
    super::exec::record_use(&ws, &set, &name);
    let (target, next) = state::switch(&state, &delta, &env);
    out.write_all(shell::code(shell, &target, Some(&next)).as_bytes())?;
    match args.mode {
        SwitchMode::Profile => eprintln!("rolecall: AWS_PROFILE={name}"),
        SwitchMode::Env => eprintln!("rolecall: {name}'s credentials are in the environment"),
    }
    Ok(0)
}
