//! The settings' `[keys]` overrides applied to the binding table: which action
//! names exist, and building a [`Keymap`] in which each overridden list action
//! answers to its new key, with a message for every override refused (unknown
//! action, unreadable key, key given twice, an action left with no key). Other
//! modes' keys are never overridden.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::settings::Entry;
use crate::tui::model::Mode;

use super::{BINDINGS, Bound, Keymap, parse_key};

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::new(&[]).0
    }
}

/// The action names `[keys]` accepts, in table order.
pub fn actions() -> Vec<&'static str> {
    let mut names: Vec<&str> = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.mode == Mode::Normal) {
        if !names.contains(&b.action) {
            names.push(b.action);
        }
    }
    names
}

impl Keymap {
    /// The table with `overrides` (action name → key) applied to the list's keys,
    /// and a message for each override refused. An override replaces every key
    /// of its action; a key it takes from another action is that action's no more.
    pub fn new(overrides: &[Entry]) -> (Keymap, Vec<String>) {
        let mut problems = Vec::new();
        let mut accepted: Vec<(&'static str, KeyCode, KeyModifiers, &Entry)> = Vec::new();
        let names = actions();
        for entry in overrides {
            let Some(action) = names.iter().find(|a| **a == entry.name) else {
                problems.push(format!(
                    "{}: keys.{}: no such action; ignored (actions: {})",
                    entry.place,
                    entry.name,
                    names.join(", ")
                ));
                continue;
            };
            let (code, modifiers) = match parse_key(&entry.value) {
                Ok(key) => key,
                Err(why) => {
                    problems.push(format!(
                        "{}: keys.{} = \"{}\": {why}; ignored",
                        entry.place, entry.name, entry.value
                    ));
                    continue;
                }
            };
            if let Some(other) = accepted
                .iter()
                .find(|(_, c, m, _)| *c == code && *m == modifiers)
            {
                problems.push(format!(
                    "{}: keys.{} = \"{}\": that key is given to keys.{} already; ignored",
                    entry.place, entry.name, entry.value, other.0
                ));
                continue;
            }
            accepted.push((action, code, modifiers, entry));
        }
        let mut bound = Vec::new();
        let mut placed: Vec<&str> = Vec::new();
        for b in BINDINGS {
            if b.mode != Mode::Normal {
                bound.push(Bound {
                    code: b.code,
                    modifiers: b.modifiers,
                    binding: b,
                });
                continue;
            }
            if let Some((_, code, modifiers, _)) = accepted.iter().find(|o| o.0 == b.action) {
                if !placed.contains(&b.action) {
                    placed.push(b.action);
                    bound.push(Bound {
                        code: *code,
                        modifiers: *modifiers,
                        binding: b,
                    });
                }
                continue;
            }
            if accepted
                .iter()
                .any(|(_, c, m, _)| *c == b.code && *m == b.modifiers)
            {
                continue;
            }
            bound.push(Bound {
                code: b.code,
                modifiers: b.modifiers,
                binding: b,
            });
        }
        let keymap = Keymap { bound };
        for action in names {
            if keymap.first_key(action).is_none() {
                let thieves: Vec<String> = accepted
                    .iter()
                    .filter(|(_, c, m, _)| {
                        BINDINGS.iter().any(|b| {
                            b.mode == Mode::Normal
                                && b.action == action
                                && b.code == *c
                                && b.modifiers == *m
                        })
                    })
                    .map(|(_, _, _, e)| format!("{}: keys.{}", e.place, e.name))
                    .collect();
                problems.push(format!(
                    "{} takes the only key of '{action}', which has none now",
                    thieves.join(", ")
                ));
            }
        }
        (keymap, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::update::Msg;
    use crate::tui::update::{FormMsg, HelpMsg};
    use ratatui::crossterm::event::KeyEvent;

    const CTRL: KeyModifiers = KeyModifiers::CONTROL;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn entry(name: &str, value: &str) -> Entry {
        Entry {
            name: name.into(),
            value: value.into(),
            place: "config.toml:9".into(),
        }
    }

    #[test]
    fn overrides_replace_an_actions_keys_in_the_list() {
        let (k, problems) = Keymap::new(&[entry("quit", "x"), entry("edit", "E")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('x'))),
            Some(Msg::Quit)
        );
        assert_eq!(k.lookup(Mode::Normal, key(KeyCode::Char('q'))), None);
        assert_eq!(
            k.lookup(Mode::Normal, KeyEvent::new(KeyCode::Char('c'), CTRL)),
            Some(Msg::Quit),
            "^c is its own action and still quits"
        );
        assert_eq!(
            k.lookup(
                Mode::Normal,
                KeyEvent::new(KeyCode::Char('E'), KeyModifiers::SHIFT)
            ),
            Some(Msg::OpenForm)
        );
        assert_eq!(k.lookup(Mode::Normal, key(KeyCode::Enter)), None);
        // Other modes keep their keys.
        assert_eq!(
            k.lookup(Mode::Form, key(KeyCode::Char('q'))),
            Some(Msg::Form(FormMsg::Close))
        );
        let help = k.help(Mode::Normal);
        assert!(help.contains(&("x ^c".to_string(), "quit")), "{help:?}");
        assert!(help.contains(&("E".to_string(), "edit the profile")));
        assert_eq!(k.first_key("edit").as_deref(), Some("E"));
    }

    #[test]
    fn swaps_work_and_bad_overrides_are_reported() {
        let (k, problems) = Keymap::new(&[entry("run", "c"), entry("copy", "x")]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('c'))),
            Some(Msg::OpenRun)
        );
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('x'))),
            Some(Msg::CopyProfile)
        );

        let (k, problems) = Keymap::new(&[
            entry("qit", "x"),
            entry("quit", "ctrl-"),
            entry("edit", "hyper-e"),
            entry("undo", "U"),
            entry("new", "U"),
            entry("reload", "ctrl-R"),
            entry("help", "u"),
        ]);
        assert!(problems[0].starts_with("config.toml:9: keys.qit: no such action"));
        assert!(problems[0].contains("quit, interrupt"), "{}", problems[0]);
        assert!(
            problems[1].contains("keys.quit = \"ctrl-\": not a key"),
            "{}",
            problems[1]
        );
        assert!(problems[2].contains("keys.edit"), "{}", problems[2]);
        assert!(
            problems[3].contains("given to keys.undo already"),
            "{}",
            problems[3]
        );
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert_eq!(
            k.lookup(Mode::Normal, KeyEvent::new(KeyCode::Char('r'), CTRL)),
            Some(Msg::Reload)
        );
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('u'))),
            Some(Msg::Help(HelpMsg::Toggle))
        );
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Msg::Quit)
        );

        // j is one of two keys of down: fine. u is the only key of undo: reported.
        let (_, problems) = Keymap::new(&[entry("quit", "j")]);
        assert!(problems.is_empty(), "{problems:?}");
        let (_, problems) = Keymap::new(&[entry("quit", "u")]);
        assert_eq!(
            problems,
            vec!["config.toml:9: keys.quit takes the only key of 'undo', which has none now"]
        );
    }
}
