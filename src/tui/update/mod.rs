//! Messages in, state changes and effects out. This module owns the vocabulary
//! ([`Msg`], [`Effect`], [`Loaded`]) and [`update`], which handles the list,
//! filter, sort, help, tick and reload messages itself and hands the form's, the
//! profile lifecycle's and the run picker's messages to its `form`, `lifecycle`
//! and `run` submodules. Never performs I/O: effects are returned as data for the
//! loop in `tui::run()` to carry out.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::credential::cache::Caches;
use crate::profile::ProfileSet;
use crate::profile::edit::Files;

use super::form::{Form, Stage};
use super::layout::Areas;
use super::model::{Mode, Model};

mod form;
mod lifecycle;
mod login;
mod onboard;
mod run;

use form::form_update;
use lifecycle::lifecycle_update;
use run::run_update;

/// Something that happened.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    /// Selection one up.
    Up,
    /// Selection one down.
    Down,
    /// A screen up.
    PageUp,
    /// A screen down.
    PageDown,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Select the row at this index from the top of the screen (mouse click).
    ClickRow(usize),
    /// Open the filter.
    StartFilter,
    /// A character typed into the filter.
    FilterInput(char),
    /// Delete the filter's last character.
    FilterBackspace,
    /// Keep the filter and go back to the list.
    FilterAccept,
    /// Clear the filter and go back to the list.
    FilterCancel,
    /// Open or close help.
    ToggleHelp,
    /// Next sort order.
    CycleSort,
    /// Next grouping.
    CycleGroup,
    /// Scroll help down (`true`) or up.
    HelpScroll(bool),
    /// Run doctor on the selected profile.
    OpenDoctor,
    /// Doctor's report, to show.
    DoctorReady(Box<crate::doctor::Report>),
    /// Scroll the doctor panel down (`true`) or up.
    DoctorScroll(bool),
    /// Close the doctor panel.
    CloseDoctor,
    /// Re-read the files.
    Reload,
    /// The files were re-read.
    Loaded(Box<Loaded>),
    /// Open the edit form on the selected profile.
    OpenForm,
    /// Previous field.
    FormUp,
    /// Next field.
    FormDown,
    /// Start typing into the focused field.
    FormStartTyping,
    /// A character typed into the field.
    FormInput(Typed),
    /// Delete the field's last character.
    FormBackspace,
    /// Stop typing, keeping the text.
    FormStopTyping,
    /// Stop typing, restoring the text.
    FormCancelTyping,
    /// Next (`true`) or previous choice of the focused field.
    FormCycle(bool),
    /// Empty the focused field (saving removes the key).
    FormClear,
    /// Validate and preview the changes.
    FormSubmit,
    /// Save the previewed changes.
    FormConfirm,
    /// Back from the preview to the fields.
    FormBack,
    /// Close the form without saving.
    FormClose,
    /// Undo the last save.
    Undo,
    /// Start creating a profile.
    NewProfile,
    /// Copy the selected profile.
    CopyProfile,
    /// Rename the selected profile.
    RenameProfile,
    /// Delete the selected profile.
    DeleteProfile,
    /// A character typed into a prompt.
    PromptInput(Typed),
    /// Delete the prompt's last character.
    PromptBackspace,
    /// Accept the prompt.
    PromptSubmit,
    /// Close the prompt.
    PromptCancel,
    /// Answer yes.
    ConfirmYes,
    /// Answer no (the alternative action, where there is one).
    ConfirmNo,
    /// Close the question.
    ConfirmCancel,
    /// Move in the kind picker (`true`: down).
    KindMove(bool),
    /// Choose the highlighted kind.
    KindChoose,
    /// Open the picker of commands to run with the selected profile.
    OpenRun,
    /// Move in the run picker (`true`: down).
    RunMove(bool),
    /// A character typed into the run picker's command line.
    RunInput(char),
    /// Delete the typed command's last character.
    RunBackspace,
    /// Run the highlighted or typed command.
    RunSubmit,
    /// Close the run picker.
    RunCancel,
    /// The command finished (or could not start): what happened.
    CommandFinished(String),
    /// The saved commands, as now in the settings file.
    CommandsSaved(Vec<String>),
    /// Copy the selected profile's `export AWS_PROFILE=…` line.
    CopyExport,
    /// Show the bundled demo (from the welcome screen).
    OpenDemo,
    /// The demo is open.
    DemoOpened {
        /// Its files.
        loaded: Box<Loaded>,
        /// Its made-up caches.
        caches: Box<Caches>,
        /// Its file names.
        paths: (PathBuf, PathBuf),
    },
    /// A save finished; `undo` holds the documents it replaced.
    Saved {
        /// The files as now on disk.
        loaded: Box<Loaded>,
        /// What to restore on undo (`None` after an undo).
        undo: Option<Box<Files>>,
        /// What happened, for the status line.
        report: String,
    },
    /// A save was refused or failed.
    SaveFailed(String),
    /// Show a message.
    Status(String),
    /// Add a message to the one shown (something that went wrong on the side).
    Warn(String),
    /// The terminal's new size.
    Resize(u16, u16),
    /// A second passed.
    Tick(SystemTime),
    /// The caches were re-read.
    CachesRead(Box<Caches>, SystemTime),
    /// Another program changed the files.
    FilesChanged,
    /// Log in to the selected profile's SSO session.
    Login,
    /// The login's code and page (from the login running in the background).
    LoginPrompt {
        /// The login's ticket.
        ticket: u64,
        /// What to show.
        prompt: Box<crate::sso::flow::Prompt>,
        /// Whether a browser was opened.
        browser_opened: bool,
    },
    /// The login ended: a report, or why it failed.
    LoginFinished {
        /// The login's ticket.
        ticket: u64,
        /// What to say.
        result: Result<String, String>,
    },
    /// Cancel the login in progress.
    LoginCancel,
    /// Open the SSO onboarding.
    OpenOnboard,
    /// A character typed into the onboarding.
    OnboardInput(Typed),
    /// Delete the onboarding input's last character.
    OnboardBackspace,
    /// Accept the answer, or go on to the next stage.
    OnboardNext,
    /// Between the filter and the template.
    OnboardSwitchField,
    /// Back, or leave the onboarding.
    OnboardCancel,
    /// The portal's accounts and roles, listed.
    OnboardListed {
        /// The listing's ticket.
        ticket: u64,
        /// The roles, or why not.
        result: Result<Vec<crate::sso::portal::Assignment>, String>,
    },
    /// Leave.
    Quit,
}

