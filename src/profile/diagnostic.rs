//! Findings about the files: what is wrong, where, and how to fix it.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use super::chain::ChainError;
use super::{FileKind, Origin};
use crate::ini::SharedStr;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something will fail: the SDKs refuse the file, or a profile cannot work.
    Error,
    /// Something is ignored or read differently by some tools.
    Warning,
    /// Worth knowing, nothing to fix.
    Info,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding, tied to a file and line where there is one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// A stable identifier, e.g. `duplicate-key`.
    pub code: &'static str,
    /// Where, when it concerns a line.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
    /// The profile concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<SharedStr>,
    /// What is wrong, in a sentence.
    pub message: Message,
    /// What to do about it.
    pub fix: Cow<'static, str>,
    /// The AWS SDKs for Rust, Java and Go refuse the whole file because of this.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sdk_refuses_file: bool,
}

impl Diagnostic {
    /// A finding about no line of the files (the environment, a cache, a
    /// component file): the message says where.
    pub fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        fix: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code,
            origin: None,
            profile: None,
            message: Message::Text(message.into()),
            fix: fix.into(),
            sdk_refuses_file: false,
        }
    }

    /// A finding about line `line` (1-based) of `file`.
    pub fn at(
        severity: Severity,
        code: &'static str,
        file: FileKind,
        line: usize,
        message: impl Into<String>,
        fix: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        Diagnostic {
            origin: Some(Origin { file, line }),
            ..Diagnostic::new(severity, code, message, fix)
        }
    }

    /// The same finding, attributed to a profile.
    pub fn for_profile(mut self, name: &str) -> Diagnostic {
        self.profile = Some(name.into());
        self
    }
}

/// What is wrong, in a sentence: written when the finding is made, or, for a
/// chain that cannot be resolved, only when shown. A file of a million
/// profiles without credentials has a million such findings, and most are
/// never shown: writing each sentence up front took a fifth of `list`'s time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The sentence itself.
    Text(String),
    /// `profile 'NAME' cannot get credentials: REASON`, for profile `NAME`.
    Chain(Box<(SharedStr, ChainError)>),
}

impl Message {
    /// The sentence for profile `name`, whose chain failed with `err`.
    pub fn chain(name: SharedStr, err: ChainError) -> Message {
        Message::Chain(Box::new((name, err)))
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Text(text) => f.write_str(text),
            Message::Chain(chain) => {
                let (name, err) = &**chain;
                write!(
                    f,
                    "profile '{name}' cannot get credentials: {}",
                    err.message()
                )
            }
        }
    }
}

impl Serialize for Message {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Message::Text(text) => serializer.serialize_str(text),
            Message::Chain(_) => serializer.collect_str(self),
        }
    }
}
