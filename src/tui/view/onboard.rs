//! Drawing the SSO onboarding: the question being asked, the filter and name
//! template over the portal's roles (with a sample of the names), or the diff
//! of what will be written.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::diff::{DiffLine, diff_lines};

use super::super::model::Model;
use super::super::onboard::{Onboard, Question, Stage};
use super::popup;

/// How many names or diff lines are shown.
const SHOWN: usize = 12;

/// Draws the onboarding over `screen`.
pub fn render(model: &Model, o: &Onboard, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    let mut lines: Vec<Line> = Vec::new();
    let field = |label: &str, value: &str, active: bool| {
        let style = if active { theme.selected } else { theme.dim };
        Line::styled(
            format!("{label:<22}{value}{}", if active { "▏" } else { "" }),
            style,
        )
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
                    done.to_string()
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
        Stage::LoggingIn(_) => lines.push(Line::raw("Logging in…")),
        Stage::Listing(_) => lines.push(Line::raw(format!(
            "Listing the accounts and roles of sso-session '{}'…",
            o.session
        ))),
        Stage::Pick(template) => {
            let picked = o.picked();
            lines.push(Line::raw(format!(
                "{} role(s) in {} account(s); {} picked.",
                o.assignments.len(),
                o.assignments
                    .iter()
                    .map(|a| &a.account.id)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len(),
                picked.len()
            )));
            lines.push(Line::raw(""));
            lines.push(field("filter", &o.filter, !template));
            lines.push(field("profile names", &o.template, *template));
            lines.push(Line::styled(
                "                      {account_name} {account_id} {role_name} {session}",
                theme.dim,
            ));
            lines.push(Line::raw(""));
            for a in picked.iter().take(SHOWN) {
                let name = crate::sso::onboard::profile_name(&o.template, a, &o.session);
                lines.push(Line::raw(format!(
                    "  {name:<40} {} {}",
                    a.account.id, a.role
                )));
            }
            if picked.len() > SHOWN {
                lines.push(Line::styled(
                    format!("  … and {} more", picked.len() - SHOWN),
                    theme.dim,
                ));
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "type to filter · Tab filter/names · Enter preview · Esc leave",
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
            let diff = diff_lines(model.files.config.text(), files.config.text(), 1);
            for d in diff.iter().take(SHOWN) {
                lines.push(match d {
                    DiffLine::Same(_, t) => Line::styled(format!("  {t}"), theme.dim),
                    DiffLine::Removed(_, t) => Line::styled(format!("- {t}"), theme.error),
                    DiffLine::Added(_, t) => Line::styled(format!("+ {t}"), theme.ok),
                });
            }
            if diff.len() > SHOWN {
                lines.push(Line::styled(
                    format!("  … {} more lines", diff.len() - SHOWN),
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
