//! Keys as text: reading a key the way the settings file writes it
//! (`ctrl-x`, `^x`, `alt-x`, `enter`, `f5`, …) and writing a key the way help and
//! hints show it (`^x`, `M-x`, `Enter`, `↓`). Knows nothing of bindings or modes.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{CTRL, NONE};

/// Reads a key as the settings file writes it: `x`, `E`, `ctrl-x` (or `^x`,
/// `c-x`), `alt-x`, or a name: `enter`, `esc`, `tab`, `backspace`, `delete`,
/// `insert`, `home`, `end`, `pageup`, `pagedown`, `up`, `down`, `left`, `right`,
/// `space`, `f1`…`f12`.
pub fn parse_key(text: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let lower = text.to_ascii_lowercase();
    let (modifiers, rest) = if let Some(r) = text.strip_prefix('^').filter(|r| !r.is_empty()) {
        (CTRL, r)
    } else if let Some(i) = ["ctrl-", "ctrl+", "c-"]
        .iter()
        .find(|p| lower.starts_with(**p) && text.len() > p.len())
    {
        (CTRL, &text[i.len()..])
    } else if let Some(i) = ["alt-", "alt+", "m-"]
        .iter()
        .find(|p| lower.starts_with(**p) && text.len() > p.len())
    {
        (KeyModifiers::ALT, &text[i.len()..])
    } else {
        (NONE, text)
    };
    let mut chars = rest.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() || c == ' ' {
            return Err("not a key; write space, tab, … by name".to_string());
        }
        // Terminals send ctrl with the lowercase letter.
        let c = if modifiers == CTRL {
            c.to_ascii_lowercase()
        } else {
            c
        };
        return Ok((KeyCode::Char(c), modifiers));
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "space" => KeyCode::Char(' '),
        f if f.starts_with('f') && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) => {
            KeyCode::F(f[1..].parse().unwrap_or(1))
        }
        _ => {
            return Err(
                "not a key (write one character like x or E, ctrl-x, alt-x, or a name like enter, tab, f5)"
                    .to_string(),
            );
        }
    };
    Ok((code, modifiers))
}

/// How a key is written in help and hints: `x`, `^x`, `M-x`, `Enter`, `↓`, `S-Tab`.
pub fn key_label(code: KeyCode, modifiers: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".to_string(),
        KeyCode::Esc => "Esc".to_string(),
        KeyCode::Tab => "Tab".to_string(),
        KeyCode::BackTab => return "S-Tab".to_string(),
        KeyCode::Backspace => "Backspace".to_string(),
        KeyCode::Delete => "Del".to_string(),
        KeyCode::Insert => "Ins".to_string(),
        KeyCode::Home => "Home".to_string(),
        KeyCode::End => "End".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Up => "↑".to_string(),
        KeyCode::Down => "↓".to_string(),
        KeyCode::Left => "←".to_string(),
        KeyCode::Right => "→".to_string(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    if modifiers.contains(CTRL) {
        format!("^{base}")
    } else if modifiers.contains(KeyModifiers::ALT) {
        format!("M-{base}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_and_print() {
        let cases = [
            ("x", KeyCode::Char('x'), NONE, "x"),
            ("E", KeyCode::Char('E'), NONE, "E"),
            ("^x", KeyCode::Char('x'), CTRL, "^x"),
            ("Ctrl-X", KeyCode::Char('x'), CTRL, "^x"),
            ("alt-x", KeyCode::Char('x'), KeyModifiers::ALT, "M-x"),
            ("enter", KeyCode::Enter, NONE, "Enter"),
            ("PgDn", KeyCode::PageDown, NONE, "PgDn"),
            ("f5", KeyCode::F(5), NONE, "F5"),
            ("space", KeyCode::Char(' '), NONE, "Space"),
            ("^", KeyCode::Char('^'), NONE, "^"),
        ];
        for (text, code, mods, label) in cases {
            assert_eq!(parse_key(text), Ok((code, mods)), "{text}");
            assert_eq!(key_label(code, mods), label);
        }
        for bad in ["", " ", "f13", "shift", "ctrl-"] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }
}
