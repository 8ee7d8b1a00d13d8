//! Tests of `update` on the list, filter, help, doctor, reload, settings and
//! welcome messages.

use super::test_support::{demo, select, selected};
use super::*;
use crate::tui::model::Mode;
use crate::tui::update::{ConfirmMsg, KindMsg};
use crate::workspace::Workspace;
use std::time::UNIX_EPOCH;

#[test]
fn in_the_picker_enter_picks_and_quits() {
    let mut m = demo();
    m.picker = true;
    let _ = update(&mut m, Msg::Down);
    let name = selected(&m);
    let _ = update(&mut m, Msg::OpenForm);
    assert_eq!((m.picked.as_deref(), m.quit), (Some(name.as_str()), true));
    assert!(m.form().is_none());
}

#[test]
fn in_the_exec_picker_enter_with_marks_picks_the_marked_rows() {
    let mut m = demo();
    m.picker = true;
    // The shell's picker takes one profile: marks do not change Enter.
    select(&mut m, "ci");
    let _ = update(&mut m, Msg::ToggleMark);
    let _ = update(&mut m, Msg::OpenForm);
    assert!(m.picked_marks.is_empty() && m.picked.is_some());
    let mut m = demo();
    m.picker = true;
    m.pick_many = true;
    select(&mut m, "vault");
    let _ = update(&mut m, Msg::ToggleMark);
    select(&mut m, "ci");
    let _ = update(&mut m, Msg::ToggleMark);
    let _ = update(&mut m, Msg::OpenForm);
    assert_eq!(m.picked_marks, ["ci", "vault"]);
    assert!(m.quit && m.picked.is_none());
}

#[test]
fn moves_and_scrolls_within_bounds() {
    let mut m = demo();
    assert_eq!(selected(&m), "acme-dev.Developer");
    let _ = update(&mut m, Msg::Up);
    assert_eq!(m.selected, 0);
    let _ = update(&mut m, Msg::Bottom);
    assert_eq!(m.selected, m.visible.len() - 1);
    assert!(m.offset > 0, "the last row is scrolled into view");
    assert!(m.selected < m.offset + usize::from(m.areas.list_rows()));
    let _ = update(&mut m, Msg::Down);
    assert_eq!(m.selected, m.visible.len() - 1);
    let _ = update(&mut m, Msg::Top);
    assert_eq!((m.selected, m.offset), (0, 0));
}

#[test]
fn filter_narrows_highlights_and_escape_clears() {
    let mut m = demo();
    let _ = update(&mut m, Msg::StartFilter);
    for c in "audt".chars() {
        let _ = update(&mut m, Msg::Filter(FilterMsg::Edit(Edit::Insert(c))));
    }
    assert_eq!(selected(&m), "audit");
    assert_eq!(m.matched(&m.entries[m.visible[0].entry]), vec![0, 1, 2, 4]);
    let _ = update(&mut m, Msg::Filter(FilterMsg::Accept));
    assert_eq!((m.mode(), m.filter.text()), (Mode::Normal, "audt"));
    let _ = update(&mut m, Msg::StartFilter);
    let _ = update(&mut m, Msg::Filter(FilterMsg::Cancel));
    assert!(m.filter.text().is_empty());
    assert_eq!(m.visible.len(), m.entries.len());
}

#[test]
fn filter_searches_account_ids_too() {
    let mut m = demo();
    for c in "222222".chars() {
        let _ = update(&mut m, Msg::Filter(FilterMsg::Edit(Edit::Insert(c))));
    }
    assert_eq!(m.visible.len(), 1);
    assert_eq!(selected(&m), "acme-prod.ReadOnly");
    assert!(m.matched(&m.entries[m.visible[0].entry]).is_empty());
}

#[test]
fn reload_is_an_effect_and_keeps_the_selection() {
    let mut m = demo();
    let _ = update(&mut m, Msg::Down);
    let name = selected(&m);
    assert_eq!(
        update(&mut m, Msg::Reload),
        vec![Effect::Reload, Effect::ReadCaches]
    );
    let ws = Workspace::demo();
    let _ = update(
        &mut m,
        Msg::Loaded(Box::new(Loaded {
            set: ws.view(),
            files: ws.files(),
        })),
    );
    assert_eq!(selected(&m), name);
}

#[test]
fn files_changed_elsewhere_reload_unless_an_edit_is_open() {
    let mut m = demo();
    assert_eq!(update(&mut m, Msg::FilesChanged), vec![Effect::Reload]);
    let _ = update(&mut m, Msg::OpenForm);
    assert!(update(&mut m, Msg::FilesChanged).is_empty());
    assert!(m.status.as_deref().unwrap().contains("refused"));
}

#[test]
fn doctor_runs_on_the_selected_profile() {
    let mut m = demo();
    let name = m.selected_name().unwrap().to_string();
    assert_eq!(
        update(&mut m, Msg::OpenDoctor),
        vec![Effect::Diagnose(name)]
    );
    assert_eq!(
        m.mode(),
        Mode::Normal,
        "the panel opens when the report is in"
    );
}

