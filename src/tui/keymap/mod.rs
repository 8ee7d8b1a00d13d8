//! Key bindings as data: one table maps (mode, key) to a message and also
//! generates the help screen. Single-letter commands act only outside the filter.
//!
//! Each binding in the list (`Mode::Normal`) carries an action name (`quit`,
//! `edit`, …). The settings file's `[keys]` gives an action a new key: a
//! [`Keymap`] is the table with those overrides applied (built in `overrides`),
//! and it is what both lookup and help read, so the help always shows the keys
//! that work. Shift on a character is ignored (the character already says it:
//! `G` is `G`). How keys are written in the settings and in help is `keys`'s
//! business.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use super::model::{Mode, Model};
use super::update::{Msg, Typed};

mod keys;
mod overrides;

pub use keys::{key_label, parse_key};
pub use overrides::actions;

/// One binding.
#[derive(Debug)]
pub struct Binding {
    /// Where it applies.
    pub mode: Mode,
    /// Its name for `[keys]` in the settings (list bindings only; empty elsewhere).
    pub action: &'static str,
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub modifiers: KeyModifiers,
    /// What it does.
    pub msg: fn() -> Msg,
    /// Its description in the help screen (bindings with the same one share a line).
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! bind {
    ($mode:ident, $action:literal, $code:expr, $mods:expr, $msg:expr, $help:literal) => {
        Binding {
            mode: Mode::$mode,
            action: $action,
            code: $code,
            modifiers: $mods,
            msg: || $msg,
            help: $help,
        }
    };
}

/// Every binding; the first match wins.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind!(Normal, "down", KeyCode::Char('j'), NONE, Msg::Down, "next profile"),
    bind!(Normal, "down", KeyCode::Down, NONE, Msg::Down, "next profile"),
    bind!(Normal, "up", KeyCode::Char('k'), NONE, Msg::Up, "previous profile"),
    bind!(Normal, "up", KeyCode::Up, NONE, Msg::Up, "previous profile"),
    bind!(Normal, "page-down", KeyCode::PageDown, NONE, Msg::PageDown, "a screen down"),
    bind!(Normal, "page-down", KeyCode::Char('f'), CTRL, Msg::PageDown, "a screen down"),
    bind!(Normal, "page-up", KeyCode::PageUp, NONE, Msg::PageUp, "a screen up"),
    bind!(Normal, "page-up", KeyCode::Char('b'), CTRL, Msg::PageUp, "a screen up"),
    bind!(Normal, "top", KeyCode::Char('g'), NONE, Msg::Top, "first profile"),
    bind!(Normal, "top", KeyCode::Home, NONE, Msg::Top, "first profile"),
    bind!(Normal, "bottom", KeyCode::Char('G'), NONE, Msg::Bottom, "last profile"),
    bind!(Normal, "bottom", KeyCode::End, NONE, Msg::Bottom, "last profile"),
    bind!(Normal, "filter", KeyCode::Char('/'), NONE, Msg::StartFilter, "filter (fuzzy: names, accounts, roles, regions)"),
    bind!(Normal, "clear-filter", KeyCode::Esc, NONE, Msg::FilterCancel, "clear the filter"),
    bind!(Normal, "edit", KeyCode::Char('e'), NONE, Msg::OpenForm, "edit the profile"),
    bind!(Normal, "edit", KeyCode::Enter, NONE, Msg::OpenForm, "edit the profile"),
    bind!(Normal, "undo", KeyCode::Char('u'), NONE, Msg::Undo, "undo the last save"),
    bind!(Normal, "new", KeyCode::Char('n'), NONE, Msg::NewProfile, "new profile"),
    bind!(Normal, "copy", KeyCode::Char('c'), NONE, Msg::CopyProfile, "copy the profile"),
    bind!(Normal, "rename", KeyCode::Char('R'), NONE, Msg::RenameProfile, "rename the profile"),
    bind!(Normal, "delete", KeyCode::Char('D'), NONE, Msg::DeleteProfile, "delete the profile"),
    bind!(Normal, "delete", KeyCode::Delete, NONE, Msg::DeleteProfile, "delete the profile"),
    bind!(Normal, "run", KeyCode::Char('!'), NONE, Msg::OpenRun, "run a command with the profile"),
    bind!(Normal, "export", KeyCode::Char('y'), NONE, Msg::CopyExport, "copy `export AWS_PROFILE=…` (clipboard)"),
    bind!(Normal, "login", KeyCode::Char('L'), NONE, Msg::Login, "log in to the profile's SSO session"),
    bind!(Normal, "console", KeyCode::Char('o'), NONE, Msg::OpenConsole, "open the AWS console as the profile (browser)"),
    bind!(Normal, "sso-setup", KeyCode::Char('O'), NONE, Msg::OpenOnboard, "set up SSO: a session, a login, a profile per role"),
    bind!(Normal, "sort", KeyCode::Char('s'), NONE, Msg::CycleSort, "sort by name / kind / recent use"),
    bind!(Normal, "group", KeyCode::Char('S'), NONE, Msg::CycleGroup, "group by sso-session / account / none"),
    bind!(Normal, "reload", KeyCode::Char('r'), NONE, Msg::Reload, "re-read the files"),
    bind!(Normal, "doctor", KeyCode::Char('w'), NONE, Msg::OpenDoctor, "doctor: which credentials win here"),
    bind!(Normal, "help", KeyCode::Char('?'), NONE, Msg::ToggleHelp, "help"),
    bind!(Normal, "quit", KeyCode::Char('q'), NONE, Msg::Quit, "quit"),
    bind!(Normal, "interrupt", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Onboard, "", KeyCode::Enter, NONE, Msg::OnboardNext, "accept / next step / write"),
    bind!(Onboard, "", KeyCode::Tab, NONE, Msg::OnboardSwitchField, "filter or name template"),
    bind!(Onboard, "", KeyCode::Backspace, NONE, Msg::OnboardBackspace, "delete a character"),
    bind!(Onboard, "", KeyCode::Esc, NONE, Msg::OnboardCancel, "back / leave the setup"),
    bind!(Onboard, "", KeyCode::Char('c'), CTRL, Msg::OnboardCancel, "back / leave the setup"),
    bind!(Login, "", KeyCode::Esc, NONE, Msg::LoginCancel, "cancel the login"),
    bind!(Login, "", KeyCode::Char('q'), NONE, Msg::LoginCancel, "cancel the login"),
    bind!(Login, "", KeyCode::Char('c'), CTRL, Msg::LoginCancel, "cancel the login"),
    bind!(Filter, "", KeyCode::Enter, NONE, Msg::FilterAccept, "keep the filter, back to the list"),
    bind!(Filter, "", KeyCode::Esc, NONE, Msg::FilterCancel, "clear the filter, back to the list"),
    bind!(Filter, "", KeyCode::Backspace, NONE, Msg::FilterBackspace, "delete a character"),
    bind!(Filter, "", KeyCode::Down, NONE, Msg::Down, "move while filtering"),
    bind!(Filter, "", KeyCode::Up, NONE, Msg::Up, "move while filtering"),
    bind!(Filter, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Form, "", KeyCode::Char('j'), NONE, Msg::FormDown, "next field"),
    bind!(Form, "", KeyCode::Down, NONE, Msg::FormDown, "next field"),
    bind!(Form, "", KeyCode::Tab, NONE, Msg::FormDown, "next field"),
    bind!(Form, "", KeyCode::Char('k'), NONE, Msg::FormUp, "previous field"),
    bind!(Form, "", KeyCode::Up, NONE, Msg::FormUp, "previous field"),
    bind!(Form, "", KeyCode::BackTab, KeyModifiers::SHIFT, Msg::FormUp, "previous field"),
    bind!(Form, "", KeyCode::Enter, NONE, Msg::FormStartTyping, "type into the field"),
    bind!(Form, "", KeyCode::Char('i'), NONE, Msg::FormStartTyping, "type into the field"),
    bind!(Form, "", KeyCode::Char('h'), NONE, Msg::FormCycle(false), "cycle through choices"),
    bind!(Form, "", KeyCode::Char('l'), NONE, Msg::FormCycle(true), "cycle through choices"),
    bind!(Form, "", KeyCode::Left, NONE, Msg::FormCycle(false), "cycle through choices"),
    bind!(Form, "", KeyCode::Right, NONE, Msg::FormCycle(true), "cycle through choices"),
    bind!(Form, "", KeyCode::Char('d'), NONE, Msg::FormClear, "clear the field (removes the key)"),
    bind!(Form, "", KeyCode::Delete, NONE, Msg::FormClear, "clear the field (removes the key)"),
    bind!(Form, "", KeyCode::Char('s'), NONE, Msg::FormSubmit, "check and preview the changes"),
    bind!(Form, "", KeyCode::Char('s'), CTRL, Msg::FormSubmit, "check and preview the changes"),
    bind!(Form, "", KeyCode::Esc, NONE, Msg::FormClose, "close without saving"),
    bind!(Form, "", KeyCode::Char('q'), NONE, Msg::FormClose, "close without saving"),
    bind!(Form, "", KeyCode::Char('?'), NONE, Msg::ToggleHelp, "help"),
    bind!(Form, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(FormInput, "", KeyCode::Enter, NONE, Msg::FormStopTyping, "keep the text"),
    bind!(FormInput, "", KeyCode::Esc, NONE, Msg::FormCancelTyping, "undo the typing"),
    bind!(FormInput, "", KeyCode::Backspace, NONE, Msg::FormBackspace, "delete a character"),
    bind!(FormInput, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Preview, "", KeyCode::Char('y'), NONE, Msg::FormConfirm, "save (atomic, with a backup)"),
    bind!(Preview, "", KeyCode::Enter, NONE, Msg::FormConfirm, "save (atomic, with a backup)"),
    bind!(Preview, "", KeyCode::Char('n'), NONE, Msg::FormBack, "back to the form"),
    bind!(Preview, "", KeyCode::Esc, NONE, Msg::FormBack, "back to the form"),
    bind!(Preview, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Prompt, "", KeyCode::Enter, NONE, Msg::PromptSubmit, "accept"),
    bind!(Prompt, "", KeyCode::Esc, NONE, Msg::PromptCancel, "cancel"),
    bind!(Prompt, "", KeyCode::Backspace, NONE, Msg::PromptBackspace, "delete a character"),
    bind!(Prompt, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Confirm, "", KeyCode::Char('y'), NONE, Msg::ConfirmYes, "yes"),
    bind!(Confirm, "", KeyCode::Enter, NONE, Msg::ConfirmYes, "yes"),
    bind!(Confirm, "", KeyCode::Char('n'), NONE, Msg::ConfirmNo, "no (the alternative, if offered)"),
    bind!(Confirm, "", KeyCode::Esc, NONE, Msg::ConfirmCancel, "cancel"),
    bind!(Confirm, "", KeyCode::Char('q'), NONE, Msg::ConfirmCancel, "cancel"),
    bind!(Confirm, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(KindPick, "", KeyCode::Char('j'), NONE, Msg::KindMove(true), "move"),
    bind!(KindPick, "", KeyCode::Down, NONE, Msg::KindMove(true), "move"),
    bind!(KindPick, "", KeyCode::Char('k'), NONE, Msg::KindMove(false), "move"),
    bind!(KindPick, "", KeyCode::Up, NONE, Msg::KindMove(false), "move"),
    bind!(KindPick, "", KeyCode::Enter, NONE, Msg::KindChoose, "choose"),
    bind!(KindPick, "", KeyCode::Esc, NONE, Msg::ConfirmCancel, "cancel"),
    bind!(KindPick, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(RunPick, "", KeyCode::Down, NONE, Msg::RunMove(true), "choose a saved command"),
    bind!(RunPick, "", KeyCode::Up, NONE, Msg::RunMove(false), "choose a saved command"),
    bind!(RunPick, "", KeyCode::Enter, NONE, Msg::RunSubmit, "run it (a new one is remembered)"),
    bind!(RunPick, "", KeyCode::Backspace, NONE, Msg::RunBackspace, "delete a character"),
    bind!(RunPick, "", KeyCode::Esc, NONE, Msg::RunCancel, "cancel"),
    bind!(RunPick, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Welcome, "", KeyCode::Char('n'), NONE, Msg::NewProfile, "create your first profile"),
    bind!(Welcome, "", KeyCode::Char('d'), NONE, Msg::OpenDemo, "explore the bundled demo (read-only)"),
    bind!(Welcome, "", KeyCode::Char('o'), NONE, Msg::OpenOnboard, "set up SSO (IAM Identity Center)"),
    bind!(Welcome, "", KeyCode::Char('?'), NONE, Msg::ToggleHelp, "help"),
    bind!(Welcome, "", KeyCode::Char('q'), NONE, Msg::Quit, "quit"),
    bind!(Welcome, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Doctor, "", KeyCode::Char('j'), NONE, Msg::DoctorScroll(true), "scroll"),
    bind!(Doctor, "", KeyCode::Down, NONE, Msg::DoctorScroll(true), "scroll"),
    bind!(Doctor, "", KeyCode::Char('k'), NONE, Msg::DoctorScroll(false), "scroll"),
    bind!(Doctor, "", KeyCode::Up, NONE, Msg::DoctorScroll(false), "scroll"),
    bind!(Doctor, "", KeyCode::Esc, NONE, Msg::CloseDoctor, "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('q'), NONE, Msg::CloseDoctor, "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('w'), NONE, Msg::CloseDoctor, "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Help, "", KeyCode::Char('j'), NONE, Msg::HelpScroll(true), "scroll"),
    bind!(Help, "", KeyCode::Down, NONE, Msg::HelpScroll(true), "scroll"),
    bind!(Help, "", KeyCode::Char('k'), NONE, Msg::HelpScroll(false), "scroll"),
    bind!(Help, "", KeyCode::Up, NONE, Msg::HelpScroll(false), "scroll"),
    bind!(Help, "", KeyCode::Esc, NONE, Msg::ToggleHelp, "close help"),
    bind!(Help, "", KeyCode::Char('?'), NONE, Msg::ToggleHelp, "close help"),
    bind!(Help, "", KeyCode::Char('q'), NONE, Msg::ToggleHelp, "close help"),
    bind!(Help, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
];

/// A key that is bound: the key and the binding it triggers.
#[derive(Clone, Copy, Debug)]
struct Bound {
    code: KeyCode,
    modifiers: KeyModifiers,
    binding: &'static Binding,
}

/// The bindings in force: [`BINDINGS`] with the settings' overrides applied.
#[derive(Clone, Debug)]
pub struct Keymap {
    bound: Vec<Bound>,
}

impl Keymap {
    /// The message for a key in a mode, if any.
    pub fn lookup(&self, mode: Mode, key: KeyEvent) -> Option<Msg> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let mut modifiers = key.modifiers;
        if matches!(key.code, KeyCode::Char(_)) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let found = self
            .bound
            .iter()
            .find(|b| b.binding.mode == mode && b.code == key.code && b.modifiers == modifiers);
        if let Some(b) = found {
            return Some((b.binding.msg)());
        }
        let KeyCode::Char(c) = key.code else {
            return None;
        };
        if modifiers.intersects(CTRL | KeyModifiers::ALT) {
            return None;
        }
        match mode {
            Mode::Filter => Some(Msg::FilterInput(c)),
            Mode::FormInput => Some(Msg::FormInput(Typed(c))),
            Mode::Prompt => Some(Msg::PromptInput(Typed(c))),
            Mode::RunPick => Some(Msg::RunInput(c)),
            Mode::Onboard => Some(Msg::OnboardInput(Typed(c))),
            _ => None,
        }
    }

    /// Help lines for a mode: (keys, description); bindings with the same
    /// description share a line.
    pub fn help(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut lines: Vec<(String, &str)> = Vec::new();
        for b in self.bound.iter().filter(|b| b.binding.mode == mode) {
            let label = key_label(b.code, b.modifiers);
            match lines.iter_mut().find(|(_, h)| *h == b.binding.help) {
                Some((keys, _)) => {
                    if !keys.split(' ').any(|k| k == label) {
                        keys.push(' ');
                        keys.push_str(&label);
                    }
                }
                None => lines.push((label, b.binding.help)),
            }
        }
        lines
    }

    /// The label of the first key of a list action, e.g. `e` for `edit`.
    pub fn first_key(&self, action: &str) -> Option<String> {
        self.bound
            .iter()
            .find(|b| b.binding.mode == Mode::Normal && b.binding.action == action)
            .map(|b| key_label(b.code, b.modifiers))
    }
}

/// The message for a mouse event.
pub fn mouse(model: &Model, event: MouseEvent) -> Option<Msg> {
    match event.kind {
        MouseEventKind::ScrollDown if model.mode == Mode::Help => Some(Msg::HelpScroll(true)),
        MouseEventKind::ScrollUp if model.mode == Mode::Help => Some(Msg::HelpScroll(false)),
        MouseEventKind::ScrollDown => Some(Msg::Down),
        MouseEventKind::ScrollUp => Some(Msg::Up),
        MouseEventKind::Down(_) if matches!(model.mode, Mode::Normal | Mode::Filter) => model
            .areas
            .list_row_at(event.column, event.row)
            .map(Msg::ClickRow),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, NONE)
    }

    const ALL_MODES: [Mode; 14] = [
        Mode::Normal,
        Mode::Filter,
        Mode::Help,
        Mode::Form,
        Mode::FormInput,
        Mode::Preview,
        Mode::Prompt,
        Mode::Confirm,
        Mode::KindPick,
        Mode::RunPick,
        Mode::Welcome,
        Mode::Login,
        Mode::Doctor,
        Mode::Onboard,
    ];

    #[test]
    fn letters_are_commands_outside_the_filter_and_text_inside() {
        let k = Keymap::default();
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Msg::Quit)
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Char('q'))),
            Some(Msg::FilterInput('q'))
        );
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('j'))),
            Some(Msg::Down)
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Char('j'))),
            Some(Msg::FilterInput('j'))
        );
        assert_eq!(
            k.lookup(Mode::RunPick, key(KeyCode::Char('j'))),
            Some(Msg::RunInput('j'))
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Esc)),
            Some(Msg::FilterCancel)
        );
        assert_eq!(
            k.lookup(Mode::Filter, KeyEvent::new(KeyCode::Char('c'), CTRL)),
            Some(Msg::Quit)
        );
        assert_eq!(k.lookup(Mode::Normal, key(KeyCode::Char('z'))), None);
    }

    #[test]
    fn shift_on_characters_is_ignored() {
        let k = Keymap::default();
        let shifted = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT);
        assert_eq!(k.lookup(Mode::Normal, shifted('G')), Some(Msg::Bottom));
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('G'))),
            Some(Msg::Bottom)
        );
        assert_eq!(k.lookup(Mode::Normal, shifted('?')), Some(Msg::ToggleHelp));
        assert_eq!(
            k.lookup(
                Mode::Form,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Msg::FormUp)
        );
    }

    #[test]
    fn every_mode_has_help_and_no_binding_is_shadowed() {
        let k = Keymap::default();
        for mode in ALL_MODES {
            assert!(!k.help(mode).is_empty(), "{mode:?}");
        }
        for (i, b) in BINDINGS.iter().enumerate() {
            let first = BINDINGS
                .iter()
                .position(|o| o.mode == b.mode && o.code == b.code && o.modifiers == b.modifiers);
            assert_eq!(first, Some(i), "binding {} ({}) is shadowed", i, b.help);
            assert_eq!(
                b.mode == Mode::Normal,
                !b.action.is_empty(),
                "list bindings and only they have action names: {}",
                b.help
            );
        }
    }

    #[test]
    fn help_labels_come_from_the_keys() {
        let help = Keymap::default().help(Mode::Normal);
        assert_eq!(help[0], ("j ↓".to_string(), "next profile"));
        assert!(help.contains(&("q ^c".to_string(), "quit")));
        assert!(help.contains(&("PgDn ^f".to_string(), "a screen down")));
        let form = Keymap::default().help(Mode::Form);
        assert!(form.contains(&("h l ← →".to_string(), "cycle through choices")));
        assert!(form.contains(&("k ↑ S-Tab".to_string(), "previous field")));
    }
}
