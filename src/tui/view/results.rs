//! Drawing the results of a command run on marked rows: a row per profile
//! (status, exit code, duration) with counts above, or one profile's
//! captured output, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::super::model::Model;
use super::super::results::{Results, RowState, cells};
use super::block;

/// Draws the view over `screen` but its first and last lines.
pub fn render(model: &Model, r: &Results, frame: &mut Frame, screen: Rect) {
    let theme = &model.theme;
    // Over the list and the details, between the title and the status line.
    let area = Rect::new(
        screen.x,
        screen.y + 1,
        screen.width,
        screen.height.saturating_sub(2),
    );
    let room = usize::from(area.height.saturating_sub(2));
    let inner = usize::from(area.width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    let title;
    if let (Some(scroll), Some(row)) = (r.output, r.current()) {
        title = format!(" Output of {} ", row.profile);
        let text = match &row.state {
            RowState::Done(e) if e.output.is_empty() => "(no output)".to_string(),
            RowState::Done(e) => e.output.clone(),
            _ => "(still running: the output shows when it ends)".to_string(),
        };
        let body = room.saturating_sub(1);
        lines.extend(
            text.lines()
                .skip(usize::from(scroll))
                .take(body)
                .map(|l| Line::raw(shown(l, inner))),
        );
        while lines.len() < body {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            "↑ ↓ scroll · Esc back to the table",
            theme.dim,
        ));
    } else {
        title = format!(" `{}` in {} profiles ", r.command, r.rows.len());
        let (ok, failed, going) = r.counts();
        let mut head = format!("{ok} ok · {failed} failed");
        if r.running {
            head.push_str(&format!(" · {going} to go"));
        } else {
            head.push_str(" · done");
        }
        lines.push(Line::raw(head));
        if let Some(e) = &r.error {
            lines.push(Line::styled(e.clone(), theme.error));
        }
        let width = r
            .rows
            .iter()
            .map(|row| row.profile.chars().count())
            .max()
            .unwrap_or(0)
            .clamp("PROFILE".len(), 40);
        lines.push(Line::styled(
            format!(
                "  {:width$}  {:9}  {:>4}  {:>8}",
                "PROFILE", "STATUS", "EXIT", "TIME"
            ),
            theme.title,
        ));
        // The table scrolls to keep the highlight on screen.
        let rows_room = room.saturating_sub(lines.len() + 1).max(1);
        let offset = (r.selected + 1).saturating_sub(rows_room);
        for (i, row) in r.rows.iter().enumerate().skip(offset).take(rows_room) {
            let (word, code, time) = cells(&row.state);
            let style = match &row.state {
                RowState::Done(e) if e.status.ok() => theme.ok,
                RowState::Done(_) => theme.error,
                RowState::Running => theme.warning,
                RowState::Waiting => theme.dim,
            };
            let selected = i == r.selected;
            let base = if selected {
                theme.selected
            } else {
                ratatui::style::Style::new()
            };
            let name = crate::text::fit(&row.profile, width);
            lines.push(Line::from(vec![
                Span::styled(if selected { "▶ " } else { "  " }, base),
                Span::styled(format!("{name}  "), base),
                Span::styled(format!("{word:9}"), base.patch(style)),
                Span::styled(format!("  {code:>4}  {time:>8}"), base),
            ]));
        }
        while lines.len() < room.saturating_sub(1) {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            "↑ ↓ move · Enter output · r re-run the failed · Esc hide (the run goes on)",
            theme.dim,
        ));
    }
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines).block(block(&title, model)), area);
}

/// A line of a child's output as the screen can show it: tabs as spaces,
/// other control characters (colours, cursor moves) dropped, cut to `width`.
fn shown(line: &str, width: usize) -> String {
    let clean: String = line
        .replace('\t', "    ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    crate::text::cut(&clean, width).into_owned()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{demo, screen};
    use crate::exec::fanout::report::Status;
    use crate::tui::input::Edit;
    use crate::tui::results::Ended;
    use crate::tui::update::{Effect, FanOutEvent, FanOutMsg, Msg, RunMsg, update};

    fn mark(m: &mut crate::tui::model::Model, names: &[&str]) {
        for name in names {
            m.select_name(name);
            let _ = update(m, Msg::ToggleMark);
        }
        m.select_name("audit");
    }

    /// Marked rows carry a sign, the title counts them; the results view
    /// shows each profile's state, then one profile's output.
    #[test]
    fn marked_rows_and_results_at_two_sizes() {
        for (w, h) in [(80, 24), (120, 40)] {
            let size = format!("{w}x{h}");
            let mut m = demo(w, h);
            mark(&mut m, &["ci", "k8s", "vault"]);
            let s = screen(&m);
            assert!(s.contains("3 marked"), "{s}");
            insta::assert_snapshot!(format!("marked_{size}"), s);
            let _ = update(&mut m, Msg::OpenRun);
            for c in "aws sts get-caller-identity".chars() {
                let _ = update(&mut m, Msg::Run(RunMsg::Edit(Edit::Insert(c))));
            }
            let effects = update(&mut m, Msg::Run(RunMsg::Submit));
            let Some(Effect::FanOut { ticket, .. }) = effects.first() else {
                panic!("{effects:?}")
            };
            let send = |m: &mut _, event| {
                let _ = update(
                    m,
                    Msg::FanOutEvent {
                        ticket: *ticket,
                        event,
                    },
                );
            };
            let done = |code: i32, ms: u64, output: &str| Ended {
                status: Status::Exited(code),
                duration: std::time::Duration::from_millis(ms),
                output: output.into(),
            };
            send(
                &mut m,
                FanOutEvent::Finished("ci".into(), done(0, 420, "{}\n")),
            );
            send(
                &mut m,
                FanOutEvent::Finished(
                    "k8s".into(),
                    done(254, 1250, "\nAn error occurred (ExpiredToken)\n\tdetails\n"),
                ),
            );
            send(&mut m, FanOutEvent::Started("vault".into()));
            insta::assert_snapshot!(format!("results_{size}"), screen(&m));
            let _ = update(&mut m, Msg::FanOut(FanOutMsg::Move(true)));
            let _ = update(&mut m, Msg::FanOut(FanOutMsg::Output));
            let s = screen(&m);
            assert!(s.contains("Output of k8s"), "{s}");
            assert!(s.contains("    details"), "tabs become spaces: {s}");
            if w == 80 {
                insta::assert_snapshot!("results_output_80x24", s);
            }
            // Hidden, the run still shows in the title.
            let _ = update(&mut m, Msg::FanOut(FanOutMsg::Close));
            let _ = update(&mut m, Msg::FanOut(FanOutMsg::Close));
            let s = screen(&m);
            assert!(s.contains("run: 1 ok, 1 failed, 1 to go (J)"), "{s}");
        }
    }
}
