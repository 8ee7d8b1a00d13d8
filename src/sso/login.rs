//! Getting a usable SSO token: the cached one while it is fresh, else a refresh
//! with its refresh token, else a device-code login — one at a time across
//! processes.
//!
//! Everything happens under an exclusive lock per session (a file in rolecall's
//! cache directory), so ten `exec` or `credential-process` calls that find the
//! token missing open one browser tab between them and the others wait, then
//! find the fresh token; calls that find it near expiry cause one refresh. The
//! device flow is [`super::flow`]; this module only performs its effects.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::time::Duration;

use crate::credential::cache::sha1_hex;
use crate::credential::saved;

use super::config::SsoConfig;
use super::flow::{Effect, Event, Flow, FlowError, Prompt};
use super::oidc::{self, Oidc};
use super::registration;
use super::token::{self, Token};

/// A token with less than this left is refreshed (botocore's window).
pub const REFRESH_WINDOW: Duration = Duration::from_secs(15 * 60);
/// A token that cannot be refreshed is still used while this much is left.
pub const MIN_LEFT: Duration = Duration::from_secs(60);

/// Where the caches and locks are, and which files' endpoint settings apply.
#[derive(Clone, Debug)]
pub struct Env {
    /// The home directory.
    pub home: PathBuf,
    /// `~/.aws/sso/cache`.
    pub sso_cache: PathBuf,
    /// rolecall's cache directory (locks).
    pub lock_dir: Option<PathBuf>,
    /// The files whose endpoint settings the SDK clients read.
    pub files: oidc::Files,
}

impl Env {
    /// The caches under `home`, locks in `lock_dir`.
    pub fn new(home: &Path, lock_dir: Option<PathBuf>, files: oidc::Files) -> Env {
        Env {
            home: home.to_path_buf(),
            sso_cache: home.join(".aws").join("sso").join("cache"),
            lock_dir,
            files,
        }
    }
}

/// How to show the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Browser {
    /// The system's browser (`open`).
    System,
    /// A command given the URL as its one argument (`$ROLECALL_BROWSER`).
    Command(String),
    /// Print only (`--no-browser`).
    None,
}

impl Browser {
    /// `--no-browser`, else `$ROLECALL_BROWSER`, else the system's.
    pub fn from_env(env: &crate::env::Env, no_browser: bool) -> Browser {
        match env.get("ROLECALL_BROWSER") {
            _ if no_browser => Browser::None,
            Some(cmd) if !cmd.trim().is_empty() => Browser::Command(cmd.to_string()),
            _ => Browser::System,
        }
    }

    fn open(&self, url: &str) -> Result<(), String> {
        match self {
            Browser::System => open::that_detached(url).map_err(|e| e.to_string()),
            Browser::Command(cmd) => std::process::Command::new(cmd)
                .arg(url)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .spawn()
                .map(|_| ())
                .map_err(|e| format!("{cmd}: {e}")),
            Browser::None => Ok(()),
        }
    }
}

/// What a login shows the user while it runs.
pub trait Ui: Send {
    /// The code and page to confirm it on.
    fn show(&mut self, cfg: &SsoConfig, prompt: &Prompt, browser_opened: bool);
    /// A line of progress or a warning.
    fn note(&mut self, message: &str);
}

/// How to get the token.
#[derive(Clone, Debug)]
pub struct Options {
    /// Log in even when a token is cached.
    pub force: bool,
    /// Whether a device-code login may start (else: an error saying to log in).
    pub interactive: bool,
    /// How to show the page.
    pub browser: Browser,
}

/// How the token was obtained.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The cached token was fresh.
    Cached(Token),
    /// Refreshed with the refresh token.
    Refreshed(Token),
    /// A new device-code login.
    LoggedIn(Token),
}

impl Outcome {
    /// What happened, as the start of a sentence ending in the session's label.
    pub fn verb(&self) -> &'static str {
        match self {
            Outcome::Cached(_) => "already logged in to",
            Outcome::Refreshed(_) => "refreshed the token of",
            Outcome::LoggedIn(_) => "logged in to",
        }
    }

    /// The token.
    pub fn token(&self) -> &Token {
        match self {
            Outcome::Cached(t) | Outcome::Refreshed(t) | Outcome::LoggedIn(t) => t,
        }
    }
}

/// Why no token could be had.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// No login allowed here and none cached.
    #[error("not logged in to {session}: run `{fix}`")]
    NotLoggedIn {
        /// The session.
        session: String,
        /// The command to run.
        fix: String,
    },
    /// The flow ended without a token.
    #[error("login to {session} failed: {source}")]
    Flow {
        /// The session.
        session: String,
        /// Why.
        source: FlowError,
    },
    /// The cache could not be written or locked.
    #[error("{0}")]
    Io(String),
}

/// The command that logs in to `cfg`.
pub fn login_command(cfg: &SsoConfig, profile: Option<&str>) -> String {
    match (&cfg.session, profile) {
        (Some(s), _) => format!("rolecall login --sso-session {s}"),
        (None, Some(p)) => format!("rolecall login {p}"),
        (None, None) => "rolecall login".to_string(),
    }
}

/// Takes the session's lock (waiting while another process holds it).
pub async fn lock(env: &Env, cfg: &SsoConfig) -> Result<Option<saved::FetchLock>, LoginError> {
    let Some(dir) = &env.lock_dir else {
        return Ok(None);
    };
    let path = dir.join(format!("session-{}", sha1_hex(cfg.cache_key())));
    tokio::task::spawn_blocking(move || saved::lock(&path))
        .await
        .map_err(|e| LoginError::Io(e.to_string()))?
        .map(Some)
        .map_err(|e| LoginError::Io(format!("cannot lock the SSO session: {e}")))
}

