//! Getting a profile's credentials for a command: check the profile, log in
//! to its SSO session when needed, ask for an MFA code, read the keychain,
//! ask aws-config, and keep temporary credentials in rolecall's cache (one
//! fetch across parallel processes). `exec`, `export`, `credential-process`,
//! the shell switch and the local endpoint all go through [`Source`].
//!
//! Whatever must reach the user while this runs (an SSO code, an MFA
//! question) goes through a [`Prompter`]: the CLI answers on `/dev/tty`,
//! another front end in its own way. This module never touches a terminal.

#[cfg(unix)]
pub mod fanout;
pub mod mfa;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use anyhow::bail;
use zeroize::Zeroizing;

use crate::env::Env;
use crate::profile::chain::{self, Base};
use crate::profile::summary::chain_summary;
use crate::profile::{FileKind, ProfileSet};
use crate::sso::config::SsoConfig;
use crate::sso::login::{self, Browser, Options, Ui};
use crate::workspace::Workspace;

use super::obtain::{Fetcher, Request, obtain};
use super::saved::{DEFAULT_MARGIN, get_or_fetch};
use super::secret::Credentials;
use super::session::get_session_token;

/// Profiles being resolved by rolecall processes up the process tree, so a
/// `credential_process = rolecall credential-process ...` loop stops at once.
pub const RESOLVING_VAR: &str = "ROLECALL_RESOLVING";

/// Set to make commands fail instead of starting an SSO login.
pub const NO_LOGIN_VAR: &str = "ROLECALL_NO_LOGIN";

