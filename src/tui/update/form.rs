//! The edit form's share of [`update`](super::update): moving between fields,
//! typing, cycling choices, previewing and confirming a save. The form's own
//! state and validation live in `tui::form`; this module only routes messages to
//! it and turns a confirmed preview into [`Effect::Save`].

use crate::tui::form::Stage;
use crate::tui::model::{Mode, Model};

use super::{Effect, Msg, Typed};

/// The form's share of `update`.
pub(super) fn form_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let Some(form) = model.form.as_mut() else {
        model.mode = model.rest_mode();
        return Vec::new();
    };
    let add_row = form.focus == form.fields.len();
    match msg {
        Msg::FormUp => form.focus = form.focus.saturating_sub(1),
        Msg::FormDown => form.focus = (form.focus + 1).min(form.fields.len()),
        Msg::FormStartTyping => {
            form.typing = Some(if add_row {
                String::new()
            } else {
                form.fields[form.focus].value.clone()
            });
            model.mode = Mode::FormInput;
        }
        Msg::FormInput(Typed(c)) => {
            if add_row {
                form.new_key.push(c);
            } else {
                form.fields[form.focus].value.push(c);
                form.validate(&model.set);
            }
        }
        Msg::FormBackspace => {
            if add_row {
                form.new_key.pop();
            } else {
                form.fields[form.focus].value.pop();
                form.validate(&model.set);
            }
        }
        Msg::FormStopTyping => {
            form.typing = None;
            model.mode = Mode::Form;
            if add_row && !form.new_key.is_empty() {
                form.message = form.add_key().err();
            }
        }
        Msg::FormCancelTyping => {
            let before = form.typing.take().unwrap_or_default();
            if add_row {
                form.new_key.clear();
            } else {
                form.fields[form.focus].value = before;
                form.validate(&model.set);
            }
            model.mode = Mode::Form;
        }
        Msg::FormCycle(forward) => form.cycle(&model.set, forward),
        Msg::FormClear => {
            if let Some(f) = form.fields.get_mut(form.focus) {
                f.value.clear();
                form.validate(&model.set);
            }
        }
        Msg::FormSubmit => {
            form.submit(&model.set, &model.files);
            if matches!(form.stage, Stage::Preview { .. }) {
                model.mode = Mode::Preview;
            }
        }
        Msg::FormConfirm => {
            if let Stage::Preview { files, .. } = &form.stage {
                let effect = Effect::Save {
                    files: files.clone(),
                    undo: Some(Box::new(model.files.clone())),
                };
                return vec![effect];
            }
        }
        Msg::FormBack => {
            form.stage = Stage::Fields;
            model.mode = Mode::Form;
        }
        Msg::FormClose => {
            model.form = None;
            model.select_after_save = None;
            model.mode = model.rest_mode();
        }
        _ => {}
    }
    model.mark_dirty();
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{demo, select, type_text};
    use super::super::{Loaded, update};
    use super::*;

    #[test]
    fn form_edit_preview_save_and_undo_as_effects() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        update(&mut m, Msg::OpenForm);
        assert_eq!(m.mode, Mode::Form);
        // role_arn is the first field: replace its text.
        update(&mut m, Msg::FormStartTyping);
        assert_eq!(m.mode, Mode::FormInput);
        for _ in 0..5 {
            update(&mut m, Msg::FormBackspace);
        }
        for c in "Owner".chars() {
            update(&mut m, Msg::FormInput(Typed(c)));
        }
        update(&mut m, Msg::FormStopTyping);
        update(&mut m, Msg::FormSubmit);
        assert_eq!(m.mode, Mode::Preview);
        let effects = update(&mut m, Msg::FormConfirm);
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
        update(
            &mut m,
            Msg::Saved {
                loaded: Box::new(loaded),
                undo: Some(before.clone()),
                report: "saved".into(),
            },
        );
        assert_eq!((m.mode, m.form.is_none()), (Mode::Normal, true));
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
        update(&mut m, Msg::OpenForm);
        let before = m.form.as_ref().unwrap().fields[0].value.clone();
        update(&mut m, Msg::FormStartTyping);
        update(&mut m, Msg::FormInput(Typed('!')));
        assert!(
            m.form.as_ref().unwrap().fields[0].error.is_some(),
            "an ARN with junk is flagged while typing"
        );
        update(&mut m, Msg::FormCancelTyping);
        assert_eq!(m.form.as_ref().unwrap().fields[0].value, before);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormClear); // region
        update(&mut m, Msg::FormSubmit);
        update(
            &mut m,
            Msg::SaveFailed("the demo files are read-only".into()),
        );
        assert_eq!(m.mode, Mode::Form);
        assert_eq!(m.form.as_ref().unwrap().stage, Stage::Fields);
        update(&mut m, Msg::FormClose);
        assert_eq!((m.mode, m.form.is_none()), (Mode::Normal, true));
    }

    #[test]
    fn a_secret_typed_into_a_new_profile_stays_out_of_debug_output() {
        const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let mut m = demo();
        update(&mut m, Msg::NewProfile);
        type_text(&mut m, "static-keys");
        update(&mut m, Msg::PromptSubmit);
        for _ in 0..5 {
            update(&mut m, Msg::KindMove(true)); // access keys
        }
        update(&mut m, Msg::KindChoose);
        update(&mut m, Msg::FormStartTyping);
        for c in "AKIAEXAMPLE0000001".chars() {
            update(&mut m, Msg::FormInput(Typed(c)));
        }
        update(&mut m, Msg::FormStopTyping);
        update(&mut m, Msg::FormDown);
        update(&mut m, Msg::FormStartTyping);
        for c in SECRET.chars() {
            update(&mut m, Msg::FormInput(Typed(c)));
        }
        update(&mut m, Msg::FormStopTyping);
        let form = m.form.as_ref().unwrap();
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
            format!("{:?}", Msg::FormInput(Typed('Z'))),
            "FormInput(Typed(<redacted>))"
        );
    }
}
