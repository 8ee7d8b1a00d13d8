//! The profile list: name (filter matches highlighted), kind, region, expiry,
//! chain; when grouped, a first column names each group on its first row;
//! when rows are marked, a first column of two shows `●` on each of them.

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

/// `s` cut to `width` columns, ending in `…` when cut.
fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}

/// Column widths: NAME, KIND, REGION and EXPIRES sized to what the rows on
/// screen hold; CHAIN takes the rest. When the rest is too small for a useful
/// chain, REGION gives its room first.
#[derive(Debug, PartialEq, Eq)]
struct Widths {
    name: usize,
    kind: usize,
    region: usize,
    status: usize,
    chain: usize,
}

/// Below this the chain column gives way to the region's.
const CHAIN_MIN: usize = 16;

fn widths(model: &Model, shown: &[super::super::model::Visible], total: usize) -> Widths {
    let rows = || shown.iter().map(|v| &model.entries[v.entry]);
    let widest = |f: &dyn Fn(&super::super::model::Entry) -> usize, header: &str| {
        rows().map(f).max().unwrap_or(0).max(header.len())
    };
    let region_of =
        |e: &super::super::model::Entry| model.profile_of(e).and_then(|(_, p)| p.get("region"));
    let name = widest(&|e| model.name_of(e).chars().count(), "NAME").min(40);
    let kind = widest(&|e| e.kind().chars().count(), "KIND");
    let region = widest(&|e| region_of(e).map_or(1, |r| r.chars().count()), "REGION").min(16);
    let status = widest(
        &|e| status_cell(&model.status(e), model.now).0.chars().count(),
        "EXPIRES",
    );
    // Separated by one space each.
    let fixed = name + kind + status + 3;
    let mut w = Widths {
        name,
        kind,
        region,
        status,
        chain: total.saturating_sub(fixed + region + 1),
    };
    if w.chain < CHAIN_MIN {
        w.region = 0;
        w.chain = total.saturating_sub(fixed);
    }
    w
}

/// Draws the list into `area` (including its border).
pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let rows = usize::from(model.areas.list_rows());
    let shown = &model.visible[model.offset.min(model.visible.len())..];
    let shown = &shown[..rows.min(shown.len())];
    let theme = &model.theme;
    let group_of = |i: usize| {
        model
            .group
            .key(&model.set, &model.entries[shown[i].entry])
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
    // The marks' column, only while something is marked.
    let mark_w = if model.marks.is_empty() { 0 } else { 2 };
    let w = widths(
        model,
        shown,
        usize::from(area.width.saturating_sub(2)).saturating_sub(group_w + mark_w),
    );
    let region_header = if w.region > 0 {
        format!("{} ", pad("REGION", w.region))
    } else {
        String::new()
    };
    let mut lines = vec![Line::styled(
        format!(
            "{}{group_header}{} {} {region_header}{} {}",
            " ".repeat(mark_w),
            pad("NAME", w.name),
            pad("KIND", w.kind),
            pad("EXPIRES", w.status),
            cut("CHAIN", w.chain)
        ),
        theme.title,
    )];
    for (i, v) in shown.iter().enumerate() {
        let entry = &model.entries[v.entry];
        let row = &model.row(entry);
        let matched = model.matched(entry);
        let selected = model.offset + i == model.selected;
        let base = if selected {
            theme.selected
        } else {
            ratatui::style::Style::new()
        };
        let mut spans = Vec::new();
        if mark_w > 0 {
            let sign = if model.marks.contains(&row.name) {
                "● "
            } else {
                "  "
            };
            spans.push(Span::styled(sign, base.patch(theme.matched)));
        }
        if group_w > 0 {
            // The group's name on its first row (and on the top row, for context).
            let first = i == 0 || group_of(i) != group_of(i - 1);
            let label = if first { group_of(i) } else { "" };
            spans.push(Span::styled(pad(label, group_w), theme.title));
        }
        spans.extend(pad(&row.name, w.name).chars().enumerate().map(|(ci, c)| {
            let style = if matched.contains(&ci) {
                base.patch(theme.matched)
            } else {
                base
            };
            Span::styled(c.to_string(), style)
        }));
        spans.push(Span::styled(" ", base));
        spans.push(Span::styled(
            pad(&row.kind, w.kind),
            base.patch(theme.badge),
        ));
        spans.push(Span::styled(" ", base));
        if w.region > 0 {
            spans.push(Span::styled(
                format!("{} ", pad(row.region.as_deref().unwrap_or("-"), w.region)),
                base,
            ));
        }
        let (text, urgency) = status_cell(&model.status(entry), model.now);
        let status_style = match urgency {
            Some(Urgency::Expired) => base.patch(theme.error),
            Some(Urgency::Soon) => base.patch(theme.warning),
            Some(Urgency::Fine) => base.patch(theme.ok),
            None => base,
        };
        spans.push(Span::styled(pad(&text, w.status), status_style));
        spans.push(Span::styled(" ", base));
        let chain_style = if row.chain_error.is_some() {
            base.patch(theme.error)
        } else {
            base.patch(theme.dim)
        };
        spans.push(Span::styled(cut(&row.chain_summary, w.chain), chain_style));
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
