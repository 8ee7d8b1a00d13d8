//! Drawing the SSO login: the session and which flow runs; for the device code
//! the code in large letters (it is what the user compares with the browser),
//! for PKCE the page only; and how to cancel.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::super::model::{LoginView, Model};
use super::popup;

/// Five rows per glyph, three columns wide; unknown characters are blank.
fn glyph(c: char) -> [&'static str; 5] {
    match c.to_ascii_uppercase() {
        'A' => ["▄█▄", "█ █", "███", "█ █", "█ █"],
        'B' => ["██▄", "█ █", "██▄", "█ █", "██▀"],
        'C' => ["▄██", "█  ", "█  ", "█  ", "▀██"],
        'D' => ["██▄", "█ █", "█ █", "█ █", "██▀"],
        'E' => ["███", "█  ", "██ ", "█  ", "███"],
        'F' => ["███", "█  ", "██ ", "█  ", "█  "],
        'G' => ["▄██", "█  ", "█ █", "█ █", "▀██"],
        'H' => ["█ █", "█ █", "███", "█ █", "█ █"],
        'I' => ["███", " █ ", " █ ", " █ ", "███"],
        'J' => ["  █", "  █", "  █", "█ █", "▀█▀"],
        'K' => ["█ █", "█▄▀", "██ ", "█▀▄", "█ █"],
        'L' => ["█  ", "█  ", "█  ", "█  ", "███"],
        'M' => ["█ █", "███", "███", "█ █", "█ █"],
        'N' => ["█▄ ", "███", "█▀█", "█ █", "█ █"],
        'O' => ["▄█▄", "█ █", "█ █", "█ █", "▀█▀"],
        'P' => ["██▄", "█ █", "██▀", "█  ", "█  "],
        'Q' => ["▄█▄", "█ █", "█ █", "█▄█", "▀██"],
        'R' => ["██▄", "█ █", "██▀", "█▀▄", "█ █"],
        'S' => ["▄██", "█  ", "▀█▄", "  █", "██▀"],
        'T' => ["███", " █ ", " █ ", " █ ", " █ "],
        'U' => ["█ █", "█ █", "█ █", "█ █", "▀█▀"],
        'V' => ["█ █", "█ █", "█ █", "▀█▀", " ▀ "],
        'W' => ["█ █", "█ █", "███", "███", "█ █"],
        'X' => ["█ █", "▀▄▀", " █ ", "▄▀▄", "█ █"],
        'Y' => ["█ █", "█ █", "▀█▀", " █ ", " █ "],
        'Z' => ["███", "  █", " █ ", "█  ", "███"],
        '0' => ["▄█▄", "█ █", "█ █", "█ █", "▀█▀"],
        '1' => ["▄█ ", " █ ", " █ ", " █ ", "███"],
        '2' => ["██▄", "  █", "▄█▀", "█  ", "███"],
        '3' => ["██▄", "  █", " █▄", "  █", "██▀"],
        '4' => ["█ █", "█ █", "███", "  █", "  █"],
        '5' => ["███", "█  ", "██▄", "  █", "██▀"],
        '6' => ["▄██", "█  ", "██▄", "█ █", "▀█▀"],
        '7' => ["███", "  █", " █ ", " █ ", " █ "],
        '8' => ["▄█▄", "█ █", "▄█▄", "█ █", "▀█▀"],
        '9' => ["▄█▄", "█ █", "▀██", "  █", "██▀"],
        '-' => ["   ", "   ", "▄▄▄", "   ", "   "],
        _ => ["   "; 5],
    }
}

/// `text` in large letters: five lines.
pub fn big(text: &str) -> Vec<String> {
    (0..5)
        .map(|row| {
            text.chars()
                .map(|c| glyph(c)[row])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Draws the login dialog centred on `screen`.
pub fn render(model: &Model, view: &LoginView, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let mut lines = vec![
        Line::raw(format!("Signing in to {}.", view.label)),
        Line::raw(""),
    ];
    match &view.prompt {
        None => lines.push(Line::styled("Contacting IAM Identity Center…", theme.dim)),
        // PKCE: no code; the browser comes back to rolecall by itself.
        Some(p) if p.user_code.is_empty() => {
            lines.push(Line::raw(
                "Authorization code with PKCE: allow access in your browser; it returns here by itself.",
            ));
            lines.push(Line::raw("If no browser opened, open this page:"));
            lines.push(Line::styled(
                p.verification_uri_complete.clone(),
                theme.matched,
            ));
        }
        Some(p) => {
            lines.push(Line::raw(
                "Device code: confirm this code on the sign-in page.",
            ));
            lines.push(Line::raw(if view.browser_opened {
                "Your browser is open on the sign-in page. Check that it shows this code, then allow access:"
            } else {
                "Open this page in a browser, check that it shows this code, then allow access:"
            }));
            lines.push(Line::styled(
                p.verification_uri_complete.clone(),
                theme.matched,
            ));
            lines.push(Line::raw(""));
            for row in big(&p.user_code) {
                lines.push(Line::styled(format!("  {row}"), theme.selected));
            }
            lines.push(Line::raw(""));
            lines.push(Line::raw(format!("  {}", p.user_code)));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "Waiting for you to allow access · Esc cancels",
        theme.dim,
    ));
    popup(model, frame, screen, (" SSO login ", 8, 80), lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_letters_are_five_rows_of_even_width() {
        let rows = big("ABCD-EFGH");
        assert_eq!(rows.len(), 5);
        assert!(rows.iter().all(|r| r.chars().count() == 9 * 3 + 8));
        // Every letter and digit a user code can hold has a glyph.
        for c in ('A'..='Z').chain('0'..='9') {
            assert_ne!(glyph(c), ["   "; 5], "{c}");
        }
    }
}
