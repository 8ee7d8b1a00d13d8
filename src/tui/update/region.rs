//! The region chooser's share of [`update`](super::update): typing filters
//! the known regions, ↑/↓ move, Enter takes the highlighted one (or keeps the
//! typed text when none matches), Esc closes the list keeping the text. The
//! chooser sits under the form's region field or the SSO setup's region
//! question; this module routes its messages to whichever is open.

use crate::tui::model::Model;
use crate::tui::overlay::Overlay;

use super::{Effect, Msg, OnboardMsg, RegionMsg};

/// The chooser's share of `update`.
pub(super) fn region_update(model: &mut Model, msg: RegionMsg) -> Vec<Effect> {
    model.mark_dirty();
    match &mut model.overlay {
        Overlay::Form(form) => {
            let form = &mut **form;
            let (Some(input), Some(chooser), Some(field)) = (
                &mut form.input,
                &mut form.region,
                form.fields.get_mut(form.focus),
            ) else {
                return Vec::new();
            };
            match msg {
                RegionMsg::Edit(edit) => {
                    if input.apply(edit) {
                        chooser.edited();
                        field.value = input.text().to_string();
                    }
                }
                RegionMsg::Move(down) => chooser.step(input, down),
                RegionMsg::Close => form.region = None,
                RegionMsg::Pick => {
                    chooser.pick(input);
                    field.value = input.text().to_string();
                    form.region = None;
                    form.input = None;
                    form.typing = None;
                }
            }
            form.validate(&model.set);
            Vec::new()
        }
        Overlay::Onboard(o) => {
            let Some(chooser) = &mut o.region_pick else {
                return Vec::new();
            };
            match msg {
                RegionMsg::Edit(edit) => {
                    if o.input.apply(edit) {
                        chooser.edited();
                    }
                }
                RegionMsg::Move(down) => chooser.step(&o.input, down),
                RegionMsg::Close => o.region_pick = None,
                RegionMsg::Pick => {
                    chooser.pick(&mut o.input);
                    o.region_pick = None;
                    // Accepted as if typed: the same check, then the next question.
                    return super::onboard::onboard_update(model, Msg::Onboard(OnboardMsg::Next));
                }
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{demo, select};
    use super::super::{FormMsg, Msg, OnboardMsg, RegionMsg, update};
    use crate::tui::input::Edit;
    use crate::tui::model::{Mode, Model};
    use crate::tui::onboard::{Question, Stage};

    fn region_field(m: &mut Model) {
        let _ = update(m, Msg::OpenForm);
        while {
            let f = m.form().unwrap();
            f.fields[f.focus].key != "region"
        } {
            let _ = update(m, Msg::Form(FormMsg::Down));
        }
        let _ = update(m, Msg::Form(FormMsg::StartTyping));
    }

    fn typed(m: &mut Model, text: &str) {
        for c in text.chars() {
            let _ = update(m, Msg::Region(RegionMsg::Edit(Edit::Insert(c))));
        }
    }

    fn region(m: &Model) -> String {
        let f = m.form().unwrap();
        f.fields
            .iter()
            .find(|f| f.key == "region")
            .unwrap()
            .value
            .clone()
    }

    #[test]
    fn the_form_region_is_chosen_from_the_known_regions_typing_filters() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        region_field(&mut m);
        assert_eq!(
            m.mode(),
            Mode::RegionPick,
            "the chooser opens with the field"
        );
        typed(&mut m, "eu-w");
        let _ = update(&mut m, Msg::Region(RegionMsg::Move(true)));
        let _ = update(&mut m, Msg::Region(RegionMsg::Move(true)));
        let _ = update(&mut m, Msg::Region(RegionMsg::Move(false)));
        let _ = update(&mut m, Msg::Region(RegionMsg::Pick));
        assert_eq!(m.mode(), Mode::Form, "picking ends the typing");
        assert_eq!(region(&m), "eu-west-2");
        assert!(m.form().unwrap().fields.iter().all(|f| f.error.is_none()));

        // A region of the right shape rolecall does not know: kept, with a note.
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        typed(&mut m, "ap-newplace-9");
        let _ = update(&mut m, Msg::Region(RegionMsg::Pick));
        assert_eq!(region(&m), "ap-newplace-9");
        let f = m.form().unwrap();
        let field = f.fields.iter().find(|f| f.key == "region").unwrap();
        assert!(field.error.is_none() && field.note.is_some(), "{field:?}");

        // Esc closes the list and keeps the text; typing opens it again.
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        typed(&mut m, "eu");
        let _ = update(&mut m, Msg::Region(RegionMsg::Close));
        assert_eq!(m.mode(), Mode::FormInput);
        assert_eq!(region(&m), "eu");
        let _ = update(&mut m, Msg::Form(FormMsg::Edit(Edit::Insert('-'))));
        assert_eq!(m.mode(), Mode::RegionPick);
        let _ = update(&mut m, Msg::Region(RegionMsg::Close));
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        assert_eq!(region(&m), "eu-");
        let f = m.form().unwrap();
        let field = f.fields.iter().find(|f| f.key == "region").unwrap();
        assert!(field.error.is_some(), "not a region: refused, {field:?}");

        // Emptied, Enter keeps it empty: the save removes the key.
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        let _ = update(&mut m, Msg::Region(RegionMsg::Edit(Edit::DeleteToStart)));
        let _ = update(&mut m, Msg::Region(RegionMsg::Pick));
        assert_eq!((m.mode(), region(&m).as_str()), (Mode::Form, ""));
    }

    #[test]
    fn the_sso_setup_region_is_chosen_the_same_way() {
        let mut m = demo();
        m.demo = false;
        let _ = update(&mut m, Msg::OpenOnboard);
        let _ = update(&mut m, Msg::Onboard(OnboardMsg::Move(1)));
        let _ = update(&mut m, Msg::Onboard(OnboardMsg::Next));
        for c in "https://corp.awsapps.com/start".chars() {
            let _ = update(&mut m, Msg::Onboard(OnboardMsg::Edit(Edit::Insert(c))));
        }
        let _ = update(&mut m, Msg::Onboard(OnboardMsg::Next));
        assert_eq!(m.mode(), Mode::RegionPick);
        // The offered us-east-1 is highlighted in the whole list; one down.
        let _ = update(&mut m, Msg::Region(RegionMsg::Move(true)));
        let _ = update(&mut m, Msg::Region(RegionMsg::Pick));
        let o = m.onboard().unwrap();
        assert_eq!(o.region, "us-east-2");
        assert_eq!(o.stage, Stage::Ask(Question::Session));
        assert_eq!(m.mode(), Mode::Onboard);
    }
}
