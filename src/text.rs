//! Fitting text into columns, at any length.
//!
//! The standard formatter panics at a width of 65,536 or more (`{:w$}`), and a
//! name, key or value of that length is a valid line of an AWS file; these
//! helpers pad by counting characters instead, with saturating arithmetic, and
//! cut what a terminal cannot show with `…`. Pure.

use std::borrow::Cow;

/// `s` followed by spaces up to `width` characters (as is when already that long).
pub fn pad(s: &str, width: usize) -> String {
    let len = s.chars().count();
    let mut out = String::with_capacity(s.len().saturating_add(width.saturating_sub(len)));
    out.push_str(s);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(len)));
    out
}

/// `s` cut to at most `max` characters, the last one `…` when something was cut.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some(_) if max == 0 => Cow::Borrowed(""),
        Some(_) => {
            let end = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &s[..end]))
        }
    }
}

/// [`cut`] to `max`, then [`pad`] to `max`: exactly `max` characters.
pub fn fit(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)));
    push_fit(&mut out, s, max);
    out
}

/// [`fit`], appended to `out` (a table's rows reuse one line's buffer).
pub fn push_fit(out: &mut String, s: &str, max: usize) {
    let shown = match s.char_indices().nth(max) {
        None => {
            out.push_str(s);
            s.chars().count()
        }
        Some(_) if max == 0 => 0,
        Some(_) => {
            let end = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
            out.push_str(&s[..end]);
            out.push('…');
            max
        }
    };
    out.extend(std::iter::repeat_n(' ', max.saturating_sub(shown)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_and_cuts_by_characters_at_any_length() {
        assert_eq!(pad("ab", 4), "ab  ");
        assert_eq!(pad("abcdef", 4), "abcdef");
        assert_eq!(pad("é", 2), "é ");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abcd", 4), "abcd");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(fit("ab", 3), "ab ");
        assert_eq!(fit("éèêë", 3), "éè…");
        assert_eq!(fit("", 0), "");
        assert_eq!(fit("ab", 0), "");
        let mut line = String::from("> ");
        push_fit(&mut line, "abcdef", 4);
        push_fit(&mut line, "é", 2);
        assert_eq!(line, "> abc…é ");
        let huge = "x".repeat(70_000);
        assert_eq!(pad(&huge, 100_000).chars().count(), 100_000);
        assert_eq!(cut(&huge, 60).chars().count(), 60);
    }
}
