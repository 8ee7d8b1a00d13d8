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
pub use super::input::Edit;
use super::layout::Areas;
use super::model::{Model, STATUS_FOR};
use super::overlay::Overlay;

mod console;
mod fanout;
#[cfg(test)]
mod fanout_tests;
mod form;
mod lifecycle;
mod login;
mod onboard;
mod region;
mod run;
mod scroll;
#[cfg(test)]
mod selection_tests;

pub use fanout::{FanOutEvent, FanOutMsg};
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
    /// Show or hide the details pane.
    ToggleDetails,
    /// Next sort order.
    CycleSort,
    /// Next grouping.
    CycleGroup,
    /// Run doctor on the selected profile.
    OpenDoctor,
    /// Doctor's report, to show.
    DoctorReady(Box<crate::doctor::Report>),
    /// Re-read the files.
    Reload,
    /// The files were re-read.
    Loaded(Box<Loaded>),
    /// Open the edit form on the selected profile.
    OpenForm,
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
    /// Open the picker of commands to run with the selected profile.
    OpenRun,
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
    /// The portal's accounts and roles, listed.
    OnboardListed {
        /// The listing's ticket.
        ticket: u64,
        /// The roles, or why not.
        result: Result<Vec<crate::sso::portal::Assignment>, String>,
    },
    /// Open the AWS console as the selected profile (issue 17).
    OpenConsole,
    /// `rolecall console` finished: what to show.
    ConsoleFinished(String),
    /// Mark the selected profile, or unmark it (and move down).
    ToggleMark,
    /// Mark every row shown; unmark them when all are marked.
    MarkShown,
    /// Esc on the list: clear the marks, else the filter.
    Escape,
    /// Show the results of the last run on marked rows again.
    ShowResults,
    /// A profile's progress in run `ticket` (from the run in the background).
    FanOutEvent {
        /// The run's ticket.
        ticket: u64,
        /// What happened.
        event: FanOutEvent,
    },
    /// Run `ticket` ended (`Err`: why it could not run at all).
    FanOutDone {
        /// The run's ticket.
        ticket: u64,
        /// How it ended.
        result: Result<(), String>,
    },
    /// A message for the results view.
    FanOut(FanOutMsg),
    /// Leave.
    Quit,
    /// A message for typing the filter.
    Filter(FilterMsg),
    /// A message for the help overlay.
    Help(HelpMsg),
    /// A message for the doctor panel.
    Doctor(DoctorMsg),
    /// A message for the edit form.
    Form(FormMsg),
    /// A message for a name prompt.
    Prompt(PromptMsg),
    /// A message for a yes/no question.
    Confirm(ConfirmMsg),
    /// A message for the kind picker.
    Kind(KindMsg),
    /// A message for the run picker.
    Run(RunMsg),
    /// A message for the SSO setup.
    Onboard(OnboardMsg),
    /// A message for the region chooser (under the form's or the SSO setup's
    /// region field).
    Region(RegionMsg),
}

/// The region chooser's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum RegionMsg {
    /// An edit of the region field's text (it filters the chooser).
    Edit(Edit),
    /// Move the highlight down (`true`) or up.
    Move(bool),
    /// Take the highlighted region (or the typed text, when none matches).
    Pick,
    /// Close the chooser, keeping the text.
    Close,
}

/// The filter's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum FilterMsg {
    /// An edit of its text.
    Edit(Edit),
    /// Keep it and go back to the list.
    Accept,
    /// Clear it and go back to the list.
    Cancel,
}

/// Help's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum HelpMsg {
    /// Open or close it.
    Toggle,
    /// Scroll down (`true`) or up.
    Scroll(bool),
}

/// The doctor panel's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum DoctorMsg {
    /// Scroll down (`true`) or up.
    Scroll(bool),
    /// Close it.
    Close,
}

/// The edit form's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum FormMsg {
    /// Previous field.
    Up,
    /// Next field.
    Down,
    /// Start typing into the focused field.
    StartTyping,
    /// An edit of the field being typed into.
    Edit(Edit),
    /// Stop typing, keeping the text.
    StopTyping,
    /// Stop typing, restoring the text.
    CancelTyping,
    /// Next (`true`) or previous choice of the focused field.
    Cycle(bool),
    /// Empty the focused field (saving removes the key).
    Clear,
    /// Validate and preview the changes.
    Submit,
    /// Save the previewed changes.
    Confirm,
    /// Back from the preview to the fields.
    Back,
    /// Close the form; with changes made, ask first (a second one discards them).
    Close,
    /// Keep editing: the answer "no" to discarding the changes.
    KeepEditing,
    /// Offer the kinds, to change the profile's kind.
    ChangeKind,
    /// Move in the kinds offered (`true`: down).
    KindMove(bool),
    /// Switch the form to the highlighted kind.
    KindChoose,
    /// Keep the kind.
    KindCancel,
    /// Switch where long-term keys go: the credentials file or the keychain.
    SecretsTo,
}