#[test]
fn help_returns_to_where_it_was_opened() {
    let mut m = demo();
    let _ = update(&mut m, Msg::OpenForm);
    let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
    assert_eq!(m.mode(), Mode::Help);
    let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
    assert_eq!(m.mode(), Mode::Form);
}

#[test]
fn clicks_select_rows_and_sort_cycles() {
    let mut m = demo();
    let _ = update(&mut m, Msg::ClickRow(2));
    assert_eq!(m.selected, 2);
    let _ = update(&mut m, Msg::ClickRow(99));
    assert_eq!(m.selected, 2);
    let _ = update(&mut m, Msg::CycleSort);
    let kinds: Vec<_> = m
        .visible
        .iter()
        .map(|v| m.entries[v.entry].kind().to_string())
        .collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
}

#[test]
fn status_messages_expire_after_a_few_seconds() {
    use std::time::Duration;
    let mut m = demo();
    let t = |s| UNIX_EPOCH + Duration::from_secs(s);
    let _ = update(&mut m, Msg::Status("saved".into()));
    let _ = update(&mut m, Msg::Tick(t(1)));
    let _ = update(&mut m, Msg::Tick(t(5)));
    assert_eq!(m.status.as_deref(), Some("saved"), "still fresh");
    // A new message starts its own time.
    let _ = update(&mut m, Msg::Status("reloaded".into()));
    let _ = update(&mut m, Msg::Tick(t(6)));
    let _ = update(
        &mut m,
        Msg::Tick(t(6) + STATUS_FOR - Duration::from_secs(1)),
    );
    assert_eq!(m.status.as_deref(), Some("reloaded"));
    m.take_dirty();
    let _ = update(&mut m, Msg::Tick(t(6) + STATUS_FOR));
    assert_eq!(m.status, None);
    assert!(m.take_dirty(), "the status line is redrawn empty");
}

#[test]
fn ticks_redraw_only_when_a_countdown_on_screen_changes() {
    use crate::credential::cache::sso_token_file;
    use std::time::Duration;
    let mut m = demo();
    let mut caches = Caches::default();
    let expires = UNIX_EPOCH + Duration::from_secs(7200);
    caches.sso_tokens.insert(sso_token_file("acme"), expires);
    let _ = update(&mut m, Msg::CachesRead(Box::new(caches), UNIX_EPOCH));
    m.take_dirty();
    // 2h00m → 1h59m: a visible change.
    assert_eq!(
        update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(1))),
        vec![Effect::CheckFiles]
    );
    assert!(m.take_dirty());
    // Still 1h59m a second later: no redraw.
    let _ = update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(2)));
    assert!(!m.take_dirty());
    // Ten seconds after the last read, the caches are read again.
    assert_eq!(
        update(&mut m, Msg::Tick(UNIX_EPOCH + CACHE_REFRESH)),
        vec![Effect::CheckFiles, Effect::ReadCaches]
    );
}

#[test]
fn sort_cycles_through_recent_use_and_grouping_gathers_rows() {
    use std::time::Duration;
    let mut m = demo();
    m.recent
        .record("vault", UNIX_EPOCH + Duration::from_secs(10));
    m.recent.record("ci", UNIX_EPOCH + Duration::from_secs(20));
    let _ = update(&mut m, Msg::CycleSort);
    let _ = update(&mut m, Msg::CycleSort);
    assert_eq!(m.sort, super::super::model::Sort::Recent);
    let names: Vec<_> = m
        .visible
        .iter()
        .map(|v| m.name_of(&m.entries[v.entry]))
        .collect();
    assert_eq!(&names[..3], ["ci", "vault", "acme-dev.Developer"]);
    // A use moves the profile to the top and keeps it selected.
    select(&mut m, "audit");
    m.now = UNIX_EPOCH + Duration::from_secs(30);
    let _ = update(&mut m, Msg::CopyExport);
    assert_eq!((m.selected, selected(&m).as_str()), (0, "audit"));
    let _ = update(&mut m, Msg::CycleSort);
    assert_eq!(m.sort, super::super::model::Sort::Name);

    select(&mut m, "vault");
    let _ = update(&mut m, Msg::CycleGroup);
    assert_eq!(selected(&m), "vault", "regrouping keeps the selection");
    let sessions: Vec<_> = m
        .visible
        .iter()
        .map(|v| super::super::model::Group::SsoSession.key(&m.set, &m.entries[v.entry]))
        .collect();
    assert_eq!(&sessions[..2], [Some("acme"), Some("acme")]);
    assert!(sessions[2..].iter().all(Option::is_none));
    let _ = update(&mut m, Msg::CycleGroup);
    let accounts: Vec<_> = m
        .visible
        .iter()
        .map(|v| super::super::model::Group::Account.key(&m.set, &m.entries[v.entry]))
        .collect();
    let mut sorted = accounts.clone();
    sorted.sort_by_key(|a| (a.is_none(), *a));
    assert_eq!(accounts, sorted);
    assert_eq!(
        accounts
            .iter()
            .filter(|a| **a == Some("333333333333"))
            .count(),
        2,
        "dev-admin and local-dynamo share an account"
    );
    let _ = update(&mut m, Msg::CycleGroup);
    assert_eq!(m.group, super::super::model::Group::None);
}

