//! What is on top of the list: one [`Overlay`] at a time, owning its state
//! (the form, a prompt, a question, the kind picker, the run picker, a login,
//! the SSO setup, the doctor panel, help, a run's results). It is the one source of truth for
//! what the keyboard talks to: [`Overlay::mode`] derives the keymap's
//! [`Mode`] from it, so the two cannot disagree.

use super::dialog::{Confirm, Prompt};
use super::form::{Form, Stage};
use super::model::{LoginView, Mode};
use super::onboard::Onboard;
use super::results::Results;
use super::run::RunPick;

/// The overlay on screen, with its state.
#[derive(Debug, Default)]
pub enum Overlay {
    /// None: the list (or the welcome screen when there is nothing to list).
    #[default]
    None,
    /// Typing the filter (its text is the model's: it stays after closing).
    Filter,
    /// Help, over `under`, which it returns to.
    Help {
        /// The first line shown.
        scroll: u16,
        /// What help was opened over.
        under: Box<Overlay>,
    },
    /// The doctor panel.
    Doctor {
        /// The report shown.
        report: Box<crate::doctor::Report>,
        /// The first line shown.
        scroll: u16,
    },
    /// The edit form (its fields, the field being typed into, the preview).
    Form(Box<Form>),
    /// A name prompt.
    Prompt(Prompt),
    /// A yes/no question about an action.
    Confirm(Confirm),
    /// The kind picker for a new profile.
    KindPick {
        /// The new profile's name.
        name: String,
        /// The highlighted kind.
        at: usize,
    },
    /// The picker of a command to run with a profile.
    Run(RunPick),
    /// A login started from the list.
    Login(LoginView),
    /// The SSO setup (with its own login while it logs in).
    Onboard(Box<Onboard>),
    /// The results of a command run on marked rows (issue 19).
    Results(Box<Results>),
}

impl Overlay {
    /// The keymap's mode for this overlay; `welcome`: no profiles to list.
    pub fn mode(&self, welcome: bool) -> Mode {
        match self {
            Overlay::None if welcome => Mode::Welcome,
            Overlay::None => Mode::Normal,
            Overlay::Filter => Mode::Filter,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Doctor { .. } => Mode::Doctor,
            Overlay::Form(f) if f.discard_asked => Mode::Discard,
            Overlay::Form(f) if f.kind_pick.is_some() => Mode::FormKind,
            Overlay::Form(f) if f.input.is_some() && f.region.is_some() => Mode::RegionPick,
            Overlay::Form(f) if f.input.is_some() => Mode::FormInput,
            Overlay::Form(f) if matches!(f.stage, Stage::Preview { .. }) => Mode::Preview,
            Overlay::Form(_) => Mode::Form,
            Overlay::Prompt(_) => Mode::Prompt,
            Overlay::Confirm(_) => Mode::Confirm,
            Overlay::KindPick { .. } => Mode::KindPick,
            Overlay::Run(_) => Mode::RunPick,
            Overlay::Login(_) => Mode::Login,
            Overlay::Onboard(o) if o.login.is_some() => Mode::Login,
            Overlay::Onboard(o) if o.region_pick.is_some() => Mode::RegionPick,
            Overlay::Onboard(_) => Mode::Onboard,
            Overlay::Results(_) => Mode::Results,
        }
    }

    /// The run picker, if that is what is open.
    pub fn run(&self) -> Option<&RunPick> {
        match self {
            Overlay::Run(r) => Some(r),
            _ => None,
        }
    }

    /// Whether an edit is open whose work a reload would throw away.
    pub fn editing(&self) -> bool {
        match self {
            Overlay::Help { under, .. } => under.editing(),
            Overlay::Form(_)
            | Overlay::Prompt(_)
            | Overlay::Confirm(_)
            | Overlay::KindPick { .. }
            | Overlay::Login(_)
            | Overlay::Onboard(_) => true,
            Overlay::None
            | Overlay::Filter
            | Overlay::Doctor { .. }
            | Overlay::Run(_)
            | Overlay::Results(_) => false,
        }
    }
}
