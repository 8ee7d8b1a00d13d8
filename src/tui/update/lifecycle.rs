//! Creating, copying, renaming and deleting profiles: the name prompt, the kind
//! picker and the confirmation dialogs, and the save each ends in. The edits
//! themselves are built by `tui::dialog`'s [`Action`]; this module only moves
//! between the steps and returns [`Effect::Save`].

use crate::tui::dialog::{
    Action, Prompt, PromptFor, check_new_name, confirm_delete, confirm_rename,
};
use crate::tui::form::{Form, TEMPLATES};
use crate::tui::model::{Mode, Model};

use super::{Effect, Msg};
use crate::tui::input::TextInput;

/// Saves the result of `action`, or reports why it cannot be done.
fn save_action(model: &mut Model, action: &Action) -> Vec<Effect> {
    match action.apply(&model.files) {
        Ok(files) => {
            model.select_after_save = match action {
                Action::Rename { new, .. } => Some(new.clone()),
                Action::Copy { to, .. } => Some(to.clone()),
                Action::Delete(name) => model.neighbour_of(name),
            };
            vec![Effect::Save {
                files: Box::new(files),
                undo: Some(Box::new(model.files.clone())),
            }]
        }
        Err(why) => {
            model.status = Some(why);
            Vec::new()
        }
    }
}

