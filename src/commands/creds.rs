//! Credentials for a command: which profile, from the cache or through
//! aws-config, with a guard against `credential_process` calling rolecall for
//! the profile it is resolving.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::bail;

use crate::credential::obtain::{Request, block_on, obtain};
use crate::credential::saved::{DEFAULT_MARGIN, cache_dir, entry_path, get_or_fetch};
use crate::credential::secret::Credentials;
use crate::credential::session::get_session_token;
use crate::profile::chain::{self, Base};
use crate::profile::summary::chain_summary;
use crate::profile::{FileKind, ProfileSet};
use crate::workspace::Workspace;

use crate::sso::config::SsoConfig;
use crate::sso::login::{Browser, Env, Options, ensure};

use super::login::{TerminalUi, ctrl_c};
use super::place;

/// Profiles being resolved by rolecall processes up the process tree, so a
/// `credential_process = rolecall credential-process ...` loop stops at once.
pub const RESOLVING_VAR: &str = "ROLECALL_RESOLVING";

/// The profile a command is about: the argument, else `$AWS_PROFILE`, else `default`.
pub fn pick_profile(ws: &Workspace, positional: &Option<String>, flag: &Option<String>) -> String {
    positional
        .clone()
        .or_else(|| flag.clone())
        .unwrap_or_else(|| ws.locations.profile.clone())
}

/// Refuses profiles that do not exist or files the SDKs refuse.
pub fn check_usable(ws: &Workspace, set: &ProfileSet, profile: &str) -> anyhow::Result<()> {
    if set.refused_by_sdk() {
        let first = set.diagnostics.iter().find(|d| d.sdk_refuses_file);
        let at = first
            .and_then(|d| d.origin)
            .map(|o| place(ws, o.file, Some(o.line)))
            .unwrap_or_default();
        bail!(
            "the AWS SDKs refuse {at}: {}; fix it first (see `rolecall list`)",
            first.map_or("", |d| d.message.as_str())
        );
    }
    if set.profile(profile).is_none() {
        bail!(
            "there is no profile '{profile}' in {} or {}; see `rolecall list`",
            place(ws, FileKind::Config, None),
            place(ws, FileKind::Credentials, None)
        );
    }
    Ok(())
}

/// The refresh margin: the flag, else `$ROLECALL_REFRESH_MARGIN_MINUTES`, else 15 minutes.
///
/// `$ROLECALL_REFRESH_MARGIN_SECONDS` (undocumented, for tests) wins over the
/// minutes variable: with a margin a few seconds short of the credentials'
/// lifetime, `exec --mode server` refreshes every few seconds.
pub fn margin(flag: Option<u64>) -> Duration {
    let var = |name: &str| std::env::var(name).ok()?.trim().parse::<u64>().ok();
    if let Some(minutes) = flag {
        return Duration::from_secs(minutes.saturating_mul(60));
    }
    if let Some(seconds) = var("ROLECALL_REFRESH_MARGIN_SECONDS") {
        return Duration::from_secs(seconds);
    }
    var("ROLECALL_REFRESH_MARGIN_MINUTES").map_or(DEFAULT_MARGIN, |m| {
        Duration::from_secs(m.saturating_mul(60))
    })
}

/// Whether the profile's credentials are long-term keys straight from the
/// files or from rolecall's keychain.
pub fn is_long_term(set: &ProfileSet, profile: &str) -> bool {
    keychain_profile(set, profile).is_some()
        || matches!(
            chain::resolve(set, profile),
            Ok(chain::Chain { base: Base::AccessKey { session_token: None, .. }, ref roles }) if roles.is_empty()
        )
}

/// The keychain entry to read when `profile`'s credentials are its own
/// `credential_process = rolecall credential-process --profile PROFILE` line
/// (see `keys add`): read directly, since through aws-config that line would
/// run rolecall for the same profile again, without end.
pub fn keychain_profile(set: &ProfileSet, profile: &str) -> Option<String> {
    match chain::resolve(set, profile).ok()? {
        chain::Chain {
            base:
                Base::CredentialProcess {
                    profile: p,
                    command,
                },
            roles,
        } if roles.is_empty()
            && *p == *profile
            && crate::keychain::line::own_profile(&command) == Some(profile) =>
        {
            Some(profile.to_string())
        }
        _ => None,
    }
}

