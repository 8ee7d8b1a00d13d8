//! The detail pane: the selected profile's effective properties with the file and
//! line each came from, its chain from base to final role, and its findings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::profile::summary::chain_summary;
use crate::profile::{FileKind, Severity, chain, is_secret, kind, mask};

use crate::credential::expiry::{Urgency, format_rfc3339};
use crate::credential::status::Status;

use super::super::model::{Entry, Model, status_cell};
use super::block;

/// Draws the detail pane into `area` (including its border).
pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let mut lines: Vec<Line> = Vec::new();
    if let Some(entry) = model.selected_entry()
        && let Some(p) = model.set.profile(model.name_of(entry))
    {
        let name = model.name_of(entry);
        let file = |f: FileKind| {
            if f == FileKind::Config {
                model.shown_paths.0.clone()
            } else {
                model.shown_paths.1.clone()
            }
        };
        lines.push(Line::from(vec![
            Span::styled(
                crate::text::cut(name, usize::from(area.width) / 2).into_owned(),
                theme.title,
            ),
            Span::raw(format!("  {}", kind::classify(p).describe())),
        ]));
        lines.push(Line::raw(""));
        // Keys and values are cut to the pane with `…`; the arithmetic saturates.
        let wk = p
            .properties
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0)
            .min(usize::from(area.width).saturating_sub(2).max(1));
        let values: Vec<String> = p
            .properties
            .iter()
            .map(|(k, v)| {
                if is_secret(k) {
                    mask(&v.value)
                } else {
                    v.value.replace('\n', " ⏎ ")
                }
            })
            .collect();
        // Room for "key  value  credentials:123" on one line where the pane allows.
        let room = usize::from(area.width).saturating_sub(wk + 2 + 2 + 2 + 15);
        let wv = values
            .iter()
            .map(|v| v.chars().count())
            .max()
            .unwrap_or(0)
            .min(room);
        for ((k, v), value) in p.properties.iter().zip(&values) {
            lines.push(Line::from(vec![
                Span::raw(format!(
                    "{}  {}  ",
                    crate::text::fit(k, wk),
                    crate::text::pad(value, wv)
                )),
                Span::styled(
                    format!("{}:{}", v.origin.file.as_str(), v.origin.line),
                    theme.dim,
                ),
            ]));
        }
        lines.push(Line::raw(""));
        if let Some(line) = expiry_line(model, entry) {
            lines.push(line);
            lines.push(Line::raw(""));
        }
        if let Some(session) = p.get("sso_session")
            && let Some(s) = model.set.sso_sessions.get(session)
        {
            lines.push(Line::styled(format!("sso-session {session}"), theme.title));
            for (k, v) in &s.properties {
                lines.push(Line::from(vec![
                    Span::raw(format!("  {k} = {}  ", v.value)),
                    Span::styled(
                        format!("{}:{}", v.origin.file.as_str(), v.origin.line),
                        theme.dim,
                    ),
                ]));
            }
            lines.push(Line::raw(""));
        }
        match chain::resolve(&model.set, name) {
            Ok(c) => {
                lines.push(Line::styled("chain", theme.title));
                lines.push(Line::raw(format!("  {}", chain_summary(&c))));
                for role in &c.roles {
                    lines.push(Line::styled(
                        format!("  {} assumes {}", role.profile, role.role_arn),
                        theme.dim,
                    ));
                }
            }
            Err(e) => {
                lines.push(Line::styled("chain", theme.title));
                lines.push(Line::styled(format!("  {}", e.message()), theme.error));
                lines.push(Line::raw(format!("  fix: {}", e.fix())));
            }
        }
        let findings: Vec<_> = model
            .set
            .diagnostics_for(name)
            .into_iter()
            .filter(|d| d.code != "chain" && d.code != "no-credentials")
            .collect();
        if !findings.is_empty() {
            lines.push(Line::raw(""));
            lines.push(Line::styled("findings", theme.title));
            for d in findings {
                let style = if d.severity == Severity::Error {
                    theme.error
                } else {
                    theme.warning
                };
                let at = d
                    .origin
                    .map(|o| format!("{}:{} ", file(o.file), o.line))
                    .unwrap_or_default();
                lines.push(Line::styled(
                    format!("  {} {at}{}", d.severity.as_str(), d.message),
                    style,
                ));
                lines.push(Line::raw(format!("    fix: {}", d.fix)));
            }
        }
    }
    let widget = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block(" Details ", model));
    frame.render_widget(widget, area);
}

/// "SSO token (acme): 2h00m, until 2026-11-22T09:37:16Z", coloured by urgency.
fn expiry_line<'a>(model: &Model, entry: &Entry) -> Option<Line<'a>> {
    let theme = &model.theme;
    let status = model.status(entry);
    let (text, urgency) = status_cell(&status, model.now);
    let style = match urgency {
        Some(Urgency::Expired) => theme.error,
        Some(Urgency::Soon) => theme.warning,
        _ => theme.ok,
    };
    let (what, until) = match &status {
        Status::Expires { at, source } => {
            let what = source.describe();
            (what, format!(", until {}", format_rfc3339(*at)))
        }
        Status::LoginNeeded(key) if key.starts_with("arn:") => (
            format!("no console credentials cached for {key}"),
            String::new(),
        ),
        Status::LoginNeeded(key) => (format!("no SSO token cached for {key}"), String::new()),
        Status::Unknown => return None,
    };
    Some(Line::from(vec![
        Span::raw(format!("{what}: ")),
        Span::styled(text, style),
        Span::styled(until, theme.dim),
    ]))
}