/// A token for `cfg`: cached, refreshed or from a new login (see the module
/// docs). `cancel` resolving cancels a login in progress.
pub async fn ensure(
    env: &Env,
    cfg: &SsoConfig,
    opts: &Options,
    profile: Option<&str>,
    ui: &mut dyn Ui,
    cancel: impl Future<Output = ()>,
) -> Result<Outcome, LoginError> {
    let _lock = lock(env, cfg).await?;
    let now = crate::clock::now();
    let cached = match token::load(&env.sso_cache, cfg.cache_key()) {
        Ok(t) => t,
        Err(e) => {
            ui.note(&e.to_string());
            None
        }
    };
    if let Some(t) = cached
        .as_ref()
        .filter(|t| !opts.force && t.valid_for(now, REFRESH_WINDOW))
    {
        return Ok(Outcome::Cached(t.clone()));
    }
    // Only now, with a call to make, the SDK's configuration.
    let sdk = oidc::sdk_config(&cfg.region, &env.files).await;
    let client = Oidc::new(&sdk);
    if let Some(t) = cached.filter(|_| !opts.force) {
        if t.refreshable(now) {
            match refresh(env, cfg, &client, &t).await {
                Ok(fresh) => return Ok(Outcome::Refreshed(fresh)),
                Err(e) => ui.note(&format!("could not refresh the token: {e}")),
            }
        }
        if t.valid_for(now, MIN_LEFT) {
            return Ok(Outcome::Cached(t));
        }
    }
    if !opts.interactive {
        return Err(LoginError::NotLoggedIn {
            session: cfg.label(),
            fix: login_command(cfg, profile),
        });
    }
    device_login(env, cfg, opts, &client, ui, cancel)
        .await
        .map(Outcome::LoggedIn)
}

/// Refreshes `old` with its refresh token and saves the result.
pub async fn refresh(
    env: &Env,
    cfg: &SsoConfig,
    client: &Oidc,
    old: &Token,
) -> Result<Token, String> {
    let grant = client.refresh(old).await.map_err(|e| e.to_string())?;
    let token = Token {
        start_url: cfg.start_url.clone(),
        region: cfg.region.clone(),
        access_token: grant.access_token,
        expires_at: crate::clock::now() + grant.expires_in,
        refresh_token: grant.refresh_token.or_else(|| old.refresh_token.clone()),
        ..old.clone()
    };
    token::save(&env.sso_cache, cfg.cache_key(), &token).map_err(|e| e.to_string())?;
    Ok(token)
}

async fn device_login(
    env: &Env,
    cfg: &SsoConfig,
    opts: &Options,
    client: &Oidc,
    ui: &mut dyn Ui,
    cancel: impl Future<Output = ()>,
) -> Result<Token, LoginError> {
    let mut cancel = pin!(cancel);
    let fail = |source| LoginError::Flow {
        session: cfg.label(),
        source,
    };
    let cached = registration::load(&env.sso_cache, cfg);
    let (mut flow, first) = Flow::start(cfg.clone(), cached, crate::clock::now());
    let mut queue: VecDeque<Effect> = first.into();
    let mut saved = None;
    while let Some(effect) = queue.pop_front() {
        let event = match effect {
            Effect::Register(t) => tokio::select! {
                r = client.register(cfg, crate::clock::now()) => Some(Event::Registered(t, r)),
                () = &mut cancel => Some(Event::Cancel),
            },
            Effect::SaveRegistration(reg) => {
                if let Err(e) = registration::save(&env.sso_cache, cfg, &reg) {
                    ui.note(&format!("could not cache the client registration: {e}"));
                }
                None
            }
            Effect::Authorize(t, reg) => tokio::select! {
                r = client.authorize(&reg, &cfg.start_url) => Some(Event::Authorized(t, r)),
                () = &mut cancel => Some(Event::Cancel),
            },
            Effect::Show(prompt) => {
                let opened = match opts.browser.open(&prompt.verification_uri_complete) {
                    Ok(()) => opts.browser != Browser::None,
                    Err(e) => {
                        ui.note(&format!(
                            "could not open a browser ({e}); open the page yourself"
                        ));
                        false
                    }
                };
                ui.show(cfg, &prompt, opened);
                None
            }
            // Opened together with showing the code, above.
            Effect::OpenBrowser(_) => None,
            Effect::Poll {
                ticket,
                delay,
                registration,
                device_code,
            } => tokio::select! {
                r = async {
                    tokio::time::sleep(delay).await;
                    client.poll(&registration, &device_code).await
                } => Some(Event::Polled(ticket, r)),
                () = &mut cancel => Some(Event::Cancel),
            },
            Effect::SaveToken(token) => {
                token::save(&env.sso_cache, cfg.cache_key(), &token)
                    .map_err(|e| LoginError::Io(format!("cannot save the SSO token: {e}")))?;
                saved = Some(token);
                None
            }
            Effect::Finished(result) => {
                return match (result, saved.take()) {
                    (Ok(()), Some(token)) => Ok(token),
                    (Ok(()), None) => Err(LoginError::Io("the login ended without a token".into())),
                    (Err(e), _) => Err(fail(e)),
                };
            }
        };
        if let Some(event) = event {
            queue.extend(flow.handle(event, crate::clock::now()));
        }
    }
    Err(LoginError::Io("the login ended without a result".into()))
}
