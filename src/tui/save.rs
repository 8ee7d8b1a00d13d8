//! Saving from the TUI, for the event loop: writing the documents `update`
//! prepared ([`save`]), and the keychain path of the edit form
//! ([`to_keychain`]), which stores the keys through `keychain::migrate` as
//! `rolecall keys migrate` does, then saves and scrubs the backups with
//! `store::scrub_backup`, as the CLI does. Results come back as messages.

use crate::credential::secret::Credentials;
use crate::keychain::Store;
use crate::keychain::migrate::{self, Candidate};
use crate::profile::edit::Files;
use crate::workspace::Workspace;

use super::update::Msg;
use super::{loaded, reopen};

/// Writes `files`; with `scrub`, the backups the save left are overwritten
/// with the new text. Says what happened as [`Msg::Saved`] or [`Msg::SaveFailed`].
pub fn save(ws: &mut Workspace, files: Box<Files>, undo: Option<Box<Files>>, scrub: bool) -> Msg {
    let result = ws
        .save(&files)
        .and_then(|written| Ok((written, reopen(ws)?)));
    match result {
        Ok((written, fresh)) => {
            *ws = fresh;
            let mut scrub_failed = None;
            for path in written.iter().filter(|_| scrub) {
                if let Err(e) = crate::store::scrub_backup(path) {
                    scrub_failed = Some(format!(
                        "; the backup of {} may still hold the keys ({e}): delete its .rolecall.bak",
                        ws.show(path)
                    ));
                }
            }
            let paths: Vec<String> = written.iter().map(|p| ws.show(p)).collect();
            let mut report = match (&undo, paths.is_empty()) {
                (_, true) => "nothing to write".to_string(),
                (Some(_), false) if scrub => format!("saved {} (u undoes)", paths.join(", ")),
                (Some(_), false) => {
                    format!("saved {} (backup kept; u undoes)", paths.join(", "))
                }
                (None, false) => format!("undone: restored {}", paths.join(", ")),
            };
            report.extend(scrub_failed);
            Msg::Saved {
                loaded: loaded(ws),
                undo,
                report,
            }
        }
        Err(err) => {
            let hint = if matches!(
                err,
                crate::workspace::WorkspaceError::Store(crate::store::StoreError::Conflict(_))
            ) {
                " Press r to reload, then edit again."
            } else {
                ""
            };
            Msg::SaveFailed(format!("not saved: {err}.{hint}"))
        }
    }
}

