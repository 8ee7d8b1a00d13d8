//! State-machine tests: the selection is a profile, not a row number. Each test
//! drives `update` with messages and checks which profile is selected and that
//! its row is on screen.

use super::test_support::{demo, select, selected};
use super::{ConfirmMsg, Effect, FilterMsg, FormMsg, Loaded, Msg, PromptMsg, update};
use crate::tui::model::Model;

fn names(m: &Model) -> Vec<String> {
    m.visible
        .iter()
        .map(|v| m.name_of(&m.entries[v.entry]).to_string())
        .collect()
}

fn filter(m: &mut Model, text: &str) {
    let _ = update(m, Msg::StartFilter);
    for c in text.chars() {
        let _ = update(
            m,
            Msg::Filter(FilterMsg::Edit(crate::tui::input::Edit::Insert(c))),
        );
    }
}

/// The selected row is one of the rows drawn.
fn assert_on_screen(m: &Model) {
    let rows = usize::from(m.areas.list_rows());
    assert!(
        m.selected >= m.offset && m.selected < m.offset + rows,
        "row {} is not within {}..{}",
        m.selected,
        m.offset,
        m.offset + rows
    );
}

/// Saves whatever the last effect asked to write and reports back as the loop does.
fn land(m: &mut Model, effects: Vec<Effect>) {
    let [Effect::Save { files, undo }] = effects.as_slice() else {
        panic!("expected one save: {effects:?}")
    };
    let _ = update(
        m,
        Msg::Saved {
            loaded: Box::new(Loaded {
                set: files.profile_set(),
                files: (**files).clone(),
            }),
            undo: undo.clone(),
            report: "saved".into(),
        },
    );
}

#[test]
fn moving_in_a_filter_then_clearing_it_keeps_the_profile() {
    // The steps: /dev, Enter, j, Esc.
    let mut m = demo();
    filter(&mut m, "dev");
    let _ = update(&mut m, Msg::Filter(FilterMsg::Accept));
    let _ = update(&mut m, Msg::Down);
    let chosen = selected(&m);
    assert_ne!(chosen, names(&m)[0]);
    let _ = update(&mut m, Msg::Filter(FilterMsg::Cancel));
    assert_eq!(m.visible.len(), m.entries.len(), "the filter is cleared");
    assert_eq!(selected(&m), chosen);
    assert_on_screen(&m);
}

#[test]
fn a_filter_that_still_shows_the_selection_keeps_it() {
    let mut m = demo();
    select(&mut m, "dev-admin");
    filter(&mut m, "a");
    assert!(names(&m).len() > 1 && names(&m)[0] != "dev-admin");
    assert_eq!(selected(&m), "dev-admin");
}

#[test]
fn a_filter_that_hides_the_selection_selects_the_best_match_which_stays() {
    let mut m = demo();
    select(&mut m, "vault");
    filter(&mut m, "audt");
    assert_eq!(selected(&m), "audit");
    let _ = update(&mut m, Msg::Filter(FilterMsg::Cancel));
    assert_eq!(selected(&m), "audit", "what was highlighted stays selected");
}

#[test]
fn a_filter_with_no_match_remembers_the_selection() {
    let mut m = demo();
    select(&mut m, "local-dynamo");
    filter(&mut m, "zzzzqq");
    assert!(m.visible.is_empty() && m.selected_entry().is_none());
    let _ = update(&mut m, Msg::Filter(FilterMsg::Cancel));
    assert_eq!(selected(&m), "local-dynamo");
    assert_on_screen(&m);
}

#[test]
fn sorting_and_grouping_keep_the_profile_and_scroll_to_it() {
    let mut m = demo();
    select(&mut m, "vault");
    for msg in [
        Msg::CycleSort,
        Msg::CycleSort,
        Msg::CycleGroup,
        Msg::CycleGroup,
    ] {
        let before = m.selected;
        let _ = update(&mut m, msg.clone());
        assert_eq!(selected(&m), "vault", "after {msg:?} (was row {before})");
        assert_on_screen(&m);
    }
}

#[test]
fn reloading_keeps_the_profile_even_when_its_row_moves() {
    let mut m = demo();
    select(&mut m, "k8s");
    let row = m.selected;
    // Another program added a profile that sorts first.
    let mut files = m.files.clone();
    crate::profile::edit::add_profile(
        &mut files,
        "aaa-first",
        &[("region".to_string(), "eu-west-1".to_string())],
    )
    .unwrap();
    let _ = update(
        &mut m,
        Msg::Loaded(Box::new(Loaded {
            set: files.profile_set(),
            files,
        })),
    );
    assert_eq!(m.selected, row + 1);
    assert_eq!(selected(&m), "k8s");
}

#[test]
fn saving_an_edit_keeps_the_profile() {
    let mut m = demo();
    select(&mut m, "dev-admin");
    let _ = update(&mut m, Msg::OpenForm);
    let _ = update(&mut m, Msg::Form(FormMsg::Clear)); // role_arn
    let _ = update(&mut m, Msg::Form(FormMsg::Submit));
    let effects = update(&mut m, Msg::Form(FormMsg::Confirm));
    land(&mut m, effects);
    assert_eq!(selected(&m), "dev-admin");
}

#[test]
fn deleting_selects_the_next_profile_or_the_previous_for_the_last_and_undo_brings_it_back() {
    let mut m = demo();
    select(&mut m, "ci");
    let next = names(&m)[m.selected + 1].clone();
    let _ = update(&mut m, Msg::DeleteProfile);
    let effects = update(&mut m, Msg::Confirm(ConfirmMsg::Yes));
    land(&mut m, effects);
    assert!(!names(&m).contains(&"ci".to_string()));
    assert_eq!(selected(&m), next, "the profile below takes its place");

    // Undo restores the profile and selects it again.
    let effects = update(&mut m, Msg::Undo);
    land(&mut m, effects);
    assert_eq!(selected(&m), "ci");

    // The last row: the one above it is selected.
    let _ = update(&mut m, Msg::Bottom);
    let last = selected(&m);
    let above = names(&m)[m.selected - 1].clone();
    let _ = update(&mut m, Msg::DeleteProfile);
    let effects = update(&mut m, Msg::Confirm(ConfirmMsg::Yes));
    land(&mut m, effects);
    assert!(!names(&m).contains(&last));
    assert_eq!(selected(&m), above);
    assert_on_screen(&m);
}

#[test]
fn undoing_a_rename_selects_the_old_name() {
    let mut m = demo();
    select(&mut m, "audit");
    let _ = update(&mut m, Msg::RenameProfile);
    let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit)); // the old name, still selected: refused
    super::test_support::type_text(&mut m, "zz-audit");
    let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
    let effects = update(&mut m, Msg::Confirm(ConfirmMsg::Yes));
    land(&mut m, effects);
    assert_eq!(selected(&m), "zz-audit");
    assert_on_screen(&m);
    let effects = update(&mut m, Msg::Undo);
    land(&mut m, effects);
    assert_eq!(selected(&m), "audit");
}

#[test]
fn resizing_keeps_the_selected_row_on_screen() {
    let mut m = demo();
    select(&mut m, "vault");
    let _ = update(&mut m, Msg::Resize(80, 8));
    assert_eq!(selected(&m), "vault");
    assert_on_screen(&m);
    let _ = update(&mut m, Msg::Resize(120, 40));
    assert_eq!((selected(&m), m.offset), ("vault".to_string(), 0));
}
