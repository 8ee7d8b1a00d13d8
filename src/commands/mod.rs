//! What each subcommand does and prints. Output goes to the writer given, so tests
//! can read it; findings and errors go to stderr.

pub mod console;
pub mod dapr;
pub mod doctor;
pub mod edit;
pub mod exec;
pub mod exec_server;
// `exec --each` (issue 19).
#[cfg(unix)]
pub mod fanout;
pub mod inspect;
pub mod keys;
pub mod list;
pub mod login;
pub mod login_console;
pub mod prompter;
pub mod rotate;
pub mod shell;
pub mod sso_setup;

use std::io::Write;

use crate::cli::{Cli, Command};
use crate::env::Env;
use crate::profile::location::Overrides;
use crate::profile::summary::json_str;
use crate::profile::{Diagnostic, FileKind};
use crate::workspace::Workspace;

/// A mistake in how the command was called (exit status 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// Opens the files the command line asks for.
pub fn open_workspace(cli: &Cli, env: &Env) -> anyhow::Result<Workspace> {
    if cli.demo {
        return Ok(Workspace::demo().with_env(env));
    }
    let overrides = Overrides {
        config: cli.config.clone(),
        credentials: cli.credentials.clone(),
    };
    Ok(Workspace::open(env, &overrides)?)
}

/// Opens the files for a command that writes them ([`Workspace::open_for_edit`]):
/// what it did about an interrupted save goes to stderr.
pub fn open_workspace_for_edit(cli: &Cli, env: &Env) -> anyhow::Result<Workspace> {
    if cli.demo {
        return Ok(Workspace::demo().with_env(env));
    }
    let overrides = Overrides {
        config: cli.config.clone(),
        credentials: cli.credentials.clone(),
    };
    let (ws, notes) = Workspace::open_for_edit(env, &overrides)?;
    for note in notes {
        eprintln!("note: {note}");
    }
    Ok(ws)
}

/// Whether `command` may write the AWS files.
fn writes(command: &Option<Command>) -> bool {
    matches!(
        command,
        None | Some(
            Command::Set(_)
                | Command::Unset(_)
                | Command::Profile(_)
                | Command::Keys(_)
                | Command::Sso(crate::cli::SsoCommand::Setup(_))
        )
    )
}

/// The profile a command named (the argument, else `--profile`), else the
/// environment's (`$AWS_PROFILE`), else `default`.
pub fn named_profile(env: &Env, positional: &Option<String>, flag: &Option<String>) -> String {
    positional
        .clone()
        .or_else(|| flag.clone())
        .or_else(|| env.non_empty("AWS_PROFILE").map(str::to_string))
        .unwrap_or_else(|| "default".to_string())
}

/// The profile whose credentials this command line hands out, known before
/// anything runs (`main` marks it for `credential_process` children, see
/// [`crate::credential::source::resolving`]). A profile chosen later (a
/// picker, a fuzzy name) is not marked: a loop through it then stops one
/// level deeper, in the child that names it.
pub fn resolves(cli: &Cli, env: &Env) -> Option<String> {
    match &cli.command {
        Some(Command::Exec(a)) if !a.pick => Some(named_profile(env, &a.profile, &a.profile_flag)),
        Some(Command::Export(a)) => Some(named_profile(env, &a.profile, &a.profile_flag)),
        Some(Command::CredentialProcess(a)) => {
            Some(named_profile(env, &a.profile, &a.profile_flag))
        }
        Some(Command::Console(a)) => Some(named_profile(env, &a.profile, &a.profile_flag)),
        _ => None,
    }
}

