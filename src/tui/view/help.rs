//! Drawing the help overlay: the sections `tui::help` arranges (from the
//! keymap in force and the text-field keys), styled, centred and scrolled.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::help::{self, Shown};
use super::super::model::Model;
use super::block;

fn lines<'a>(model: &Model, column: Vec<Shown>) -> Vec<Line<'a>> {
    // The keys' column as wide as its widest entry in this column.
    let width = column
        .iter()
        .flat_map(|(_, keys)| keys.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(0)
        .clamp(10, 18);
    let mut lines = Vec::new();
    for (title, keys) in column {
        lines.push(Line::styled(title, model.theme.title));
        for (keys, what) in keys {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:width$} "), model.theme.matched),
                Span::raw(what),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines
}

/// Draws help centred on the screen, from line `scroll` (clamped to the last page).
pub fn render(model: &Model, scroll: u16, frame: &mut Frame) {
    let screen = model.areas.screen;
    let (area, _) = help::area(&model.keys, screen);
    let max = help::max_scroll(&model.keys, screen);
    let scroll = scroll.min(max);
    frame.render_widget(Clear, area);
    let title = if max > 0 {
        " Help — j/k scroll · Esc closes "
    } else {
        " Help — Esc closes "
    };
    let outer = block(title, model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let columns = help::columns(&model.keys, screen.width);
    let share = 100 / columns.len() as u16;
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(columns.iter().map(|_| Constraint::Percentage(share)))
        .split(inner);
    for (column, area) in columns.into_iter().zip(cols.iter()) {
        let lines = lines(model, column);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), *area);
    }
}
