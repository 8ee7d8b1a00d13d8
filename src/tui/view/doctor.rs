//! Drawing the doctor panel: the lines `tui::doctor` says, styled, wrapped,
//! centred and scrolled (clamped to the last page).

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::doctor::{self, Tone};
use super::super::layout;
use super::super::model::Model;
use super::block;
use crate::doctor::Report;

/// Draws the panel centred on the screen, from line `scroll`.
pub fn render(model: &Model, report: &Report, scroll: u16, frame: &mut Frame) {
    let t = &model.theme;
    let screen = model.areas.screen;
    let area = layout::doctor_area(screen);
    let scroll = scroll.min(doctor::max_scroll(report, screen));
    let lines: Vec<Line> = doctor::lines(report)
        .into_iter()
        .map(|pieces| {
            Line::from(
                pieces
                    .into_iter()
                    .map(|(tone, text)| {
                        let style = match tone {
                            Tone::Title => t.title,
                            Tone::Key => t.matched,
                            Tone::Plain => ratatui::style::Style::new(),
                            Tone::Dim => t.dim,
                            Tone::Ok => t.ok,
                            Tone::Error => t.error,
                            Tone::Warning => t.warning,
                        };
                        Span::styled(text, style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    frame.render_widget(Clear, area);
    let outer = block(" Doctor — j/k scroll · Esc closes ", model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
