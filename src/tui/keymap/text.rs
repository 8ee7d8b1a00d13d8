//! The keys of a text field, as data: the same table maps keys to [`Edit`]s
//! in every mode that takes typing and gives help its "Editing text" lines.
//! A key bound in the mode's own table (Enter, Esc, ↑ in the filter…) wins.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{CTRL, NONE};
use crate::tui::input::Edit;

const ALT: KeyModifiers = KeyModifiers::ALT;

/// One text key: the key, its modifiers, the edit and its help line.
pub struct TextKey {
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub modifiers: KeyModifiers,
    /// What it does.
    pub edit: fn() -> Edit,
    /// Its help line (keys with the same one share it).
    pub help: &'static str,
}

macro_rules! text {
    ($code:expr, $mods:expr, $edit:expr, $help:literal) => {
        TextKey {
            code: $code,
            modifiers: $mods,
            edit: || $edit,
            help: $help,
        }
    };
}

/// Every text key.
#[rustfmt::skip]
pub const TEXT_KEYS: &[TextKey] = &[
    text!(KeyCode::Left, NONE, Edit::Left, "move the cursor"),
    text!(KeyCode::Right, NONE, Edit::Right, "move the cursor"),
    text!(KeyCode::Home, NONE, Edit::Home, "to the start"),
    text!(KeyCode::Char('a'), CTRL, Edit::Home, "to the start"),
    text!(KeyCode::End, NONE, Edit::End, "to the end"),
    text!(KeyCode::Char('e'), CTRL, Edit::End, "to the end"),
    text!(KeyCode::Left, ALT, Edit::WordLeft, "a word left"),
    text!(KeyCode::Left, CTRL, Edit::WordLeft, "a word left"),
    text!(KeyCode::Char('b'), ALT, Edit::WordLeft, "a word left"),
    text!(KeyCode::Right, ALT, Edit::WordRight, "a word right"),
    text!(KeyCode::Right, CTRL, Edit::WordRight, "a word right"),
    text!(KeyCode::Char('f'), ALT, Edit::WordRight, "a word right"),
    text!(KeyCode::Backspace, NONE, Edit::Backspace, "delete before the cursor"),
    text!(KeyCode::Char('h'), CTRL, Edit::Backspace, "delete before the cursor"),
    text!(KeyCode::Delete, NONE, Edit::Delete, "delete under the cursor"),
    text!(KeyCode::Char('d'), CTRL, Edit::Delete, "delete under the cursor"),
    text!(KeyCode::Char('u'), CTRL, Edit::DeleteToStart, "delete to the start"),
    text!(KeyCode::Char('k'), CTRL, Edit::DeleteToEnd, "delete to the end"),
    text!(KeyCode::Char('w'), CTRL, Edit::DeleteWordBefore, "delete the word before"),
    text!(KeyCode::Backspace, ALT, Edit::DeleteWordBefore, "delete the word before"),
    text!(KeyCode::Char('r'), CTRL, Edit::ToggleReveal, "show or hide a secret as typed"),
];

/// The edit a key makes in a text field: a table key, or a character typed.
pub fn text_edit(key: KeyEvent) -> Option<Edit> {
    let mut modifiers = key.modifiers;
    if matches!(key.code, KeyCode::Char(_)) {
        modifiers.remove(KeyModifiers::SHIFT);
    }
    if let Some(k) = TEXT_KEYS
        .iter()
        .find(|k| k.code == key.code && k.modifiers == modifiers)
    {
        return Some((k.edit)());
    }
    match key.code {
        KeyCode::Char(c) if !modifiers.intersects(CTRL | ALT) => Some(Edit::Insert(c)),
        _ => None,
    }
}

/// Help lines for text fields: (keys, description).
pub fn text_help() -> Vec<(String, &'static str)> {
    let mut lines: Vec<(String, &'static str)> = Vec::new();
    for k in TEXT_KEYS {
        let label = super::key_label(k.code, k.modifiers);
        match lines.iter_mut().find(|(_, h)| *h == k.help) {
            Some((keys, _)) => {
                keys.push(' ');
                keys.push_str(&label);
            }
            None => lines.push((label, k.help)),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readline_keys_edit_and_characters_type() {
        let k = |code, mods| text_edit(KeyEvent::new(code, mods));
        assert_eq!(k(KeyCode::Char('a'), CTRL), Some(Edit::Home));
        assert_eq!(k(KeyCode::Char('e'), CTRL), Some(Edit::End));
        assert_eq!(k(KeyCode::Char('u'), CTRL), Some(Edit::DeleteToStart));
        assert_eq!(k(KeyCode::Char('k'), CTRL), Some(Edit::DeleteToEnd));
        assert_eq!(k(KeyCode::Char('w'), CTRL), Some(Edit::DeleteWordBefore));
        assert_eq!(k(KeyCode::Left, ALT), Some(Edit::WordLeft));
        assert_eq!(k(KeyCode::Right, CTRL), Some(Edit::WordRight));
        assert_eq!(k(KeyCode::Home, NONE), Some(Edit::Home));
        assert_eq!(
            k(KeyCode::Char('A'), KeyModifiers::SHIFT),
            Some(Edit::Insert('A'))
        );
        assert_eq!(k(KeyCode::Char('x'), CTRL), None);
        assert_eq!(k(KeyCode::F(5), NONE), None);
        let help = text_help();
        assert!(help.contains(&("Home ^a".to_string(), "to the start")));
        assert!(help.contains(&("M-← ^← M-b".to_string(), "a word left")));
    }
}
