//! State-machine tests of marks and runs on marked rows (issue 19): marks are
//! names kept through filter, sort and reload; `V` toggles the rows shown;
//! `!` with marks asks for the run in exactly the marked profiles; the
//! results rows follow the run's messages; `r` re-runs only the failed ones.

use std::time::Duration;

use super::test_support::{demo, select, selected};
use super::{Effect, FanOutEvent, FanOutMsg, FilterMsg, Loaded, Msg, RunMsg, update};
use crate::exec::fanout::report::Status;
use crate::tui::input::Edit;
use crate::tui::model::{Mode, Model};
use crate::tui::overlay::Overlay;
use crate::tui::results::{Ended, Results, RowState};

fn marks(m: &Model) -> Vec<&str> {
    m.marks.iter().map(String::as_str).collect()
}

fn filter(m: &mut Model, text: &str) {
    let _ = update(m, Msg::StartFilter);
    for c in text.chars() {
        let _ = update(m, Msg::Filter(FilterMsg::Edit(Edit::Insert(c))));
    }
    let _ = update(m, Msg::Filter(FilterMsg::Accept));
}

fn ended(code: i32, output: &str) -> Ended {
    Ended {
        status: Status::Exited(code),
        duration: Duration::from_millis(250),
        output: output.to_string(),
    }
}

fn results(m: &Model) -> &Results {
    match &m.overlay {
        Overlay::Results(r) => r,
        other => panic!("no results view: {other:?}"),
    }
}

/// Marks `ci` and `k8s`, runs `command` on them; returns the run's ticket.
fn run_on_two(m: &mut Model, command: &str) -> u64 {
    select(m, "ci");
    let _ = update(m, Msg::ToggleMark);
    select(m, "k8s");
    let _ = update(m, Msg::ToggleMark);
    let _ = update(m, Msg::OpenRun);
    for c in command.chars() {
        let _ = update(m, Msg::Run(RunMsg::Edit(Edit::Insert(c))));
    }
    let effects = update(m, Msg::Run(RunMsg::Submit));
    let Some(Effect::FanOut {
        ticket,
        profiles,
        command: asked,
    }) = effects.first()
    else {
        panic!("no run: {effects:?}")
    };
    assert_eq!(profiles, &["ci".to_string(), "k8s".to_string()]);
    assert_eq!(asked, command);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::RunCommand { .. })),
        "the terminal is not lent to a run on marked rows: {effects:?}"
    );
    *ticket
}

#[test]
fn space_marks_by_name_and_marks_survive_filter_sort_and_reload() {
    let mut m = demo();
    select(&mut m, "ci");
    let _ = update(&mut m, Msg::ToggleMark);
    assert_eq!(marks(&m), ["ci"]);
    assert_ne!(selected(&m), "ci", "Space moves on to the next row");
    select(&mut m, "vault");
    let _ = update(&mut m, Msg::ToggleMark);
    filter(&mut m, "k8s");
    let _ = update(&mut m, Msg::CycleSort);
    assert_eq!(marks(&m), ["ci", "vault"], "hidden rows stay marked");
    let _ = update(&mut m, Msg::Filter(FilterMsg::Cancel));
    // Another program deletes `vault` and adds a profile that sorts first.
    let mut files = m.files.clone();
    crate::profile::edit::remove_profile(&mut files, "vault", true).unwrap();
    crate::profile::edit::add_profile(&mut files, "aaa", &[]).unwrap();
    let _ = update(
        &mut m,
        Msg::Loaded(Box::new(Loaded {
            set: files.profile_set(),
            files,
        })),
    );
    assert_eq!(
        marks(&m),
        ["ci"],
        "a profile that is gone is no longer marked"
    );
    select(&mut m, "ci");
    let _ = update(&mut m, Msg::ToggleMark);
    assert!(m.marks.is_empty(), "Space again unmarks");
}

#[test]
fn v_marks_the_rows_shown_and_again_unmarks_them() {
    let mut m = demo();
    select(&mut m, "audit");
    let _ = update(&mut m, Msg::ToggleMark);
    filter(&mut m, "acme");
    let shown: Vec<String> = m
        .visible
        .iter()
        .map(|v| m.name_of(&m.entries[v.entry]).to_string())
        .collect();
    assert!(shown.len() >= 2, "{shown:?}");
    let _ = update(&mut m, Msg::MarkShown);
    for name in &shown {
        assert!(m.marks.contains(name), "{name}");
    }
    assert!(m.marks.contains("audit"));
    let _ = update(&mut m, Msg::MarkShown);
    assert_eq!(marks(&m), ["audit"], "only the rows shown are unmarked");
}

#[test]
fn esc_clears_the_marks_first_then_the_filter() {
    let mut m = demo();
    filter(&mut m, "dev");
    let _ = update(&mut m, Msg::MarkShown);
    assert!(!m.marks.is_empty());
    let _ = update(&mut m, Msg::Escape);
    assert!(m.marks.is_empty());
    assert_eq!(m.filter.text(), "dev", "the filter stays while marks went");
    let _ = update(&mut m, Msg::Escape);
    assert_eq!(m.filter.text(), "");
}

