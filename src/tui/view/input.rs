//! Drawing a text field ([`TextInput`]): its text (masked as `•` for secrets),
//! the cursor as a reversed cell, and a prefilled value not yet touched shown
//! selected, so it is clear the first key replaces it.

use ratatui::style::{Modifier, Style};
use ratatui::text::Span;

use super::Theme;
use crate::tui::input::TextInput;

/// The cursor: the cell under it reversed.
const CURSOR: Style = Style::new().add_modifier(Modifier::REVERSED);

/// The spans of a field with the keyboard in it.
pub fn focused(input: &TextInput, theme: &Theme) -> Vec<Span<'static>> {
    let shown: Vec<char> = input.shown().chars().collect();
    if input.is_selected() {
        return vec![
            Span::styled(shown.iter().collect::<String>(), theme.selected),
            Span::styled(" ", CURSOR),
        ];
    }
    let at = input.cursor().min(shown.len());
    let before: String = shown[..at].iter().collect();
    let under = shown.get(at).map_or(" ".to_string(), |c| c.to_string());
    let after: String = shown.get(at + 1..).unwrap_or_default().iter().collect();
    vec![
        Span::raw(before),
        Span::styled(under, CURSOR),
        Span::raw(after),
    ]
}

/// The field's text when the keyboard is elsewhere.
pub fn unfocused(input: &TextInput) -> Span<'static> {
    Span::raw(input.shown())
}