/// What a front end does for the credential pipeline while it runs.
pub trait Prompter: Send + Sync {
    /// Asks for the code of MFA device `serial` for `profile`; `Err` says
    /// why no code can be asked (no terminal, say), in words.
    fn mfa_code(&self, profile: &str, serial: &str) -> Result<Zeroizing<String>, String>;
    /// A line of progress or a warning.
    fn note(&self, message: &str);
    /// A warning about what is handed out (expired credentials passed on, an
    /// expiry made up), part of the command's report: the CLI prints it on
    /// stderr. By default a [`Prompter::note`].
    fn warn(&self, message: &str) {
        self.note(message);
    }
    /// Where an SSO login shows its code.
    fn login_ui(&self) -> Box<dyn Ui>;
    /// Resolves when the user cancels (Ctrl-C on a terminal).
    fn cancelled(&self) -> Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// Refuses profiles that do not exist or files the SDKs refuse.
pub fn check_usable(ws: &Workspace, set: &ProfileSet, profile: &str) -> anyhow::Result<()> {
    if set.refused_by_sdk() {
        let first = set.first_refusal();
        let at = first
            .and_then(|d| d.origin)
            .map(|o| format!("{}:{}", ws.show(ws.path(o.file)), o.line))
            .unwrap_or_default();
        let why = first.map(|d| d.message.to_string()).unwrap_or_default();
        bail!("the AWS SDKs refuse {at}: {why}; fix it first (see `rolecall list`)");
    }
    if set.profile(profile).is_none() {
        bail!(
            "there is no profile '{profile}'{} in {} or {}; see `rolecall list`",
            crate::fuzzy::nearest(profile, set.profiles.keys().map(|k| &**k), 2)
                .map(|n| format!(" (did you mean '{n}'?)"))
                .unwrap_or_default(),
            ws.show(ws.path(FileKind::Config)),
            ws.show(ws.path(FileKind::Credentials))
        );
    }
    Ok(())
}

/// The refresh margin: the flag, else `$ROLECALL_REFRESH_MARGIN_MINUTES`, else 15 minutes.
///
/// `$ROLECALL_REFRESH_MARGIN_SECONDS` (undocumented, for tests) wins over the
/// minutes variable: with a margin a few seconds short of the credentials'
/// lifetime, `exec --mode server` refreshes every few seconds.
pub fn margin(env: &Env, flag: Option<u64>) -> Duration {
    let var = |name: &str| env.get(name)?.trim().parse::<u64>().ok();
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

/// The value of [`RESOLVING_VAR`] for a process that resolves `profile` in
/// environment `env`; an error when a rolecall up the process tree is already
/// resolving it (a `credential_process` that runs rolecall for the same
/// profile). `main` sets the variable before any thread starts, so that the
/// `credential_process` children aws-config starts inherit it.
pub fn resolving(env: &Env, profile: &str) -> anyhow::Result<String> {
    let current = env.get(RESOLVING_VAR).unwrap_or_default();
    if current.split('\n').any(|p| p == profile) {
        bail!(
            "profile '{profile}' resolves through rolecall again (its credential_process, or one in its chain, runs `rolecall` for the same profile): point credential_process at another profile or remove it"
        );
    }
    Ok(if current.is_empty() {
        profile.to_string()
    } else {
        format!("{current}\n{profile}")
    })
}

/// Refuses, in rolecall's words, a chain the SDKs would fail on with an
/// obscure error: `credential_source = Environment` without the keys in the
/// environment, a web identity token file that cannot be read.
fn precheck(env: &Env, profile: &str, c: &chain::Chain) -> anyhow::Result<()> {
    if let Base::WebIdentity {
        profile: holder,
        web_identity_token_file: file,
        ..
    } = &c.base
        && let Err(e) = std::fs::File::open(&**file)
    {
        let why = crate::store::unreadable(file, &e);
        bail!(
            "cannot get credentials for profile '{profile}': the web identity token file of profile '{holder}' cannot be read: {why}"
        );
    }
    let Base::NamedSource {
        profile: holder,
        source,
    } = &c.base
    else {
        return Ok(());
    };
    if &**source != "Environment" {
        return Ok(());
    }
    let missing: Vec<&str> = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
        .into_iter()
        .filter(|k| !env.has(k))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let unset = match missing.as_slice() {
        [one] => format!("{one} is not set"),
        _ => "neither is set".to_string(),
    };
    bail!(
        "cannot get credentials for profile '{profile}': `credential_source = Environment` in profile '{holder}' needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, and {unset}; export them (e.g. `eval \"$(rolecall export OTHER-PROFILE)\"`), or use source_profile instead"
    )
}

/// The SSO environment of a workspace: caches under the home directory, locks
/// in rolecall's cache directory, the workspace's files for endpoint settings.
pub fn sso_env(ws: &Workspace) -> anyhow::Result<login::Env> {
    if ws.demo {
        bail!("the demo's SSO sessions are not real: run without --demo");
    }
    let Some(home) = ws.paths.home() else {
        bail!("cannot find your home directory (for ~/.aws/sso/cache): set HOME");
    };
    Ok(login::Env::new(
        home,
        ws.paths.cache_dir().map(|d| d.join("sso")),
        crate::sso::oidc::Files {
            config: Some(ws.config.path.clone()),
            credentials: Some(ws.credentials.path.clone()),
        },
    ))
}

/// The paths of a profile's entries in rolecall's cache (`None`: no cache
/// directory), for the cache itself and for `logout`.
pub fn cache_paths(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    mfa: bool,
) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let dir = ws.paths.credential_cache()?;
    let e = super::key::entries(
        (&ws.config.path, &ws.credentials.path),
        set,
        profile,
        chain::resolve(set, profile).as_ref().ok(),
        mfa,
    );
    Some((dir.join(e.credentials), dir.join(e.session)))
}

/// Everything needed to fetch a profile's credentials, now and again later
/// from another thread (`exec --mode server` refreshes through it for days).
#[derive(Clone)]
pub struct Source {
    request: Request,
    summary: String,
    long_term: bool,
    /// The cache entries of the profile's credentials and of the session made
    /// from its long-term keys (`None`: no cache directory).
    entries: Option<(std::path::PathBuf, std::path::PathBuf)>,
    /// The SSO session the chain starts from, if it does.
    sso: Option<(SsoConfig, login::Env, Options)>,
    /// The keychain entry holding the keys (rolecall's own credential_process).
    keychain: Option<String>,
    /// For a profile with `mfa_serial`: rolecall's own STS call (see [`mfa`]).
    mfa: Option<mfa::Mfa>,
    prompter: Arc<dyn Prompter>,
    /// The expiry the profile's own temporary keys state in the files
    /// (`x_security_token_expires` and the like), when they are what is handed out.
    stated_expiry: Option<std::time::SystemTime>,
    /// Hand out credentials whose expiry has passed, with a warning.
    allow_expired: bool,
    /// Where its calls run.
    fetcher: Fetcher,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("request", &self.request)
            .field("summary", &self.summary)
            .field("long_term", &self.long_term)
            .finish_non_exhaustive()
    }
}

/// How long a session token from the files that states no expiry is served as
/// valid by the local endpoint (it is read again from the files after that).
const UNSTATED_EXPIRY: Duration = Duration::from_secs(60 * 60);

