//! Drawing the SSO onboarding: the question being asked, the filter and name
//! template over the portal's roles (with a sample of the names), or the diff
//! of what will be written.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::diff::DiffLine;

use super::super::input::TextInput;
use super::super::layout;
use super::super::model::Model;
use super::super::onboard::{Focus, Onboard, PLACEHOLDERS, Question, Stage, preview_diff};
use super::popup;

/// Draws the onboarding over `screen`.
pub fn render(model: &Model, o: &Onboard, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let mut lines: Vec<Line> = Vec::new();
    let field = |label: &str, value: &TextInput, active: bool| {
        let mut spans = vec![Span::styled(
            format!("{label:<22}"),
            if active { theme.title } else { theme.dim },
        )];
        if active {
            spans.extend(super::input::focused(value, theme));
        } else {
            spans.push(Span::styled(value.shown(), theme.dim));
        }
        Line::from(spans)
    };
    match &o.stage {
        Stage::Ask(q) => {
            lines.push(Line::raw(
                "Set up an sso-session and a profile for every account and role you pick.",
            ));
            lines.push(Line::raw(""));
            let answer = |which: Question, done: &str| {
                if *q == which {
                    o.input.clone()
                } else {
                    TextInput::with_text(done)
                }
            };
            lines.push(field(
                "AWS access portal URL",
                &answer(Question::StartUrl, &o.start_url),
                *q == Question::StartUrl,
            ));
            lines.push(field(
                "SSO region",
                &answer(Question::Region, &o.region),
                *q == Question::Region,
            ));
            if let (Question::Region, Some(chooser)) = (q, &o.region_pick) {
                lines.extend(super::region::lines(chooser, &o.input, theme, 22, 6));
            }
            lines.push(field(
                "session name",
                &answer(Question::Session, &o.session),
                *q == Question::Session,
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Enter accept · Esc leave (nothing is written until the last step)",
                theme.dim,
            ));
        }
        Stage::Reuse(at) => {
            lines.push(Line::raw(
                "Your files have these sso-sessions: log in to one and pick its roles, or set up a new one.",
            ));
            lines.push(Line::raw(""));
            for (i, (name, url, region)) in o.existing.iter().enumerate() {
                let text = format!("{name:<20} {url}  {region}");
                lines.push(if i == *at {
                    Line::styled(format!("▶ {text}"), theme.selected)
                } else {
                    Line::raw(format!("  {text}"))
                });
            }
            let new = "a new sso-session";
            lines.push(if *at == o.existing.len() {
                Line::styled(format!("▶ {new}"), theme.selected)
            } else {
                Line::raw(format!("  {new}"))
            });
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "↑ ↓ choose · Enter log in / go on · Esc leave",
                theme.dim,
            ));
        }
        Stage::LoggingIn(_) => lines.push(Line::raw("Logging in…")),
        Stage::Listing(_) => lines.push(Line::raw(format!(
            "Listing the accounts and roles of sso-session '{}'…",
            o.session
        ))),
        Stage::Pick(focus) => {
            let shown = o.shown();
            lines.push(Line::raw(format!(
                "{} in {}; {} picked, {} shown.",
                crate::words::plural(o.assignments.len(), "role", "roles"),
                crate::words::plural(
                    o.assignments
                        .iter()
                        .map(|a| &a.account.id)
                        .collect::<std::collections::BTreeSet<_>>()
                        .len(),
                    "account",
                    "accounts"
                ),
                o.checked.len(),
                shown.len()
            )));
            lines.push(Line::raw(""));
            lines.push(field("filter", &o.filter, *focus == Focus::Filter));
            // A window of the table that keeps the highlighted row in it.
            let rows = usize::from(screen.height.saturating_sub(16)).max(3);
            let cursor = o.cursor.min(shown.len().saturating_sub(1));
            let first = (cursor + 1).saturating_sub(rows);
            for (at, &i) in shown.iter().enumerate().skip(first).take(rows) {
                let a = &o.assignments[i];
                let mark = if o.checked.contains(&i) { "[x]" } else { "[ ]" };
                let text = format!("{mark} {:<36} {} {}", o.name_of(a), a.account.id, a.role);
                lines.push(if at == cursor && *focus == Focus::Table {
                    Line::styled(format!("▶ {text}"), theme.selected)
                } else {
                    Line::raw(format!("  {text}"))
                });
            }
            let below = shown.len().saturating_sub(first + rows);
            lines.push(Line::styled(
                if below > 0 {
                    format!("  … {below} more (↓ PgDn)")
                } else {
                    String::new()
                },
                theme.dim,
            ));
            lines.push(field(
                "profile names",
                &o.template,
                *focus == Focus::Template,
            ));
            lines.push(Line::styled(
                format!("{:22}{}", "", PLACEHOLDERS.join(" ")),
                theme.dim,
            ));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Tab filter/table/names · Space check · a all shown · A none · Enter preview · Esc leave",
                theme.dim,
            ));
        }
        Stage::Preview(files, plan) => {
            lines.push(Line::raw(format!(
                "{} to add, {} to update, {} to remove, {} unchanged, {} skipped (yours).",
                crate::words::plural(plan.add.len(), "profile", "profiles"),
                crate::words::plural(plan.update.len(), "key", "keys"),
                plan.remove.len(),
                plan.unchanged,
                plan.skipped.len()
            )));
            lines.push(Line::raw(""));
            let diff = preview_diff(&model.files, files);
            let rows = layout::onboard_preview_rows(screen);
            let first = o
                .preview_scroll
                .min(layout::onboard_preview_max(screen, diff.len()));
            if first > 0 {
                lines.push(Line::styled(
                    format!("  … {first} lines above (↑ PgUp)"),
                    theme.dim,
                ));
            }
            for d in diff.iter().skip(first).take(rows) {
                lines.push(match d {
                    DiffLine::Same(_, t) => Line::styled(format!("  {t}"), theme.dim),
                    DiffLine::Removed(_, t) => Line::styled(format!("- {t}"), theme.error),
                    DiffLine::Added(_, t) => Line::styled(format!("+ {t}"), theme.ok),
                });
            }
            if diff.len() > first + rows {
                lines.push(Line::styled(
                    format!("  … {} more lines (↓ PgDn)", diff.len() - first - rows),
                    theme.dim,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "Enter write (atomic, with a backup; u undoes) · Esc back",
                theme.dim,
            ));
        }
    }
    if let Some(e) = &o.error {
        lines.push(Line::styled(e.clone(), theme.error));
    }
    popup(model, frame, screen, (" Set up SSO ", 6, 100), lines);
}
