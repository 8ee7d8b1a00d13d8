//! Key bindings as data: one table maps (mode, key) to a message and also
//! generates the help screen. Single-letter commands act only outside the filter.
//!
//! Each binding in the list (`Mode::Normal`) carries an action name (`quit`,
//! `edit`, …). The settings file's `[keys]` gives an action a new key: a
//! [`Keymap`] is the table with those overrides applied (built in `overrides`),
//! and it is what both lookup and help read, so the help always shows the keys
//! that work. Shift on a character is ignored (the character already says it:
//! `G` is `G`). How keys are written in the settings and in help is `keys`'s
//! business.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind,
};

use super::input::Edit;
use super::model::{Mode, Model};
use super::update::{
    ConfirmMsg, DoctorMsg, FanOutMsg, FilterMsg, FormMsg, HelpMsg, KindMsg, Msg, OnboardMsg,
    PromptMsg, RegionMsg, RunMsg,
};

mod keys;
mod overrides;
mod text;

pub use keys::{key_label, parse_key};
pub use overrides::actions;
pub use text::{TEXT_KEYS, text_edit, text_help};

/// One binding.
#[derive(Debug)]
pub struct Binding {
    /// Where it applies.
    pub mode: Mode,
    /// Its name for `[keys]` in the settings (list bindings only; empty elsewhere).
    pub action: &'static str,
    /// The key.
    pub code: KeyCode,
    /// Required modifiers.
    pub modifiers: KeyModifiers,
    /// What it does.
    pub msg: fn() -> Msg,
    /// Its description in the help screen (bindings with the same one share a line).
    pub help: &'static str,
}

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! bind {
    ($mode:ident, $action:literal, $code:expr, $mods:expr, $msg:expr, $help:literal) => {
        Binding {
            mode: Mode::$mode,
            action: $action,
            code: $code,
            modifiers: $mods,
            msg: || $msg,
            help: $help,
        }
    };
}