impl Source {
    /// Checks the profile and prepares its pipeline.
    pub fn new(
        ws: &Workspace,
        set: &ProfileSet,
        profile: &str,
        prompter: Arc<dyn Prompter>,
    ) -> anyhow::Result<Source> {
        Source::with_mfa(ws, set, profile, true, prompter)
    }

    /// Like [`Source::new`]; `mfa: false` signs with the profile's keys as they
    /// are, for the source of a role that itself asks for the MFA code.
    pub fn with_mfa(
        ws: &Workspace,
        set: &ProfileSet,
        profile: &str,
        mfa: bool,
        prompter: Arc<dyn Prompter>,
    ) -> anyhow::Result<Source> {
        if ws.demo {
            bail!("the demo profiles are not real: run without --demo");
        }
        check_usable(ws, set, profile)?;
        let chain = chain::resolve(set, profile);
        // What the SDKs would refuse, said in rolecall's words before asking them.
        match &chain {
            Err(e) => bail!("cannot get credentials for profile '{profile}': {e}"),
            Ok(c) => precheck(&ws.env, profile, c)?,
        }
        let summary = chain.as_ref().map(chain_summary).unwrap_or_default();
        let mfa = if mfa {
            mfa::Mfa::new(ws, set, profile, prompter.clone())?
        } else {
            None
        };
        let sso = match chain.as_ref().map(|c| &c.base) {
            Ok(Base::Sso { profile: base, .. }) => {
                match (crate::sso::config::for_profile(set, base), sso_env(ws)) {
                    (Ok(cfg), Ok(env)) => Some((
                        cfg,
                        env,
                        Options {
                            force: false,
                            interactive: !ws.env.has(NO_LOGIN_VAR),
                            browser: Browser::from_env(&ws.env, false),
                            use_device_code: false,
                            ssh: crate::sso::login::over_ssh(&ws.env),
                        },
                    )),
                    _ => None,
                }
            }
            _ => None,
        };
        let stated_expiry = stated_expiry(set, profile);
        Ok(Source {
            stated_expiry,
            allow_expired: false,
            fetcher: Fetcher::default(),
            request: Request {
                profile: profile.to_string(),
                config: ws.config.path.clone(),
                credentials: ws.credentials.path.clone(),
                extract: None,
            },
            summary,
            long_term: mfa.is_none() && is_long_term(set, profile),
            entries: cache_paths(ws, set, profile, mfa.is_some()),
            sso,
            keychain: keychain_profile(set, profile),
            mfa,
            prompter,
        })
    }

    /// The same source, handing out expired credentials with a warning instead
    /// of refusing them (`--allow-expired`: env mode and `export` only).
    pub fn allowing_expired(mut self, allow: bool) -> Source {
        self.allow_expired = allow;
        self
    }

    /// The same source, handing aws-config `extract` (the sections of the
    /// files that bear on the profile, as just read) instead of the files;
    /// `None`: the files as they are at each fetch.
    pub fn reading_extract(
        mut self,
        extract: Option<Arc<crate::profile::extract::Extract>>,
    ) -> Source {
        self.request.extract = extract;
        self
    }

    /// The same source, running its calls with `fetcher` (a fan-out's shared
    /// runtime and HTTPS client).
    pub fn fetching_with(mut self, fetcher: Fetcher) -> Source {
        self.fetcher = fetcher;
        self
    }

    /// Refuses credentials whose expiry has passed, the one decision in
    /// [`crate::credential::expiry::fresh`]; with `--allow-expired` passes them
    /// on with their real expiry and a warning.
    fn checked(&self, creds: Credentials) -> anyhow::Result<Credentials> {
        use crate::credential::expiry::fresh;
        let profile = &self.request.profile;
        match fresh(creds.expires, crate::clock::now(), self.allow_expired) {
            Ok(Some(at)) if at <= crate::clock::now() => {
                self.prompter.warn(&format!(
                    "warning: the credentials of profile '{profile}' {}; passed on as they are (--allow-expired)",
                    crate::credential::expiry::Expired {
                        at,
                        now: crate::clock::now()
                    }
                ));
                Ok(creds)
            }
            Ok(_) => Ok(creds),
            Err(e) if self.stated_expiry.is_some() => bail!(
                "the temporary keys of profile '{profile}' {e}, as the files say; get new ones from the tool that issued them (or write them with `rolecall set {profile} aws_session_token ...`), or pass --allow-expired to export or exec --mode env to use them anyway"
            ),
            Err(e) => bail!(
                "the credentials of profile '{profile}' {e}; fetch new ones with --refresh, or pass --allow-expired to export or exec --mode env to use them anyway"
            ),
        }
    }

