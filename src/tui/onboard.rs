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
    /// Asking; `error` says why the last answer was refused.
    Ask(Question),
    /// Logging in (the login dialog is open) with this ticket.
    LoggingIn(u64),
    /// Listing the accounts and roles.
    Listing(u64),
    /// Choosing: a filter and a template over the assignments (`template` is
    /// focused when `true`).
    Pick(bool),
    /// The change, ready to write.
    Preview(Box<Files>, Plan),
}

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

    /// The assignments passing the filter.
    pub fn picked(&self) -> Vec<Assignment> {
        onboard::filter(&self.assignments, self.filter.text())
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

impl Default for Onboard {
    fn default() -> Onboard {
        Onboard::new()
    }
}
