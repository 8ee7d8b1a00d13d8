//! The interactive terminal UI: `rolecall` with no arguments.
//!
//! Elm-shaped: [`model::Model`] holds the state, [`update::update`] turns a
//! message into a new state plus effects (as data, no I/O), [`view::render`] draws
//! a model and changes nothing, and [`keymap`] maps keys to messages from one
//! table that also generates the help screen. This file runs the loop: it owns the
//! terminal ([`terminal::Guard`]), reads events, performs effects and redraws only
//! when something changed.

pub mod dialog;
pub mod form;
pub mod keymap;
pub mod layout;
pub mod model;
pub mod terminal;
pub mod update;
pub mod view;

use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::credential::cache::{CacheDirs, Caches};
use crate::credential::status::EnvExpiry;
use crate::profile::location::{Platform, home_dir};
use crate::workspace::Workspace;
use model::Model;
use update::{Effect, Loaded, Msg, update};

/// Opens the TUI on `ws` and runs until the user quits.
pub fn run(mut ws: Workspace) -> anyhow::Result<()> {
    let mut model = Model::new(
        &ws,
        read_caches(&ws),
        EnvExpiry::from_env(&|k| std::env::var(k).ok()),
        crate::clock::now(),
    );
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        model.theme = view::Theme::plain();
    }
    let mut guard = terminal::Guard::enter()?;
    let size = guard.terminal().size()?;
    update(&mut model, Msg::Resize(size.width, size.height));
    let mut dirty = true;
    while !model.quit {
        if dirty {
            guard.terminal().draw(|frame| view::render(&model, frame))?;
            dirty = false;
        }
        if !event::poll(Duration::from_millis(1000))? {
            for effect in update(&mut model, Msg::Tick(crate::clock::now())) {
                perform(&mut model, &mut ws, effect);
            }
            dirty |= model.take_dirty();
            continue;
        }
        // Drain everything queued, then draw once.
        loop {
            let msg = match event::read()? {
                Event::Key(key) => keymap::lookup(model.mode, key),
                Event::Mouse(mouse) => keymap::mouse(&model, mouse),
                Event::Resize(w, h) => Some(Msg::Resize(w, h)),
                _ => None,
            };
            if let Some(msg) = msg {
                for effect in update(&mut model, msg) {
                    perform(&mut model, &mut ws, effect);
                }
                dirty = true;
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
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
    let home = home_dir(&|k| std::env::var(k).ok(), Platform::current()).unwrap_or_default();
    Caches::read(&CacheDirs::under_home(std::path::Path::new(&home)))
}

/// Re-reads the files the workspace was opened on.
fn reopen(ws: &Workspace) -> Result<Workspace, crate::workspace::WorkspaceError> {
    if ws.demo {
        return Ok(Workspace::demo());
    }
    let overrides = crate::profile::location::Overrides {
        config: Some(ws.config.path.clone()),
        credentials: Some(ws.credentials.path.clone()),
    };
    Workspace::open(&overrides)
}

fn loaded(ws: &Workspace) -> Box<Loaded> {
    Box::new(Loaded {
        set: ws.view(),
        files: ws.files(),
    })
}

fn perform(model: &mut Model, ws: &mut Workspace, effect: Effect) {
    match effect {
        Effect::CheckFiles => {
            if ws.changed_on_disk() {
                for effect in update(model, Msg::FilesChanged) {
                    perform(model, ws, effect);
                }
            }
        }
        Effect::ReadCaches => {
            let caches = read_caches(ws);
            update(
                model,
                Msg::CachesRead(Box::new(caches), crate::clock::now()),
            );
        }
        Effect::Reload => match reopen(ws) {
            Ok(fresh) => {
                *ws = fresh;
                update(model, Msg::Loaded(loaded(ws)));
            }
            Err(err) => {
                update(model, Msg::Status(format!("reload failed: {err}")));
            }
        },
        Effect::Save { files, undo } => {
            let result = ws
                .save(&files)
                .and_then(|written| Ok((written, reopen(ws)?)));
            match result {
                Ok((written, fresh)) => {
                    *ws = fresh;
                    let paths: Vec<String> = written
                        .iter()
                        .map(|p| crate::commands::show_path(p))
                        .collect();
                    let report = match (&undo, paths.is_empty()) {
                        (_, true) => "nothing to write".to_string(),
                        (Some(_), false) => {
                            format!("saved {} (backup kept; u undoes)", paths.join(", "))
                        }
                        (None, false) => format!("undone: restored {}", paths.join(", ")),
                    };
                    update(
                        model,
                        Msg::Saved {
                            loaded: loaded(ws),
                            undo,
                            report,
                        },
                    );
                }
                Err(err) => {
                    let hint = if matches!(
                        err,
                        crate::workspace::WorkspaceError::Store(
                            crate::store::StoreError::Conflict(_)
                        )
                    ) {
                        " Press r to reload, then edit again."
                    } else {
                        ""
                    };
                    update(model, Msg::SaveFailed(format!("not saved: {err}.{hint}")));
                }
            }
        }
    }
}
