//! Drawing the name prompt, the confirmation and the kind picker.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::super::form::TEMPLATES;
use super::super::model::Model;
use super::super::overlay::Overlay;
use super::block;

fn centred(screen: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(screen.width);
    let height = height.min(screen.height);
    Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height - height) / 2,
        width,
        height,
    )
}

/// Draws whichever dialog is open.
pub fn render(model: &Model, overlay: &Overlay, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let (title, lines): (String, Vec<Line>) = if let Overlay::Prompt(p) = overlay {
        let mut lines = vec![Line::from(super::input::focused(&p.text, theme))];
        if let Some(e) = &p.error {
            lines.push(Line::styled(e.clone(), theme.error));
        }
        lines.push(Line::styled("Enter accept · Esc cancel", theme.dim));
        (p.title(), lines)
    } else if let Overlay::Confirm(c) = overlay {
        (
            " Confirm ".to_string(),
            c.lines.iter().map(|l| Line::from(l.clone())).collect(),
        )
    } else if let Overlay::KindPick { name, at: selected } = overlay {
        let mut lines: Vec<Line> = TEMPLATES
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if i == *selected {
                    Line::styled(format!("▶ {}", t.label), theme.selected)
                } else {
                    Line::from(format!("  {}", t.label))
                }
            })
            .collect();
        lines.push(Line::raw(""));
        lines.push(Line::styled("Enter choose · Esc cancel", theme.dim));
        (format!(" New profile {name}: what kind? "), lines)
    } else {
        return;
    };
    // As tall as the lines need once wrapped, so a long message is never cut.
    let width = 72.min(screen.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let area = centred(screen, width, rows as u16 + 2);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(&title, model)),
        area,
    );
}
