//! Key bindings as data: one table maps (mode, key) to a message and also
//! generates the help screen. Single-letter commands act only outside the filter.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use super::model::{Mode, Model};
use super::update::Msg;

/// One binding.
pub struct Binding {
    /// Where it applies.
    pub mode: Mode,
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub modifiers: KeyModifiers,
    /// What it does.
    pub msg: fn() -> Msg,
    /// Its label in the help screen.
    pub keys: &'static str,
    /// Its description in the help screen.
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! bind {
    ($mode:ident, $code:expr, $mods:expr, $msg:expr, $keys:literal, $help:literal) => {
        Binding {
            mode: Mode::$mode,
            code: $code,
            modifiers: $mods,
            msg: || $msg,
            keys: $keys,
            help: $help,
        }
    };
}

/// Every binding; the first match wins.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind!(Normal, KeyCode::Char('j'), NONE, Msg::Down, "j ↓", "next profile"),
    bind!(Normal, KeyCode::Down, NONE, Msg::Down, "j ↓", "next profile"),
    bind!(Normal, KeyCode::Char('k'), NONE, Msg::Up, "k ↑", "previous profile"),
    bind!(Normal, KeyCode::Up, NONE, Msg::Up, "k ↑", "previous profile"),
    bind!(Normal, KeyCode::PageDown, NONE, Msg::PageDown, "PgDn ^f", "a screen down"),
    bind!(Normal, KeyCode::Char('f'), CTRL, Msg::PageDown, "PgDn ^f", "a screen down"),
    bind!(Normal, KeyCode::PageUp, NONE, Msg::PageUp, "PgUp ^b", "a screen up"),
    bind!(Normal, KeyCode::Char('b'), CTRL, Msg::PageUp, "PgUp ^b", "a screen up"),
    bind!(Normal, KeyCode::Char('g'), NONE, Msg::Top, "g Home", "first profile"),
    bind!(Normal, KeyCode::Home, NONE, Msg::Top, "g Home", "first profile"),
    bind!(Normal, KeyCode::Char('G'), NONE, Msg::Bottom, "G End", "last profile"),
    bind!(Normal, KeyCode::Char('G'), KeyModifiers::SHIFT, Msg::Bottom, "G End", "last profile"),
    bind!(Normal, KeyCode::End, NONE, Msg::Bottom, "G End", "last profile"),
    bind!(Normal, KeyCode::Char('/'), NONE, Msg::StartFilter, "/", "filter (fuzzy: names, accounts, roles, regions)"),
    bind!(Normal, KeyCode::Esc, NONE, Msg::FilterCancel, "Esc", "clear the filter"),
    bind!(Normal, KeyCode::Char('e'), NONE, Msg::OpenForm, "e Enter", "edit the profile"),
    bind!(Normal, KeyCode::Enter, NONE, Msg::OpenForm, "e Enter", "edit the profile"),
    bind!(Normal, KeyCode::Char('u'), NONE, Msg::Undo, "u", "undo the last save"),
    bind!(Normal, KeyCode::Char('n'), NONE, Msg::NewProfile, "n", "new profile"),
    bind!(Normal, KeyCode::Char('c'), NONE, Msg::CopyProfile, "c", "copy the profile"),
    bind!(Normal, KeyCode::Char('R'), NONE, Msg::RenameProfile, "R", "rename the profile"),
    bind!(Normal, KeyCode::Char('R'), KeyModifiers::SHIFT, Msg::RenameProfile, "R", "rename the profile"),
    bind!(Normal, KeyCode::Char('D'), NONE, Msg::DeleteProfile, "D Del", "delete the profile"),
    bind!(Normal, KeyCode::Char('D'), KeyModifiers::SHIFT, Msg::DeleteProfile, "D Del", "delete the profile"),
    bind!(Normal, KeyCode::Delete, NONE, Msg::DeleteProfile, "D Del", "delete the profile"),
    bind!(Normal, KeyCode::Char('s'), NONE, Msg::CycleSort, "s", "sort by name / kind"),
    bind!(Normal, KeyCode::Char('r'), NONE, Msg::Reload, "r", "re-read the files"),
    bind!(Normal, KeyCode::Char('?'), NONE, Msg::ToggleHelp, "?", "help"),
    bind!(Normal, KeyCode::Char('q'), NONE, Msg::Quit, "q ^c", "quit"),
    bind!(Normal, KeyCode::Char('c'), CTRL, Msg::Quit, "q ^c", "quit"),
    bind!(Filter, KeyCode::Enter, NONE, Msg::FilterAccept, "Enter", "keep the filter, back to the list"),
    bind!(Filter, KeyCode::Esc, NONE, Msg::FilterCancel, "Esc", "clear the filter, back to the list"),
    bind!(Filter, KeyCode::Backspace, NONE, Msg::FilterBackspace, "Backspace", "delete a character"),
    bind!(Filter, KeyCode::Down, NONE, Msg::Down, "↓ ↑", "move while filtering"),
    bind!(Filter, KeyCode::Up, NONE, Msg::Up, "↓ ↑", "move while filtering"),
    bind!(Filter, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(Form, KeyCode::Char('j'), NONE, Msg::FormDown, "j ↓ Tab", "next field"),
    bind!(Form, KeyCode::Down, NONE, Msg::FormDown, "j ↓ Tab", "next field"),
    bind!(Form, KeyCode::Tab, NONE, Msg::FormDown, "j ↓ Tab", "next field"),
    bind!(Form, KeyCode::Char('k'), NONE, Msg::FormUp, "k ↑ S-Tab", "previous field"),
    bind!(Form, KeyCode::Up, NONE, Msg::FormUp, "k ↑ S-Tab", "previous field"),
    bind!(Form, KeyCode::BackTab, KeyModifiers::SHIFT, Msg::FormUp, "k ↑ S-Tab", "previous field"),
    bind!(Form, KeyCode::Enter, NONE, Msg::FormStartTyping, "Enter i", "type into the field"),
    bind!(Form, KeyCode::Char('i'), NONE, Msg::FormStartTyping, "Enter i", "type into the field"),
    bind!(Form, KeyCode::Char('l'), NONE, Msg::FormCycle(true), "h l ← →", "cycle through choices"),
    bind!(Form, KeyCode::Right, NONE, Msg::FormCycle(true), "h l ← →", "cycle through choices"),
    bind!(Form, KeyCode::Char('h'), NONE, Msg::FormCycle(false), "h l ← →", "cycle through choices"),
    bind!(Form, KeyCode::Left, NONE, Msg::FormCycle(false), "h l ← →", "cycle through choices"),
    bind!(Form, KeyCode::Char('d'), NONE, Msg::FormClear, "d Del", "clear the field (removes the key)"),
    bind!(Form, KeyCode::Delete, NONE, Msg::FormClear, "d Del", "clear the field (removes the key)"),
    bind!(Form, KeyCode::Char('s'), NONE, Msg::FormSubmit, "s ^s", "check and preview the changes"),
    bind!(Form, KeyCode::Char('s'), CTRL, Msg::FormSubmit, "s ^s", "check and preview the changes"),
    bind!(Form, KeyCode::Esc, NONE, Msg::FormClose, "Esc q", "close without saving"),
    bind!(Form, KeyCode::Char('q'), NONE, Msg::FormClose, "Esc q", "close without saving"),
    bind!(Form, KeyCode::Char('?'), NONE, Msg::ToggleHelp, "?", "help"),
    bind!(Form, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(FormInput, KeyCode::Enter, NONE, Msg::FormStopTyping, "Enter", "keep the text"),
    bind!(FormInput, KeyCode::Esc, NONE, Msg::FormCancelTyping, "Esc", "undo the typing"),
    bind!(FormInput, KeyCode::Backspace, NONE, Msg::FormBackspace, "Backspace", "delete a character"),
    bind!(FormInput, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(Preview, KeyCode::Char('y'), NONE, Msg::FormConfirm, "y Enter", "save (atomic, with a backup)"),
    bind!(Preview, KeyCode::Enter, NONE, Msg::FormConfirm, "y Enter", "save (atomic, with a backup)"),
    bind!(Preview, KeyCode::Char('n'), NONE, Msg::FormBack, "n Esc", "back to the form"),
    bind!(Preview, KeyCode::Esc, NONE, Msg::FormBack, "n Esc", "back to the form"),
    bind!(Preview, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(Prompt, KeyCode::Enter, NONE, Msg::PromptSubmit, "Enter", "accept"),
    bind!(Prompt, KeyCode::Esc, NONE, Msg::PromptCancel, "Esc", "cancel"),
    bind!(Prompt, KeyCode::Backspace, NONE, Msg::PromptBackspace, "Backspace", "delete a character"),
    bind!(Prompt, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(Confirm, KeyCode::Char('y'), NONE, Msg::ConfirmYes, "y Enter", "yes"),
    bind!(Confirm, KeyCode::Enter, NONE, Msg::ConfirmYes, "y Enter", "yes"),
    bind!(Confirm, KeyCode::Char('n'), NONE, Msg::ConfirmNo, "n", "no (the alternative, if offered)"),
    bind!(Confirm, KeyCode::Esc, NONE, Msg::ConfirmCancel, "Esc q", "cancel"),
    bind!(Confirm, KeyCode::Char('q'), NONE, Msg::ConfirmCancel, "Esc q", "cancel"),
    bind!(Confirm, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(KindPick, KeyCode::Char('j'), NONE, Msg::KindMove(true), "j ↓ k ↑", "move"),
    bind!(KindPick, KeyCode::Down, NONE, Msg::KindMove(true), "j ↓ k ↑", "move"),
    bind!(KindPick, KeyCode::Char('k'), NONE, Msg::KindMove(false), "j ↓ k ↑", "move"),
    bind!(KindPick, KeyCode::Up, NONE, Msg::KindMove(false), "j ↓ k ↑", "move"),
    bind!(KindPick, KeyCode::Enter, NONE, Msg::KindChoose, "Enter", "choose"),
    bind!(KindPick, KeyCode::Esc, NONE, Msg::ConfirmCancel, "Esc", "cancel"),
    bind!(KindPick, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
    bind!(Help, KeyCode::Esc, NONE, Msg::ToggleHelp, "Esc ? q", "close help"),
    bind!(Help, KeyCode::Char('?'), NONE, Msg::ToggleHelp, "Esc ? q", "close help"),
    bind!(Help, KeyCode::Char('q'), NONE, Msg::ToggleHelp, "Esc ? q", "close help"),
    bind!(Help, KeyCode::Char('c'), CTRL, Msg::Quit, "^c", "quit"),
];

/// The message for a key in a mode, if any.
pub fn lookup(mode: Mode, key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let found = BINDINGS
        .iter()
        .find(|b| b.mode == mode && b.code == key.code && key.modifiers == b.modifiers);
    if let Some(b) = found {
        return Some((b.msg)());
    }
    match (mode, key.code) {
        (Mode::Filter, KeyCode::Char(c)) if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) => {
            Some(Msg::FilterInput(c))
        }
        (Mode::FormInput, KeyCode::Char(c))
            if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) =>
        {
            Some(Msg::FormInput(c))
        }
        (Mode::Prompt, KeyCode::Char(c)) if !key.modifiers.intersects(CTRL | KeyModifiers::ALT) => {
            Some(Msg::PromptInput(c))
        }
        _ => None,
    }
}

/// The message for a mouse event.
pub fn mouse(model: &Model, event: MouseEvent) -> Option<Msg> {
    match event.kind {
        MouseEventKind::ScrollDown => Some(Msg::Down),
        MouseEventKind::ScrollUp => Some(Msg::Up),
        MouseEventKind::Down(_) => model
            .areas
            .list_row_at(event.column, event.row)
            .map(Msg::ClickRow),
        _ => None,
    }
}

/// Help lines for a mode: (keys, description), duplicates folded.
pub fn help(mode: Mode) -> Vec<(&'static str, &'static str)> {
    let mut lines: Vec<(&str, &str)> = Vec::new();
    for b in BINDINGS.iter().filter(|b| b.mode == mode) {
        if !lines.iter().any(|(k, h)| *k == b.keys && *h == b.help) {
            lines.push((b.keys, b.help));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, NONE)
    }

    #[test]
    fn letters_are_commands_outside_the_filter_and_text_inside() {
        assert_eq!(
            lookup(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Msg::Quit)
        );
        assert_eq!(
            lookup(Mode::Filter, key(KeyCode::Char('q'))),
            Some(Msg::FilterInput('q'))
        );
        assert_eq!(
            lookup(Mode::Normal, key(KeyCode::Char('j'))),
            Some(Msg::Down)
        );
        assert_eq!(
            lookup(Mode::Filter, key(KeyCode::Char('j'))),
            Some(Msg::FilterInput('j'))
        );
        assert_eq!(
            lookup(Mode::Filter, key(KeyCode::Esc)),
            Some(Msg::FilterCancel)
        );
        assert_eq!(
            lookup(Mode::Filter, KeyEvent::new(KeyCode::Char('c'), CTRL)),
            Some(Msg::Quit)
        );
        assert_eq!(lookup(Mode::Normal, key(KeyCode::Char('x'))), None);
    }

    #[test]
    fn every_mode_has_help_and_no_binding_is_shadowed() {
        for mode in [
            Mode::Normal,
            Mode::Filter,
            Mode::Help,
            Mode::Form,
            Mode::FormInput,
            Mode::Preview,
            Mode::Prompt,
            Mode::Confirm,
            Mode::KindPick,
        ] {
            assert!(!help(mode).is_empty());
        }
        for (i, b) in BINDINGS.iter().enumerate() {
            let first = BINDINGS
                .iter()
                .position(|o| o.mode == b.mode && o.code == b.code && o.modifiers == b.modifiers);
            assert_eq!(first, Some(i), "binding {} ({}) is shadowed", i, b.help);
        }
    }
}