fn empty() -> Model {
    let ws = Workspace {
        demo: false,
        ..Workspace::demo()
    };
    let empty = crate::store::StoredFile::in_memory("/h/.aws/config".into(), "");
    let ws = Workspace {
        config: empty.clone(),
        credentials: empty,
        ..ws
    };
    let mut m = Model::new(&ws, Caches::default(), Default::default(), UNIX_EPOCH);
    let _ = update(&mut m, Msg::Resize(120, 30));
    m
}

#[test]
fn no_profiles_opens_on_welcome_and_d_opens_the_demo() {
    let mut m = empty();
    assert_eq!(m.mode(), Mode::Welcome);
    let _ = update(&mut m, Msg::NewProfile);
    assert_eq!(m.mode(), Mode::Prompt);
    let _ = update(&mut m, Msg::Prompt(PromptMsg::Cancel));
    assert_eq!(
        m.mode(),
        Mode::Welcome,
        "cancelling goes back to the welcome"
    );
    assert_eq!(update(&mut m, Msg::OpenDemo), vec![Effect::OpenDemo]);
    let ws = Workspace::demo();
    let _ = update(
        &mut m,
        Msg::DemoOpened {
            loaded: Box::new(Loaded {
                set: ws.view(),
                files: ws.files(),
            }),
            caches: Box::default(),
            paths: ("<demo>/config".into(), "<demo>/credentials".into()),
        },
    );
    assert_eq!(m.mode(), Mode::Normal);
    assert!(m.demo && !m.welcome());
    assert_eq!(m.entries.len(), demo().entries.len());
}

#[test]
fn the_first_profile_leaves_the_welcome_screen() {
    let mut m = empty();
    let _ = update(&mut m, Msg::NewProfile);
    for c in "first".chars() {
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Edit(Edit::Insert(c))));
    }
    let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
    let _ = update(&mut m, Msg::Kind(KindMsg::Move(false)));
    let _ = update(&mut m, Msg::Confirm(ConfirmMsg::Cancel));
    assert_eq!(
        (
            m.mode(),
            !matches!(m.overlay, crate::tui::overlay::Overlay::KindPick { .. })
        ),
        (Mode::Welcome, true)
    );
    let ws = Workspace::demo();
    let _ = update(
        &mut m,
        Msg::Saved {
            loaded: Box::new(Loaded {
                set: ws.view(),
                files: ws.files(),
            }),
            undo: None,
            report: "saved".into(),
        },
    );
    assert_eq!(m.mode(), Mode::Normal);
}

#[test]
fn settings_apply_keys_colours_and_commands_and_report_mistakes() {
    let mut m = demo();
    let settings = crate::settings::parse(
        "[theme]\ncolor = false\n[keys]\nquit = \"x\"\nnope = \"z\"\n[commands]\nsaved = [\"ls\"]\n",
        "config.toml",
    );
    m.apply_settings(&settings, false);
    assert_eq!(m.theme, super::super::view::Theme::plain());
    assert_eq!(m.commands, vec!["ls"]);
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let x = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    assert_eq!(m.keys.lookup(Mode::Normal, x), Some(Msg::Quit));
    assert!(
        m.status
            .as_deref()
            .unwrap()
            .starts_with("config.toml:5: keys.nope: no such action")
    );
    let colours = crate::settings::parse("[theme]\nselected = \"blue\"\n", "c");
    m.apply_settings(&colours, true);
    assert_eq!(m.theme, super::super::view::Theme::plain(), "NO_COLOR wins");
    m.apply_settings(&colours, false);
    assert_eq!(m.theme.selected.bg, Some(ratatui::style::Color::Blue));
}

fn help_scroll(m: &Model) -> u16 {
    match &m.overlay {
        Overlay::Help { scroll, .. } => *scroll,
        _ => 0,
    }
}

#[test]
fn help_scrolls_within_its_length() {
    let mut m = demo(); // 12 rows: help does not fit
    let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
    let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(false)));
    assert_eq!(help_scroll(&m), 0);
    for _ in 0..200 {
        let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(true)));
    }
    let max = help_scroll(&m);
    assert!(max > 0 && max < 200);
    let _ = update(&mut m, Msg::Help(HelpMsg::Scroll(false)));
    assert_eq!(help_scroll(&m), max - 1);
    let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
    let _ = update(&mut m, Msg::Help(HelpMsg::Toggle));
    assert_eq!(help_scroll(&m), 0, "help opens at the top");
}
