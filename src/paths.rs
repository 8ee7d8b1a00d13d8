//! Where things live and how a path is shown: the home directory, the XDG
//! base directories rolecall keeps its own files in, the AWS tools' shared
//! caches, and `~/...` for people.
//!
//! One [`Paths`] is computed from the environment snapshot ([`crate::env::Env`])
//! and asked by everything else: the CLI, the TUI, the prompt and doctor show
//! the same path the same way. Pure: no file is touched here.

use std::path::{Path, PathBuf};

use crate::credential::cache::CacheDirs;
use crate::env::Env;
use crate::profile::location::{Locations, NoHome, Overrides, Platform, home_dir, locate};

/// The directories of one environment.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Paths {
    home: Option<PathBuf>,
    config_home: Option<PathBuf>,
    cache_home: Option<PathBuf>,
    state_home: Option<PathBuf>,
    runtime_dir: Option<PathBuf>,
}

/// `$VAR` when it holds an absolute path (as the XDG base directory spec
/// asks), else `HOME/FALLBACK`.
fn xdg(env: &Env, var: &str, home: Option<&Path>, fallback: &str) -> Option<PathBuf> {
    env.non_empty(var)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| home.map(|h| h.join(fallback)))
}

impl Paths {
    /// The directories `env` names on `platform`.
    pub fn new(env: &Env, platform: Platform) -> Paths {
        let home = home_dir(&|k| env.var(k), platform).map(PathBuf::from);
        Paths {
            config_home: xdg(env, "XDG_CONFIG_HOME", home.as_deref(), ".config"),
            cache_home: xdg(env, "XDG_CACHE_HOME", home.as_deref(), ".cache"),
            state_home: xdg(env, "XDG_STATE_HOME", home.as_deref(), ".local/state"),
            runtime_dir: env
                .non_empty("XDG_RUNTIME_DIR")
                .map(PathBuf::from)
                .filter(|p| p.is_absolute()),
            home,
        }
    }

    /// The directories of this platform's environment `env`.
    pub fn current(env: &Env) -> Paths {
        Paths::new(env, Platform::current())
    }

    /// The home directory, as the AWS SDKs find it.
    pub fn home(&self) -> Option<&Path> {
        self.home.as_deref()
    }

    /// A path for people: the home directory shown as `~`.
    pub fn show(&self, path: &Path) -> String {
        if let Some(home) = &self.home
            && let Ok(rest) = path.strip_prefix(home)
        {
            return format!("~/{}", rest.display());
        }
        path.display().to_string()
    }

    /// The caches the AWS CLI and SDKs share (`~/.aws/sso/cache`,
    /// `~/.aws/cli/cache`) and rolecall's own credential cache.
    pub fn aws_caches(&self) -> Option<CacheDirs> {
        let home = self.home.as_deref()?;
        Some(CacheDirs {
            own: self.credential_cache(),
            ..CacheDirs::under_home(home)
        })
    }

    /// rolecall's settings file, `$XDG_CONFIG_HOME/rolecall/config.toml`.
    pub fn settings_file(&self) -> Option<PathBuf> {
        Some(
            self.config_home
                .as_ref()?
                .join("rolecall")
                .join("config.toml"),
        )
    }

    /// When profiles were last used, `$XDG_STATE_HOME/rolecall/recent.json`.
    pub fn recent_file(&self) -> Option<PathBuf> {
        Some(
            self.state_home
                .as_ref()?
                .join("rolecall")
                .join("recent.json"),
        )
    }

    /// rolecall's cache directory, `$XDG_CACHE_HOME/rolecall`.
    pub fn cache_dir(&self) -> Option<PathBuf> {
        Some(self.cache_home.as_ref()?.join("rolecall"))
    }

    /// rolecall's own cache of temporary credentials.
    pub fn credential_cache(&self) -> Option<PathBuf> {
        Some(self.cache_dir()?.join("credentials"))
    }

    /// Where short-lived private files go: `$XDG_RUNTIME_DIR` when it is an
    /// existing directory, else the system's temporary directory.
    pub fn runtime_dir(&self) -> PathBuf {
        self.runtime_dir
            .clone()
            .filter(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir)
    }

    /// The AWS config and credentials files, as the SDKs locate them in `env`.
    pub fn aws_files(env: &Env, overrides: &Overrides) -> Result<Locations, NoHome> {
        locate(&|k| env.var(k), Platform::current(), overrides)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xdg_directories_need_an_absolute_path() {
        let p = Paths::new(
            &Env::from_slice(&[
                ("HOME", "/h"),
                ("XDG_CONFIG_HOME", "/x"),
                ("XDG_CACHE_HOME", "rel"),
            ]),
            Platform::Unix,
        );
        assert_eq!(
            p.settings_file(),
            Some(PathBuf::from("/x/rolecall/config.toml"))
        );
        assert_eq!(
            p.credential_cache(),
            Some(PathBuf::from("/h/.cache/rolecall/credentials"))
        );
        assert_eq!(
            p.recent_file(),
            Some(PathBuf::from("/h/.local/state/rolecall/recent.json"))
        );
        let none = Paths::new(&Env::default(), Platform::Unix);
        assert_eq!(none.settings_file(), None);
        assert_eq!(none.aws_caches(), None);
    }

    #[test]
    fn shows_home_as_tilde() {
        let p = Paths::new(&Env::from_slice(&[("HOME", "/home/me")]), Platform::Unix);
        assert_eq!(p.show(Path::new("/home/me/.aws/config")), "~/.aws/config");
        assert_eq!(p.show(Path::new("/home/meow/x")), "/home/meow/x");
        assert_eq!(p.show(Path::new("/etc/x")), "/etc/x");
        let none = Paths::new(&Env::default(), Platform::Unix);
        assert_eq!(none.show(Path::new("/home/me/x")), "/home/me/x");
    }
}
