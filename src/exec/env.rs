//! The environment a program gets when it runs with a profile, as a pure delta
//! over the caller's environment: what to set and what to remove.
//!
//! `AWS_PROFILE` and `AWS_DEFAULT_PROFILE` name the profile; the variables that
//! would shadow it (static keys, session tokens and what describes them) are
//! removed, since every SDK prefers keys in the environment over any profile;
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` are set only when the child
//! would otherwise find other files than the ones rolecall shows. Nothing here
//! reads the environment or starts a process: callers pass what they know.

use std::path::{Path, PathBuf};

use crate::profile::location::Locations;

/// Variables that would win over the profile, or describe keys that are gone.
pub const SHADOWING: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    // Written beside injected keys (by `rolecall exec`, aws-vault and others);
    // stale once the keys are removed.
    "AWS_CREDENTIAL_EXPIRATION",
    "ROLECALL_PROFILE",
];

/// A change to an environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvDelta {
    /// Variables to set, in order.
    pub set: Vec<(String, String)>,
    /// Variables to remove.
    pub remove: Vec<String>,
}

impl EnvDelta {
    /// Applies the delta to a command about to be spawned.
    pub fn apply(&self, command: &mut std::process::Command) {
        for name in &self.remove {
            command.env_remove(name);
        }
        for (name, value) in &self.set {
            command.env(name, value);
        }
    }
}

/// Which file variables the child needs: a path where it would otherwise find
/// another file, `None` where it finds the same one on its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileVars {
    /// `AWS_CONFIG_FILE`.
    pub config: Option<PathBuf>,
    /// `AWS_SHARED_CREDENTIALS_FILE`.
    pub credentials: Option<PathBuf>,
}

/// Compares the files rolecall opened (`config`, `credentials`) with the ones
/// the child would find from the inherited environment (`found`; `None` when it
/// would find none, e.g. without a home directory).
pub fn file_vars(config: &Path, credentials: &Path, found: Option<&Locations>) -> FileVars {
    let needs = |opened: &Path, found: Option<&PathBuf>| {
        (found.map(PathBuf::as_path) != Some(opened)).then(|| opened.to_path_buf())
    };
    FileVars {
        config: needs(config, found.map(|l| &l.config)),
        credentials: needs(credentials, found.map(|l| &l.credentials)),
    }
}

/// The delta for running with `profile` from `files`.
pub fn profile_env(profile: &str, files: &FileVars) -> EnvDelta {
    let mut set = vec![
        ("AWS_PROFILE".to_string(), profile.to_string()),
        ("AWS_DEFAULT_PROFILE".to_string(), profile.to_string()),
    ];
    if let Some(p) = &files.config {
        set.push(("AWS_CONFIG_FILE".to_string(), p.display().to_string()));
    }
    if let Some(p) = &files.credentials {
        set.push((
            "AWS_SHARED_CREDENTIALS_FILE".to_string(),
            p.display().to_string(),
        ));
    }
    EnvDelta {
        set,
        remove: SHADOWING.iter().map(|s| s.to_string()).collect(),
    }
}

/// `s` quoted for POSIX shells: in single quotes, each `'` written as `'\''`.
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The line that selects `profile` in a POSIX shell.
pub fn export_line(profile: &str) -> String {
    format!("export AWS_PROFILE={}", shell_quote(profile))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locations(config: &str, credentials: &str) -> Locations {
        Locations {
            config: config.into(),
            credentials: credentials.into(),
            profile: "default".into(),
        }
    }

    #[test]
    fn names_the_profile_and_removes_what_shadows_it() {
        let d = profile_env("dev", &FileVars::default());
        assert_eq!(
            d.set,
            vec![
                ("AWS_PROFILE".to_string(), "dev".to_string()),
                ("AWS_DEFAULT_PROFILE".to_string(), "dev".to_string()),
            ]
        );
        for v in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
        ] {
            assert!(d.remove.iter().any(|r| r == v), "{v}");
        }
        assert!(!d.set.iter().any(|(k, _)| d.remove.contains(k)));
    }

    #[test]
    fn file_variables_only_where_the_child_would_look_elsewhere() {
        let default = locations("/h/.aws/config", "/h/.aws/credentials");
        let same = file_vars(
            Path::new("/h/.aws/config"),
            Path::new("/h/.aws/credentials"),
            Some(&default),
        );
        assert_eq!(same, FileVars::default());
        let flag = file_vars(
            Path::new("/work/config"),
            Path::new("/h/.aws/credentials"),
            Some(&default),
        );
        let d = profile_env("dev", &flag);
        assert!(
            d.set
                .contains(&("AWS_CONFIG_FILE".to_string(), "/work/config".to_string()))
        );
        assert!(
            !d.set
                .iter()
                .any(|(k, _)| k == "AWS_SHARED_CREDENTIALS_FILE")
        );
        let homeless = file_vars(Path::new("/c"), Path::new("/k"), None);
        assert_eq!(homeless.credentials, Some(PathBuf::from("/k")));
    }

    #[test]
    fn export_lines_are_quoted_for_the_shell() {
        assert_eq!(export_line("dev"), "export AWS_PROFILE='dev'");
        assert_eq!(export_line("it's"), r"export AWS_PROFILE='it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