/// Marks `profile` as being resolved by this process (for children it spawns),
/// refusing when an ancestor is already resolving it.
fn enter_resolution(profile: &str) -> anyhow::Result<()> {
    let current = std::env::var(RESOLVING_VAR).unwrap_or_default();
    if current.split('\n').any(|p| p == profile) {
        bail!(
            "profile '{profile}' resolves through rolecall again (its credential_process, or one in its chain, runs `rolecall` for the same profile): point credential_process at another profile or remove it"
        );
    }
    let next = if current.is_empty() {
        profile.to_string()
    } else {
        format!("{current}\n{profile}")
    };
    // SAFETY: called before any thread or runtime is started by this command.
    unsafe { std::env::set_var(RESOLVING_VAR, next) };
    Ok(())
}

/// What names a profile's entry in rolecall's credential cache: both files'
/// paths, the profile and the shape of its chain (so editing a role never
/// serves the old role's credentials).
pub fn cache_key(
    config: &std::path::Path,
    credentials: &std::path::Path,
    profile: &str,
    chain: Option<&chain::Chain>,
) -> String {
    format!(
        "{}\n{}\n{profile}\n{}",
        config.display(),
        credentials.display(),
        chain
            .and_then(|c| serde_json::to_string(c).ok())
            .unwrap_or_default()
    )
}

/// Everything needed to fetch a profile's credentials, now and again later
/// from another thread (`exec --mode server` refreshes through it for days).
#[derive(Clone, Debug)]
pub struct Source {
    request: Request,
    summary: String,
    long_term: bool,
    /// The cache entry of the profile's credentials (`None`: no cache directory).
    entry: Option<PathBuf>,
    /// The cache entry of the session made from long-term keys.
    session_entry: Option<PathBuf>,
    /// The SSO session the chain starts from, if it does.
    sso: Option<(SsoConfig, Env)>,
    /// The keychain entry holding the keys (rolecall's own credential_process).
    keychain: Option<String>,
    /// For a profile with `mfa_serial`: rolecall's own STS call (see `super::mfa`).
    mfa: Option<super::mfa::Mfa>,
}

/// Set to make commands fail instead of starting an SSO login.
pub const NO_LOGIN_VAR: &str = "ROLECALL_NO_LOGIN";

/// The cache entries of a profile's credentials and of the session made from
/// its long-term keys (`None`: no cache directory).
fn entries(ws: &Workspace, set: &ProfileSet, profile: &str) -> (Option<PathBuf>, Option<PathBuf>) {
    entry_paths(
        ws,
        profile,
        chain::resolve(set, profile).as_ref().ok(),
        None,
    )
}

/// [`entries`] for a profile whose chain resolved as `chain`, the key
/// extended by `extra` (an MFA device's part of it) when given.
fn entry_paths(
    ws: &Workspace,
    profile: &str,
    chain: Option<&chain::Chain>,
    extra: Option<&str>,
) -> (Option<PathBuf>, Option<PathBuf>) {
    let mut key = cache_key(&ws.config.path, &ws.credentials.path, profile, chain);
    if let Some(extra) = extra {
        key = format!("{key}\n{extra}");
    }
    let dir = cache_dir(&|k| std::env::var(k).ok());
    (
        dir.as_ref().map(|d| entry_path(d, &key)),
        dir.as_ref()
            .map(|d| entry_path(d, &format!("{key}\nGetSessionToken"))),
    )
}

/// The files rolecall's cache keeps a profile's credentials in (for `logout`).
pub fn cache_entries(ws: &Workspace, set: &ProfileSet, profile: &str) -> Vec<PathBuf> {
    let (a, b) = entries(ws, set, profile);
    a.into_iter().chain(b).collect()
}

/// How long a session token from the files that states no expiry is served as
/// valid by the local endpoint (it is read again from the files after that).
const UNSTATED_EXPIRY: Duration = Duration::from_secs(60 * 60);

impl Source {
    /// Checks the profile and marks it as being resolved by this process (see
    /// [`RESOLVING_VAR`]); call before any thread or runtime is started.
    pub fn new(ws: &Workspace, set: &ProfileSet, profile: &str) -> anyhow::Result<Source> {
        Source::with_mfa(ws, set, profile, true)
    }