    /// The profile this source fetches for.
    pub fn profile(&self) -> &str {
        &self.request.profile
    }

    /// Makes sure the profile's SSO session has a token: refreshed when near
    /// expiry, else a login (one across parallel processes, see `sso::login`).
    fn ensure_sso(&self) -> anyhow::Result<()> {
        let Some((cfg, env, opts)) = &self.sso else {
            return Ok(());
        };
        let mut ui = self.prompter.login_ui();
        self.fetcher.block_on(login::ensure(
            env,
            cfg,
            opts,
            Some(&self.request.profile),
            ui.as_mut(),
            self.prompter.cancelled(),
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
        let client = self.fetcher.http_client();
        let mut creds = self
            .fetcher
            .block_on(obtain(&self.request, &self.summary, client))
            .map_err(anyhow::Error::from)?;
        // aws-config does not read the expiry tools write beside keys: the
        // earlier of the two, so it is never later than the real one.
        creds.expires = match (creds.expires, self.stated_expiry) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(creds)
    }

    /// A session from STS GetSessionToken signed with `keys`.
    pub fn session(&self, keys: &Credentials) -> anyhow::Result<Credentials> {
        let client = self.fetcher.http_client();
        self.fetcher
            .block_on(get_session_token(&self.request, keys, client))
            .map_err(anyhow::Error::from)
    }

    /// The profile's credentials: cached while fresh by `margin`, else fetched
    /// through aws-config (one fetch across parallel processes). Long-term keys
    /// are read from the files every time and never cached.
    pub fn get(&self, refresh: bool, margin: Duration) -> anyhow::Result<Credentials> {
        let creds = match &self.entries {
            Some((path, _)) if !self.long_term => {
                get_or_fetch(path, crate::clock::now, margin, refresh, || self.obtain())?
            }
            _ => self.obtain()?,
        };
        self.checked(creds)
    }

    /// Credentials the local container endpoint can serve: always with a session
    /// token and an expiry. Long-term keys become a session from STS
    /// GetSessionToken (cached like any temporary credentials); a session token
    /// from the files without a stated expiry is served for an hour.
    pub fn servable(&self, refresh: bool, margin: Duration) -> anyhow::Result<Credentials> {
        let mut creds = if self.long_term {
            let fetch = || self.session(&self.obtain()?);
            match &self.entries {
                Some((_, path)) => get_or_fetch(path, crate::clock::now, margin, refresh, fetch)?,
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
            // Every client of the endpoint requires an Expiration: the time of
            // the next read from the files, said once.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                self.prompter.warn(&format!(
                    "rolecall: the credentials of profile '{}' state no expiry; the endpoint reports them as expiring in {} minutes and reads them again then",
                    self.request.profile,
                    UNSTATED_EXPIRY.as_secs() / 60
                ));
            });
            creds.expires = Some(crate::clock::now() + UNSTATED_EXPIRY);
        }
        Ok(creds)
    }
}

/// The expiry `profile`'s own temporary keys state in the files, when its
/// credentials are those keys (no role on top), else `None`.
pub fn stated_expiry(set: &ProfileSet, profile: &str) -> Option<std::time::SystemTime> {
    match chain::resolve(set, profile).ok()? {
        chain::Chain {
            base:
                Base::AccessKey {
                    profile: holder,
                    session_token: Some(_),
                    ..
                },
            roles,
        } if roles.is_empty() => {
            let p = set.profile(&holder)?;
            crate::credential::expiry::stated(|k| p.get(k))
        }
        _ => None,
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
    prompter: Arc<dyn Prompter>,
) -> anyhow::Result<Credentials> {
    Source::new(ws, set, profile, prompter)?.get(refresh, margin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolving_refuses_a_profile_already_being_resolved() {
        let env = Env::from_slice(&[]);
        assert_eq!(resolving(&env, "dev").unwrap(), "dev");
        let env = Env::from_slice(&[(RESOLVING_VAR, "dev")]);
        assert_eq!(resolving(&env, "ci").unwrap(), "dev\nci");
        let err = resolving(&env, "dev").unwrap_err().to_string();
        assert!(err.contains("resolves through rolecall again"), "{err}");
    }
}
