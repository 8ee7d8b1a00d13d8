//! The edit form and its diff preview, drawn over the main screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::diff::DiffLine;

use super::super::form::{Form, Stage};
use super::super::model::{Mode, Model};
use super::block;

/// Draws the form centred on `screen`.
pub fn render(model: &Model, form: &Form, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let mut lines: Vec<Line> = Vec::new();
    let title;
    match &form.stage {
        Stage::Fields => {
            title = format!(" Edit {} — s preview · Esc close · ? keys ", form.profile);
            let wk = form.fields.iter().map(|f| f.key.len()).max().unwrap_or(0);
            for (i, f) in form.fields.iter().enumerate() {
                let focused = i == form.focus;
                let marker = if focused { "▶ " } else { "  " };
                let style = if focused {
                    theme.selected
                } else {
                    ratatui::style::Style::new()
                };
                let changed = if f.value != f.original { "*" } else { " " };
                let cursor = if focused && model.mode == Mode::FormInput {
                    "▏"
                } else {
                    ""
                };
                let value = if f.value.is_empty() && !f.original.is_empty() {
                    "(removed)".to_string()
                } else if crate::profile::is_secret(&f.key) {
                    "•".repeat(f.value.chars().count())
                } else {
                    f.value.clone()
                };
                let mut spans = vec![
                    Span::raw(marker),
                    Span::styled(format!("{:wk$} {changed} ", f.key), style),
                    Span::styled(value, style),
                    Span::styled(cursor, theme.matched),
                ];
                let choices = form.choices(&model.set, &f.key);
                if focused && !choices.is_empty() && model.mode == Mode::Form {
                    spans.push(Span::styled("   ← → to choose", theme.dim));
                }
                lines.push(Line::from(spans));
                if let Some(e) = &f.error {
                    lines.push(Line::styled(format!("    {e}"), theme.error));
                }
            }
            let add_focused = form.focus == form.fields.len();
            let add = if add_focused && model.mode == Mode::FormInput {
                format!("▶ + {}▏", form.new_key)
            } else if add_focused {
                "▶ + add a key (Enter, then key=value)".to_string()
            } else {
                "  + add a key".to_string()
            };
            lines.push(Line::styled(add, theme.dim));
            if let Some(m) = &form.message {
                lines.push(Line::raw(""));
                lines.push(Line::styled(m.clone(), theme.warning));
            }
        }
        Stage::Preview { diffs, .. } => {
            title = format!(" Save {}? y saves · n goes back ", form.profile);
            for (file, diff) in diffs {
                let path = match file {
                    crate::profile::FileKind::Config => &model.shown_paths.0,
                    crate::profile::FileKind::Credentials => &model.shown_paths.1,
                };
                lines.push(Line::styled(path.clone(), theme.title));
                for d in diff {
                    lines.push(match d {
                        DiffLine::Same(n, t) => Line::styled(format!("{n:>5}   {t}"), theme.dim),
                        DiffLine::Removed(n, t) => {
                            Line::styled(format!("{n:>5} - {t}"), theme.error)
                        }
                        DiffLine::Added(n, t) => Line::styled(format!("{n:>5} + {t}"), theme.ok),
                    });
                }
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                "Written atomically; the previous version is kept as a .rolecall.bak file; u undoes.",
                theme.dim,
            ));
        }
    }
    let width = screen.width.saturating_sub(8).clamp(20, 100);
    let height = (lines.len() as u16 + 2)
        .min(screen.height.saturating_sub(2))
        .max(3);
    let area = Rect::new(
        screen.x + (screen.width.saturating_sub(width)) / 2,
        screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let widget = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block(&title, model));
    frame.render_widget(widget, area);
}
