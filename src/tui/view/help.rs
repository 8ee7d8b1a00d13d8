//! The help overlay, generated from the keymap table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::keymap::help;
use super::super::model::{Mode, Model};
use super::block;

/// Draws help centred on `screen`.
pub fn render(model: &Model, frame: &mut Frame, screen: Rect) {
    let mut lines = Vec::new();
    for (title, mode) in [
        ("In the list", Mode::Normal),
        ("While filtering", Mode::Filter),
    ] {
        lines.push(Line::styled(title, model.theme.title));
        for (keys, what) in help(mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:10}"), model.theme.matched),
                Span::raw(what),
            ]));
        }
        lines.push(Line::raw(""));
    }
    let height = (lines.len() as u16 + 2).min(screen.height);
    let width = 64.min(screen.width);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).block(block(" Help — Esc closes ", model)),
        area,
    );
}
