//! The environment a program gets when it runs with a profile, as a pure delta
//! over the caller's environment: what to set and what to remove.
//!
//! `AWS_PROFILE` and `AWS_DEFAULT_PROFILE` name the profile; the variables that
//! would shadow it (static keys, session tokens and what describes them) are
//! removed, since every SDK prefers keys in the environment over any profile;
//! `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE` are set only when the child
//! would otherwise find other files than the ones rolecall shows. `env` mode
//! sets the credentials themselves; `server` mode points the child at the local
//! endpoint and at generated files, removing every source an SDK would try
//! first. Nothing here reads the environment or starts a process: callers pass
//! what they know.

use std::path::{Path, PathBuf};

use crate::profile::location::Locations;

/// Variables that would win over the profile, or describe keys that are gone.
/// Every SDK looks at keys in the environment, then the selected profile, then
/// web identity, then the container endpoint: keys and the later sources go.
pub const SHADOWING: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    // Written beside injected keys (by `rolecall exec`, aws-vault and others);
    // stale once the keys are removed.
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SESSION_EXPIRATION",
    "ROLECALL_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// What `env` mode removes: everything that could select another source or
/// describe other credentials than the ones it sets.
pub const ENV_MODE_REMOVES: &[&str] = &[
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SECURITY_TOKEN",
    "AWS_SESSION_EXPIRATION",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
];

/// What `server` mode removes: every source an SDK would try before the
/// container endpoint (keys in the environment, the selected profile, web
/// identity), the other container variables (the relative URI wins over the full
/// one, a token file over the token variable) and what described other keys.
pub const SERVER_MODE_REMOVES: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SESSION_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
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
    fn set(&mut self, name: &str, value: impl Into<String>) {
        self.remove.retain(|r| r != name);
        self.set.retain(|(k, _)| k != name);
        self.set.push((name.to_string(), value.into()));
    }

    fn unset(&mut self, name: &str) {
        self.set.retain(|(k, _)| k != name);
        if !self.remove.iter().any(|r| r == name) {
            self.remove.push(name.to_string());
        }
    }

    /// Adds `AWS_REGION` and `AWS_DEFAULT_REGION` (botocore reads only the latter,
    /// the Rust and Go SDKs only the former).
    pub fn with_region(mut self, region: Option<&str>) -> EnvDelta {
        if let Some(r) = region {
            self.set("AWS_REGION", r);
            self.set("AWS_DEFAULT_REGION", r);
        }
        self
    }

    /// Adds endpoint variables (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`).
    pub fn with_endpoints(mut self, endpoints: &[(String, String)]) -> EnvDelta {
        for (name, url) in endpoints {
            self.set(name, url.clone());
        }
        self
    }

    /// Adds `name` to the variables removed.
    pub fn without(mut self, name: &str) -> EnvDelta {
        self.unset(name);
        self
    }

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

/// The delta for `env` mode: the credentials themselves, named by
/// `ROLECALL_PROFILE`, with every other source removed.
pub fn env_mode(profile: &str, creds: &crate::credential::secret::Credentials) -> EnvDelta {
    let mut d = EnvDelta {
        set: Vec::new(),
        remove: ENV_MODE_REMOVES.iter().map(|s| s.to_string()).collect(),
    };
    d.set("AWS_ACCESS_KEY_ID", creds.access_key_id.clone());
    d.set("AWS_SECRET_ACCESS_KEY", creds.secret_access_key());
    match creds.session_token() {
        Some(t) => d.set("AWS_SESSION_TOKEN", t),
        None => d.unset("AWS_SESSION_TOKEN"),
    }
    match creds.expires {
        Some(t) => d.set(
            "AWS_CREDENTIAL_EXPIRATION",
            crate::credential::expiry::format_rfc3339(t),
        ),
        None => d.unset("AWS_CREDENTIAL_EXPIRATION"),
    }
    d.set("ROLECALL_PROFILE", profile);
    d
}

/// The delta for `server` mode: the local endpoint's URL and token, the
/// generated `config` and `credentials` files (whose `[default]` holds no
/// credentials), `ROLECALL_PROFILE`, and every source that would win over the
/// endpoint removed.
pub fn server_env(
    profile: &str,
    url: &str,
    token: &str,
    config: &Path,
    credentials: &Path,
) -> EnvDelta {
    let mut d = EnvDelta {
        set: Vec::new(),
        remove: SERVER_MODE_REMOVES.iter().map(|s| s.to_string()).collect(),
    };
    d.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
    d.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
    d.set("AWS_CONFIG_FILE", config.display().to_string());
    d.set(
        "AWS_SHARED_CREDENTIALS_FILE",
        credentials.display().to_string(),
    );
    d.set("ROLECALL_PROFILE", profile);
    d
}