/// Every binding; the first match wins.
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    bind!(Normal, "down", KeyCode::Char('j'), NONE, Msg::Down, "next profile"),
    bind!(Normal, "down", KeyCode::Down, NONE, Msg::Down, "next profile"),
    bind!(Normal, "up", KeyCode::Char('k'), NONE, Msg::Up, "previous profile"),
    bind!(Normal, "up", KeyCode::Up, NONE, Msg::Up, "previous profile"),
    bind!(Normal, "page-down", KeyCode::PageDown, NONE, Msg::PageDown, "a screen down"),
    bind!(Normal, "page-down", KeyCode::Char('f'), CTRL, Msg::PageDown, "a screen down"),
    bind!(Normal, "page-up", KeyCode::PageUp, NONE, Msg::PageUp, "a screen up"),
    bind!(Normal, "page-up", KeyCode::Char('b'), CTRL, Msg::PageUp, "a screen up"),
    bind!(Normal, "top", KeyCode::Char('g'), NONE, Msg::Top, "first profile"),
    bind!(Normal, "top", KeyCode::Home, NONE, Msg::Top, "first profile"),
    bind!(Normal, "bottom", KeyCode::Char('G'), NONE, Msg::Bottom, "last profile"),
    bind!(Normal, "bottom", KeyCode::End, NONE, Msg::Bottom, "last profile"),
    bind!(Normal, "filter", KeyCode::Char('/'), NONE, Msg::StartFilter, "filter (fuzzy: names, accounts, roles, regions)"),
    bind!(Normal, "clear-filter", KeyCode::Esc, NONE, Msg::Escape, "clear the marks, else the filter"),
    bind!(Normal, "mark", KeyCode::Char(' '), NONE, Msg::ToggleMark, "mark or unmark the profile, then the next"),
    bind!(Normal, "mark-all", KeyCode::Char('V'), NONE, Msg::MarkShown, "mark every row shown (again: unmark them)"),
    bind!(Normal, "mark-all", KeyCode::Char('*'), NONE, Msg::MarkShown, "mark every row shown (again: unmark them)"),
    bind!(Normal, "edit", KeyCode::Char('e'), NONE, Msg::OpenForm, "edit the profile"),
    bind!(Normal, "edit", KeyCode::Enter, NONE, Msg::OpenForm, "edit the profile"),
    bind!(Normal, "undo", KeyCode::Char('u'), NONE, Msg::Undo, "undo the last save"),
    bind!(Normal, "new", KeyCode::Char('n'), NONE, Msg::NewProfile, "new profile"),
    bind!(Normal, "copy", KeyCode::Char('c'), NONE, Msg::CopyProfile, "copy the profile"),
    bind!(Normal, "rename", KeyCode::Char('R'), NONE, Msg::RenameProfile, "rename the profile"),
    bind!(Normal, "delete", KeyCode::Char('D'), NONE, Msg::DeleteProfile, "delete the profile"),
    bind!(Normal, "delete", KeyCode::Delete, NONE, Msg::DeleteProfile, "delete the profile"),
    bind!(Normal, "run", KeyCode::Char('!'), NONE, Msg::OpenRun, "run a command with the profile / marked"),
    bind!(Normal, "results", KeyCode::Char('J'), NONE, Msg::ShowResults, "show the last run on marked rows"),
    bind!(Normal, "export", KeyCode::Char('y'), NONE, Msg::CopyExport, "copy `export AWS_PROFILE=…` (clipboard)"),
    bind!(Normal, "login", KeyCode::Char('L'), NONE, Msg::Login, "log in to the profile's SSO session"),
    bind!(Normal, "console", KeyCode::Char('o'), NONE, Msg::OpenConsole, "open the AWS console as the profile (browser)"),
    bind!(Normal, "sso-setup", KeyCode::Char('O'), NONE, Msg::OpenOnboard, "set up SSO: a session, a login, a profile per role"),
    bind!(Normal, "details", KeyCode::Char('i'), NONE, Msg::ToggleDetails, "show or hide the details pane"),
    bind!(Normal, "details", KeyCode::Tab, NONE, Msg::ToggleDetails, "show or hide the details pane"),
    bind!(Normal, "sort", KeyCode::Char('s'), NONE, Msg::CycleSort, "sort by name / kind / recent use"),
    bind!(Normal, "group", KeyCode::Char('S'), NONE, Msg::CycleGroup, "group by sso-session / account / none"),
    bind!(Normal, "reload", KeyCode::Char('r'), NONE, Msg::Reload, "re-read the files"),
    bind!(Normal, "doctor", KeyCode::Char('w'), NONE, Msg::OpenDoctor, "doctor: which credentials win here"),
    bind!(Normal, "help", KeyCode::Char('?'), NONE, Msg::Help(HelpMsg::Toggle), "help"),
    bind!(Normal, "quit", KeyCode::Char('q'), NONE, Msg::Quit, "quit"),
    bind!(Normal, "interrupt", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Onboard, "", KeyCode::Enter, NONE, Msg::Onboard(OnboardMsg::Next), "accept / next step / write"),
    bind!(Onboard, "", KeyCode::Tab, NONE, Msg::Onboard(OnboardMsg::SwitchField), "filter, table of roles, name template"),
    bind!(Onboard, "", KeyCode::Down, NONE, Msg::Onboard(OnboardMsg::Move(1)), "move in the table / scroll the preview"),
    bind!(Onboard, "", KeyCode::Up, NONE, Msg::Onboard(OnboardMsg::Move(-1)), "move in the table / scroll the preview"),
    bind!(Onboard, "", KeyCode::PageDown, NONE, Msg::Onboard(OnboardMsg::Move(10)), "a page down"),
    bind!(Onboard, "", KeyCode::PageUp, NONE, Msg::Onboard(OnboardMsg::Move(-10)), "a page up"),
    bind!(Onboard, "", KeyCode::Esc, NONE, Msg::Onboard(OnboardMsg::Cancel), "back / leave the setup"),
    bind!(Onboard, "", KeyCode::Char('c'), CTRL, Msg::Onboard(OnboardMsg::Cancel), "back / leave the setup"),
    bind!(Login, "", KeyCode::Esc, NONE, Msg::LoginCancel, "cancel the login"),
    bind!(Login, "", KeyCode::Char('q'), NONE, Msg::LoginCancel, "cancel the login"),
    bind!(Login, "", KeyCode::Char('c'), CTRL, Msg::LoginCancel, "cancel the login"),
    bind!(Filter, "", KeyCode::Enter, NONE, Msg::Filter(FilterMsg::Accept), "keep the filter, back to the list"),
    bind!(Filter, "", KeyCode::Esc, NONE, Msg::Filter(FilterMsg::Cancel), "clear the filter, back to the list"),
    bind!(Filter, "", KeyCode::Down, NONE, Msg::Down, "move while filtering"),
    bind!(Filter, "", KeyCode::Up, NONE, Msg::Up, "move while filtering"),
    bind!(Filter, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Form, "", KeyCode::Char('j'), NONE, Msg::Form(FormMsg::Down), "next field"),
    bind!(Form, "", KeyCode::Down, NONE, Msg::Form(FormMsg::Down), "next field"),
    bind!(Form, "", KeyCode::Tab, NONE, Msg::Form(FormMsg::Down), "next field"),
    bind!(Form, "", KeyCode::Char('k'), NONE, Msg::Form(FormMsg::Up), "previous field"),
    bind!(Form, "", KeyCode::Up, NONE, Msg::Form(FormMsg::Up), "previous field"),
    bind!(Form, "", KeyCode::BackTab, KeyModifiers::SHIFT, Msg::Form(FormMsg::Up), "previous field"),
    bind!(Form, "", KeyCode::Enter, NONE, Msg::Form(FormMsg::StartTyping), "type into the field"),
    bind!(Form, "", KeyCode::Char('i'), NONE, Msg::Form(FormMsg::StartTyping), "type into the field"),
    bind!(Form, "", KeyCode::Char('h'), NONE, Msg::Form(FormMsg::Cycle(false)), "cycle through choices"),
    bind!(Form, "", KeyCode::Char('l'), NONE, Msg::Form(FormMsg::Cycle(true)), "cycle through choices"),
    bind!(Form, "", KeyCode::Left, NONE, Msg::Form(FormMsg::Cycle(false)), "cycle through choices"),
    bind!(Form, "", KeyCode::Right, NONE, Msg::Form(FormMsg::Cycle(true)), "cycle through choices"),
    bind!(Form, "", KeyCode::Char('d'), NONE, Msg::Form(FormMsg::Clear), "clear the field (removes the key)"),
    bind!(Form, "", KeyCode::Delete, NONE, Msg::Form(FormMsg::Clear), "clear the field (removes the key)"),
    bind!(Form, "", KeyCode::Char('s'), NONE, Msg::Form(FormMsg::Submit), "check and preview the changes"),
    bind!(Form, "", KeyCode::Char('s'), CTRL, Msg::Form(FormMsg::Submit), "check and preview the changes"),
    bind!(Form, "", KeyCode::Esc, NONE, Msg::Form(FormMsg::Close), "close without saving"),
    bind!(Form, "", KeyCode::Char('q'), NONE, Msg::Form(FormMsg::Close), "close without saving"),
    bind!(Form, "", KeyCode::Char('K'), NONE, Msg::Form(FormMsg::ChangeKind), "change the profile's kind"),
    bind!(Form, "", KeyCode::Char('t'), NONE, Msg::Form(FormMsg::SecretsTo), "keys: credentials file or keychain"),
    bind!(Form, "", KeyCode::Char('?'), NONE, Msg::Help(HelpMsg::Toggle), "help"),
    bind!(Form, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(FormInput, "", KeyCode::Enter, NONE, Msg::Form(FormMsg::StopTyping), "keep the text"),
    bind!(FormInput, "", KeyCode::Esc, NONE, Msg::Form(FormMsg::CancelTyping), "undo the typing"),
    bind!(FormInput, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(RegionPick, "", KeyCode::Down, NONE, Msg::Region(RegionMsg::Move(true)), "move in the known regions"),
    bind!(RegionPick, "", KeyCode::Up, NONE, Msg::Region(RegionMsg::Move(false)), "move in the known regions"),
    bind!(RegionPick, "", KeyCode::Enter, NONE, Msg::Region(RegionMsg::Pick), "take the highlighted or typed region"),
    bind!(RegionPick, "", KeyCode::Esc, NONE, Msg::Region(RegionMsg::Close), "close the list, keeping the text"),
    bind!(RegionPick, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(FormKind, "", KeyCode::Char('j'), NONE, Msg::Form(FormMsg::KindMove(true)), "move"),
    bind!(FormKind, "", KeyCode::Down, NONE, Msg::Form(FormMsg::KindMove(true)), "move"),
    bind!(FormKind, "", KeyCode::Char('k'), NONE, Msg::Form(FormMsg::KindMove(false)), "move"),
    bind!(FormKind, "", KeyCode::Up, NONE, Msg::Form(FormMsg::KindMove(false)), "move"),
    bind!(FormKind, "", KeyCode::Enter, NONE, Msg::Form(FormMsg::KindChoose), "switch to this kind"),
    bind!(FormKind, "", KeyCode::Esc, NONE, Msg::Form(FormMsg::KindCancel), "keep the kind"),
    bind!(FormKind, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Discard, "", KeyCode::Char('y'), NONE, Msg::Form(FormMsg::Close), "discard the changes"),
    bind!(Discard, "", KeyCode::Char('n'), NONE, Msg::Form(FormMsg::KeepEditing), "keep editing"),
    bind!(Discard, "", KeyCode::Esc, NONE, Msg::Form(FormMsg::KeepEditing), "keep editing"),
    bind!(Discard, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Preview, "", KeyCode::Char('y'), NONE, Msg::Form(FormMsg::Confirm), "save (atomic, with a backup)"),
    bind!(Preview, "", KeyCode::Enter, NONE, Msg::Form(FormMsg::Confirm), "save (atomic, with a backup)"),
    bind!(Preview, "", KeyCode::Char('n'), NONE, Msg::Form(FormMsg::Back), "back to the form"),
    bind!(Preview, "", KeyCode::Esc, NONE, Msg::Form(FormMsg::Back), "back to the form"),
    bind!(Preview, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Prompt, "", KeyCode::Enter, NONE, Msg::Prompt(PromptMsg::Submit), "accept"),
    bind!(Prompt, "", KeyCode::Esc, NONE, Msg::Prompt(PromptMsg::Cancel), "cancel"),
    bind!(Prompt, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Confirm, "", KeyCode::Char('y'), NONE, Msg::Confirm(ConfirmMsg::Yes), "yes"),
    bind!(Confirm, "", KeyCode::Enter, NONE, Msg::Confirm(ConfirmMsg::Yes), "yes"),
    bind!(Confirm, "", KeyCode::Char('n'), NONE, Msg::Confirm(ConfirmMsg::No), "no (the alternative, if offered)"),
    bind!(Confirm, "", KeyCode::Esc, NONE, Msg::Confirm(ConfirmMsg::Cancel), "cancel"),
    bind!(Confirm, "", KeyCode::Char('q'), NONE, Msg::Confirm(ConfirmMsg::Cancel), "cancel"),
    bind!(Confirm, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(KindPick, "", KeyCode::Char('j'), NONE, Msg::Kind(KindMsg::Move(true)), "move"),
    bind!(KindPick, "", KeyCode::Down, NONE, Msg::Kind(KindMsg::Move(true)), "move"),
    bind!(KindPick, "", KeyCode::Char('k'), NONE, Msg::Kind(KindMsg::Move(false)), "move"),
    bind!(KindPick, "", KeyCode::Up, NONE, Msg::Kind(KindMsg::Move(false)), "move"),
    bind!(KindPick, "", KeyCode::Enter, NONE, Msg::Kind(KindMsg::Choose), "choose"),
    bind!(KindPick, "", KeyCode::Esc, NONE, Msg::Confirm(ConfirmMsg::Cancel), "cancel"),
    bind!(KindPick, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(RunPick, "", KeyCode::Down, NONE, Msg::Run(RunMsg::Move(true)), "choose a saved command"),
    bind!(RunPick, "", KeyCode::Up, NONE, Msg::Run(RunMsg::Move(false)), "choose a saved command"),
    bind!(RunPick, "", KeyCode::Enter, NONE, Msg::Run(RunMsg::Submit), "run it (a new one is remembered)"),
    bind!(RunPick, "", KeyCode::Esc, NONE, Msg::Run(RunMsg::Cancel), "cancel"),
    bind!(RunPick, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Results, "", KeyCode::Char('j'), NONE, Msg::FanOut(FanOutMsg::Move(true)), "move / scroll the output"),
    bind!(Results, "", KeyCode::Down, NONE, Msg::FanOut(FanOutMsg::Move(true)), "move / scroll the output"),
    bind!(Results, "", KeyCode::Char('k'), NONE, Msg::FanOut(FanOutMsg::Move(false)), "move / scroll the output"),
    bind!(Results, "", KeyCode::Up, NONE, Msg::FanOut(FanOutMsg::Move(false)), "move / scroll the output"),
    bind!(Results, "", KeyCode::Enter, NONE, Msg::FanOut(FanOutMsg::Output), "show the profile's output / back"),
    bind!(Results, "", KeyCode::Char('r'), NONE, Msg::FanOut(FanOutMsg::Rerun), "run again in the failed ones"),
    bind!(Results, "", KeyCode::Esc, NONE, Msg::FanOut(FanOutMsg::Close), "back / hide (the run goes on; J shows it)"),
    bind!(Results, "", KeyCode::Char('q'), NONE, Msg::FanOut(FanOutMsg::Close), "back / hide (the run goes on; J shows it)"),
    bind!(Results, "", KeyCode::Char('?'), NONE, Msg::Help(HelpMsg::Toggle), "help"),
    bind!(Results, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Welcome, "", KeyCode::Char('n'), NONE, Msg::NewProfile, "create your first profile"),
    bind!(Welcome, "", KeyCode::Char('d'), NONE, Msg::OpenDemo, "explore the bundled demo (read-only)"),
    bind!(Welcome, "", KeyCode::Char('o'), NONE, Msg::OpenOnboard, "set up SSO (IAM Identity Center)"),
    bind!(Welcome, "", KeyCode::Char('?'), NONE, Msg::Help(HelpMsg::Toggle), "help"),
    bind!(Welcome, "", KeyCode::Char('q'), NONE, Msg::Quit, "quit"),
    bind!(Welcome, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Doctor, "", KeyCode::Char('j'), NONE, Msg::Doctor(DoctorMsg::Scroll(true)), "scroll"),
    bind!(Doctor, "", KeyCode::Down, NONE, Msg::Doctor(DoctorMsg::Scroll(true)), "scroll"),
    bind!(Doctor, "", KeyCode::Char('k'), NONE, Msg::Doctor(DoctorMsg::Scroll(false)), "scroll"),
    bind!(Doctor, "", KeyCode::Up, NONE, Msg::Doctor(DoctorMsg::Scroll(false)), "scroll"),
    bind!(Doctor, "", KeyCode::Esc, NONE, Msg::Doctor(DoctorMsg::Close), "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('q'), NONE, Msg::Doctor(DoctorMsg::Close), "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('w'), NONE, Msg::Doctor(DoctorMsg::Close), "close the doctor panel"),
    bind!(Doctor, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
    bind!(Help, "", KeyCode::Char('j'), NONE, Msg::Help(HelpMsg::Scroll(true)), "scroll"),
    bind!(Help, "", KeyCode::Down, NONE, Msg::Help(HelpMsg::Scroll(true)), "scroll"),
    bind!(Help, "", KeyCode::Char('k'), NONE, Msg::Help(HelpMsg::Scroll(false)), "scroll"),
    bind!(Help, "", KeyCode::Up, NONE, Msg::Help(HelpMsg::Scroll(false)), "scroll"),
    bind!(Help, "", KeyCode::Esc, NONE, Msg::Help(HelpMsg::Toggle), "close help"),
    bind!(Help, "", KeyCode::Char('?'), NONE, Msg::Help(HelpMsg::Toggle), "close help"),
    bind!(Help, "", KeyCode::Char('q'), NONE, Msg::Help(HelpMsg::Toggle), "close help"),
    bind!(Help, "", KeyCode::Char('c'), CTRL, Msg::Quit, "quit"),
];

/// A key that is bound: the key and the binding it triggers.
#[derive(Clone, Copy, Debug)]
struct Bound {
    code: KeyCode,
    modifiers: KeyModifiers,
    binding: &'static Binding,
}

/// The bindings in force: [`BINDINGS`] with the settings' overrides applied.
#[derive(Clone, Debug)]
pub struct Keymap {
    bound: Vec<Bound>,
}

impl Keymap {
    /// The message for a key in a mode, if any.
    pub fn lookup(&self, mode: Mode, key: KeyEvent) -> Option<Msg> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        let mut modifiers = key.modifiers;
        if matches!(key.code, KeyCode::Char(_)) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        let found = self
            .bound
            .iter()
            .find(|b| b.binding.mode == mode && b.code == key.code && b.modifiers == modifiers);
        if let Some(b) = found {
            return Some((b.binding.msg)());
        }
        text_msg(mode, text_edit(key)?)
    }

    /// Help lines for a mode: (keys, description); bindings with the same
    /// description share a line.
    pub fn help(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut lines: Vec<(String, &str)> = Vec::new();
        for b in self.bound.iter().filter(|b| b.binding.mode == mode) {
            let label = key_label(b.code, b.modifiers);
            match lines.iter_mut().find(|(_, h)| *h == b.binding.help) {
                Some((keys, _)) => {
                    if !keys.split(' ').any(|k| k == label) {
                        keys.push(' ');
                        keys.push_str(&label);
                    }
                }
                None => lines.push((label, b.binding.help)),
            }
        }
        lines
    }

    /// The label of the first key of a list action, e.g. `e` for `edit`.
    pub fn first_key(&self, action: &str) -> Option<String> {
        self.bound
            .iter()
            .find(|b| b.binding.mode == Mode::Normal && b.binding.action == action)
            .map(|b| key_label(b.code, b.modifiers))
    }
}

/// The message an edit of the text field of `mode` is, if `mode` takes typing.
pub fn text_msg(mode: Mode, edit: Edit) -> Option<Msg> {
    match mode {
        Mode::Filter => Some(Msg::Filter(FilterMsg::Edit(edit))),
        Mode::FormInput => Some(Msg::Form(FormMsg::Edit(edit))),
        Mode::RegionPick => Some(Msg::Region(RegionMsg::Edit(edit))),
        Mode::Prompt => Some(Msg::Prompt(PromptMsg::Edit(edit))),
        Mode::RunPick => Some(Msg::Run(RunMsg::Edit(edit))),
        Mode::Onboard => Some(Msg::Onboard(OnboardMsg::Edit(edit))),
        _ => None,
    }
}

/// The message for a paste (bracketed paste) in `mode`.
pub fn paste(mode: Mode, text: String) -> Option<Msg> {
    text_msg(mode, Edit::Paste(text))
}

/// The message for a mouse event.
pub fn mouse(model: &Model, event: MouseEvent) -> Option<Msg> {
    match event.kind {
        MouseEventKind::ScrollDown if model.mode() == Mode::Help => {
            Some(Msg::Help(HelpMsg::Scroll(true)))
        }
        MouseEventKind::ScrollUp if model.mode() == Mode::Help => {
            Some(Msg::Help(HelpMsg::Scroll(false)))
        }
        MouseEventKind::ScrollDown => Some(Msg::Down),
        MouseEventKind::ScrollUp => Some(Msg::Up),
        MouseEventKind::Down(_) if matches!(model.mode(), Mode::Normal | Mode::Filter) => model
            .areas
            .list_row_at(event.column, event.row)
            .map(Msg::ClickRow),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, NONE)
    }

    const ALL_MODES: [Mode; 18] = [
        Mode::Results,
        Mode::Discard,
        Mode::Normal,
        Mode::Filter,
        Mode::Help,
        Mode::Form,
        Mode::FormInput,
        Mode::RegionPick,
        Mode::FormKind,
        Mode::Preview,
        Mode::Prompt,
        Mode::Confirm,
        Mode::KindPick,
        Mode::RunPick,
        Mode::Welcome,
        Mode::Login,
        Mode::Doctor,
        Mode::Onboard,
    ];

    #[test]
    fn letters_are_commands_outside_the_filter_and_text_inside() {
        let k = Keymap::default();
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('q'))),
            Some(Msg::Quit)
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Char('q'))),
            Some(Msg::Filter(FilterMsg::Edit(Edit::Insert('q'))))
        );
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('j'))),
            Some(Msg::Down)
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Char('j'))),
            Some(Msg::Filter(FilterMsg::Edit(Edit::Insert('j'))))
        );
        assert_eq!(
            k.lookup(Mode::RunPick, key(KeyCode::Char('j'))),
            Some(Msg::Run(RunMsg::Edit(Edit::Insert('j'))))
        );
        assert_eq!(
            k.lookup(Mode::Filter, key(KeyCode::Esc)),
            Some(Msg::Filter(FilterMsg::Cancel))
        );
        assert_eq!(
            k.lookup(Mode::Filter, KeyEvent::new(KeyCode::Char('c'), CTRL)),
            Some(Msg::Quit)
        );
        assert_eq!(k.lookup(Mode::Normal, key(KeyCode::Char('z'))), None);
    }

    #[test]
    fn shift_on_characters_is_ignored() {
        let k = Keymap::default();
        let shifted = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::SHIFT);
        assert_eq!(k.lookup(Mode::Normal, shifted('G')), Some(Msg::Bottom));
        assert_eq!(
            k.lookup(Mode::Normal, key(KeyCode::Char('G'))),
            Some(Msg::Bottom)
        );
        assert_eq!(
            k.lookup(Mode::Normal, shifted('?')),
            Some(Msg::Help(HelpMsg::Toggle))
        );
        assert_eq!(
            k.lookup(
                Mode::Form,
                KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
            ),
            Some(Msg::Form(FormMsg::Up))
        );
    }

    #[test]
    fn every_mode_has_help_and_no_binding_is_shadowed() {
        let k = Keymap::default();
        for mode in ALL_MODES {
            assert!(!k.help(mode).is_empty(), "{mode:?}");
        }
        for (i, b) in BINDINGS.iter().enumerate() {
            let first = BINDINGS
                .iter()
                .position(|o| o.mode == b.mode && o.code == b.code && o.modifiers == b.modifiers);
            assert_eq!(first, Some(i), "binding {} ({}) is shadowed", i, b.help);
            assert_eq!(
                b.mode == Mode::Normal,
                !b.action.is_empty(),
                "list bindings and only they have action names: {}",
                b.help
            );
        }
    }

    #[test]
    fn help_labels_come_from_the_keys() {
        let help = Keymap::default().help(Mode::Normal);
        assert_eq!(help[0], ("j ↓".to_string(), "next profile"));
        assert!(help.contains(&("q ^c".to_string(), "quit")));
        assert!(help.contains(&("PgDn ^f".to_string(), "a screen down")));
        let form = Keymap::default().help(Mode::Form);
        assert!(form.contains(&("h l ← →".to_string(), "cycle through choices")));
        assert!(form.contains(&("k ↑ S-Tab".to_string(), "previous field")));
    }
}
