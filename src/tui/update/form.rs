//! The edit form's share of [`update`](super::update): moving between fields,
//! typing, cycling choices, previewing and confirming a save. The form's own
//! state and validation live in `tui::form`; this module only routes messages to
//! it and turns a confirmed preview into [`Effect::Save`].

use crate::profile::is_secret;
use crate::tui::form::Stage;
use crate::tui::input::TextInput;
use crate::tui::model::Model;
use crate::tui::overlay::Overlay;
use crate::tui::region::{Chooser, is_region_key};

use super::{Effect, FormMsg};

/// The form's share of `update`.
pub(super) fn form_update(model: &mut Model, msg: FormMsg) -> Vec<Effect> {
    let Overlay::Form(form) = &mut model.overlay else {
        return Vec::new();
    };
    let add_row = form.focus == form.fields.len();
    match msg {
        FormMsg::Up => form.focus = form.focus.saturating_sub(1),
        FormMsg::Down => form.focus = (form.focus + 1).min(form.fields.len()),
        FormMsg::StartTyping => {
            // The value is selected: typing replaces it, a cursor key keeps it.
            let (before, input) = match form.fields.get(form.focus) {
                Some(f) => (
                    f.value.clone(),
                    TextInput::prefilled(&f.value).masked(is_secret(&f.key)),
                ),
                None => (String::new(), TextInput::new()),
            };
            let region = form
                .fields
                .get(form.focus)
                .is_some_and(|f| is_region_key(&f.key));
            form.region = region.then(|| Chooser::open(&input));
            form.typing = Some(before);
            form.input = Some(input);
        }
        FormMsg::Edit(edit) => {
            if let Some(input) = &mut form.input
                && input.apply(edit)
                && !add_row
            {
                // Typing into a region field (re)opens its chooser.
                if is_region_key(&form.fields[form.focus].key) {
                    form.region = Some(Chooser::open(input));
                }
                form.fields[form.focus].value = input.text().to_string();
                form.validate(&model.set);
            }
        }
        FormMsg::StopTyping => {
            form.typing = None;
            form.region = None;
            let text = form.input.take().map(|i| i.text().to_string());
            if add_row && let Some(text) = text.filter(|t| !t.is_empty()) {
                form.message = form.add_key(&text).err();
            }
        }
        FormMsg::CancelTyping => {
            let before = form.typing.take().unwrap_or_default();
            form.input = None;
            form.region = None;
            if !add_row {
                form.fields[form.focus].value = before;
                form.validate(&model.set);
            }
        }
        FormMsg::Cycle(forward) => form.cycle(&model.set, forward),
        FormMsg::Clear => {
            if let Some(f) = form.fields.get_mut(form.focus) {
                f.value.clear();
                form.validate(&model.set);
            }
        }
        FormMsg::Submit => form.submit(&model.set, &model.files),
        FormMsg::Confirm => {
            if let Stage::Preview {
                files,
                keychain: Some(keys),
                ..
            } = &form.stage
            {
                return vec![Effect::SaveToKeychain {
                    profile: form.profile.clone(),
                    keys: keys.clone(),
                    files: files.clone(),
                    undo: Some(Box::new(model.files.clone())),
                }];
            }
            if let Stage::Preview { files, .. } = &form.stage {
                let effect = Effect::Save {
                    files: files.clone(),
                    undo: Some(Box::new(model.files.clone())),
                };
                return vec![effect];
            }
        }
        FormMsg::Back => form.stage = Stage::Fields,
        FormMsg::Close if form.changed() && !form.discard_asked => form.discard_asked = true,
        FormMsg::KeepEditing => form.discard_asked = false,
        FormMsg::ChangeKind => form.kind_pick = Some(0),
        FormMsg::KindMove(down) => {
            if let Some(at) = &mut form.kind_pick {
                let last = crate::tui::form::TEMPLATES.len() - 1;
                *at = if down {
                    (*at + 1).min(last)
                } else {
                    at.saturating_sub(1)
                };
            }
        }
        FormMsg::KindChoose => {
            if let Some(at) = form.kind_pick {
                form.change_kind(&model.set, at);
            }
        }
        FormMsg::KindCancel => form.kind_pick = None,
        FormMsg::SecretsTo => form.toggle_secrets_to(),
        FormMsg::Close => {
            model.close_overlay();
            model.select_after_save = None;
        }
    }
    model.mark_dirty();
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{demo, select, type_text};
    use super::super::{Loaded, update};
    use super::*;
    use crate::tui::model::Mode;
    use crate::tui::update::{KindMsg, Msg, PromptMsg};

    #[test]
    fn form_edit_preview_save_and_undo_as_effects() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::OpenForm);
        assert_eq!(m.mode(), Mode::Form);
        // role_arn is the first field: replace its last word.
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        assert_eq!(m.mode(), Mode::FormInput);
        let _ = update(
            &mut m,
            Msg::Form(FormMsg::Edit(crate::tui::input::Edit::End)),
        );
        for _ in 0..5 {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Backspace)),
            );
        }
        for c in "Owner".chars() {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        assert_eq!(m.mode(), Mode::Preview);
        let effects = update(&mut m, Msg::Form(FormMsg::Confirm));
        let [
            Effect::Save {
                files,
                undo: Some(before),
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert!(
            files
                .config
                .text()
                .contains("role_arn = arn:aws:iam::333333333333:role/Owner\n")
        );
        assert_eq!(**before, m.files);
        // The loop saves and reports back; then undo asks to write the old files.
        let loaded = Loaded {
            set: files.profile_set(),
            files: (**files).clone(),
        };
        let _ = update(
            &mut m,
            Msg::Saved {
                loaded: Box::new(loaded),
                undo: Some(before.clone()),
                report: "saved".into(),
            },
        );
        assert_eq!((m.mode(), m.form().is_none()), (Mode::Normal, true));
        let effects = update(&mut m, Msg::Undo);
        assert_eq!(
            effects,
            vec![Effect::Save {
                files: before.clone(),
                undo: None
            }]
        );
        assert_eq!(update(&mut m, Msg::Undo), vec![]);
    }

    #[test]
    fn form_typing_escape_restores_and_failed_saves_return_to_the_form() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::OpenForm);
        let before = m.form().unwrap().fields[0].value.clone();
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        let _ = update(
            &mut m,
            Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert('!'))),
        );
        assert!(
            m.form().unwrap().fields[0].error.is_some(),
            "an ARN with junk is flagged while typing"
        );
        let _ = update(&mut m, Msg::Form(FormMsg::CancelTyping));
        assert_eq!(m.form().unwrap().fields[0].value, before);
        while {
            let f = m.form().unwrap();
            f.fields[f.focus].key != "region"
        } {
            let _ = update(&mut m, Msg::Form(FormMsg::Down));
        }
        let _ = update(&mut m, Msg::Form(FormMsg::Clear));
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        let _ = update(
            &mut m,
            Msg::SaveFailed("the demo files are read-only".into()),
        );
        assert_eq!(m.mode(), Mode::Form);
        assert_eq!(m.form().unwrap().stage, Stage::Fields);
        // The region was cleared: closing asks first, and n keeps the form.
        let _ = update(&mut m, Msg::Form(FormMsg::Close));
        assert_eq!((m.mode(), m.form().is_some()), (Mode::Discard, true));
        let _ = update(&mut m, Msg::Form(FormMsg::KeepEditing));
        assert_eq!(m.mode(), Mode::Form);
        assert!(m.form().unwrap().changed(), "nothing was lost");
        let _ = update(&mut m, Msg::Form(FormMsg::Close));
        let _ = update(&mut m, Msg::Form(FormMsg::Close)); // y: discard
        assert_eq!((m.mode(), m.form().is_none()), (Mode::Normal, true));
        // An unchanged form closes at once.
        let _ = update(&mut m, Msg::OpenForm);
        let _ = update(&mut m, Msg::Form(FormMsg::Close));
        assert_eq!((m.mode(), m.form().is_none()), (Mode::Normal, true));
    }

    #[test]
    fn a_secret_typed_into_a_new_profile_stays_out_of_debug_output() {
        const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let mut m = demo();
        let _ = update(&mut m, Msg::NewProfile);
        type_text(&mut m, "static-keys");
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        let _ = update(&mut m, Msg::Kind(KindMsg::Move(true))); // access keys, second
        let _ = update(&mut m, Msg::Kind(KindMsg::Choose));
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        for c in "AKIAEXAMPLE0000001".chars() {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        let _ = update(&mut m, Msg::Form(FormMsg::Down));
        let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
        for c in SECRET.chars() {
            let _ = update(
                &mut m,
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
            );
        }
        let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
        let form = m.form().unwrap();
        assert_eq!(form.fields[1].key, "aws_secret_access_key");
        assert_eq!(form.fields[1].value, SECRET);
        for shown in [
            format!("{:?}", form.fields[1]),
            format!("{form:?}"),
            format!("{m:?}"),
        ] {
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert!(
            format!("{form:?}").contains("AKIAEXAMPLE0000001"),
            "other values still show"
        );
        assert_eq!(
            format!(
                "{:?}",
                Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert('Z')))
            ),
            "Form(Edit(Insert(<redacted>)))"
        );
    }

    #[test]
    fn change_kind_switches_the_fields_and_the_save_drops_the_old_kind() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::OpenForm);
        let _ = update(&mut m, Msg::Form(FormMsg::ChangeKind));
        assert_eq!(m.mode(), Mode::FormKind);
        // Esc keeps the kind and the fields.
        let _ = update(&mut m, Msg::Form(FormMsg::KindMove(true)));
        let _ = update(&mut m, Msg::Form(FormMsg::KindCancel));
        assert_eq!(m.mode(), Mode::Form);
        assert_eq!(m.form().unwrap().fields[0].key, "role_arn");
        // SSO through an sso-session is the first kind offered.
        let _ = update(&mut m, Msg::Form(FormMsg::ChangeKind));
        let _ = update(&mut m, Msg::Form(FormMsg::KindMove(true)));
        let _ = update(&mut m, Msg::Form(FormMsg::KindMove(false)));
        let _ = update(&mut m, Msg::Form(FormMsg::KindMove(false)));
        let _ = update(&mut m, Msg::Form(FormMsg::KindChoose));
        assert_eq!(m.mode(), Mode::Form);
        let form = m.form().unwrap();
        assert_eq!(form.fields[0].key, "sso_session");
        let removed: Vec<&str> = form
            .fields
            .iter()
            .filter(|f| f.value.is_empty() && !f.original.is_empty())
            .map(|f| f.key.as_str())
            .collect();
        assert_eq!(removed, ["role_arn", "source_profile", "role_session_name"]);
        // Saving before the SSO keys are filled is refused by the one validator.
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        assert_eq!(m.mode(), Mode::Form);
        let _ = update(&mut m, Msg::Form(FormMsg::Cycle(true))); // sso_session: acme
        let _ = update(&mut m, Msg::Form(FormMsg::Down));
        for text in ["111111111111", "Admin"] {
            let _ = update(&mut m, Msg::Form(FormMsg::StartTyping));
            for c in text.chars() {
                let _ = update(
                    &mut m,
                    Msg::Form(FormMsg::Edit(crate::tui::input::Edit::Insert(c))),
                );
            }
            let _ = update(&mut m, Msg::Form(FormMsg::StopTyping));
            let _ = update(&mut m, Msg::Form(FormMsg::Down));
        }
        let _ = update(&mut m, Msg::Form(FormMsg::Submit));
        assert_eq!(m.mode(), Mode::Preview, "{:?}", m.form().unwrap().message);
        let effects = update(&mut m, Msg::Form(FormMsg::Confirm));
        let [Effect::Save { files, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        let p = &files.profile_set().profiles["dev-admin"];
        assert_eq!(p.get("role_arn"), None);
        assert_eq!(p.get("source_profile"), None);
        assert_eq!(p.get("sso_session"), Some("acme"));
        assert_eq!(
            crate::profile::kind::classify(p),
            crate::profile::kind::Kind::Sso
        );
    }
}
