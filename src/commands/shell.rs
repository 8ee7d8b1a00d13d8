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
use crate::credential::cache::CacheDirs;
use crate::exec::env::{file_vars, profile_env};
use crate::profile::location::{Overrides, Platform, home_dir, locate};
use crate::shell::{self, KEYS_PROFILE_VAR, STATE_ENV, init, prompt, state};
use crate::workspace::Workspace;

use super::UsageError;

/// The variable that asks the binary for completions (see `clap_complete`'s
/// `CompleteEnv`); its own name so another tool's `COMPLETE` never triggers it.
pub const COMPLETE_VAR: &str = "ROLECALL_COMPLETE";

fn env(k: &str) -> Option<String> {
    std::env::var(k).ok()
}

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
pub fn profile_names(overrides: &Overrides) -> Vec<String> {
    let Ok(l) = locate(&env, Platform::current(), overrides) else {
        return Vec::new();
    };
    let read = |p: &Path| crate::store::read_regular(p).unwrap_or_default();
    shell::scan::profile_names(&read(&l.config), &read(&l.credentials))
}

/// Profile names for dynamic completion (`--config` on the line is not seen:
/// the files come from the environment).
pub fn profile_candidates() -> Vec<clap_complete::CompletionCandidate> {
    profile_names(&Overrides::default())
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
pub fn prompt(cli: &Cli, args: &PromptArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    // A bad format is a mistake to see at once, with or without a profile.
    prompt::render(&args.format, &prompt::Shown::default()).map_err(UsageError)?;
    let active = prompt::active(&env);
    let platform = Platform::current();
    let shown = match locate(&env, platform, &overrides(cli)) {
        Ok(l) => {
            let places = prompt::Places {
                config: l.config,
                credentials: l.credentials,
                caches: home_dir(&env, platform).map(|h| CacheDirs::under_home(Path::new(&h))),
                own_cache: crate::credential::saved::cache_dir(&env),
            };
            let read = |p: &Path| crate::store::read_regular(p);
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
pub fn switch(cli: &Cli, args: &SwitchArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let handed = std::env::var(STATE_ENV).unwrap_or_default();
    // SAFETY: no other thread runs yet. Children (a credential_process) must not
    // see the shell's state, which may hold the keys it replaced.
    unsafe { std::env::remove_var(STATE_ENV) };
    if args.complete {
        for name in profile_names(&overrides(cli)) {
            writeln!(out, "{name}")?;
        }
        return Ok(0);
    }
    let shell = args
        .shell
        .ok_or_else(|| UsageError("--shell is required".to_string()))?;
    let state = state::State::parse(&handed).unwrap_or_else(|e| {
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
    let ws = super::open_workspace(cli)?;
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
    super::creds::check_usable(&ws, &set, &name)?;
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
