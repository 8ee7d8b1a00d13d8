//! The profile list: name (filter matches highlighted), kind, region, expiry,
//! chain; when grouped, a first column names each group on its first row.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::credential::expiry::Urgency;

use super::super::model::{Group, Model, status_cell};
use super::block;

fn pad(s: &str, width: usize) -> String {
    let len = s.chars().count();
    if len >= width {
        s.chars().take(width).collect()
    } else {
        format!("{s}{}", " ".repeat(width - len))
    }
}

/// Width of the expiry column (`expired 59m59s ago`).
const STATUS_W: usize = 18;

/// Draws the list into `area` (including its border).
pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let rows = usize::from(model.areas.list_rows());
    let shown = &model.visible[model.offset.min(model.visible.len())..];
    let shown = &shown[..rows.min(shown.len())];
    let name_w = shown
        .iter()
        .map(|v| model.entries[v.entry].row.name.chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 40);
    let region_w = shown
        .iter()
        .filter_map(|v| model.entries[v.entry].row.region.as_deref())
        .map(str::len)
        .max()
        .unwrap_or(0)
        .clamp(6, 16);
    let theme = &model.theme;
    let group_of = |i: usize| {
        model
            .group
            .key(&model.entries[shown[i].entry])
            .unwrap_or("(none)")
    };
    let group_w = if model.group == Group::None {
        0
    } else {
        (0..shown.len())
            .map(|i| group_of(i).chars().count())
            .chain([model.group.label().len()])
            .max()
            .unwrap_or(0)
            .min(24)
            + 1
    };
    let group_header = pad(&model.group.label().to_uppercase(), group_w);
    let mut lines = vec![Line::styled(
        format!(
            "{group_header}{} {} {} {} CHAIN",
            pad("NAME", name_w),
            pad("KIND", 10),
            pad("REGION", region_w),
            pad("EXPIRES", STATUS_W)
        ),
        theme.title,
    )];
    for (i, v) in shown.iter().enumerate() {
        let row = &model.entries[v.entry].row;
        let selected = model.offset + i == model.selected;
        let base = if selected {
            theme.selected
        } else {
            ratatui::style::Style::new()
        };
        let mut spans = Vec::new();
        if group_w > 0 {
            // The group's name on its first row (and on the top row, for context).
            let first = i == 0 || group_of(i) != group_of(i - 1);
            let label = if first { group_of(i) } else { "" };
            spans.push(Span::styled(pad(label, group_w), theme.title));
        }
        spans.extend(pad(&row.name, name_w).chars().enumerate().map(|(ci, c)| {
            let style = if v.positions.contains(&ci) {
                base.patch(theme.matched)
            } else {
                base
            };
            Span::styled(c.to_string(), style)
        }));
        spans.push(Span::styled(" ", base));
        spans.push(Span::styled(pad(&row.kind, 10), base.patch(theme.badge)));
        spans.push(Span::styled(
            format!(" {} ", pad(row.region.as_deref().unwrap_or("-"), region_w)),
            base,
        ));
        let (text, urgency) = status_cell(&model.entries[v.entry].status, model.now);
        let status_style = match urgency {
            Some(Urgency::Expired) => base.patch(theme.error),
            Some(Urgency::Soon) => base.patch(theme.warning),
            Some(Urgency::Fine) => base.patch(theme.ok),
            None => base,
        };
        spans.push(Span::styled(pad(&text, STATUS_W), status_style));
        spans.push(Span::styled(" ", base));
        let chain_style = if row.chain_error.is_some() {
            base.patch(theme.error)
        } else {
            base.patch(theme.dim)
        };
        spans.push(Span::styled(row.chain_summary.clone(), chain_style));
        lines.push(Line::from(spans));
    }
    if model.visible.is_empty() {
        let msg = if model.entries.is_empty() {
            "No profiles yet. Create one with `rolecall profile add NAME region=...`, or try `rolecall --demo`."
        } else {
            "No profile matches the filter. Esc clears it."
        };
        lines.push(Line::styled(msg, theme.dim));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" Profiles ", model)),
        area,
    );
}
