//! The onboarding as a sequence of messages: no terminal, no network.

use super::*;
use crate::credential::cache::Caches;
use crate::sso::portal::{Account, Assignment};
use crate::tui::input::Edit;
use crate::tui::model::Mode;
use crate::tui::onboard::Focus;
use crate::tui::update::update;
use crate::workspace::Workspace;

fn model() -> Model {
    let mut m = Model::new(
        &Workspace::demo(),
        Caches::default(),
        Default::default(),
        crate::clock::now(),
    );
    m.demo = false;
    m
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        let _ = update(m, Msg::Onboard(OnboardMsg::Edit(Edit::Insert(c))));
    }
}

fn clear(m: &mut Model) {
    let _ = update(m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    assert!(m.onboard().unwrap().input.text().is_empty());
}

fn roles() -> Vec<Assignment> {
    ["Admin", "ReadOnly"]
        .iter()
        .flat_map(|r| {
            ["Prod", "Dev"]
                .iter()
                .enumerate()
                .map(move |(i, n)| Assignment {
                    account: Account {
                        id: format!("00000000000{i}"),
                        name: n.to_string(),
                        email: String::new(),
                    },
                    role: r.to_string(),
                })
        })
        .collect()
}

/// Answers the three questions; returns the login's ticket.
fn answered(m: &mut Model) -> u64 {
    let _ = update(m, Msg::OpenOnboard);
    assert_eq!(m.mode(), Mode::Onboard);
    // The demo's sso-session is offered first; below it, a new one.
    assert_eq!(m.onboard().unwrap().stage, Stage::Reuse(0));
    let _ = update(m, Msg::Onboard(OnboardMsg::Move(1)));
    let _ = update(m, Msg::Onboard(OnboardMsg::Move(1)));
    assert_eq!(m.onboard().unwrap().stage, Stage::Reuse(1), "no further");
    let _ = update(m, Msg::Onboard(OnboardMsg::Next));
    assert_eq!(m.onboard().unwrap().stage, Stage::Ask(Question::StartUrl));
    typed(m, "corp.example");
    let _ = update(m, Msg::Onboard(OnboardMsg::Next));
    assert!(
        m.onboard()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("https://")
    );
    clear(m);
    typed(m, "https://corp.awsapps.com/start");
    let _ = update(m, Msg::Onboard(OnboardMsg::Next));
    let offered = &m.onboard().unwrap().input;
    assert_eq!(offered.text(), "us-east-1", "a region is offered");
    assert!(offered.is_selected(), "selected: typing replaces it");
    // The slip: the offered region typed after itself is refused.
    let _ = update(m, Msg::Onboard(OnboardMsg::Edit(Edit::End)));
    typed(m, "us-east-1");
    let _ = update(m, Msg::Onboard(OnboardMsg::Next));
    assert_eq!(
        m.onboard().unwrap().error.as_deref(),
        Some("'us-east-1us-east-1' is not a region; did you mean us-east-1?")
    );
    let _ = update(m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    typed(m, "eu-west-1");
    let _ = update(m, Msg::Onboard(OnboardMsg::Next));
    assert_eq!(
        m.onboard().unwrap().input.text(),
        "corp",
        "a name from the URL is offered"
    );
    let effects = update(m, Msg::Onboard(OnboardMsg::Next));
    let [Effect::Login { ticket, cfg, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(cfg.session.as_deref(), Some("corp"));
    assert_eq!(cfg.region, "eu-west-1");
    assert_eq!(m.mode(), Mode::Login);
    *ticket
}

#[test]
fn questions_login_listing_pick_preview_and_save() {
    let mut m = model();
    let ticket = answered(&mut m);
    let effects = update(
        &mut m,
        Msg::LoginFinished {
            ticket,
            result: Ok("logged in".into()),
        },
    );
    assert!(matches!(&effects[..], [Effect::ListAssignments { ticket: t, .. }] if *t == ticket));
    assert!(m.login_view().is_none());
    // A late listing of another ticket changes nothing.
    let _ = update(
        &mut m,
        Msg::OnboardListed {
            ticket: ticket + 7,
            result: Ok(roles()),
        },
    );
    assert_eq!(m.onboard().unwrap().stage, Stage::Listing(ticket));
    let _ = update(
        &mut m,
        Msg::OnboardListed {
            ticket,
            result: Ok(roles()),
        },
    );
    assert_eq!(m.onboard().unwrap().stage, Stage::Pick(Focus::Filter));
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Next));
    assert!(
        m.onboard()
            .unwrap()
            .error
            .as_deref()
            .unwrap()
            .contains("pick at least one"),
        "nothing is checked at first"
    );
    typed(&mut m, "ReadOnly");
    assert_eq!(m.onboard().unwrap().shown().len(), 2);
    // To the table: a checks every row shown.
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    typed(&mut m, "a");
    assert_eq!(m.onboard().unwrap().picked().len(), 2);
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    typed(&mut m, "{session}-{account_name}");
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Next));
    let Stage::Preview(files, plan) = &m.onboard().unwrap().stage else {
        panic!()
    };
    assert_eq!(
        plan.add.iter().map(|w| w.name.as_str()).collect::<Vec<_>>(),
        ["corp-Prod", "corp-Dev"]
    );
    let text = files.config.text().to_string();
    assert!(
        text.starts_with(m.files.config.text()),
        "the demo's lines stay as they were"
    );
    assert!(text.contains("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"));
    let effects = update(&mut m, Msg::Onboard(OnboardMsg::Next));
    assert!(matches!(&effects[..], [Effect::Save { undo: Some(_), .. }]));
    assert!(m.onboard().is_none());
    assert_eq!(m.mode(), Mode::Normal);
}

