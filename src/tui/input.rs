//! The one text field every place that takes typing uses (the filter, form
//! fields, name prompts, the run picker's command line, the SSO setup's
//! questions and filters): the text, a cursor, a "whole text selected" state
//! for prefilled values (the first keystroke replaces them), and masking for
//! secrets. [`Edit`] is what a key or a paste does to it; `keymap::text_edit`
//! maps keys to edits and `view::input` draws a field. Pure data, no terminal.

/// A change to a field, from a key or a paste. Its `Debug` hides typed text, so
/// a secret being entered never reaches a log or a panic message.
#[derive(Clone, PartialEq, Eq)]
pub enum Edit {
    /// A character typed at the cursor.
    Insert(char),
    /// Pasted text (bracketed paste); line breaks and control characters dropped.
    Paste(String),
    /// One character left.
    Left,
    /// One character right.
    Right,
    /// To the start of the word before the cursor (`M-←`, `^←`, `M-b`).
    WordLeft,
    /// To the end of the word after the cursor (`M-→`, `^→`, `M-f`).
    WordRight,
    /// To the start (`Home`, `^a`).
    Home,
    /// To the end (`End`, `^e`).
    End,
    /// Delete the character before the cursor.
    Backspace,
    /// Delete the character under the cursor.
    Delete,
    /// Delete from the start to the cursor (`^u`).
    DeleteToStart,
    /// Delete from the cursor to the end (`^k`).
    DeleteToEnd,
    /// Delete the word before the cursor (`^w`, `M-Backspace`).
    DeleteWordBefore,
    /// Show a masked field's text, or mask it again (`^r`).
    ToggleReveal,
}

impl std::fmt::Debug for Edit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Edit::Insert(_) => f.write_str("Insert(<redacted>)"),
            Edit::Paste(s) => write!(f, "Paste(<{} chars>)", s.chars().count()),
            Edit::Left => f.write_str("Left"),
            Edit::Right => f.write_str("Right"),
            Edit::WordLeft => f.write_str("WordLeft"),
            Edit::WordRight => f.write_str("WordRight"),
            Edit::Home => f.write_str("Home"),
            Edit::End => f.write_str("End"),
            Edit::Backspace => f.write_str("Backspace"),
            Edit::Delete => f.write_str("Delete"),
            Edit::DeleteToStart => f.write_str("DeleteToStart"),
            Edit::DeleteToEnd => f.write_str("DeleteToEnd"),
            Edit::DeleteWordBefore => f.write_str("DeleteWordBefore"),
            Edit::ToggleReveal => f.write_str("ToggleReveal"),
        }
    }
}

/// A one-line text field. `cursor` counts characters, not bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    cursor: usize,
    selected: bool,
    masked: bool,
    /// A masked field shown as typed, at the user's request (`^r`).
    revealed: bool,
}

impl std::fmt::Debug for TextInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut d = f.debug_struct("TextInput");
        if self.masked {
            d.field("text", &format_args!("<redacted>"));
        } else {
            d.field("text", &self.text);
        }
        d.field("cursor", &self.cursor)
            .field("selected", &self.selected)
            .field("masked", &self.masked)
            .field("revealed", &self.revealed)
            .finish()
    }
}

/// Word characters for word jumps and `^w`: letters and digits. An ARN's
/// `:` and `/` or a URL's `.` end a word, so `^w` takes off one part at a time.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

impl TextInput {
    /// An empty field.
    pub fn new() -> TextInput {
        TextInput::default()
    }

