//! Drawing the region chooser under a region field: a window of the known
//! regions the typed text filters, the highlighted one marked, and what Enter
//! will do when none matches.

use ratatui::text::Line;

use super::super::input::TextInput;
use super::super::region::Chooser;
use super::Theme;

/// The chooser's lines, indented by `indent` columns, at most `rows` regions.
pub fn lines(
    chooser: &Chooser,
    input: &TextInput,
    theme: &Theme,
    indent: usize,
    rows: usize,
) -> Vec<Line<'static>> {
    let pad = " ".repeat(indent);
    let shown = Chooser::shown(input);
    let mut out = Vec::new();
    if shown.is_empty() {
        out.push(Line::styled(
            format!(
                "{pad}no known region matches: Enter keeps '{}'",
                input.text()
            ),
            theme.dim,
        ));
        return out;
    }
    let at = chooser.at.min(shown.len() - 1);
    let marked = chooser.highlighted(input).is_some();
    let first = (at + 1).saturating_sub(rows);
    for (i, r) in shown.iter().enumerate().skip(first).take(rows) {
        out.push(if marked && i == at {
            Line::styled(format!("{pad}▶ {r}"), theme.selected)
        } else {
            Line::raw(format!("{pad}  {r}"))
        });
    }
    let below = shown.len().saturating_sub(first + rows);
    let more = if below > 0 {
        format!(" · {below} more below")
    } else {
        String::new()
    };
    let position = if marked {
        format!("{}/{}", at + 1, shown.len())
    } else {
        format!("{} regions", shown.len())
    };
    out.push(Line::styled(
        format!("    {position}{more} · ↑ ↓ choose · Enter take · Esc close the list"),
        theme.dim,
    ));
    out
}
