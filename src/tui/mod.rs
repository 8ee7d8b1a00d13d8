//! The interactive terminal UI: `rolecall` with no arguments.
//!
//! Elm-shaped: [`model::Model`] holds the state, [`update::update`] turns a
//! message into a new state plus effects (as data, no I/O), [`view::render`] draws
//! a model and changes nothing, and [`keymap`] maps keys to messages from one
//! table that also generates the help screen. This file runs the loop: it owns the
//! terminal ([`terminal::Guard`]), reads events, performs effects and redraws only
//! when something changed.

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
use update::{Effect, Msg, update};

/// Opens the TUI on `ws` and runs until the user quits.
pub fn run(ws: Workspace) -> anyhow::Result<()> {
    let reopen = ws.clone();
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
            dirty |= !update(&mut model, Msg::Tick(crate::clock::now())).is_empty()
                || model.take_dirty();
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
                    perform(&mut model, &reopen, effect);
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

fn perform(model: &mut Model, ws: &Workspace, effect: Effect) {
    match effect {
        Effect::ReadCaches => {
            let caches = read_caches(ws);
            update(
                model,
                Msg::CachesRead(Box::new(caches), crate::clock::now()),
            );
        }
        Effect::Reload => {
            let fresh = if ws.demo {
                Ok(Workspace::demo())
            } else {
                let overrides = crate::profile::location::Overrides {
                    config: Some(ws.config.path.clone()),
                    credentials: Some(ws.credentials.path.clone()),
                };
                Workspace::open(&overrides)
            };
            match fresh {
                Ok(fresh) => update(model, Msg::Loaded(Box::new(fresh.view()))),
                Err(err) => update(model, Msg::Status(format!("reload failed: {err}"))),
            };
        }
    }
}
