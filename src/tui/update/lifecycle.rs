//! Creating, copying, renaming and deleting profiles: the name prompt, the kind
//! picker and the confirmation dialogs, and the save each ends in. The edits
//! themselves are built by `tui::dialog`'s [`Action`]; this module only moves
//! between the steps and returns [`Effect::Save`].

use crate::tui::dialog::{
    Action, Prompt, PromptFor, check_new_name, confirm_delete, confirm_rename,
};
use crate::tui::form::{Form, TEMPLATES};
use crate::tui::model::Model;
use crate::tui::overlay::Overlay;

use super::{ConfirmMsg, KindMsg, PromptMsg};
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
    let selected = model.selected_name().map(str::to_string);
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
        Msg::NewProfile => model.overlay = Overlay::Prompt(open_prompt(PromptFor::New)),
        Msg::CopyProfile | Msg::RenameProfile | Msg::DeleteProfile => {
            let Some(name) = selected else { return effects };
            model.overlay = match msg {
                Msg::CopyProfile => Overlay::Prompt(open_prompt(PromptFor::CopyOf(name))),
                Msg::RenameProfile => Overlay::Prompt(open_prompt(PromptFor::Rename(name))),
                _ => Overlay::Confirm(confirm_delete(&model.files, &name, &model.shown_paths)),
            };
        }
        Msg::Prompt(PromptMsg::Edit(edit)) => {
            if let Overlay::Prompt(p) = &mut model.overlay
                && p.text.apply(edit)
            {
                p.error = None;
            }
        }
        Msg::Prompt(PromptMsg::Cancel) => model.close_overlay(),
        Msg::Prompt(PromptMsg::Submit) => {
            let Overlay::Prompt(p) = &mut model.overlay else {
                return effects;
            };
            let name = p.text.text().trim().to_string();
            if let Err(e) = check_new_name(&model.files, &name) {
                p.error = Some(e);
                return effects;
            }
            let purpose = p.purpose.clone();
            model.close_overlay();
            match purpose {
                PromptFor::New => model.overlay = Overlay::KindPick { name, at: 0 },
                PromptFor::CopyOf(from) => {
                    effects = save_action(model, &Action::Copy { from, to: name })
                }
                PromptFor::Rename(old) => {
                    model.overlay = Overlay::Confirm(confirm_rename(&model.files, &old, &name));
                }
            }
        }
        Msg::Confirm(ConfirmMsg::Yes)
        | Msg::Confirm(ConfirmMsg::No)
        | Msg::Confirm(ConfirmMsg::Cancel) => {
            // Esc in the kind picker cancels too.
            let confirm = match std::mem::take(&mut model.overlay) {
                Overlay::Confirm(c) => Some(c),
                Overlay::KindPick { .. } => None,
                other => {
                    model.overlay = other;
                    return effects;
                }
            };
            let action = match (msg, confirm) {
                (Msg::Confirm(ConfirmMsg::Yes), Some(c)) => Some(c.yes),
                (Msg::Confirm(ConfirmMsg::No), Some(c)) => c.no,
                _ => None,
            };
            if let Some(action) = action {
                effects = save_action(model, &action);
            }
        }
        Msg::Kind(KindMsg::Move(down)) => {
            if let Overlay::KindPick { at, .. } = &mut model.overlay {
                *at = if down {
                    (*at + 1).min(TEMPLATES.len() - 1)
                } else {
                    at.saturating_sub(1)
                };
            }
        }
        Msg::Kind(KindMsg::Choose) => {
            if let Overlay::KindPick { name, at } = &model.overlay {
                let form = Form::new_profile(name, &TEMPLATES[*at]);
                model.select_after_save = Some(name.clone());
                model.overlay = Overlay::Form(Box::new(form));
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
    use crate::tui::model::Mode;

    #[test]
    fn rename_asks_about_dependents_then_saves_and_selects_the_new_name() {
        let mut m = demo();
        select(&mut m, "base");
        let _ = update(&mut m, Msg::RenameProfile);
        assert_eq!(m.mode(), Mode::Prompt);
        assert_eq!(m.prompt().unwrap().text.text(), "base");
        type_text(&mut m, "dev-admin");
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        assert!(
            m.prompt()
                .unwrap()
                .error
                .as_deref()
                .unwrap()
                .contains("exists")
        );
        let _ = update(
            &mut m,
            Msg::Prompt(PromptMsg::Edit(crate::tui::input::Edit::DeleteToStart)),
        );
        type_text(&mut m, "root");
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        assert_eq!(m.mode(), Mode::Confirm);
        assert!(
            m.confirm()
                .unwrap()
                .lines
                .iter()
                .any(|l| l.trim() == "dev-admin")
        );
        let effects = update(&mut m, Msg::Confirm(ConfirmMsg::Yes));
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
        assert_eq!(m.selected_name(), Some("root"));
    }

    #[test]
    fn delete_confirms_and_cancel_does_nothing() {
        let mut m = demo();
        select(&mut m, "vault");
        let _ = update(&mut m, Msg::DeleteProfile);
        assert_eq!(m.mode(), Mode::Confirm);
        assert!(update(&mut m, Msg::Confirm(ConfirmMsg::Cancel)).is_empty());
        assert_eq!(m.mode(), Mode::Normal);
        let _ = update(&mut m, Msg::DeleteProfile);
        let effects = update(&mut m, Msg::Confirm(ConfirmMsg::Yes));
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
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        assert_eq!(m.mode(), Mode::KindPick);
        // SSO and access keys come first: they work with no other profile.
        assert!(crate::tui::form::TEMPLATES[0].label.starts_with("SSO"));
        assert!(
            crate::tui::form::TEMPLATES[1]
                .label
                .starts_with("access keys")
        );
        for _ in 0..3 {
            let _ = update(&mut m, Msg::Kind(KindMsg::Move(true)));
        }
        let _ = update(&mut m, Msg::Kind(KindMsg::Choose));
        assert_eq!(m.mode(), Mode::Form);
        let form = m.form().unwrap();
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
        let effects = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        let [Effect::Save { files, .. }] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            files.profile_set().profiles["dev-admin-2"].get("role_arn"),
            Some("arn:aws:iam::333333333333:role/Admin")
        );
    }
}