#[test]
fn bang_with_marks_runs_in_the_marked_profiles_and_rows_follow_the_run() {
    let mut m = demo();
    let ticket = run_on_two(&mut m, "env");
    assert_eq!(m.mode(), Mode::Results);
    assert_eq!(
        results(&m)
            .rows
            .iter()
            .map(|r| &r.state)
            .collect::<Vec<_>>(),
        [&RowState::Waiting, &RowState::Waiting]
    );
    let event = |event| Msg::FanOutEvent { ticket, event };
    let _ = update(&mut m, event(FanOutEvent::Started("ci".into())));
    assert_eq!(results(&m).rows[0].state, RowState::Running);
    let _ = update(
        &mut m,
        event(FanOutEvent::Finished("ci".into(), ended(0, "ok\n"))),
    );
    let _ = update(
        &mut m,
        event(FanOutEvent::Finished("k8s".into(), ended(3, "boom\n"))),
    );
    // A message of another run changes nothing.
    let _ = update(
        &mut m,
        Msg::FanOutEvent {
            ticket: ticket + 7,
            event: FanOutEvent::Started("ci".into()),
        },
    );
    let _ = update(
        &mut m,
        Msg::FanOutDone {
            ticket,
            result: Ok(()),
        },
    );
    let r = results(&m);
    assert_eq!(r.rows[0].state, RowState::Done(ended(0, "ok\n")));
    assert_eq!(r.counts(), (1, 1, 0));
    assert!(!r.running);
    // Enter shows the highlighted profile's output; Esc goes back.
    let _ = update(&mut m, Msg::FanOut(FanOutMsg::Move(true)));
    let _ = update(&mut m, Msg::FanOut(FanOutMsg::Output));
    assert_eq!(results(&m).output, Some(0));
    assert_eq!(results(&m).current().unwrap().profile, "k8s");
    let _ = update(&mut m, Msg::FanOut(FanOutMsg::Move(true)));
    assert_eq!(results(&m).output, Some(0), "one line: nothing to scroll");
    let _ = update(&mut m, Msg::FanOut(FanOutMsg::Close));
    assert_eq!(results(&m).output, None);
}

#[test]
fn r_reruns_only_the_failed_ones_once_the_run_ended() {
    let mut m = demo();
    let ticket = run_on_two(&mut m, "aws s3 ls");
    let _ = update(
        &mut m,
        Msg::FanOutEvent {
            ticket,
            event: FanOutEvent::Finished("ci".into(), ended(0, "")),
        },
    );
    assert!(
        update(&mut m, Msg::FanOut(FanOutMsg::Rerun)).is_empty(),
        "not while it runs"
    );
    let _ = update(
        &mut m,
        Msg::FanOutEvent {
            ticket,
            event: FanOutEvent::Finished("k8s".into(), ended(255, "")),
        },
    );
    let _ = update(
        &mut m,
        Msg::FanOutDone {
            ticket,
            result: Ok(()),
        },
    );
    let effects = update(&mut m, Msg::FanOut(FanOutMsg::Rerun));
    assert_eq!(
        effects,
        vec![Effect::FanOut {
            ticket: ticket + 1,
            profiles: vec!["k8s".into()],
            command: "aws s3 ls".into()
        }]
    );
    let r = results(&m);
    assert_eq!(r.ticket, ticket + 1);
    assert_eq!(
        r.rows[0].state,
        RowState::Done(ended(0, "")),
        "ok rows stay"
    );
    assert_eq!(r.rows[1].state, RowState::Waiting);
}

#[test]
fn esc_hides_the_results_the_run_goes_on_and_j_shows_them_again() {
    let mut m = demo();
    let ticket = run_on_two(&mut m, "true");
    let _ = update(&mut m, Msg::FanOut(FanOutMsg::Close));
    assert_eq!(m.mode(), Mode::Normal);
    // No second run while this one goes on behind the list.
    let _ = update(&mut m, Msg::OpenRun);
    assert_eq!(m.mode(), Mode::Normal);
    assert!(
        m.status
            .as_deref()
            .unwrap()
            .contains("still going: J shows it")
    );
    let _ = update(
        &mut m,
        Msg::FanOutEvent {
            ticket,
            event: FanOutEvent::Finished("ci".into(), ended(0, "")),
        },
    );
    let _ = update(
        &mut m,
        Msg::FanOutDone {
            ticket,
            result: Ok(()),
        },
    );
    assert!(
        m.status.as_deref().unwrap().contains("1 ok, 1 failed"),
        "{:?}",
        m.status
    );
    let _ = update(&mut m, Msg::ShowResults);
    let r = results(&m);
    assert_eq!(r.rows[0].state, RowState::Done(ended(0, "")));
    assert!(
        matches!(&r.rows[1].state, RowState::Done(e) if e.status == Status::Cancelled),
        "a row the run never reported is not left running"
    );
}

#[test]
fn without_marks_bang_still_lends_the_terminal_to_the_selected_profile() {
    let mut m = demo();
    select(&mut m, "ci");
    let _ = update(&mut m, Msg::OpenRun);
    for c in "env".chars() {
        let _ = update(&mut m, Msg::Run(RunMsg::Edit(Edit::Insert(c))));
    }
    let effects = update(&mut m, Msg::Run(RunMsg::Submit));
    assert!(matches!(
        effects.first(),
        Some(Effect::RunCommand { profile, .. }) if profile == "ci"
    ));
}
