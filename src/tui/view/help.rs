//! The help overlay, generated from the keymap in force (the table with the
//! settings' overrides) and the text-field keys, in two columns from 100
//! columns up and one below; it scrolls when the screen is short.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::model::{Mode, Model};
use super::block;

/// A help section: the keys of a mode, or (`None`) those of every text field.
type Section = (&'static str, Option<Mode>);

const LEFT: &[Section] = &[
    ("In the list", Some(Mode::Normal)),
    ("While filtering", Some(Mode::Filter)),
    ("Editing text (every field)", None),
    ("Running a command", Some(Mode::RunPick)),
    ("Results of a run on marked rows", Some(Mode::Results)),
];

const RIGHT: &[Section] = &[
    ("In the edit form", Some(Mode::Form)),
    ("Typing into a field", Some(Mode::FormInput)),
    ("Previewing a save", Some(Mode::Preview)),
    ("Questions", Some(Mode::Confirm)),
    ("In help", Some(Mode::Help)),
];

/// Below this width help is one column.
const TWO_COLUMNS_FROM: u16 = 100;

fn column<'a>(model: &Model, sections: &[Section]) -> Vec<Line<'a>> {
    let sections: Vec<_> = sections
        .iter()
        .map(|(title, mode)| {
            let keys = match mode {
                Some(mode) => model.keys.help(*mode),
                None => crate::tui::keymap::text_help(),
            };
            (*title, keys)
        })
        .collect();
    // The keys' column as wide as its widest entry in this column.
    let width = sections
        .iter()
        .flat_map(|(_, keys)| keys.iter().map(|(k, _)| k.chars().count()))
        .max()
        .unwrap_or(0)
        .clamp(10, 18);
    let mut lines = Vec::new();
    for (title, keys) in sections {
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

/// The columns of help: two side by side, or one below [`TWO_COLUMNS_FROM`].
fn columns<'a>(model: &Model) -> Vec<Vec<Line<'a>>> {
    if model.areas.screen.width < TWO_COLUMNS_FROM {
        let mut one = column(model, LEFT);
        one.extend(column(model, RIGHT));
        vec![one]
    } else {
        vec![column(model, LEFT), column(model, RIGHT)]
    }
}

/// Where help sits on the screen, and how many lines it has.
fn area(model: &Model) -> (Rect, u16) {
    let screen = model.areas.screen;
    let content = columns(model).iter().map(Vec::len).max().unwrap_or(0) as u16;
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
pub fn render(model: &Model, scroll: u16, frame: &mut Frame) {
    let (area, _) = area(model);
    let scroll = scroll.min(max_scroll(model));
    frame.render_widget(Clear, area);
    let title = if max_scroll(model) > 0 {
        " Help — j/k scroll · Esc closes "
    } else {
        " Help — Esc closes "
    };
    let outer = block(title, model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let columns = columns(model);
    let share = 100 / columns.len() as u16;
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(columns.iter().map(|_| Constraint::Percentage(share)))
        .split(inner);
    for (lines, area) in columns.into_iter().zip(cols.iter()) {
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), *area);
    }
}