/// Stores `profile`'s `keys` in `store` (verified; nothing is left there if
/// that fails), then saves `files`, which hold rolecall's `credential_process`
/// line instead of the keys, scrubbing the backups.
pub fn to_keychain(
    ws: &mut Workspace,
    store: &dyn Store,
    profile: &str,
    keys: Credentials,
    files: Box<Files>,
    undo: Option<Box<Files>>,
) -> Msg {
    if ws.demo {
        // The demo's keys are not the user's: refused by the save, never stored.
        return save(ws, files, undo, false);
    }
    let moving = [Candidate {
        profile: profile.to_string(),
        keys,
        files: Vec::new(),
    }];
    if let Err(e) = migrate::store_all(store, &moving) {
        return Msg::SaveFailed(format!(
            "not saved: {e} (or press t to keep the keys in the credentials file)"
        ));
    }
    match save(ws, files, undo, true) {
        Msg::Saved {
            loaded,
            undo,
            report,
        } => Msg::Saved {
            loaded,
            undo,
            report: format!(
                "keys of '{profile}' stored in the {}; {report}",
                store.backend()
            ),
        },
        Msg::SaveFailed(why) => Msg::SaveFailed(format!(
            "{why} The keys are in the {} already; saving again is safe.",
            store.backend()
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::cache::Caches;
    use crate::keychain::MemoryStore;
    use crate::profile::location::Overrides;
    use crate::tui::form::Stage;
    use crate::tui::input::Edit;
    use crate::tui::model::{Mode, Model};
    use crate::tui::update::{Effect, FormMsg, KindMsg, PromptMsg, update};
    use std::time::UNIX_EPOCH;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const ID: &str = "AKIAIOSFODNN7EXAMPLE";

    fn workspace(dir: &std::path::Path) -> Workspace {
        let overrides = Overrides {
            config: Some(dir.join("config")),
            credentials: Some(dir.join("credentials")),
        };
        Workspace::open(
            &crate::env::Env::from_slice(&[("HOME", "/nonexistent")]),
            &overrides,
        )
        .unwrap()
    }

    fn typed(m: &mut Model, text: &str) {
        let _ = update(m, Msg::Form(FormMsg::StartTyping));
        for c in text.chars() {
            let _ = update(m, Msg::Form(FormMsg::Edit(Edit::Insert(c))));
        }
        let _ = update(m, Msg::Form(FormMsg::StopTyping));
    }

    /// Confirms the form's preview and performs the effect as the loop does,
    /// with `store` for the keychain; feeds the result back.
    fn confirm(m: &mut Model, ws: &mut Workspace, store: &MemoryStore) {
        let _ = update(m, Msg::Form(FormMsg::Submit));
        assert_eq!(m.mode(), Mode::Preview, "{:?}", m.form().unwrap().message);
        let Stage::Preview { diffs, .. } = &m.form().unwrap().stage else {
            panic!()
        };
        let shown: Vec<&str> = diffs
            .iter()
            .flat_map(|(_, d)| d)
            .map(|l| match l {
                crate::diff::DiffLine::Same(_, t)
                | crate::diff::DiffLine::Removed(_, t)
                | crate::diff::DiffLine::Added(_, t) => t.as_str(),
            })
            .collect();
        let shown = shown.join("\n");
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(
            shown.contains("credential_process = rolecall credential-process --profile"),
            "{shown}"
        );
        let effects = update(m, Msg::Form(FormMsg::Confirm));
        let [
            Effect::SaveToKeychain {
                profile,
                keys,
                files,
                undo,
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}")
        };
        assert!(!format!("{effects:?}").contains(SECRET), "Debug redacts");
        let msg = to_keychain(
            ws,
            store,
            profile,
            (**keys).clone(),
            files.clone(),
            undo.clone(),
        );
        let _ = update(m, msg);
        assert_eq!(m.mode(), Mode::Normal, "{:?}", m.status);
    }

    #[test]
    fn a_new_profile_s_keys_go_to_the_keychain_and_not_the_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config"),
            "[profile dev]\nregion = eu-west-1\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("credentials"), "").unwrap();
        let mut ws = workspace(dir.path());
        let mut m = Model::new(&ws, Caches::default(), Default::default(), UNIX_EPOCH);
        let _ = update(&mut m, Msg::Resize(120, 40));
        let _ = update(&mut m, Msg::NewProfile);
        for c in "ci".chars() {
            let _ = update(&mut m, Msg::Prompt(PromptMsg::Edit(Edit::Insert(c))));
        }
        let _ = update(&mut m, Msg::Prompt(PromptMsg::Submit));
        let _ = update(&mut m, Msg::Kind(KindMsg::Move(true))); // access keys
        let _ = update(&mut m, Msg::Kind(KindMsg::Choose));
        typed(&mut m, ID);
        let _ = update(&mut m, Msg::Form(FormMsg::Down));
        typed(&mut m, SECRET);
        assert!(m.form().unwrap().offers_keychain());
        let _ = update(&mut m, Msg::Form(FormMsg::SecretsTo));
        let store = MemoryStore::default();
        confirm(&mut m, &mut ws, &store);
        let creds = std::fs::read_to_string(dir.path().join("credentials")).unwrap();
        let config = std::fs::read_to_string(dir.path().join("config")).unwrap();
        assert_eq!(creds, "", "no key, and no empty [ci] either");
        assert!(!config.contains(SECRET) && !config.contains(ID), "{config}");
        assert!(
            config.ends_with(
                "[profile ci]\ncredential_process = rolecall credential-process --profile ci\n"
            ),
            "{config}"
        );
        let stored = store.get("ci").unwrap();
        assert_eq!(
            (stored.access_key_id.as_str(), stored.secret_access_key()),
            (ID, SECRET)
        );
        assert!(
            m.status
                .as_deref()
                .unwrap()
                .contains("stored in the test keychain")
        );
    }

    #[test]
    fn an_existing_profile_s_keys_move_and_no_backup_keeps_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config"),
            "[profile base]\nregion = eu-west-1\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("credentials"),
            format!("[base]\naws_access_key_id = {ID}\naws_secret_access_key = {SECRET}\n"),
        )
        .unwrap();
        let mut ws = workspace(dir.path());
        let mut m = Model::new(&ws, Caches::default(), Default::default(), UNIX_EPOCH);
        let _ = update(&mut m, Msg::Resize(120, 40));
        let _ = update(&mut m, Msg::OpenForm);
        assert_eq!(m.form().unwrap().profile, "base");
        let _ = update(&mut m, Msg::Form(FormMsg::SecretsTo));
        let store = MemoryStore::default();
        confirm(&mut m, &mut ws, &store);
        for file in [
            "credentials",
            "credentials.rolecall.bak",
            "config",
            "config.rolecall.bak",
        ] {
            let text = std::fs::read_to_string(dir.path().join(file)).unwrap_or_default();
            assert!(!text.contains(SECRET), "{file}: {text}");
        }
        let config = std::fs::read_to_string(dir.path().join("config")).unwrap();
        assert!(
            config.contains("credential_process = rolecall credential-process --profile base\n")
        );
        assert_eq!(store.get("base").unwrap().secret_access_key(), SECRET);
        // A keychain that fails leaves the files as they were.
        let failing = MemoryStore::default();
        failing.fail_writes();
        let files = Box::new(m.files.clone());
        let msg = to_keychain(
            &mut ws,
            &failing,
            "base",
            Credentials::new(ID, SECRET, None, None),
            files,
            None,
        );
        assert!(
            matches!(&msg, Msg::SaveFailed(why) if why.contains("locked")),
            "{msg:?}"
        );
        // The demo's keys never reach a keychain.
        let mut demo = Workspace::demo();
        let mut files = demo.files();
        migrate::rewrite(&mut files, "base").unwrap();
        let keys = Credentials::new(ID, SECRET, None, None);
        let store = MemoryStore::default();
        let msg = to_keychain(&mut demo, &store, "base", keys, Box::new(files), None);
        assert!(
            matches!(&msg, Msg::SaveFailed(why) if why.contains("demo")),
            "{msg:?}"
        );
        assert!(store.read("base").unwrap().is_none());
    }
}
