//! The interactive terminal UI: `rolecall` with no arguments.
//!
//! Elm-shaped: [`model::Model`] holds the state, [`update::update`] turns a
//! message into a new state plus effects (as data, no I/O), [`view::render`] draws
//! a model and changes nothing, and [`keymap`] maps keys to messages from one
//! table that also generates the help screen. This file runs the loop: it owns the
//! terminal ([`terminal::Guard`]), reads the settings and recent-use files at
//! start, reads events, performs effects (including lending the terminal to a
//! command run with a profile) and redraws only when something changed.

pub mod clipboard;
pub mod console;
pub mod dialog;
pub mod doctor;
#[cfg(unix)]
pub mod fanout;
pub mod form;
pub mod help;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod login;
pub mod marks;
pub mod model;
pub mod onboard;
pub mod overlay;
pub mod region;
pub mod results;
pub mod run;
mod save;
pub mod terminal;
pub mod update;
pub mod view;

use std::collections::VecDeque;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::credential::cache::Caches;
use crate::credential::status::EnvExpiry;
use crate::exec::env::{FileVars, file_vars, profile_env};
use crate::paths::Paths;
use crate::profile::location::Overrides;
use crate::workspace::Workspace;
use model::Model;
use update::{Effect, Loaded, Msg, update};

/// What the effects work on: the files, the terminal, and rolecall's own files.
struct Io {
    ws: Workspace,
    guard: terminal::Guard,
    /// The settings file, if there is a home to put it in.
    settings: Option<PathBuf>,
    /// The recent-use file, likewise.
    recent: Option<PathBuf>,
    /// Where work running in the background sends its messages.
    inbox_tx: std::sync::mpsc::Sender<Msg>,
    /// Cancel handles of the logins running, by ticket.
    logins: std::collections::HashMap<u64, tokio::sync::oneshot::Sender<()>>,
    /// Runs on marked rows going on in the background, by ticket.
    #[cfg(unix)]
    runs: std::collections::HashMap<u64, fanout::Running>,
}

/// What a picker ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked {
    /// Enter on this profile, nothing marked.
    One(String),
    /// Enter with these profiles marked (`exec --pick`'s fan-out).
    Marked(Vec<String>),
}

/// Opens the TUI on `ws` and runs until the user quits.
pub fn run(ws: Workspace) -> anyhow::Result<()> {
    run_with(ws, None).map(|_| ())
}

/// Opens the TUI as a picker: Enter on a profile ends it and returns the name;
/// `q` returns `None`.
pub fn pick(ws: Workspace) -> anyhow::Result<Option<String>> {
    Ok(match run_with(ws, Some(false))? {
        Some(Picked::One(name)) => Some(name),
        _ => None,
    })
}

/// Opens the TUI as a picker where rows can be marked too (`exec --pick`):
/// Enter with marks returns them, without marks the profile it is on.
pub fn pick_rows(ws: Workspace) -> anyhow::Result<Option<Picked>> {
    run_with(ws, Some(true))
}

