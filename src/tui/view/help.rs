//! The help overlay, generated from the keymap table, in two columns.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::keymap::help;
use super::super::model::{Mode, Model};
use super::block;

fn column<'a>(model: &Model, sections: &[(&'a str, Mode)]) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for (title, mode) in sections {
        lines.push(Line::styled(*title, model.theme.title));
        for (keys, what) in help(*mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:10}"), model.theme.matched),
                Span::raw(what),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines
}

/// Draws help centred on `screen`.
pub fn render(model: &Model, frame: &mut Frame, screen: Rect) {
    let left = column(
        model,
        &[
            ("In the list", Mode::Normal),
            ("While filtering", Mode::Filter),
        ],
    );
    let right = column(
        model,
        &[
            ("In the edit form", Mode::Form),
            ("Typing into a field", Mode::FormInput),
            ("Previewing a save", Mode::Preview),
            ("Questions", Mode::Confirm),
        ],
    );
    let height = (left.len().max(right.len()) as u16 + 2).min(screen.height);
    let width = 120.min(screen.width);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let outer = block(" Help — Esc closes ", model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(inner);
    frame.render_widget(Paragraph::new(left), cols[0]);
    frame.render_widget(Paragraph::new(right), cols[1]);
}
