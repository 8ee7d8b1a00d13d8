//! What the doctor panel says, as data: for the selected profile, the source
//! each SDK family uses and whether it refreshes, then every finding with its
//! fix, as `rolecall doctor` prints them; each piece of text carries a
//! [`Tone`] the view turns into a style. Also how far the panel can scroll on
//! a screen, so `update` stops at the last page without asking the view.

use ratatui::layout::Rect;

use super::layout;
use crate::doctor::Report;
use crate::profile::Severity;

/// How a piece of text is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// The heading.
    Title,
    /// A family's name.
    Key,
    /// Ordinary text.
    Plain,
    /// Secondary text.
    Dim,
    /// All is well.
    Ok,
    /// An error's label.
    Error,
    /// A warning's label.
    Warning,
}

/// One line: its pieces.
pub type Line = Vec<(Tone, String)>;

/// The panel's lines for `report`.
pub fn lines(report: &Report) -> Vec<Line> {
    let mut out = vec![vec![(
        Tone::Title,
        format!(
            "Which credentials each SDK family uses for '{}' here",
            report.profile
        ),
    )]];
    for v in &report.families {
        out.push(vec![
            (Tone::Key, format!("  {}: ", v.family.label())),
            (
                Tone::Plain,
                format!("{} ({})", v.winner.describe(), v.refresh.describe()),
            ),
        ]);
        out.push(vec![(Tone::Dim, format!("      {}", v.why))]);
    }
    out.push(Vec::new());
    if report.findings.is_empty() {
        out.push(vec![(Tone::Ok, "Nothing to fix.".to_string())]);
    }
    for d in &report.findings {
        let tone = match d.severity {
            Severity::Error => Tone::Error,
            Severity::Warning => Tone::Warning,
            Severity::Info => Tone::Dim,
        };
        out.push(vec![
            (tone, format!("{}: ", d.severity.as_str())),
            (Tone::Plain, d.message.to_string()),
        ]);
        out.push(vec![(Tone::Plain, format!("  fix: {}", d.fix))]);
    }
    out
}

/// How far the panel can scroll on `screen`: the first line of its last page
/// once lines are wrapped to the panel's width.
pub fn max_scroll(report: &Report, screen: Rect) -> u16 {
    let area = layout::doctor_area(screen);
    let widths = lines(report)
        .into_iter()
        .map(|l| l.iter().map(|(_, t)| t.chars().count()).sum());
    layout::max_scroll(layout::wrapped_rows(widths, area.width), area.height)
}
