//! Where the config and credentials files are, decided as the AWS SDKs decide.
//!
//! `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE` win (a leading `~` is the
//! home directory); otherwise `~/.aws/config` and `~/.aws/credentials`, where home
//! is `HOME`, then on Windows `USERPROFILE`, then `HOMEDRIVE` + `HOMEPATH`.
//! Command-line flags override all of it. Pure: the environment is passed in.

use std::path::PathBuf;

/// The operating-system family, which decides path separators and home lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// Linux, macOS and other Unix.
    Unix,
    /// Windows.
    Windows,
}

impl Platform {
    /// The platform this binary runs on.
    pub fn current() -> Platform {
        if cfg!(windows) {
            Platform::Windows
        } else {
            Platform::Unix
        }
    }

    fn separator(self) -> char {
        match self {
            Platform::Unix => '/',
            Platform::Windows => '\\',
        }
    }
}

/// The two files and the selected profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locations {
    /// The config file.
    pub config: PathBuf,
    /// The credentials file.
    pub credentials: PathBuf,
    /// `AWS_PROFILE`, or `default`.
    pub profile: String,
}

/// Why the files cannot be located.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot find your home directory to locate ~/.aws/{0}: set HOME, or set AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE, or pass --config and --credentials"
)]
pub struct NoHome(&'static str);

/// Explicit paths that override the environment (`--config`, `--credentials`).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--credentials`.
    pub credentials: Option<PathBuf>,
}

/// The user's home directory as the SDKs find it.
pub fn home_dir(env: &dyn Fn(&str) -> Option<String>, platform: Platform) -> Option<String> {
    let get = |name: &str| env(name).filter(|v| !v.is_empty());
    if let Some(home) = get("HOME") {
        return Some(home);
    }
    if platform == Platform::Windows {
        if let Some(profile) = get("USERPROFILE") {
            return Some(profile);
        }
        if let (Some(drive), Some(path)) = (get("HOMEDRIVE"), get("HOMEPATH")) {
            return Some(format!("{drive}{path}"));
        }
    }
    None
}

/// Expands a leading `~` to the home directory.
pub fn expand_home(path: &str, home: Option<&str>, platform: Platform) -> Option<String> {
    let rest = path.strip_prefix('~');
    match rest {
        Some(rest)
            if rest.is_empty()
                || rest.starts_with('/')
                || (platform == Platform::Windows && rest.starts_with('\\')) =>
        {
            home.map(|h| format!("{h}{rest}"))
        }
        _ => Some(path.to_string()),
    }
}

/// Locates the files from `env` (a variable lookup), `platform` and `overrides`.
pub fn locate(
    env: &dyn Fn(&str) -> Option<String>,
    platform: Platform,
    overrides: &Overrides,
) -> Result<Locations, NoHome> {
    let home = home_dir(env, platform);
    let sep = platform.separator();
    let find = |var: &str, name: &'static str, flag: &Option<PathBuf>| -> Result<PathBuf, NoHome> {
        if let Some(path) = flag {
            return Ok(path.clone());
        }
        if let Some(path) = env(var).filter(|v| !v.is_empty()) {
            return expand_home(&path, home.as_deref(), platform)
                .map(PathBuf::from)
                .ok_or(NoHome(name));
        }
        let home = home.as_deref().ok_or(NoHome(name))?;
        Ok(PathBuf::from(format!("{home}{sep}.aws{sep}{name}")))
    };
    Ok(Locations {
        config: find("AWS_CONFIG_FILE", "config", &overrides.config)?,
        credentials: find(
            "AWS_SHARED_CREDENTIALS_FILE",
            "credentials",
            &overrides.credentials,
        )?,
        profile: env("AWS_PROFILE")
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| "default".to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn tilde_in_variables_is_home() {
        let e = env(&[("HOME", "/h"), ("AWS_CONFIG_FILE", "~/cfg")]);
        let l = locate(&e, Platform::Unix, &Overrides::default()).unwrap();
        assert_eq!(l.config, PathBuf::from("/h/cfg"));
        assert_eq!(l.credentials, PathBuf::from("/h/.aws/credentials"));
        assert_eq!(
            expand_home("~user/x", Some("/h"), Platform::Unix).unwrap(),
            "~user/x"
        );
    }

    #[test]
    fn flags_beat_variables_and_no_home_is_a_clear_error() {
        let e = env(&[("AWS_CONFIG_FILE", "/env/cfg")]);
        let o = Overrides {
            config: Some("/flag/cfg".into()),
            credentials: None,
        };
        let err = locate(&e, Platform::Unix, &o).unwrap_err();
        assert!(err.to_string().contains("~/.aws/credentials"));
        let o = Overrides {
            config: Some("/flag/cfg".into()),
            credentials: Some("/flag/cred".into()),
        };
        assert_eq!(
            locate(&e, Platform::Unix, &o).unwrap().config,
            PathBuf::from("/flag/cfg")
        );
    }
}