/// A character typed into a form field or a prompt. Its `Debug` does not show
/// the character, so a secret typed into `aws_secret_access_key` stays out of
/// logs and panic messages that print a [`Msg`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Typed(pub char);

impl std::fmt::Debug for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Typed(<redacted>)")
    }
}

/// The files as read: the merged view and the documents.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// The merged view.
    pub set: ProfileSet,
    /// The documents.
    pub files: Files,
}

/// Work for the loop to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Re-read the files and send [`Msg::Loaded`].
    Reload,
    /// Write `files` (atomically, conflict-checked) and send [`Msg::Saved`] or
    /// [`Msg::SaveFailed`]; `undo` is what they replace, kept for undo.
    Save {
        /// The documents to write.
        files: Box<Files>,
        /// The documents they replace, or `None` when this save is an undo.
        undo: Option<Box<Files>>,
    },
    /// Re-read the caches and send [`Msg::CachesRead`].
    ReadCaches,
    /// Run doctor for this profile on the environment, files and caches, and
    /// send [`Msg::DoctorReady`].
    Diagnose(String),
    /// Look whether the files changed on disk and send [`Msg::FilesChanged`] if so.
    CheckFiles,
    /// Hand the terminal to `command` run through the user's shell with `profile`'s
    /// environment, wait for Enter, take the terminal back and send
    /// [`Msg::CommandFinished`].
    RunCommand {
        /// The profile.
        profile: String,
        /// The command line.
        command: String,
    },
    /// Add a command to the settings file's saved commands and send
    /// [`Msg::CommandsSaved`] (or [`Msg::Warn`]).
    RememberCommand(String),
    /// Record in the recent-use file that `profile` was used at `at` (a failure
    /// sends [`Msg::Warn`]).
    RecordUse {
        /// The profile.
        profile: String,
        /// When.
        at: SystemTime,
    },
    /// Put text on the clipboard (OSC 52).
    Clipboard(String),
    /// Switch to the bundled demo and send [`Msg::DemoOpened`].
    OpenDemo,
    /// Log in to `cfg` in the background; send [`Msg::LoginPrompt`] when the code
    /// is known and [`Msg::LoginFinished`] at the end.
    Login {
        /// The login's ticket.
        ticket: u64,
        /// The session.
        cfg: Box<crate::sso::config::SsoConfig>,
        /// The profile it was started from.
        profile: String,
    },
    /// Cancel the login with this ticket.
    CancelLogin(u64),
    /// List the session's accounts and roles in the background; send
    /// [`Msg::OnboardListed`].
    ListAssignments {
        /// The listing's ticket.
        ticket: u64,
        /// The session (its token is cached).
        cfg: Box<crate::sso::config::SsoConfig>,
    },
}

