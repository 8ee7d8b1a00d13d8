//! The edit form and its diff preview, drawn over the main screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::diff::DiffLine;

use super::super::form::{Form, SecretsTo, Stage, TEMPLATES};
use super::super::model::{Mode, Model};
use super::block;

/// Draws the form centred on `screen`.
pub fn render(model: &Model, form: &Form, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let mut lines: Vec<Line> = Vec::new();
    let title;
    match &form.stage {
        Stage::Fields if form.kind_pick.is_some() => {
            title = format!(" Change the kind of {} ", form.profile);
            lines.push(Line::raw(format!(
                "What kind should {} be? Its keys the new kind does not use are removed when you save (the preview shows them).",
                form.profile
            )));
            lines.push(Line::raw(""));
            for (i, t) in TEMPLATES.iter().enumerate() {
                lines.push(if Some(i) == form.kind_pick {
                    Line::styled(format!("▶ {}", t.label), theme.selected)
                } else {
                    Line::raw(format!("  {}", t.label))
                });
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "↑ ↓ choose · Enter switch · Esc keep the kind",
                theme.dim,
            ));
        }
        Stage::Fields => {
            title = if form.input.is_some() {
                format!(" Edit {} — typing: Enter keeps · Esc undoes ", form.profile)
            } else {
                format!(
                    " Edit {} — s preview · K kind · Esc close · ? keys ",
                    form.profile
                )
            };
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
                let mut spans = vec![
                    Span::raw(marker),
                    Span::styled(
                        format!("{} {changed} ", crate::text::pad(&f.key, wk)),
                        style,
                    ),
                ];
                match &form.input {
                    Some(input) if focused => spans.extend(super::input::focused(input, theme)),
                    _ => {
                        let value = if f.value.is_empty() && !f.original.is_empty() {
                            "(removed)".to_string()
                        } else if crate::profile::is_secret(&f.key) && !f.value.is_empty() {
                            crate::profile::mask(&f.value)
                        } else {
                            f.value.clone()
                        };
                        spans.push(Span::styled(value, style));
                    }
                }
                let choices = form.choices(&model.set, &f.key);
                if focused && !choices.is_empty() && model.mode() == Mode::Form {
                    spans.push(Span::styled("   ← → to choose", theme.dim));
                }
                lines.push(Line::from(spans));
                if let (true, Some(chooser), Some(input)) = (focused, &form.region, &form.input) {
                    lines.extend(super::region::lines(chooser, input, theme, wk + 5, 6));
                }
                if let Some(e) = &f.error {
                    lines.push(Line::styled(format!("    {e}"), theme.error));
                } else if let Some(n) = &f.note {
                    lines.push(Line::styled(format!("    {n}"), theme.warning));
                }
            }
            if form.offers_keychain() {
                let other = match form.secrets_to {
                    SecretsTo::CredentialsFile => SecretsTo::Keychain,
                    SecretsTo::Keychain => SecretsTo::CredentialsFile,
                };
                lines.push(Line::from(vec![
                    Span::styled("  keys go to ", theme.dim),
                    Span::styled(form.secrets_to.label(), theme.title),
                    Span::styled(format!("  (t: {})", other.label()), theme.dim),
                ]));
            }
            let add_focused = form.focus == form.fields.len();
            match &form.input {
                Some(input) if add_focused => {
                    let mut spans = vec![Span::styled("▶ + ", theme.dim)];
                    spans.extend(super::input::focused(input, theme));
                    lines.push(Line::from(spans));
                }
                _ if add_focused => {
                    lines.push(Line::styled(
                        "▶ + add a key (Enter, then key=value)",
                        theme.dim,
                    ));
                }
                _ => lines.push(Line::styled("  + add a key", theme.dim)),
            }
            if let Some(m) = &form.message {
                lines.push(Line::raw(""));
                lines.push(Line::styled(m.clone(), theme.warning));
            }
            if form.discard_asked {
                lines.push(Line::raw(""));
                lines.push(Line::styled(
                    format!(
                        "Discard your changes to {}? y discards · n or Esc keeps editing",
                        form.profile
                    ),
                    theme.warning,
                ));
            }
        }
        Stage::Preview {
            diffs, keychain, ..
        } => {
            title = format!(" Save {}? y saves · n goes back ", form.profile);
            if let Some(keys) = keychain {
                lines.push(Line::styled(
                    format!(
                        "The keys ({}) go to the system keychain; the profile gets rolecall's credential_process line.",
                        crate::profile::mask(&keys.access_key_id)
                    ),
                    theme.title,
                ));
                lines.push(Line::raw(""));
            }
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
                if keychain.is_some() {
                    "Written atomically; the .rolecall.bak backups are overwritten so no copy of the keys stays; u undoes."
                } else {
                    "Written atomically; the previous version is kept as a .rolecall.bak file; u undoes."
                },
                theme.dim,
            ));
        }
    }
    let width = screen.width.saturating_sub(8).clamp(20, 100);
    // Rows once wrapped, so a long message is not cut.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows as u16 + 2)
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
