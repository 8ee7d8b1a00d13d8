//! The guided SSO onboarding screen's state: three questions (start URL, SSO
//! region, session name), then the login (the login dialog), the listing, a
//! filter and a name template over the portal's roles, and the diff preview of
//! the profiles to write. Pure data; `update::onboard` moves it along.

use crate::profile::edit::Files;
use crate::sso::config::{DEFAULT_SCOPE, SsoConfig};
use crate::sso::onboard::{self, DEFAULT_TEMPLATE, Plan, Settings};
use crate::sso::portal::Assignment;

use super::input::TextInput;

/// A question of the first stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Question {
    /// `sso_start_url`.
    StartUrl,
    /// `sso_region`.
    Region,
    /// The sso-session's name.
    Session,
}

/// Where the onboarding is.
#[derive(Clone, Debug, PartialEq)]
pub enum Stage {
    /// Offering the sso-sessions the files have (highlighted: this index; one
    /// past the last is "a new sso-session").
    Reuse(usize),
    /// Asking; `error` says why the last answer was refused.
    Ask(Question),
    /// Logging in (the login dialog is open) with this ticket.
    LoggingIn(u64),
    /// Listing the accounts and roles.
    Listing(u64),
    /// Choosing: a filter, the table of account × role with a checkbox per
    /// row, and the name template; the field in focus.
    Pick(Focus),
    /// The change, ready to write.
    Preview(Box<Files>, Plan),
}

/// What the keyboard talks to while picking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// The filter: typing filters the table.
    Filter,
    /// The table: ↑/↓/j/k move, Space toggles, `a` checks all shown, `A` none.
    Table,
    /// The name template.
    Template,
}

impl Focus {
    /// The next field (Tab).
    pub fn next(self) -> Focus {
        match self {
            Focus::Filter => Focus::Table,
            Focus::Table => Focus::Template,
            Focus::Template => Focus::Filter,
        }
    }
}

pub use crate::sso::onboard::{PLACEHOLDERS, check_template, matches};

/// The onboarding in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Onboard {
    /// The stage.
    pub stage: Stage,
    /// The start URL typed.
    pub start_url: String,
    /// The region typed.
    pub region: String,
    /// The session name typed.
    pub session: String,
    /// The answer being typed for the current question.
    pub input: TextInput,
    /// What went wrong last.
    pub error: Option<String>,
    /// The portal's roles.
    pub assignments: Vec<Assignment>,
    /// Fuzzy filter over "account name, id, role".
    pub filter: TextInput,
    /// The name template.
    pub template: TextInput,
    /// The login dialog, while logging in.
    pub login: Option<crate::tui::model::LoginView>,
    /// The rows checked: indexes into `assignments`.
    pub checked: std::collections::BTreeSet<usize>,
    /// The highlighted row of the table: an index into [`Onboard::shown`].
    pub cursor: usize,
    /// The preview's first line shown.
    pub preview_scroll: usize,
    /// The sso-sessions the files have, offered first: name, start URL, region.
    pub existing: Vec<(String, String, String)>,
    /// While asking for the SSO region: the chooser of known regions.
    pub region_pick: Option<super::region::Chooser>,
}

impl Onboard {
    /// A new onboarding, at the first question.
    pub fn new() -> Onboard {
        Onboard {
            stage: Stage::Ask(Question::StartUrl),
            start_url: String::new(),
            region: String::new(),
            session: String::new(),
            input: TextInput::new(),
            error: None,
            assignments: Vec::new(),
            filter: TextInput::new(),
            template: TextInput::with_text(DEFAULT_TEMPLATE),
            login: None,
            checked: Default::default(),
            cursor: 0,
            preview_scroll: 0,
            existing: Vec::new(),
            region_pick: None,
        }
    }

    /// The session being set up.
    pub fn config(&self) -> SsoConfig {
        SsoConfig {
            session: Some(self.session.clone()),
            start_url: self.start_url.clone(),
            region: self.region.clone(),
            scopes: vec![DEFAULT_SCOPE.to_string()],
        }
    }

    /// The profile name the template gives `a`.
    pub fn name_of(&self, a: &Assignment) -> String {
        onboard::profile_name(self.template.text(), a, &self.session)
    }

    /// The rows the filter shows: indexes into `assignments`.
    pub fn shown(&self) -> Vec<usize> {
        let filter = self.filter.text();
        (0..self.assignments.len())
            .filter(|&i| {
                let a = &self.assignments[i];
                filter.trim().is_empty() || matches(a, &self.name_of(a), filter)
            })
            .collect()
    }

    /// The assignments checked, in the portal's order.
    pub fn picked(&self) -> Vec<Assignment> {
        self.checked
            .iter()
            .filter_map(|&i| self.assignments.get(i).cloned())
            .collect()
    }

    /// Moves the table's highlight by `by` rows, within the shown rows.
    pub fn move_cursor(&mut self, by: isize) {
        let last = self.shown().len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(by).min(last);
    }

    /// Checks or unchecks the highlighted row.
    pub fn toggle(&mut self) {
        if let Some(&i) = self.shown().get(self.cursor)
            && !self.checked.remove(&i)
        {
            self.checked.insert(i);
        }
    }

    /// Checks every shown row (`true`) or unchecks every row.
    pub fn check_all(&mut self, on: bool) {
        if on {
            self.checked.extend(self.shown());
        } else {
            self.checked.clear();
        }
    }

    /// The files with the session and the picked profiles, and the plan.
    pub fn plan(&self, files: &Files) -> Result<(Files, Plan), String> {
        let settings = Settings {
            session: self.session.clone(),
            template: self.template.text().to_string(),
            region: Some(self.region.clone()),
            output: None,
        };
        onboard::prepare(files, &self.config(), &self.picked(), &settings, true)
            .map_err(|e| e.to_string())
    }
}

impl Onboard {
    /// A new onboarding that offers `existing` sessions (name, start URL,
    /// region) first, when there are any.
    pub fn offering(existing: Vec<(String, String, String)>) -> Onboard {
        let mut o = Onboard::new();
        if !existing.is_empty() {
            o.stage = Stage::Reuse(0);
        }
        o.existing = existing;
        o
    }
}

/// The preview's lines: the config file's diff from `before` to `after`
/// (the view draws a window of them; `update` bounds the scroll by their count).
pub fn preview_diff(before: &Files, after: &Files) -> Vec<crate::diff::DiffLine> {
    crate::diff::diff_lines(before.config.text(), after.config.text(), 1)
}

impl Default for Onboard {
    fn default() -> Onboard {
        Onboard::new()
    }
}