/// How often the caches are re-read, so a login elsewhere shows up.
pub const CACHE_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Applies `msg` to `model`; returns the effects to perform.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let page = usize::from(model.areas.list_rows()).max(1);
    let last = model.visible.len().saturating_sub(1);
    match msg {
        Msg::Up => model.selected = model.selected.saturating_sub(1),
        Msg::Down => model.selected = (model.selected + 1).min(last),
        Msg::PageUp => model.selected = model.selected.saturating_sub(page),
        Msg::PageDown => model.selected = (model.selected + page).min(last),
        Msg::Top => model.selected = 0,
        Msg::Bottom => model.selected = last,
        Msg::ClickRow(row) => {
            if model.offset + row < model.visible.len() {
                model.selected = model.offset + row;
            }
        }
        Msg::StartFilter => model.mode = Mode::Filter,
        Msg::FilterInput(c) => {
            model.filter.push(c);
            model.refilter();
        }
        Msg::FilterBackspace => {
            model.filter.pop();
            model.refilter();
        }
        Msg::FilterAccept => model.mode = Mode::Normal,
        Msg::FilterCancel => {
            model.mode = Mode::Normal;
            model.filter.clear();
            model.refilter();
        }
        Msg::ToggleHelp => {
            if model.mode == Mode::Help {
                model.mode = model.before_help;
            } else {
                model.before_help = model.mode;
                model.mode = Mode::Help;
                model.help_scroll = 0;
            }
        }
        Msg::HelpScroll(down) => {
            let max = super::view::help_max_scroll(model);
            model.help_scroll = if down {
                (model.help_scroll + 1).min(max)
            } else {
                model.help_scroll.saturating_sub(1)
            };
        }
        Msg::OpenDoctor => {
            if let Some(e) = model.selected_entry() {
                return vec![Effect::Diagnose(e.row.name.clone())];
            }
        }
        Msg::DoctorReady(report) => {
            model.doctor = Some((report, 0));
            model.mode = Mode::Doctor;
        }
        Msg::DoctorScroll(down) => {
            let max = super::view::doctor_max_scroll(model);
            if let Some((_, scroll)) = &mut model.doctor {
                *scroll = if down {
                    (*scroll + 1).min(max)
                } else {
                    scroll.saturating_sub(1)
                };
            }
        }
        Msg::CloseDoctor => {
            model.doctor = None;
            model.mode = Mode::Normal;
        }
        Msg::CycleSort | Msg::CycleGroup => {
            let name = model.selected_entry().map(|e| e.row.name.clone());
            if msg == Msg::CycleSort {
                model.sort = model.sort.next();
            } else {
                model.group = model.group.next();
            }
            model.refilter();
            if let Some(name) = name {
                model.select_name(&name);
            }
        }
        Msg::OpenRun
        | Msg::RunMove(_)
        | Msg::RunInput(_)
        | Msg::RunBackspace
        | Msg::RunSubmit
        | Msg::RunCancel
        | Msg::CopyExport => return run_update(model, msg),
        Msg::Login | Msg::LoginPrompt { .. } | Msg::LoginFinished { .. } | Msg::LoginCancel => {
            return login::login_update(model, msg);
        }
        Msg::OpenOnboard
        | Msg::OnboardInput(_)
        | Msg::OnboardBackspace
        | Msg::OnboardNext
        | Msg::OnboardSwitchField
        | Msg::OnboardCancel
        | Msg::OnboardListed { .. } => return onboard::onboard_update(model, msg),
        Msg::CommandFinished(report) => model.status = Some(report),
        Msg::CommandsSaved(commands) => model.commands = commands,
        Msg::OpenDemo => return vec![Effect::OpenDemo],
        Msg::DemoOpened {
            loaded,
            caches,
            paths,
        } => {
            model.demo = true;
            model.shown_paths = (paths.0.display().to_string(), paths.1.display().to_string());
            model.paths = paths;
            model.undo = None;
            model.files = loaded.files;
            model.set_caches(*caches, model.now);
            model.load(loaded.set);
            model.mode = Mode::Normal;
            model.status = Some("the bundled demo: look around, nothing is written".to_string());
        }
        Msg::Reload => return vec![Effect::Reload, Effect::ReadCaches],
        Msg::Loaded(loaded) => {
            model.files = loaded.files;
            model.load(loaded.set);
            model.status = Some("reloaded".to_string());
            if model.mode == Mode::Welcome {
                model.mode = model.rest_mode();
            }
        }
        Msg::OpenForm => {
            if let Some(e) = model.selected_entry() {
                if model.picker {
                    model.picked = Some(e.row.name.clone());
                    model.quit = true;
                } else {
                    model.form = Some(Form::open(&model.set, &e.row.name));
                    model.mode = Mode::Form;
                }
            }
        }
        Msg::Undo => match model.undo.take() {
            Some(before) => {
                let effect = Effect::Save {
                    files: Box::new(before),
                    undo: None,
                };
                return vec![effect];
            }
            None => model.status = Some("nothing to undo".to_string()),
        },
        Msg::Saved {
            loaded,
            undo,
            report,
        } => {
            model.files = loaded.files;
            model.load(loaded.set);
            model.undo = undo.map(|u| *u);
            model.form = None;
            model.mode = model.rest_mode();
            model.status = Some(report);
            if let Some(name) = model.select_after_save.take() {
                model.select_name(&name);
            }
        }
        Msg::SaveFailed(why) => {
            model.status = Some(why.clone());
            if let Some(form) = &mut model.form {
                form.stage = Stage::Fields;
                form.message = Some(why);
                model.mode = Mode::Form;
            }
        }
        Msg::NewProfile
        | Msg::CopyProfile
        | Msg::RenameProfile
        | Msg::DeleteProfile
        | Msg::PromptInput(_)
        | Msg::PromptBackspace
        | Msg::PromptSubmit
        | Msg::PromptCancel
        | Msg::ConfirmYes
        | Msg::ConfirmNo
        | Msg::ConfirmCancel
        | Msg::KindMove(_)
        | Msg::KindChoose => return lifecycle_update(model, msg),
        Msg::FormUp
        | Msg::FormDown
        | Msg::FormStartTyping
        | Msg::FormInput(_)
        | Msg::FormBackspace
        | Msg::FormStopTyping
        | Msg::FormCancelTyping
        | Msg::FormCycle(_)
        | Msg::FormClear
        | Msg::FormSubmit
        | Msg::FormConfirm
        | Msg::FormBack
        | Msg::FormClose => return form_update(model, msg),
        Msg::Status(s) => model.status = Some(s),
        Msg::Warn(s) => {
            model.status = Some(match model.status.take() {
                Some(shown) => format!("{shown} · {s}"),
                None => s,
            })
        }
        Msg::Resize(w, h) => model.areas = Areas::compute(w, h),
        Msg::Tick(now) => {
            model.now = now;
            let shown = model.statuses_on_screen();
            if shown != model.shown_statuses {
                model.shown_statuses = shown;
                model.mark_dirty();
            }
            let due = now
                .duration_since(model.caches_read_at)
                .is_ok_and(|d| d >= CACHE_REFRESH);
            let mut effects = vec![Effect::CheckFiles];
            if due {
                effects.push(Effect::ReadCaches);
            }
            return effects;
        }
        Msg::CachesRead(caches, now) => model.set_caches(*caches, now),
        Msg::FilesChanged => {
            // Reload at once unless the user is in the middle of an edit: then say so,
            // and the save will be refused rather than clobber the other program's work.
            if matches!(
                model.mode,
                Mode::Normal
                    | Mode::Filter
                    | Mode::Help
                    | Mode::Welcome
                    | Mode::RunPick
                    | Mode::Doctor
            ) {
                model.status = Some("the files changed on disk: reloaded".to_string());
                return vec![Effect::Reload];
            }
            model.status = Some(
                "the files changed on disk; saving will be refused — Esc, then r reloads"
                    .to_string(),
            );
        }
        Msg::Quit => model.quit = true,
    }
    model.clamp();
    model.shown_statuses = model.statuses_on_screen();
    model.mark_dirty();
    Vec::new()
}

