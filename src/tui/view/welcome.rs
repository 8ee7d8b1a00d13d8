//! The welcome screen, shown instead of an empty list when there are no
//! profiles (and no demo): what rolecall is and how to start.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::super::model::Model;
use super::block;

/// Draws the welcome screen into `area`.
pub fn render(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let (config, credentials) = &model.shown_paths;
    let key = |k: &'static str, what: &'static str| {
        Line::from(vec![
            Span::raw("    "),
            Span::styled(format!("{k:3}"), theme.matched),
            Span::raw(what),
        ])
    };
    let lines = vec![
        Line::raw(""),
        Line::styled("  Welcome to rolecall", theme.title),
        Line::raw(""),
        Line::raw(
            "  rolecall manages your AWS profiles: it lists each one with its kind, region and credential chain,",
        ),
        Line::raw(
            "  explains what is wrong and how to fix it, runs commands with a profile, and edits the files",
        ),
        Line::raw("  without losing a comment or a byte you did not change."),
        Line::raw(""),
        Line::raw(format!(
            "  There are no profiles yet: {config} and {credentials} do not exist or hold none."
        )),
        Line::raw(""),
        key(
            "n",
            "create your first profile (you choose its kind; the file is written mode 0600)",
        ),
        key(
            "o",
            "set up SSO (IAM Identity Center): log in, pick accounts and roles, get a profile for each",
        ),
        key(
            "d",
            "explore the bundled demo (read-only: nothing is written)",
        ),
        key("?", "all keys"),
        key("q", "quit"),
    ];
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" rolecall ", model)),
        area,
    );
}