/// A name prompt's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum PromptMsg {
    /// An edit of its text.
    Edit(Edit),
    /// Accept the name.
    Submit,
    /// Close it.
    Cancel,
}

/// A question's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfirmMsg {
    /// Yes.
    Yes,
    /// No (the alternative action, where there is one).
    No,
    /// Close the question.
    Cancel,
}

/// The kind picker's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum KindMsg {
    /// Move (`true`: down).
    Move(bool),
    /// Choose the highlighted kind.
    Choose,
}

/// The run picker's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum RunMsg {
    /// Move (`true`: down).
    Move(bool),
    /// An edit of the command line.
    Edit(Edit),
    /// Run the highlighted or typed command.
    Submit,
    /// Close it.
    Cancel,
}

/// The SSO setup's messages.
#[derive(Clone, Debug, PartialEq)]
pub enum OnboardMsg {
    /// An edit of the field in focus.
    Edit(Edit),
    /// Accept the answer, or go on to the next stage.
    Next,
    /// To the next field: filter, table, template.
    SwitchField,
    /// Move the table's highlight (or scroll the preview) by this many rows.
    Move(isize),
    /// Back, or leave the setup.
    Cancel,
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
    /// Store `keys` for `profile` in the system keychain, verified and undone
    /// on failure (`keychain::migrate::store_all`, as `rolecall keys migrate`
    /// does), then write `files` (which hold rolecall's `credential_process`
    /// line instead of the keys) like [`Effect::Save`], overwriting the backups
    /// so no plaintext copy stays; send [`Msg::Saved`] or [`Msg::SaveFailed`].
    SaveToKeychain {
        /// The profile.
        profile: String,
        /// Its long-term keys (`Debug` redacts the secret).
        keys: Box<crate::credential::secret::Credentials>,
        /// The documents to write.
        files: Box<Files>,
        /// The documents they replace, for undo.
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
    /// Run `rolecall console PROFILE` in the background and send
    /// [`Msg::ConsoleFinished`] (issue 17).
    OpenConsole(String),
    /// Run `command` through the user's shell in each of `profiles` in the
    /// background, as `exec --each` does; send [`Msg::FanOutEvent`]s and
    /// [`Msg::FanOutDone`] (issue 19).
    FanOut {
        /// The run's ticket.
        ticket: u64,
        /// The profiles.
        profiles: Vec<String>,
        /// The command line.
        command: String,
    },
}

/// How often the caches are re-read, so a login elsewhere shows up.
pub const CACHE_REFRESH: std::time::Duration = std::time::Duration::from_secs(10);

/// Applies `msg` to `model`; returns the effects to perform (all of them must be:
/// the loop performs each and feeds the messages they produce back in).
#[must_use]
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let page = usize::from(model.areas.list_rows()).max(1);
    let last = model.visible.len().saturating_sub(1);
    match msg {
        Msg::Up => model.select_index(model.selected.saturating_sub(1)),
        Msg::Down => model.select_index((model.selected + 1).min(last)),
        Msg::PageUp => model.select_index(model.selected.saturating_sub(page)),
        Msg::PageDown => model.select_index((model.selected + page).min(last)),
        Msg::Top => model.select_index(0),
        Msg::Bottom => model.select_index(last),
        Msg::ClickRow(row) => {
            if model.offset + row < model.visible.len() {
                model.select_index(model.offset + row);
            }
        }
        Msg::StartFilter => model.overlay = Overlay::Filter,
        Msg::Filter(FilterMsg::Edit(edit)) => {
            if model.filter.apply(edit) {
                model.refilter();
            }
        }
        Msg::Filter(FilterMsg::Accept) => model.close_overlay(),
        Msg::Filter(FilterMsg::Cancel) => {
            model.close_overlay();
            model.filter.clear();
            model.refilter();
        }
        Msg::Help(HelpMsg::Toggle) => {
            model.overlay = match std::mem::take(&mut model.overlay) {
                Overlay::Help { under, .. } => *under,
                under => Overlay::Help {
                    scroll: 0,
                    under: Box::new(under),
                },
            };
        }
        Msg::Help(HelpMsg::Scroll(down)) => scroll::help(model, down),
        Msg::OpenDoctor => {
            if let Some(e) = model.selected_entry() {
                return vec![Effect::Diagnose(model.name_of(e).to_string())];
            }
        }
        Msg::DoctorReady(report) => {
            model.overlay = Overlay::Doctor { report, scroll: 0 };
        }
        Msg::Doctor(DoctorMsg::Scroll(down)) => scroll::doctor(model, down),
        Msg::Doctor(DoctorMsg::Close) => {
            model.close_overlay();
        }
        Msg::CycleSort | Msg::CycleGroup => {
            if msg == Msg::CycleSort {
                model.sort = model.sort.next();
            } else {
                model.group = model.group.next();
            }
            model.refilter();
        }
        Msg::OpenRun | Msg::Run(_) | Msg::CopyExport => return run_update(model, msg),
        Msg::OpenConsole | Msg::ConsoleFinished(_) => return console::console_update(model, msg),
        Msg::ToggleMark
        | Msg::MarkShown
        | Msg::Escape
        | Msg::ShowResults
        | Msg::FanOutEvent { .. }
        | Msg::FanOutDone { .. }
        | Msg::FanOut(_) => return fanout::fanout_update(model, msg),
        Msg::Login | Msg::LoginPrompt { .. } | Msg::LoginFinished { .. } | Msg::LoginCancel => {
            return login::login_update(model, msg);
        }
        Msg::OpenOnboard | Msg::Onboard(_) | Msg::OnboardListed { .. } => {
            return onboard::onboard_update(model, msg);
        }
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
            model.close_overlay();
            model.status = Some("the bundled demo: look around, nothing is written".to_string());
        }
        Msg::Reload => return vec![Effect::Reload, Effect::ReadCaches],
        Msg::Loaded(loaded) => {
            model.files = loaded.files;
            model.load(loaded.set);
            model.status = Some("reloaded".to_string());
        }
        Msg::OpenForm => {
            if let Some(e) = model.selected_entry() {
                if model.picker && model.pick_many && !model.marks.is_empty() {
                    model.picked_marks = model.targets();
                    model.quit = true;
                } else if model.picker {
                    model.picked = Some(model.name_of(e).to_string());
                    model.quit = true;
                } else {
                    model.overlay =
                        Overlay::Form(Box::new(Form::open(&model.set, model.name_of(e))));
                }
            }
        }
        Msg::Undo => match model.undo.take() {
            Some(before) => {
                model.select_after_save = model.undo_select.take();
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
            // Selected until now: what undoing this save selects again.
            let before = model.anchor.clone();
            model.files = loaded.files;
            model.load(loaded.set);
            model.undo_select = undo.is_some().then_some(before).flatten();
            model.undo = undo.map(|u| *u);
            if model.form().is_some() {
                model.close_overlay();
            }
            model.status = Some(report);
            if let Some(name) = model.select_after_save.take() {
                model.select_name(&name);
            }
        }
        Msg::SaveFailed(why) => {
            model.status = Some(why.clone());
            if let Overlay::Form(form) = &mut model.overlay {
                form.stage = Stage::Fields;
                form.message = Some(why);
            }
        }
        Msg::NewProfile
        | Msg::CopyProfile
        | Msg::RenameProfile
        | Msg::DeleteProfile
        | Msg::Prompt(_)
        | Msg::Confirm(_)
        | Msg::Kind(_) => return lifecycle_update(model, msg),
        Msg::Form(msg) => return form_update(model, msg),
        Msg::Region(msg) => return region::region_update(model, msg),
        Msg::Status(s) => model.status = Some(s),
        Msg::Warn(s) => {
            model.status = Some(match model.status.take() {
                Some(shown) => format!("{shown} · {s}"),
                None => s,
            })
        }
        Msg::Resize(w, h) => {
            model.areas = Areas::compute(w, h, model.details_toggled);
            scroll::clamp(model);
        }
        Msg::ToggleDetails => {
            model.details_toggled = !model.details_toggled;
            let s = model.areas.screen;
            model.areas = Areas::compute(s.width, s.height, model.details_toggled);
        }
        Msg::Tick(now) => {
            model.now = now;
            // A message is cleared once it has been seen for a while.
            match (&model.status, &model.status_seen) {
                (None, _) => model.status_seen = None,
                (Some(s), Some((seen, since))) if s == seen => {
                    if now.duration_since(*since).is_ok_and(|d| d >= STATUS_FOR) {
                        model.status = None;
                        model.status_seen = None;
                        model.mark_dirty();
                    }
                }
                (Some(s), _) => model.status_seen = Some((s.clone(), now)),
            }
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
            if !model.overlay.editing() {
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
    use super::{Edit, Msg, PromptMsg, update};
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
        let _ = update(&mut m, Msg::Resize(120, 12));
        m
    }

    pub(super) fn selected(m: &Model) -> String {
        m.selected_name().unwrap().to_string()
    }

    pub(super) fn select(m: &mut Model, name: &str) {
        let i = m.row_of(name).unwrap();
        m.select_index(i);
    }

    pub(super) fn type_text(m: &mut Model, text: &str) {
        for c in text.chars() {
            let _ = update(m, Msg::Prompt(PromptMsg::Edit(Edit::Insert(c))));
        }
    }
}

#[cfg(test)]
mod tests;