#[test]
fn a_cancelled_or_failed_login_goes_back_to_the_questions() {
    let mut m = model();
    let ticket = answered(&mut m);
    let _ = update(&mut m, Msg::LoginCancel);
    let o = m.onboard().unwrap();
    assert_eq!(o.stage, Stage::Ask(Question::Session));
    assert_eq!(m.mode(), Mode::Onboard);
    // The cancelled login's result arrives late: ignored.
    let _ = update(
        &mut m,
        Msg::LoginFinished {
            ticket,
            result: Ok("late".into()),
        },
    );
    assert_eq!(m.onboard().unwrap().stage, Stage::Ask(Question::Session));
    let ticket = match &update(&mut m, Msg::Onboard(OnboardMsg::Next))[..] {
        [Effect::Login { ticket, .. }] => *ticket,
        other => panic!("{other:?}"),
    };
    let _ = update(
        &mut m,
        Msg::LoginFinished {
            ticket,
            result: Err("denied".into()),
        },
    );
    let o = m.onboard().unwrap();
    assert_eq!(o.error.as_deref(), Some("denied"));
    assert_eq!(o.stage, Stage::Ask(Question::Session));
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Cancel));
    assert!(m.onboard().is_none());
    assert!(m.status.as_deref().unwrap().contains("nothing written"));
}

#[test]
fn the_demo_is_not_set_up() {
    let mut m = model();
    m.demo = true;
    let _ = update(&mut m, Msg::OpenOnboard);
    assert!(m.onboard().is_none());
}

#[test]
fn the_picker_checks_rows_one_by_one_and_matches_precisely() {
    let mut m = model();
    let _ = answered(&mut m);
    let mut o = crate::tui::onboard::Onboard::new();
    o.session = "corp".into();
    o.assignments = (0..50u64)
        .flat_map(|i| {
            ["AdministratorAccess", "ReadOnlyAccess", "PowerUser"].map(|role| Assignment {
                account: Account {
                    id: format!("{}", 100_000_000_000u64 + i),
                    name: format!("acct-{i}"),
                    email: String::new(),
                },
                role: role.to_string(),
            })
        })
        .collect();
    o.stage = Stage::Pick(Focus::Filter);
    m.overlay = crate::tui::overlay::Overlay::Onboard(Box::new(o));
    let shown = |m: &Model| m.onboard().unwrap().shown().len();
    assert_eq!(shown(&m), 150);
    // An id matches exactly or by prefix, not acct-10's.
    typed(&mut m, "100000000001");
    assert_eq!(shown(&m), 3);
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    typed(&mut m, "10000000000");
    assert_eq!(shown(&m), 30, "a prefix: accounts 0-9");
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    // Names as words, AND the role.
    typed(&mut m, "acct-1 admin");
    assert_eq!(shown(&m), 1);
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    // The generated profile name, as shown.
    typed(&mut m, "acct-7.");
    assert_eq!(shown(&m), 3);
    // Space on three rows: exactly those are picked.
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    typed(&mut m, " ");
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Move(2)));
    typed(&mut m, " ");
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::DeleteToStart)));
    typed(&mut m, "acct-42 power");
    let _ = update(&mut m, Msg::Onboard(OnboardMsg::SwitchField));
    typed(&mut m, " ");
    let picked: Vec<String> = m
        .onboard()
        .unwrap()
        .picked()
        .iter()
        .map(|a| format!("{}.{}", a.account.name, a.role))
        .collect();
    assert_eq!(
        picked,
        [
            "acct-7.AdministratorAccess",
            "acct-7.PowerUser",
            "acct-42.PowerUser"
        ]
    );
    // Space again unchecks; A unchecks everything.
    typed(&mut m, " ");
    assert_eq!(m.onboard().unwrap().picked().len(), 2);
    typed(&mut m, "A");
    assert!(m.onboard().unwrap().picked().is_empty());
}

#[test]
fn unknown_placeholders_are_refused_with_the_known_ones() {
    use crate::tui::onboard::check_template;
    assert!(check_template("{session}-{account_name}.{role_name}").is_ok());
    let e = check_template("{account_name}-{foo}").unwrap_err();
    assert!(e.contains("{foo}") && e.contains("{account_id}"), "{e}");
    assert!(check_template("{account_name").is_err());
}

#[test]
fn an_existing_sso_session_is_offered_first_and_logs_in_at_once() {
    let mut m = model();
    let _ = update(&mut m, Msg::OpenOnboard);
    let o = m.onboard().unwrap();
    assert_eq!(
        o.existing,
        [(
            "acme".to_string(),
            "https://acme.awsapps.com/start".to_string(),
            "us-east-1".to_string()
        )]
    );
    let effects = update(&mut m, Msg::Onboard(OnboardMsg::Next));
    let [Effect::Login { cfg, .. }] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(cfg.session.as_deref(), Some("acme"));
    assert_eq!(cfg.start_url, "https://acme.awsapps.com/start");
    assert_eq!(cfg.region, "us-east-1");
    assert_eq!(m.mode(), Mode::Login);
}