/// The endpoint variables a profile's settings stand for: its `endpoint_url` as
/// `AWS_ENDPOINT_URL`, and each `endpoint_url` in its `[services NAME]` section as
/// `AWS_ENDPOINT_URL_<SERVICE>` (service id upper-cased, `-` and spaces as `_`).
pub fn endpoints(set: &crate::profile::ProfileSet, profile: &str) -> Vec<(String, String)> {
    let Some(p) = set.profiles.get(profile) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(url) = p.get("endpoint_url") {
        out.push(("AWS_ENDPOINT_URL".to_string(), url.to_string()));
    }
    if let Some(services) = p.get("services").and_then(|s| set.services.get(s)) {
        for (service, value) in &services.properties {
            let url = value.value.lines().find_map(|l| {
                let (k, v) = l.split_once('=')?;
                (k.trim() == "endpoint_url").then(|| v.trim().to_string())
            });
            if let Some(url) = url {
                let id = service.to_ascii_uppercase().replace(['-', ' '], "_");
                out.push((format!("AWS_ENDPOINT_URL_{id}"), url));
            }
        }
    }
    out
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
    fn env_mode_sets_keys_and_removes_every_other_source() {
        use crate::credential::secret::Credentials;
        use std::time::{Duration, UNIX_EPOCH};
        let creds = Credentials::new(
            "ASIA1",
            "s3cr3t",
            Some("tok"),
            Some(UNIX_EPOCH + Duration::from_secs(1_795_340_236)),
        );
        let d = env_mode("dev", &creds).with_region(Some("eu-west-1"));
        let get = |k: &str| d.set.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("AWS_ACCESS_KEY_ID"), Some("ASIA1"));
        assert_eq!(get("AWS_SESSION_TOKEN"), Some("tok"));
        assert_eq!(
            get("AWS_CREDENTIAL_EXPIRATION"),
            Some("2026-11-22T09:37:16Z")
        );
        assert_eq!(get("AWS_REGION"), Some("eu-west-1"));
        assert_eq!(get("AWS_DEFAULT_REGION"), Some("eu-west-1"));
        assert_eq!(get("ROLECALL_PROFILE"), Some("dev"));
        for v in [
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
        ] {
            assert!(d.remove.iter().any(|r| r == v), "{v}");
        }
        let long = env_mode("k", &Credentials::new("AKIA1", "s", None, None));
        assert!(long.remove.iter().any(|r| r == "AWS_SESSION_TOKEN"));
        assert!(long.remove.iter().any(|r| r == "AWS_CREDENTIAL_EXPIRATION"));
        assert!(!long.set.iter().any(|(k, _)| long.remove.contains(k)));
    }

    #[test]
    fn server_mode_points_at_the_endpoint_and_removes_what_would_win() {
        let d = server_env(
            "dev",
            "http://127.0.0.1:4000/credentials",
            "t0ken",
            Path::new("/run/x/config"),
            Path::new("/run/x/credentials"),
        )
        .with_region(Some("eu-west-1"));
        let get = |k: &str| d.set.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            get("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
            Some("http://127.0.0.1:4000/credentials")
        );
        assert_eq!(get("AWS_CONTAINER_AUTHORIZATION_TOKEN"), Some("t0ken"));
        assert_eq!(get("AWS_CONFIG_FILE"), Some("/run/x/config"));
        assert_eq!(
            get("AWS_SHARED_CREDENTIALS_FILE"),
            Some("/run/x/credentials")
        );
        assert_eq!(get("AWS_REGION"), Some("eu-west-1"));
        assert_eq!(get("ROLECALL_PROFILE"), Some("dev"));
        for v in [
            "AWS_ACCESS_KEY_ID",
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        ] {
            assert!(d.remove.iter().any(|r| r == v), "{v}");
        }
        assert!(!d.set.iter().any(|(k, _)| d.remove.contains(k)));
        let d = d.without("ROLECALL_RESOLVING");
        assert!(d.remove.iter().any(|r| r == "ROLECALL_RESOLVING"));
    }

    #[test]
    fn endpoints_from_the_profile_and_its_services_section() {
        use crate::ini::Document;
        let doc = Document::parse(
            "[profile d]\nendpoint_url = http://localhost:4566\nservices = local\n[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\nelastic-beanstalk =\n  region = x\n",
        );
        let set = crate::profile::normalize::normalize(Some(&doc), None);
        assert_eq!(
            endpoints(&set, "d"),
            vec![
                (
                    "AWS_ENDPOINT_URL".to_string(),
                    "http://localhost:4566".to_string()
                ),
                (
                    "AWS_ENDPOINT_URL_DYNAMODB".to_string(),
                    "http://localhost:8000".to_string()
                ),
            ]
        );
    }

    #[test]
    fn export_lines_are_quoted_for_the_shell() {
        assert_eq!(export_line("dev"), "export AWS_PROFILE='dev'");
        assert_eq!(export_line("it's"), r"export AWS_PROFILE='it'\''s'");
        assert_eq!(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
    }
}
