//! The doctor panel: for the selected profile, the source each SDK family
//! uses and whether it refreshes, then every finding with its fix, as
//! `rolecall doctor` prints them; it scrolls when the screen is short.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::model::Model;
use super::block;
use crate::doctor::Report;
use crate::profile::Severity;

fn lines(model: &Model, report: &Report) -> Vec<Line<'static>> {
    let t = &model.theme;
    let mut out = vec![Line::styled(
        format!(
            "Which credentials each SDK family uses for '{}' here",
            report.profile
        ),
        t.title,
    )];
    for v in &report.families {
        out.push(Line::from(vec![
            Span::styled(format!("  {}: ", v.family.label()), t.matched),
            Span::raw(format!(
                "{} ({})",
                v.winner.describe(),
                v.refresh.describe()
            )),
        ]));
        out.push(Line::styled(format!("      {}", v.why), t.dim));
    }
    out.push(Line::raw(""));
    if report.findings.is_empty() {
        out.push(Line::styled("Nothing to fix.", t.ok));
    }
    for d in &report.findings {
        let style = match d.severity {
            Severity::Error => t.error,
            Severity::Warning => t.warning,
            Severity::Info => t.dim,
        };
        out.push(Line::from(vec![
            Span::styled(format!("{}: ", d.severity.as_str()), style),
            Span::raw(d.message.clone()),
        ]));
        out.push(Line::raw(format!("  fix: {}", d.fix)));
    }
    out
}

fn area(model: &Model) -> Rect {
    let screen = model.areas.screen;
    let width = 110.min(screen.width);
    let height = screen.height.saturating_sub(2).max(3).min(screen.height);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// How far the panel can scroll (lines are counted before wrapping, so this
/// errs towards letting the end be reached).
pub fn max_scroll(model: &Model, report: &Report) -> u16 {
    let rows = area(model).height.saturating_sub(2) as usize;
    let width = area(model).width.saturating_sub(2).max(1) as usize;
    let wrapped: usize = lines(model, report)
        .iter()
        .map(|l| l.width().max(1).div_ceil(width))
        .sum();
    wrapped.saturating_sub(rows) as u16
}

/// Draws the panel centred on the screen.
pub fn render(model: &Model, report: &Report, scroll: u16, frame: &mut Frame) {
    let area = area(model);
    frame.render_widget(Clear, area);
    let outer = block(" Doctor — j/k scroll · Esc closes ", model);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    frame.render_widget(
        Paragraph::new(lines(model, report))
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0)),
        inner,
    );
}