    /// Like [`Source::new`]; `mfa: false` signs with the profile's keys as they
    /// are, for the source of a role that itself asks for the MFA code.
    pub fn with_mfa(
        ws: &Workspace,
        set: &ProfileSet,
        profile: &str,
        mfa: bool,
    ) -> anyhow::Result<Source> {
        if ws.demo {
            bail!("the demo profiles are not real: run without --demo");
        }
        check_usable(ws, set, profile)?;
        enter_resolution(profile)?;
        let chain = chain::resolve(set, profile);
        let summary = chain.as_ref().map(chain_summary).unwrap_or_default();
        let mfa = if mfa {
            super::mfa::Mfa::new(ws, set, profile)?
        } else {
            None
        };
        let (entry, session_entry) = entry_paths(
            ws,
            profile,
            chain.as_ref().ok(),
            mfa.as_ref().map(|m| m.cache_key()).as_deref(),
        );
        let sso = match chain.as_ref().map(|c| &c.base) {
            Ok(Base::Sso { profile: base, .. }) => match (
                crate::sso::config::for_profile(set, base),
                super::login::sso_env(ws),
            ) {
                (Ok(cfg), Ok(env)) => Some((cfg, env)),
                _ => None,
            },
            _ => None,
        };
        Ok(Source {
            request: Request {
                profile: profile.to_string(),
                config: ws.config.path.clone(),
                credentials: ws.credentials.path.clone(),
            },
            summary,
            long_term: mfa.is_none() && is_long_term(set, profile),
            entry,
            session_entry,
            sso,
            keychain: keychain_profile(set, profile),
            mfa,
        })
    }

    /// Makes sure the profile's SSO session has a token: refreshed when near
    /// expiry, else a login (one across parallel processes, see `sso::login`).
    fn ensure_sso(&self) -> anyhow::Result<()> {
        let Some((cfg, env)) = &self.sso else {
            return Ok(());
        };
        let opts = Options {
            force: false,
            interactive: std::env::var_os(NO_LOGIN_VAR).is_none(),
            browser: Browser::from_env(false),
            use_device_code: false,
        };
        block_on(ensure(
            env,
            cfg,
            &opts,
            Some(&self.request.profile),
            &mut TerminalUi,
            ctrl_c(),
        ))?;
        Ok(())
    }

    fn obtain(&self) -> anyhow::Result<Credentials> {
        self.ensure_sso()?;
        if let Some(m) = &self.mfa {
            return m.fetch(&self.request, || self.obtain_keys());
        }
        self.obtain_keys()
    }

    /// The profile's own credentials, without MFA.
    fn obtain_keys(&self) -> anyhow::Result<Credentials> {
        if let Some(p) = &self.keychain {
            use crate::keychain::Store;
            return Ok(crate::keychain::SystemStore.get(p)?);
        }
        block_on(obtain(&self.request, &self.summary)).map_err(anyhow::Error::from)
    }

    pub(super) fn session(&self, keys: &Credentials) -> anyhow::Result<Credentials> {
        block_on(get_session_token(&self.request, keys)).map_err(anyhow::Error::from)
    }

    /// The profile's credentials: cached while fresh by `margin`, else fetched
    /// through aws-config (one fetch across parallel processes). Long-term keys
    /// are read from the files every time and never cached.
    pub fn get(&self, refresh: bool, margin: Duration) -> anyhow::Result<Credentials> {
        match &self.entry {
            Some(path) if !self.long_term => {
                get_or_fetch(path, crate::clock::now, margin, refresh, || self.obtain())
            }
            _ => self.obtain(),
        }
    }

    /// Credentials the local container endpoint can serve: always with a session
    /// token and an expiry. Long-term keys become a session from STS
    /// GetSessionToken (cached like any temporary credentials); a session token
    /// from the files without a stated expiry is served for an hour.
    pub fn servable(&self, refresh: bool, margin: Duration) -> anyhow::Result<Credentials> {
        let mut creds = if self.long_term {
            let fetch = || self.session(&self.obtain()?);
            match &self.session_entry {
                Some(path) => get_or_fetch(path, crate::clock::now, margin, refresh, fetch)?,
                None => fetch()?,
            }
        } else {
            let creds = self.get(refresh, margin)?;
            if creds.session_token().is_some() {
                creds
            } else {
                // Keys without a token from a credential_process, for instance.
                self.session(&creds)?
            }
        };
        if creds.expires.is_none() {
            creds.expires = Some(crate::clock::now() + UNSTATED_EXPIRY);
        }
        Ok(creds)
    }
}

/// Credentials for `profile`: cached while fresh, else fetched through aws-config
/// (one fetch across parallel processes).
pub fn credentials(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    refresh: bool,
    margin: Duration,
) -> anyhow::Result<Credentials> {
    Source::new(ws, set, profile)?.get(refresh, margin)
}