/// Models and key presses shared by the tests of `update` and its parts.
#[cfg(test)]
mod test_support {
    use super::{Msg, Typed, update};
    use crate::credential::cache::Caches;
    use crate::tui::model::Model;
    use crate::workspace::Workspace;
    use std::time::UNIX_EPOCH;

    pub(super) fn demo() -> Model {
        let mut m = Model::new(
            &Workspace::demo(),
            Caches::default(),
            Default::default(),
            UNIX_EPOCH,
        );
        update(&mut m, Msg::Resize(120, 12));
        m
    }

    pub(super) fn selected(m: &Model) -> String {
        m.selected_entry().unwrap().row.name.clone()
    }

    pub(super) fn select(m: &mut Model, name: &str) {
        let i = m
            .visible
            .iter()
            .position(|v| m.entries[v.entry].row.name == name)
            .unwrap();
        m.selected = i;
    }

    pub(super) fn type_text(m: &mut Model, text: &str) {
        for c in text.chars() {
            update(m, Msg::PromptInput(Typed(c)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{demo, select, selected};
    use super::*;
    use crate::workspace::Workspace;
    use std::time::UNIX_EPOCH;

    #[test]
    fn in_the_picker_enter_picks_and_quits() {
        let mut m = demo();
        m.picker = true;
        update(&mut m, Msg::Down);
        let name = selected(&m);
        update(&mut m, Msg::OpenForm);
        assert_eq!((m.picked.as_deref(), m.quit), (Some(name.as_str()), true));
        assert!(m.form.is_none());
    }

    #[test]
    fn moves_and_scrolls_within_bounds() {
        let mut m = demo();
        assert_eq!(selected(&m), "acme-dev.Developer");
        update(&mut m, Msg::Up);
        assert_eq!(m.selected, 0);
        update(&mut m, Msg::Bottom);
        assert_eq!(m.selected, m.visible.len() - 1);
        assert!(m.offset > 0, "the last row is scrolled into view");
        assert!(m.selected < m.offset + usize::from(m.areas.list_rows()));
        update(&mut m, Msg::Down);
        assert_eq!(m.selected, m.visible.len() - 1);
        update(&mut m, Msg::Top);
        assert_eq!((m.selected, m.offset), (0, 0));
    }

    #[test]
    fn filter_narrows_highlights_and_escape_clears() {
        let mut m = demo();
        update(&mut m, Msg::StartFilter);
        for c in "audt".chars() {
            update(&mut m, Msg::FilterInput(c));
        }
        assert_eq!(selected(&m), "audit");
        assert_eq!(m.visible[0].positions, vec![0, 1, 2, 4]);
        update(&mut m, Msg::FilterAccept);
        assert_eq!((m.mode, m.filter.as_str()), (Mode::Normal, "audt"));
        update(&mut m, Msg::StartFilter);
        update(&mut m, Msg::FilterCancel);
        assert!(m.filter.is_empty());
        assert_eq!(m.visible.len(), m.entries.len());
    }

    #[test]
    fn filter_searches_account_ids_too() {
        let mut m = demo();
        for c in "222222".chars() {
            update(&mut m, Msg::FilterInput(c));
        }
        assert_eq!(m.visible.len(), 1);
        assert_eq!(selected(&m), "acme-prod.ReadOnly");
        assert!(m.visible[0].positions.is_empty());
    }

    #[test]
    fn reload_is_an_effect_and_keeps_the_selection() {
        let mut m = demo();
        update(&mut m, Msg::Down);
        let name = selected(&m);
        assert_eq!(
            update(&mut m, Msg::Reload),
            vec![Effect::Reload, Effect::ReadCaches]
        );
        let ws = Workspace::demo();
        update(
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
        update(&mut m, Msg::OpenForm);
        assert!(update(&mut m, Msg::FilesChanged).is_empty());
        assert!(m.status.as_deref().unwrap().contains("refused"));
    }

    #[test]
    fn doctor_runs_on_the_selected_profile() {
        let mut m = demo();
        let name = m.selected_entry().unwrap().row.name.clone();
        assert_eq!(
            update(&mut m, Msg::OpenDoctor),
            vec![Effect::Diagnose(name)]
        );
        assert_eq!(
            m.mode,
            Mode::Normal,
            "the panel opens when the report is in"
        );
    }

    #[test]
    fn help_returns_to_where_it_was_opened() {
        let mut m = demo();
        update(&mut m, Msg::OpenForm);
        update(&mut m, Msg::ToggleHelp);
        assert_eq!(m.mode, Mode::Help);
        update(&mut m, Msg::ToggleHelp);
        assert_eq!(m.mode, Mode::Form);
    }

    #[test]
    fn clicks_select_rows_and_sort_cycles() {
        let mut m = demo();
        update(&mut m, Msg::ClickRow(2));
        assert_eq!(m.selected, 2);
        update(&mut m, Msg::ClickRow(99));
        assert_eq!(m.selected, 2);
        update(&mut m, Msg::CycleSort);
        let kinds: Vec<_> = m
            .visible
            .iter()
            .map(|v| m.entries[v.entry].row.kind.clone())
            .collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted);
    }

    #[test]
    fn ticks_redraw_only_when_a_countdown_on_screen_changes() {
        use crate::credential::cache::sso_token_file;
        use std::time::Duration;
        let mut m = demo();
        let mut caches = Caches::default();
        let expires = UNIX_EPOCH + Duration::from_secs(7200);
        caches.sso_tokens.insert(sso_token_file("acme"), expires);
        update(&mut m, Msg::CachesRead(Box::new(caches), UNIX_EPOCH));
        m.take_dirty();
        // 2h00m → 1h59m: a visible change.
        assert_eq!(
            update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(1))),
            vec![Effect::CheckFiles]
        );
        assert!(m.take_dirty());
        // Still 1h59m a second later: no redraw.
        update(&mut m, Msg::Tick(UNIX_EPOCH + Duration::from_secs(2)));
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
        update(&mut m, Msg::CycleSort);
        update(&mut m, Msg::CycleSort);
        assert_eq!(m.sort, super::super::model::Sort::Recent);
        let names: Vec<_> = m
            .visible
            .iter()
            .map(|v| m.entries[v.entry].row.name.as_str())
            .collect();
        assert_eq!(&names[..3], ["ci", "vault", "acme-dev.Developer"]);
        // A use moves the profile to the top and keeps it selected.
        select(&mut m, "audit");
        m.now = UNIX_EPOCH + Duration::from_secs(30);
        update(&mut m, Msg::CopyExport);
        assert_eq!((m.selected, selected(&m).as_str()), (0, "audit"));
        update(&mut m, Msg::CycleSort);
        assert_eq!(m.sort, super::super::model::Sort::Name);

        select(&mut m, "vault");
        update(&mut m, Msg::CycleGroup);
        assert_eq!(selected(&m), "vault", "regrouping keeps the selection");
        let sessions: Vec<_> = m
            .visible
            .iter()
            .map(|v| m.entries[v.entry].row.sso_session.as_deref())
            .collect();
        assert_eq!(&sessions[..2], [Some("acme"), Some("acme")]);
        assert!(sessions[2..].iter().all(Option::is_none));
        update(&mut m, Msg::CycleGroup);
        let accounts: Vec<_> = m
            .visible
            .iter()
            .map(|v| m.entries[v.entry].account.as_deref())
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
        update(&mut m, Msg::CycleGroup);
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
        update(&mut m, Msg::Resize(120, 30));
        m
    }

    #[test]
    fn no_profiles_opens_on_welcome_and_d_opens_the_demo() {
        let mut m = empty();
        assert_eq!(m.mode, Mode::Welcome);
        update(&mut m, Msg::NewProfile);
        assert_eq!(m.mode, Mode::Prompt);
        update(&mut m, Msg::PromptCancel);
        assert_eq!(m.mode, Mode::Welcome, "cancelling goes back to the welcome");
        assert_eq!(update(&mut m, Msg::OpenDemo), vec![Effect::OpenDemo]);
        let ws = Workspace::demo();
        update(
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
        assert_eq!(m.mode, Mode::Normal);
        assert!(m.demo && !m.welcome());
        assert_eq!(m.entries.len(), demo().entries.len());
    }

    #[test]
    fn the_first_profile_leaves_the_welcome_screen() {
        let mut m = empty();
        update(&mut m, Msg::NewProfile);
        for c in "first".chars() {
            update(&mut m, Msg::PromptInput(Typed(c)));
        }
        update(&mut m, Msg::PromptSubmit);
        update(&mut m, Msg::KindMove(false));
        update(&mut m, Msg::ConfirmCancel);
        assert_eq!((m.mode, m.kind_pick.is_none()), (Mode::Welcome, true));
        let ws = Workspace::demo();
        update(
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
        assert_eq!(m.mode, Mode::Normal);
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

    #[test]
    fn help_scrolls_within_its_length() {
        let mut m = demo(); // 12 rows: help does not fit
        update(&mut m, Msg::ToggleHelp);
        update(&mut m, Msg::HelpScroll(false));
        assert_eq!(m.help_scroll, 0);
        for _ in 0..200 {
            update(&mut m, Msg::HelpScroll(true));
        }
        let max = m.help_scroll;
        assert!(max > 0 && max < 200);
        update(&mut m, Msg::HelpScroll(false));
        assert_eq!(m.help_scroll, max - 1);
        update(&mut m, Msg::ToggleHelp);
        update(&mut m, Msg::ToggleHelp);
        assert_eq!(m.help_scroll, 0, "help opens at the top");
    }
}
