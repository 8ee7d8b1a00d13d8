//! The merged, normalised view of both files: profiles, sso-sessions, services.
//!
//! Every value remembers where it came from ([`Origin`]) so the user can be told
//! "~/.aws/config:12". `Debug` never prints secret values.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use super::Diagnostic;

/// Which of the two shared files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// `~/.aws/config`: `[profile NAME]`, `[default]`, `[sso-session NAME]`, `[services NAME]`.
    Config,
    /// `~/.aws/credentials`: `[NAME]` only.
    Credentials,
}

impl FileKind {
    /// `config` or `credentials`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// Where a value or section was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// The file.
    pub file: FileKind,
    /// 1-based line number.
    pub line: usize,
}

/// One effective property value.
#[derive(Clone, PartialEq, Eq)]
pub struct Value {
    /// The value as the SDKs read it.
    pub value: String,
    /// Where the winning definition is.
    pub origin: Origin,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Value(<{} bytes> at {:?})",
            self.value.len(),
            self.origin
        )
    }
}

/// A profile, sso-session or services section after merging duplicates and files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// Effective properties by lowercased key.
    pub properties: BTreeMap<String, Value>,
    /// Where its headers are, in file order (config first).
    pub headers: Vec<Origin>,
}

impl Section {
    /// The effective value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(|v| v.value.as_str())
    }

    /// Where the section is first defined.
    pub fn origin(&self) -> Option<Origin> {
        self.headers.first().copied()
    }
}

/// Everything the two files define, as the SDKs see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    /// Profiles by name.
    pub profiles: BTreeMap<String, Section>,
    /// `[sso-session NAME]` sections by name.
    pub sso_sessions: BTreeMap<String, Section>,
    /// `[services NAME]` sections by name.
    pub services: BTreeMap<String, Section>,
    /// What is wrong or non-portable, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ProfileSet {
    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }

    /// Whether the AWS SDKs would refuse one of the files outright.
    pub fn refused_by_sdk(&self) -> bool {
        self.diagnostics.iter().any(|d| d.sdk_refuses_file)
    }

    /// Diagnostics that concern one profile.
    pub fn diagnostics_for<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Diagnostic> {
        self.diagnostics
            .iter()
            .filter(move |d| d.profile.as_deref() == Some(name) || d.sdk_refuses_file)
    }
}