/// Runs a parsed command line; returns the exit status.
pub fn run(cli: Cli, env: &Env, out: &mut dyn Write) -> anyhow::Result<u8> {
    // Shell integration: before opening the files (the prompt reads one profile).
    match &cli.command {
        Some(Command::Init(args)) => return shell::init(args, out),
        Some(Command::Switch(args)) => return shell::switch(&cli, env, args, out),
        Some(Command::Prompt(args)) => return shell::prompt(&cli, env, args, out),
        Some(Command::Completions(args)) => return shell::completions(args, out),
        Some(Command::Man(args)) => return shell::man(args, out),
        _ => {}
    }
    let ws = if writes(&cli.command) {
        open_workspace_for_edit(&cli, env)?
    } else {
        open_workspace(&cli, env)?
    };
    match &cli.command {
        None => {
            use std::io::IsTerminal;
            if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
                crate::tui::run(ws)?;
                Ok(0)
            } else {
                list::welcome(&ws, out)
            }
        }
        Some(Command::List(args)) => list::run(&ws, args, out),
        Some(Command::Inspect(args)) => inspect::run(&ws, args, out),
        Some(Command::Set(args)) => edit::set(&ws, args, out),
        Some(Command::Unset(args)) => edit::unset(&ws, args, out),
        Some(Command::Profile(cmd)) => edit::profile(&ws, cmd, out),
        Some(Command::Exec(args)) => exec::exec(&ws, args),
        Some(Command::Export(args)) => exec::export(&ws, args, out),
        Some(Command::CredentialProcess(args)) => exec::credential_process(&ws, args, out),
        Some(Command::Login(args)) => login::login(&ws, args, out),
        Some(Command::Logout(args)) => login::logout(&ws, args, out),
        Some(Command::Sso(crate::cli::SsoCommand::Setup(args))) => sso_setup::setup(&ws, args, out),
        Some(Command::Sso(crate::cli::SsoCommand::Sessions { json })) => {
            login::sessions(&ws, *json, out)
        }
        Some(
            Command::Init(_)
            | Command::Switch(_)
            | Command::Prompt(_)
            | Command::Completions(_)
            | Command::Man(_),
        ) => unreachable!("shell integration commands return above"),
        Some(Command::Doctor(args)) => doctor::run(&ws, args, out),
        Some(Command::Dapr(cmd)) => dapr::run(&ws, cmd, out),
        Some(Command::Keys(cmd)) => keys::run(&ws, cmd, out),
        Some(Command::Console(args)) => console::run(&ws, args, out),
    }
}

/// `FILE:LINE` of a diagnostic, or the file alone.
pub fn place(ws: &Workspace, file: FileKind, line: Option<usize>) -> String {
    let path = ws.show(ws.path(file));
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path,
    }
}

/// Prints findings to stderr, one per line with its fix.
pub fn print_diagnostics(
    ws: &Workspace,
    diagnostics: impl IntoIterator<Item = impl std::borrow::Borrow<Diagnostic>>,
) {
    let mut err = std::io::stderr().lock();
    for d in diagnostics {
        let d: &Diagnostic = d.borrow();
        let at = d
            .origin
            .map(|o| format!("{}: ", place(ws, o.file, Some(o.line))))
            .unwrap_or_default();
        let _ = writeln!(
            err,
            "{}: {at}{}\n  fix: {}",
            d.severity.as_str(),
            d.message,
            d.fix
        );
    }
}

/// A diagnostic as JSON, with the file's path added.
pub fn diagnostic_json(ws: &Workspace, d: &Diagnostic) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap_or_default();
    if let (Some(o), Some(map)) = (d.origin, v.as_object_mut()) {
        map.insert("path".into(), ws.path(o.file).display().to_string().into());
    }
    v
}