/// Creating, copying, renaming and deleting profiles.
pub(super) fn lifecycle_update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let selected = model.selected_entry().map(|e| e.row.name.clone());
    let mut effects = Vec::new();
    let open_prompt = |purpose| {
        // Renaming starts from the current name, selected: typing replaces it.
        let text = match &purpose {
            PromptFor::Rename(name) => TextInput::prefilled(name),
            _ => TextInput::new(),
        };
        Prompt {
            purpose,
            text,
            error: None,
        }
    };
    match msg {
        Msg::NewProfile => {
            model.prompt = Some(open_prompt(PromptFor::New));
            model.mode = Mode::Prompt;
        }
        Msg::CopyProfile | Msg::RenameProfile | Msg::DeleteProfile => {
            let Some(name) = selected else { return effects };
            match msg {
                Msg::CopyProfile => model.prompt = Some(open_prompt(PromptFor::CopyOf(name))),
                Msg::RenameProfile => model.prompt = Some(open_prompt(PromptFor::Rename(name))),
                _ => model.confirm = Some(confirm_delete(&model.files, &name)),
            }
            model.mode = if model.confirm.is_some() {
                Mode::Confirm
            } else {
                Mode::Prompt
            };
        }
        Msg::PromptEdit(edit) => {
            if let Some(p) = &mut model.prompt
                && p.text.apply(edit)
            {
                p.error = None;
            }
        }
        Msg::PromptCancel => {
            model.prompt = None;
            model.mode = model.rest_mode();
        }
        Msg::PromptSubmit => {
            let Some(p) = model.prompt.as_mut() else {
                return effects;
            };
            let name = p.text.text().trim().to_string();
            if let Err(e) = check_new_name(&model.files, &name) {
                p.error = Some(e);
                return effects;
            }
            let purpose = p.purpose.clone();
            model.prompt = None;
            model.mode = model.rest_mode();
            match purpose {
                PromptFor::New => {
                    model.kind_pick = Some((name, 0));
                    model.mode = Mode::KindPick;
                }
                PromptFor::CopyOf(from) => {
                    effects = save_action(model, &Action::Copy { from, to: name })
                }
                PromptFor::Rename(old) => {
                    model.confirm = Some(confirm_rename(&model.files, &old, &name));
                    model.mode = Mode::Confirm;
                }
            }
        }
        Msg::ConfirmYes | Msg::ConfirmNo | Msg::ConfirmCancel => {
            let confirm = model.confirm.take();
            // Esc in the kind picker cancels too.
            model.kind_pick = None;
            model.mode = model.rest_mode();
            let action = match (msg, confirm) {
                (Msg::ConfirmYes, Some(c)) => Some(c.yes),
                (Msg::ConfirmNo, Some(c)) => c.no,
                _ => None,
            };
            if let Some(action) = action {
                effects = save_action(model, &action);
            }
        }
        Msg::KindMove(down) => {
            if let Some((_, i)) = &mut model.kind_pick {
                *i = if down {
                    (*i + 1).min(TEMPLATES.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
            }
        }
        Msg::KindChoose => {
            if let Some((name, i)) = model.kind_pick.take() {
                model.select_after_save = Some(name.clone());
                model.form = Some(Form::new_profile(&name, &TEMPLATES[i]));
                model.mode = Mode::Form;
            }
        }
        _ => {}
    }
    model.mark_dirty();
    effects
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{demo, select, type_text};
    use super::super::{Loaded, update};
    use super::*;

    #[test]
    fn rename_asks_about_dependents_then_saves_and_selects_the_new_name() {
        let mut m = demo();
        select(&mut m, "base");
        let _ = update(&mut m, Msg::RenameProfile);
        assert_eq!(m.mode, Mode::Prompt);
        assert_eq!(m.prompt.as_ref().unwrap().text.text(), "base");
        type_text(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::PromptSubmit);
        assert!(
            m.prompt
                .as_ref()
                .unwrap()
                .error
                .as_deref()
                .unwrap()
                .contains("exists")
        );
        let _ = update(
            &mut m,
            Msg::PromptEdit(crate::tui::input::Edit::DeleteToStart),
        );
        type_text(&mut m, "root");
        let _ = update(&mut m, Msg::PromptSubmit);
        assert_eq!(m.mode, Mode::Confirm);
        assert!(
            m.confirm
                .as_ref()
                .unwrap()
                .lines
                .iter()
                .any(|l| l.trim() == "dev-admin")
        );
        let effects = update(&mut m, Msg::ConfirmYes);
        let [Effect::Save { files, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert!(files.credentials.text().contains("[root]"));
        assert!(files.config.text().contains("source_profile = root"));
        let loaded = Loaded {
            set: files.profile_set(),
            files: (**files).clone(),
        };
        let _ = update(
            &mut m,
            Msg::Saved {
                loaded: Box::new(loaded),
                undo: None,
                report: "saved".into(),
            },
        );
        assert_eq!(m.selected_entry().unwrap().row.name, "root");
    }

    #[test]
    fn delete_confirms_and_cancel_does_nothing() {
        let mut m = demo();
        select(&mut m, "vault");
        let _ = update(&mut m, Msg::DeleteProfile);
        assert_eq!(m.mode, Mode::Confirm);
        assert!(update(&mut m, Msg::ConfirmCancel).is_empty());
        assert_eq!(m.mode, Mode::Normal);
        let _ = update(&mut m, Msg::DeleteProfile);
        let effects = update(&mut m, Msg::ConfirmYes);
        let [Effect::Save { files, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert!(!files.config.text().contains("[profile vault]"));
    }

    #[test]
    fn new_profile_walks_name_kind_form() {
        let mut m = demo();
        let _ = update(&mut m, Msg::NewProfile);
        type_text(&mut m, "staging");
        let _ = update(&mut m, Msg::PromptSubmit);
        assert_eq!(m.mode, Mode::KindPick);
        let _ = update(&mut m, Msg::KindMove(true));
        let _ = update(&mut m, Msg::KindChoose);
        assert_eq!(m.mode, Mode::Form);
        let form = m.form.as_ref().unwrap();
        assert!(form.new);
        assert_eq!(
            form.required,
            vec!["role_arn".to_string(), "credential_source".to_string()]
        );
    }

    #[test]
    fn copy_saves_right_away() {
        let mut m = demo();
        select(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::CopyProfile);
        type_text(&mut m, "dev-admin-2");
        let effects = update(&mut m, Msg::PromptSubmit);
        let [Effect::Save { files, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            files.profile_set().profiles["dev-admin-2"].get("role_arn"),
            Some("arn:aws:iam::333333333333:role/Admin")
        );
    }
}
