//! Marks and running a command on the marked rows (issue 19): Space, `V`/`*`
//! and Esc change the marks (kept by name in the model); the run picker's
//! Enter with marks asks the loop for [`Effect::FanOut`] and opens the
//! results view, which the run's messages keep up to date; `r` re-runs the
//! failed ones, Esc hides the view (the run goes on; `J` shows it again).

use crate::tui::model::Model;
use crate::tui::overlay::Overlay;
use crate::tui::results::{Results, RowState};

use super::{Effect, FilterMsg, Msg};

/// What happened to one profile of a run on marked rows.
#[derive(Clone, Debug, PartialEq)]
pub enum FanOutEvent {
    /// Its child started.
    Started(String),
    /// It ended.
    Finished(String, crate::tui::results::Ended),
}

/// The results view's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum FanOutMsg {
    /// Move the highlight, or scroll the output shown (`true`: down).
    Move(bool),
    /// Show the highlighted profile's output, or back to the table.
    Output,
    /// Run the command again in the profiles that failed.
    Rerun,
    /// Back from the output, or hide the view (the run goes on).
    Close,
}

/// The marks, the results view and the run's messages.
pub(super) fn fanout_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::ToggleMark => {
            model.toggle_mark();
            // Space moves on, so a run of rows is marked key after key.
            let last = model.visible.len().saturating_sub(1);
            model.select_index((model.selected + 1).min(last));
        }
        Msg::MarkShown => model.toggle_mark_shown(),
        Msg::Escape => {
            if model.marks.is_empty() {
                return super::update(model, Msg::Filter(FilterMsg::Cancel));
            }
            model.marks.clear();
            model.status = Some("marks cleared".to_string());
        }
        Msg::ShowResults => match model.hidden_results.take() {
            Some(r) => model.overlay = Overlay::Results(r),
            None => model.status = Some("no command has run on marked rows yet".to_string()),
        },
        Msg::FanOutEvent { ticket, event } => {
            if let Some(r) = results_mut(model, ticket) {
                match event {
                    FanOutEvent::Started(p) => r.started(&p),
                    FanOutEvent::Finished(p, ended) => r.finished(&p, ended),
                }
            }
        }
        Msg::FanOutDone { ticket, result } => {
            let hidden = !matches!(&model.overlay, Overlay::Results(_));
            if let Some(r) = results_mut(model, ticket) {
                r.done(result.err());
                let (ok, failed, _) = r.counts();
                let what = format!("`{}`: {ok} ok, {failed} failed", r.command);
                if hidden {
                    let key = model.keys.first_key("results").unwrap_or_default();
                    model.status = Some(format!("ran {what} ({key} shows the results)"));
                }
            }
        }
        Msg::FanOut(m) => return results_key(model, m),
        _ => {}
    }
    model.mark_dirty();
    Vec::new()
}

/// The results of run `ticket`, on screen or hidden.
fn results_mut(model: &mut Model, ticket: u64) -> Option<&mut Results> {
    let r = match &mut model.overlay {
        Overlay::Results(r) => Some(r),
        Overlay::Help { under, .. } if matches!(**under, Overlay::Results(_)) => match &mut **under
        {
            Overlay::Results(r) => Some(r),
            _ => None,
        },
        _ => model.hidden_results.as_mut(),
    }?;
    (r.ticket == ticket).then_some(&mut **r)
}

/// A key in the results view.
fn results_key(model: &mut Model, msg: FanOutMsg) -> Vec<Effect> {
    let next_ticket = model.run_ticket + 1;
    let Overlay::Results(r) = &mut model.overlay else {
        return Vec::new();
    };
    let mut effects = Vec::new();
    match msg {
        FanOutMsg::Move(down) => {
            // Scrolling stops at the output's last line.
            let last = r.current().map_or(0, |row| match &row.state {
                RowState::Done(e) => e.output.lines().count().saturating_sub(1),
                _ => 0,
            });
            let last = u16::try_from(last).unwrap_or(u16::MAX);
            match &mut r.output {
                Some(scroll) if down => *scroll = scroll.saturating_add(1).min(last),
                Some(scroll) => *scroll = scroll.saturating_sub(1),
                None => r.step(down),
            }
        }
        FanOutMsg::Output => {
            r.output = match r.output {
                Some(_) => None,
                None => Some(0),
            }
        }
        FanOutMsg::Rerun => {
            let failed = r.failed();
            if r.running {
                model.status = Some("still running: r re-runs the failed ones once it ends".into());
            } else if failed.is_empty() {
                model.status = Some("nothing failed: nothing to re-run".into());
            } else {
                r.rerun(next_ticket, &failed);
                effects.push(Effect::FanOut {
                    ticket: next_ticket,
                    profiles: failed,
                    command: r.command.clone(),
                });
                model.run_ticket = next_ticket;
            }
        }
        FanOutMsg::Close => {
            if r.output.is_some() {
                r.output = None;
            } else if let Overlay::Results(r) = std::mem::take(&mut model.overlay) {
                model.hidden_results = Some(r);
            }
        }
    }
    model.mark_dirty();
    effects
}

/// Starts a run of `command` on `profiles` from the run picker: a new ticket,
/// the results view, and the effect.
pub(super) fn start(model: &mut Model, profiles: Vec<String>, command: String) -> Effect {
    model.run_ticket += 1;
    let ticket = model.run_ticket;
    model.overlay = Overlay::Results(Box::new(Results::new(ticket, &command, &profiles)));
    model.hidden_results = None;
    Effect::FanOut {
        ticket,
        profiles,
        command,
    }
}