/// `diagnostics` as the JSON array `serde_json::to_writer_pretty` writes for
/// their [`diagnostic_json`] values, nested `depth` levels deep (two spaces a
/// level), one diagnostic at a time: a tree of them all, and its text, took
/// most of the memory of `list --json` and `inspect --json` at a million
/// profiles (every profile without credentials has a finding). Each object is
/// written by hand, its keys in the order of `diagnostic_json`'s sorted map:
/// building that map for each finding was a fifth of `list --json`'s time.
pub fn write_diagnostics_json<W: Write>(
    ws: &Workspace,
    diagnostics: impl IntoIterator<Item = impl std::borrow::Borrow<Diagnostic>>,
    depth: usize,
    out: &mut W,
) -> std::io::Result<()> {
    let pad = "  ".repeat(depth + 1);
    let paths = [FileKind::Config, FileKind::Credentials].map(|f| ws.path(f).display().to_string());
    use std::fmt::Write as _;
    let mut text = Vec::new();
    let mut message = String::new();
    let mut first = true;
    for d in diagnostics {
        let d: &Diagnostic = d.borrow();
        text.clear();
        text.extend_from_slice(if first { b"[\n" } else { b",\n" });
        first = false;
        let field = |text: &mut Vec<u8>, key: &str| {
            text.extend_from_slice(pad.as_bytes());
            text.extend_from_slice(b"  \"");
            text.extend_from_slice(key.as_bytes());
            text.extend_from_slice(b"\": ");
        };
        text.extend_from_slice(pad.as_bytes());
        text.extend_from_slice(b"{\n");
        field(&mut text, "code");
        json_str(&mut text, d.code);
        if let Some(o) = d.origin {
            text.extend_from_slice(b",\n");
            field(&mut text, "file");
            json_str(&mut text, o.file.as_str());
        }
        text.extend_from_slice(b",\n");
        field(&mut text, "fix");
        json_str(&mut text, &d.fix);
        if let Some(o) = d.origin {
            text.extend_from_slice(b",\n");
            field(&mut text, "line");
            text.extend_from_slice(o.line.to_string().as_bytes());
        }
        text.extend_from_slice(b",\n");
        field(&mut text, "message");
        message.clear();
        write!(message, "{}", d.message).expect("writing to a String");
        json_str(&mut text, &message);
        if let Some(o) = d.origin {
            text.extend_from_slice(b",\n");
            field(&mut text, "path");
            json_str(
                &mut text,
                &paths[usize::from(o.file == FileKind::Credentials)],
            );
        }
        if let Some(profile) = &d.profile {
            text.extend_from_slice(b",\n");
            field(&mut text, "profile");
            json_str(&mut text, profile);
        }
        if d.sdk_refuses_file {
            text.extend_from_slice(b",\n");
            field(&mut text, "sdk_refuses_file");
            text.extend_from_slice(b"true");
        }
        text.extend_from_slice(b",\n");
        field(&mut text, "severity");
        json_str(&mut text, d.severity.as_str());
        text.extend_from_slice(b"\n");
        text.extend_from_slice(pad.as_bytes());
        text.extend_from_slice(b"}");
        out.write_all(&text)?;
    }
    if first {
        return out.write_all(b"[]");
    }
    out.write_all(b"\n")?;
    out.write_all(&pad.as_bytes()[2..])?;
    out.write_all(b"]")
}

// ---------------------------------------------------------------- wording (issue 15)

pub use crate::words::plural;

/// " (did you mean 'dev'?)" for a profile name that is not there, when one
/// is near; else empty.
pub fn did_you_mean(set: &crate::profile::ProfileSet, name: &str) -> String {
    crate::fuzzy::nearest(name, set.profiles.keys().map(|k| &**k), 2)
        .map(|n| format!(" (did you mean '{n}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diagnostics written one at a time are serde_json's pretty array,
    /// at every depth, empty or not.
    #[test]
    fn streamed_diagnostics_are_serde_jsons_pretty_array() {
        let ws = Workspace::demo();
        let found = [
            Diagnostic::at(
                crate::profile::Severity::Warning,
                "w",
                FileKind::Config,
                3,
                "a \"quoted\"\nmessage",
                "fix\tit",
            )
            .for_profile("p"),
            Diagnostic::new(crate::profile::Severity::Error, "e", "m", "f"),
            Diagnostic {
                sdk_refuses_file: true,
                ..Diagnostic::at(
                    crate::profile::Severity::Info,
                    "i",
                    FileKind::Credentials,
                    12_345,
                    "é \u{1} \\",
                    "",
                )
            },
        ];
        let with_chain: Vec<Diagnostic> = ws
            .view()
            .findings(crate::profile::Severity::Info)
            .map(|d| d.into_owned())
            .filter(|d| matches!(d.message, crate::profile::Message::Chain(_)))
            .collect();
        assert!(
            !with_chain.is_empty(),
            "the demo has a profile without credentials"
        );
        let found: Vec<_> = found.into_iter().chain(with_chain).collect();
        for n in 0..=found.len() {
            for depth in [0, 1, 3] {
                let values: Vec<_> = found[..n].iter().map(|d| diagnostic_json(&ws, d)).collect();
                let text = String::from_utf8(serde_json::to_vec_pretty(&values).unwrap()).unwrap();
                let expected = text.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                let mut written = Vec::new();
                write_diagnostics_json(&ws, &found[..n], depth, &mut written).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), expected);
            }
        }
    }
}