    /// A field holding `text`, the cursor at its end.
    pub fn with_text(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
            selected: false,
            masked: false,
            revealed: false,
        }
    }

    /// A field holding a suggested `text`, all of it selected: typing or pasting
    /// replaces it, Backspace or Delete empty it, a cursor key keeps it.
    pub fn prefilled(text: &str) -> TextInput {
        TextInput {
            selected: !text.is_empty(),
            ..TextInput::with_text(text)
        }
    }

    /// The same field, shown as `•` (for secrets).
    pub fn masked(mut self, masked: bool) -> TextInput {
        self.masked = masked;
        self
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, in characters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether the whole text is selected (a prefilled value not yet touched).
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Whether the field is shown masked.
    pub fn is_masked(&self) -> bool {
        self.masked
    }

    /// Replaces the text, the cursor at its end.
    pub fn set_text(&mut self, text: &str) {
        *self = TextInput::with_text(text).masked(self.masked);
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.set_text("");
    }

    /// The text as shown: `•` for each character when masked (and not
    /// revealed with `^r`).
    pub fn shown(&self) -> String {
        if self.masked && !self.revealed {
            "•".repeat(self.text.chars().count())
        } else {
            self.text.clone()
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_index)
            .map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.chars().count()
    }

    fn remove(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte(from), self.byte(to));
        self.text.replace_range(a..b, "");
        self.cursor = from;
    }

    fn insert(&mut self, s: &str) {
        let at = self.byte(self.cursor);
        self.text.insert_str(at, s);
        self.cursor += s.chars().count();
    }

    fn word_start_before(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i > 0 && !is_word(chars[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(chars[i - 1]) {
            i -= 1;
        }
        i
    }

    fn word_end_after(&self) -> usize {
        let chars: Vec<char> = self.text.chars().collect();
        let mut i = self.cursor;
        while i < chars.len() && !is_word(chars[i]) {
            i += 1;
        }
        while i < chars.len() && is_word(chars[i]) {
            i += 1;
        }
        i
    }

    /// Applies `edit`; returns whether the text changed.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let before = self.text.clone();
        let selected = std::mem::take(&mut self.selected);
        let replaces = matches!(
            edit,
            Edit::Insert(_)
                | Edit::Paste(_)
                | Edit::Backspace
                | Edit::Delete
                | Edit::DeleteToStart
                | Edit::DeleteToEnd
                | Edit::DeleteWordBefore
        );
        if selected && replaces {
            self.text.clear();
            self.cursor = 0;
        }
        match edit {
            Edit::Insert(c) if !c.is_control() => self.insert(c.encode_utf8(&mut [0; 4])),
            Edit::Insert(_) => {}
            Edit::Paste(s) => {
                let clean: String = s.chars().filter(|c| !c.is_control()).collect();
                self.insert(&clean);
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(self.len()),
            Edit::WordLeft => self.cursor = self.word_start_before(),
            Edit::WordRight => self.cursor = self.word_end_after(),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = self.len(),
            Edit::Backspace if selected => {}
            Edit::Backspace => {
                if self.cursor > 0 {
                    self.remove(self.cursor - 1, self.cursor);
                }
            }
            Edit::Delete if selected => {}
            Edit::Delete => {
                if self.cursor < self.len() {
                    self.remove(self.cursor, self.cursor + 1);
                }
            }
            Edit::DeleteToStart => self.remove(0, self.cursor),
            Edit::DeleteToEnd => self.remove(self.cursor, self.len()),
            Edit::DeleteWordBefore => self.remove(self.word_start_before(), self.cursor),
            Edit::ToggleReveal => {
                // Keeps a prefilled value's selection: revealing it is not editing it.
                self.selected = selected;
                self.revealed = self.masked && !self.revealed;
            }
        }
        self.text != before
    }
}

#[cfg(test)]
mod tests {
    use super::Edit::*;
    use super::*;

    fn typed(input: &mut TextInput, text: &str) {
        for c in text.chars() {
            input.apply(Insert(c));
        }
    }

    /// The text with `|` at the cursor.
    fn at(input: &TextInput) -> String {
        let mut s = input.text().to_string();
        s.insert(input.byte(input.cursor()), '|');
        s
    }

    #[test]
    fn typing_goes_to_the_cursor_and_home_end_move_it() {
        // The steps: "...DeployerX", Home, "Y" gives "Y...DeployerX".
        let mut i = TextInput::with_text("arn:aws:iam::1:role/DeployerX");
        i.apply(Home);
        typed(&mut i, "Y");
        assert_eq!(at(&i), "Y|arn:aws:iam::1:role/DeployerX");
        i.apply(End);
        i.apply(Left);
        i.apply(Backspace);
        assert_eq!(at(&i), "Yarn:aws:iam::1:role/Deploye|X");
        i.apply(Delete);
        assert_eq!(at(&i), "Yarn:aws:iam::1:role/Deploye|");
        i.apply(Delete);
        assert_eq!(at(&i), "Yarn:aws:iam::1:role/Deploye|", "Delete at the end");
        i.apply(Home);
        i.apply(Backspace);
        i.apply(Delete);
        assert_eq!(at(&i), "|arn:aws:iam::1:role/Deploye");
        i.apply(Left);
        assert_eq!(i.cursor(), 0);
        i.apply(Right);
        assert_eq!(at(&i), "a|rn:aws:iam::1:role/Deploye");
    }

    #[test]
    fn words_jump_and_delete_one_part_at_a_time() {
        let mut i = TextInput::with_text("arn:aws:iam::123:role/Dev");
        i.apply(WordLeft);
        assert_eq!(at(&i), "arn:aws:iam::123:role/|Dev");
        i.apply(WordLeft);
        assert_eq!(at(&i), "arn:aws:iam::123:|role/Dev");
        i.apply(WordRight);
        assert_eq!(at(&i), "arn:aws:iam::123:role|/Dev");
        i.apply(End);
        i.apply(DeleteWordBefore);
        assert_eq!(at(&i), "arn:aws:iam::123:role/|");
        i.apply(DeleteWordBefore);
        assert_eq!(at(&i), "arn:aws:iam::123:|");
        i.apply(WordLeft);
        i.apply(WordLeft);
        assert_eq!(at(&i), "arn:aws:|iam::123:");
        i.apply(DeleteToEnd);
        assert_eq!(at(&i), "arn:aws:|");
        i.apply(Left);
        i.apply(DeleteToStart);
        assert_eq!(at(&i), "|:");
    }

    #[test]
    fn a_prefilled_value_is_replaced_by_the_first_keystroke() {
        // The issue: typing into the region "us-east-1" gave "us-east-1us-east-1".
        let mut i = TextInput::prefilled("us-east-1");
        assert!(i.is_selected());
        typed(&mut i, "eu-west-1");
        assert_eq!(at(&i), "eu-west-1|");
        let mut p = TextInput::prefilled("us-east-1");
        p.apply(Paste("ap-south-1\n".into()));
        assert_eq!(at(&p), "ap-south-1|");
        let mut b = TextInput::prefilled("us-east-1");
        assert!(b.apply(Backspace));
        assert_eq!(at(&b), "|");
        // A cursor key keeps the value and ends the selection.
        let mut k = TextInput::prefilled("us-east-1");
        k.apply(Home);
        assert!(!k.is_selected());
        typed(&mut k, "x");
        assert_eq!(at(&k), "x|us-east-1");
    }

    #[test]
    fn paste_inserts_at_the_cursor_without_line_breaks() {
        let mut i = TextInput::with_text("ab");
        i.apply(Left);
        assert!(i.apply(Paste("X\r\nY\tZ".into())));
        assert_eq!(at(&i), "aXYZ|b");
        assert!(
            !i.apply(Insert('\u{7}')),
            "control characters are not typed"
        );
    }

    #[test]
    fn multibyte_characters_count_as_one() {
        let mut i = TextInput::with_text("héllo");
        i.apply(Left);
        i.apply(Left);
        i.apply(Left);
        i.apply(Backspace);
        assert_eq!(at(&i), "h|llo");
        typed(&mut i, "é");
        assert_eq!(at(&i), "hé|llo");
    }

    #[test]
    fn a_masked_field_hides_its_text_on_screen_and_in_debug() {
        let mut i = TextInput::new().masked(true);
        typed(&mut i, "hunter2");
        assert_eq!(i.shown(), "•••••••");
        assert_eq!(i.text(), "hunter2");
        assert!(!format!("{i:?}").contains("hunter2"));
        assert!(!format!("{:?}", Insert('h')).contains('h'));
        assert!(!format!("{:?}", Paste("hunter2".into())).contains("hunter2"));
        assert!(format!("{:?}", TextInput::with_text("visible")).contains("visible"));
    }

    #[test]
    fn ctrl_r_reveals_a_masked_field_on_screen_only_until_pressed_again() {
        let mut i = TextInput::prefilled("hunter2").masked(true);
        assert!(!i.apply(ToggleReveal), "revealing is not an edit");
        assert_eq!(i.shown(), "hunter2");
        assert!(i.is_selected(), "a prefilled value stays selected");
        assert!(
            !format!("{i:?}").contains("hunter2"),
            "never in debug output"
        );
        i.apply(ToggleReveal);
        assert_eq!(i.shown(), "•••••••");
        i.apply(ToggleReveal);
        i.set_text("new");
        assert_eq!(i.shown(), "•••", "a new value is masked again");
        let mut plain = TextInput::with_text("x");
        plain.apply(ToggleReveal);
        assert_eq!(plain.shown(), "x");
        assert!(!format!("{plain:?}").contains("revealed: true"));
    }
}
