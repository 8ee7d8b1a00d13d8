//! The help overlay, generated from the keymap in force (the table with the
//! settings' overrides), in two columns; it scrolls when the screen is short.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::model::{Mode, Model};
use super::block;

const LEFT: &[(&str, Mode)] = &[
    ("In the list", Mode::Normal),
    ("While filtering", Mode::Filter),
    ("Running a command", Mode::RunPick),
];

const RIGHT: &[(&str, Mode)] = &[
    ("In the edit form", Mode::Form),
    ("Typing into a field", Mode::FormInput),
    ("Previewing a save", Mode::Preview),
    ("Questions", Mode::Confirm),
    ("In help", Mode::Help),
];

fn column<'a>(model: &Model, sections: &[(&'a str, Mode)]) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    for (title, mode) in sections {
        lines.push(Line::styled(*title, model.theme.title));
        for (keys, what) in model.keys.help(*mode) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:10}"), model.theme.matched),
                Span::raw(what),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines
}

/// Where help sits on the screen, and how many lines it has.
fn area(model: &Model) -> (Rect, u16) {
    let screen = model.areas.screen;
    let content = column(model, LEFT).len().max(column(model, RIGHT).len()) as u16;
    let height = (content + 2).min(screen.height);
    let width = 120.min(screen.width);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    );
    (area, content)
}

/// How far help can scroll: its lines beyond what fits.
pub fn max_scroll(model: &Model) -> u16 {
    let (area, content) = area(model);
    content.saturating_sub(area.height.saturating_sub(2))
}

/// Draws help centred on the screen.
pub fn render(model: &Model, frame: &mut Frame) {
    let (area, _) = area(model);
    let scroll = model.help_scroll.min(max_scroll(model));
    frame.render_widget(Clear, area);
    let title = if max_scroll(model) > 0 {
        " Help — j/k scroll · Esc closes "
    } else {
        " Help — Esc closes "
    };
    let outer = block(title, model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
        .split(inner);
    frame.render_widget(
        Paragraph::new(column(model, LEFT)).scroll((scroll, 0)),
        cols[0],
    );
    frame.render_widget(
        Paragraph::new(column(model, RIGHT)).scroll((scroll, 0)),
        cols[1],
    );
}
