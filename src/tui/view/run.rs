//! Drawing the "run a command with this profile" picker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::super::model::Model;
use super::super::run::RunPick;
use super::popup;

/// Draws the picker centred on `screen`.
pub fn render(model: &Model, pick: &RunPick, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let saved = &model.commands;
    let mut lines: Vec<Line> = Vec::new();
    if saved.is_empty() {
        lines.push(Line::styled(
            "No saved commands yet: type one; it is remembered for next time.",
            theme.dim,
        ));
    }
    for (i, command) in saved.iter().enumerate() {
        if i == pick.selected {
            lines.push(Line::styled(format!("▶ {command}"), theme.selected));
        } else {
            lines.push(Line::raw(format!("  {command}")));
        }
    }
    let typing = pick.typing(saved);
    let marker = if typing { "▶ $ " } else { "  $ " };
    let mut typed = vec![Span::styled(
        marker,
        if typing { theme.selected } else { theme.dim },
    )];
    if typing {
        typed.extend(super::input::focused(&pick.typed, theme));
    } else {
        typed.push(super::input::unfocused(&pick.typed));
    }
    if pick.typed.text().is_empty() {
        typed.push(Span::styled("type a new command", theme.dim));
    }
    lines.push(Line::from(typed));
    if let Some(e) = &pick.error {
        lines.push(Line::styled(e.clone(), theme.error));
    }
    lines.push(Line::raw(""));
    if !pick.targets.is_empty() {
        lines.push(Line::styled(
            format!(
                "Runs in your shell in each of the {} marked profiles at once, in the background, as `rolecall exec --each` does (credentials from rolecall; no MFA codes or SSO logins are asked); the results show as they come.",
                pick.targets.len()
            ),
            theme.dim,
        ));
    } else {
        lines.push(Line::styled(
            format!(
                "Runs in your shell with AWS_PROFILE={} and no AWS keys from the environment; the screen comes back when you press Enter.",
                pick.profile
            ),
            theme.dim,
        ));
    }
    if model.demo {
        lines.push(Line::styled(
            format!(
                "{} is a profile from the bundled demo: your AWS tools will not find it.",
                pick.profile
            ),
            theme.warning,
        ));
    }
    lines.push(Line::styled(
        "↑ ↓ choose · type a new one · Enter run · Esc cancel",
        theme.dim,
    ));
    popup(
        model,
        frame,
        screen,
        (
            &if pick.targets.is_empty() {
                format!(" Run with {} ", pick.profile)
            } else {
                format!(" Run in {} marked profiles ", pick.targets.len())
            },
            8,
            90,
        ),
        lines,
    );
}