/// `picker`: `None` the full TUI, else a picker (`Some(true)`: taking marks).
fn run_with(ws: Workspace, picker: Option<bool>) -> anyhow::Result<Option<Picked>> {
    let env = |k: &str| ws.env.var(k);
    let mut model = Model::new(
        &ws,
        read_caches(&ws),
        EnvExpiry::from_env(&env),
        crate::clock::now(),
    );
    // The loop's one inbox: every message goes through it, in order, and every
    // effect `update` returns is performed, its messages coming back here.
    let mut inbox: VecDeque<Msg> = VecDeque::new();
    let settings_path = ws.paths.settings_file();
    let recent_path = ws.paths.recent_file();
    let settings = settings_path
        .as_deref()
        .map(|p| crate::settings::load(p, &ws.paths))
        .unwrap_or_default();
    let no_color = env("NO_COLOR").is_some_and(|v| !v.is_empty());
    model.apply_settings(&settings, no_color);
    if let Some(path) = &recent_path {
        let (recent, problem) = crate::recent::load(path, &ws.paths);
        model.recent = recent;
        if let Some(problem) = problem {
            inbox.push_back(Msg::Warn(problem));
        }
    }
    // Work running on other threads (a login, a listing) posts here.
    let (inbox_tx, background) = std::sync::mpsc::channel();
    let mut io = Io {
        ws,
        guard: terminal::Guard::enter()?,
        settings: settings_path,
        recent: recent_path,
        inbox_tx,
        logins: Default::default(),
        #[cfg(unix)]
        runs: Default::default(),
    };
    model.picker = picker.is_some();
    model.pick_many = picker == Some(true);
    if model.picker {
        // Picking is choosing again what was used last: most recent first.
        model.sort = model::Sort::Recent;
        model.refilter();
        model.select_index(0);
    }
    let size = io.guard.terminal().size()?;
    inbox.push_back(Msg::Resize(size.width, size.height));
    // Test hook for tests/tui_e2e.rs: with ROLECALL_TEST_PANIC set, panic once the
    // first frame is on screen, to check that the terminal is given back.
    let test_panic = io.ws.env.has("ROLECALL_TEST_PANIC");
    let mut dirty = true;
    loop {
        dirty |= process(&mut model, &mut io, &mut inbox);
        if model.quit {
            break;
        }
        // The frame takes the terminal's size as it is now; a resize event
        // can be lost or stale (crossterm reads the size when the signal
        // comes, and tmux may resize twice), so the model learns the real
        // size before each draw and each tick.
        if let Ok(size) = io.guard.terminal().size()
            && ratatui::layout::Rect::new(0, 0, size.width, size.height) != model.areas.screen
        {
            inbox.push_back(Msg::Resize(size.width, size.height));
            dirty |= process(&mut model, &mut io, &mut inbox);
        }
        if dirty {
            io.guard
                .terminal()
                .draw(|frame| view::render(&model, frame))?;
            dirty = false;
            if test_panic {
                panic!("ROLECALL_TEST_PANIC is set: panicking after the first frame");
            }
        }
        // Messages from work in the background (a login's code, its result).
        let before = inbox.len();
        inbox.extend(background.try_iter());
        if inbox.len() > before {
            continue;
        }
        io.logins.retain(|_, cancel| !cancel.is_closed());
        #[cfg(unix)]
        io.runs.retain(|_, run| !run.thread.is_finished());
        #[cfg(unix)]
        let busy = !io.runs.is_empty();
        #[cfg(not(unix))]
        let busy = false;
        let wait = if io.logins.is_empty() && !busy {
            1000
        } else {
            100
        };
        if !event::poll(Duration::from_millis(wait))? {
            inbox.push_back(Msg::Tick(crate::clock::now()));
            // A tick redraws only when something on screen changed.
            process(&mut model, &mut io, &mut inbox);
            dirty |= model.take_dirty();
            continue;
        }
        // Drain everything queued, then draw once.
        loop {
            let msg = match event::read()? {
                Event::Key(key) => model.keys.lookup(model.mode(), key),
                Event::Paste(text) => keymap::paste(model.mode(), text),
                Event::Mouse(mouse) => keymap::mouse(&model, mouse),
                Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                _ => None,
            };
            // Processed before the next key is read: what a key means
            // depends on the mode the one before it left.
            if let Some(msg) = msg {
                inbox.push_back(msg);
                process(&mut model, &mut io, &mut inbox);
                dirty = true;
            }
            if model.quit {
                break;
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    // A login still running (started inside the picker, say) is cancelled:
    // its thread ends, and its result goes to an inbox nobody reads.
    for (_, cancel) in io.logins.drain() {
        let _ = cancel.send(());
    }
    // Runs on marked rows are stopped (SIGTERM to their groups) and waited
    // for: nothing rolecall started outlives it.
    #[cfg(unix)]
    for (_, run) in io.runs.drain() {
        let _ = run.cancel.send(());
        let _ = run.thread.join();
    }
    if !model.picked_marks.is_empty() {
        return Ok(Some(Picked::Marked(std::mem::take(
            &mut model.picked_marks,
        ))));
    }
    Ok(model.picked.take().map(Picked::One))
}

/// Hands every message in `inbox` to `update` and performs every effect it
/// returns, whose messages join the inbox, until it is empty. Returns whether
/// anything was processed.
fn process(model: &mut Model, io: &mut Io, inbox: &mut VecDeque<Msg>) -> bool {
    let mut any = false;
    while let Some(msg) = inbox.pop_front() {
        any = true;
        for effect in update(model, msg) {
            inbox.extend(perform(io, effect));
        }
    }
    any
}

/// The shared caches under the user's home; for the demo, a made-up SSO token
/// so its countdown can be seen ticking.
fn read_caches(ws: &Workspace) -> Caches {
    if ws.demo {
        let mut caches = Caches::default();
        let expires = crate::clock::now() + Duration::from_secs(2 * 3600 + 35 * 60);
        caches
            .sso_tokens
            .insert(crate::credential::cache::sso_token_file("acme"), expires);
        return caches;
    }
    ws.caches()
}

/// Re-reads the files the workspace was opened on.
fn reopen(ws: &Workspace) -> Result<Workspace, crate::workspace::WorkspaceError> {
    if ws.demo {
        return Ok(Workspace::demo().with_env(&ws.env));
    }
    let overrides = crate::profile::location::Overrides {
        config: Some(ws.config.path.clone()),
        credentials: Some(ws.credentials.path.clone()),
    };
    Workspace::open(&ws.env, &overrides)
}

fn loaded(ws: &Workspace) -> Box<Loaded> {
    Box::new(Loaded {
        set: ws.view(),
        files: ws.files(),
    })
}

/// Runs `command` through the user's shell with `profile`, on the terminal the
/// TUI lends it; returns what to report. The terminal is taken back whatever
/// happens (a failed spawn included).
fn run_command(io: &mut Io, profile: &str, command: &str) -> String {
    let files = if io.ws.demo {
        FileVars::default()
    } else {
        let found = Paths::aws_files(&io.ws.env, &Overrides::default()).ok();
        file_vars(&io.ws.config.path, &io.ws.credentials.path, found.as_ref())
    };
    let delta = profile_env(profile, &files);
    let shell = crate::exec::shell(&|k| io.ws.env.var(k));
    let demo = io.ws.demo;
    if terminal::Screen::is_stderr() {
        // The shell evaluates this process's stdout: a child must not write there.
        return "commands do not run from the shell's picker: pick the profile, then run it"
            .to_string();
    }
    let report = match io.guard.suspend() {
        Err(e) => format!("could not hand over the terminal: {e}"),
        Ok(()) => {
            let mut out = terminal::Screen;
            let _ = writeln!(
                out,
                "\nrolecall: running `{command}` with AWS_PROFILE={profile}"
            );
            for (k, v) in delta.set.iter().skip(2) {
                let _ = writeln!(out, "rolecall: and {k}={v}");
            }
            if demo {
                let _ = writeln!(
                    out,
                    "rolecall: {profile} is a profile from the bundled demo: your AWS tools will not find it"
                );
            }
            let _ = writeln!(out);
            let report = match crate::exec::run_in_shell(&shell, command, &delta) {
                Ok(status) => crate::exec::describe(status),
                Err(e) => format!("could not start {shell}: {e}"),
            };
            let _ = write!(
                out,
                "\nrolecall: {report}. Press Enter to return to rolecall. "
            );
            let _ = out.flush();
            let mut line = String::new();
            let _ = std::io::stdin().read_line(&mut line);
            report
        }
    };
    let report = format!("ran `{command}` with {profile}: {report}");
    match io.guard.resume() {
        Ok(()) => report,
        Err(e) => format!("{report}; the terminal could not be taken back: {e}"),
    }
}

/// Carries out `effect`; returns the messages it produced, for the loop's inbox.
fn perform(io: &mut Io, effect: Effect) -> Vec<Msg> {
    let ws = &mut io.ws;
    let msg = match effect {
        Effect::Login {
            ticket,
            cfg,
            profile,
        } => match crate::credential::source::sso_env(ws) {
            Ok(env) => {
                let browser = crate::sso::login::Browser::from_env(&ws.env, false);
                let ssh = crate::sso::login::over_ssh(&ws.env);
                let cancel = login::start(
                    ticket,
                    env,
                    *cfg,
                    profile,
                    (browser, ssh),
                    io.inbox_tx.clone(),
                );
                io.logins.retain(|_, c| !c.is_closed());
                io.logins.insert(ticket, cancel);
                None
            }
            Err(e) => Some(Msg::LoginFinished {
                ticket,
                result: Err(e.to_string()),
            }),
        },
        Effect::ListAssignments { ticket, cfg } => match crate::credential::source::sso_env(ws) {
            Ok(env) => {
                login::list(ticket, env, *cfg, io.inbox_tx.clone());
                None
            }
            Err(e) => Some(Msg::OnboardListed {
                ticket,
                result: Err(e.to_string()),
            }),
        },
        Effect::CancelLogin(ticket) => {
            if let Some(cancel) = io.logins.remove(&ticket) {
                let _ = cancel.send(());
            }
            None
        }
        Effect::OpenConsole(profile) => {
            let (config, credentials) = (ws.config.path.clone(), ws.credentials.path.clone());
            console::start(profile, config, credentials, io.inbox_tx.clone());
            None
        }
        Effect::CheckFiles => ws.changed_on_disk().then_some(Msg::FilesChanged),
        #[cfg(unix)]
        Effect::FanOut {
            ticket,
            profiles,
            command,
        } => {
            let run = fanout::start(ticket, ws, profiles, &command, io.inbox_tx.clone());
            io.runs.insert(ticket, run);
            None
        }
        #[cfg(not(unix))]
        Effect::FanOut { ticket, .. } => Some(Msg::FanOutDone {
            ticket,
            result: Err("running on marked rows needs a Unix system".to_string()),
        }),
        Effect::RunCommand { profile, command } => {
            // The command may have left the terminal another size: the loop
            // compares the real size with the model's before the next draw.
            Some(Msg::CommandFinished(run_command(io, &profile, &command)))
        }
        Effect::RememberCommand(command) => Some(match &io.settings {
            None => Msg::Warn(
                "the command is not remembered: no home directory for the settings file"
                    .to_string(),
            ),
            Some(path) => match crate::settings::save_command(path, &ws.paths, &command) {
                Ok(commands) => Msg::CommandsSaved(commands),
                Err(e) => Msg::Warn(format!("the command is not remembered: {e}")),
            },
        }),
        Effect::RecordUse { profile, at } => match &io.recent {
            Some(path) => crate::recent::record(path, &profile, at)
                .err()
                .map(|e| Msg::Warn(format!("recent use not saved: {e}"))),
            None => None,
        },
        Effect::Clipboard(text) => {
            let mut out = terminal::Screen;
            let _ = out.write_all(clipboard::osc52(&text).as_bytes());
            let _ = out.flush();
            None
        }
        Effect::OpenDemo => {
            *ws = Workspace::demo().with_env(&ws.env);
            let paths = (ws.config.path.clone(), ws.credentials.path.clone());
            Some(Msg::DemoOpened {
                loaded: loaded(ws),
                caches: Box::new(read_caches(ws)),
                paths,
            })
        }
        Effect::Diagnose(profile) => {
            let report = crate::doctor::gather::report(ws, Some(&profile), &read_caches(ws));
            Some(Msg::DoctorReady(Box::new(report)))
        }
        Effect::ReadCaches => Some(Msg::CachesRead(
            Box::new(read_caches(ws)),
            crate::clock::now(),
        )),
        Effect::Reload => Some(match reopen(ws) {
            Ok(fresh) => {
                *ws = fresh;
                Msg::Loaded(loaded(ws))
            }
            Err(err) => Msg::Status(format!("reload failed: {err}")),
        }),
        Effect::Save { files, undo } => Some(save::save(ws, files, undo, false)),
        Effect::SaveToKeychain {
            profile,
            keys,
            files,
            undo,
        } => {
            let store = crate::keychain::SystemStore;
            Some(save::to_keychain(ws, &store, &profile, *keys, files, undo))
        }
    };
    msg.into_iter().collect()
}
