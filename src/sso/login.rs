//! Getting a usable SSO token: the cached one while it is fresh, else a refresh
//! with its refresh token, else a login — one at a time across processes.
//!
//! A login of an sso-session uses the authorization code with PKCE, as the AWS
//! CLI v2 does since 2.22: a loopback listener, the browser opened on the
//! authorize page, CreateToken with the code and the verifier. The device code
//! runs instead for a legacy profile (no sso-session), when asked
//! (`--use-device-code`), without a browser (`--no-browser`), over SSH
//! (`SSH_CONNECTION` / `SSH_TTY`), or when the browser cannot be started;
//! [`method`] decides and says why.
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

use super::callback::{CallbackError, Listener};
use super::config::SsoConfig;
use super::flow::{Effect, Event, Flow, FlowError, PollError, Prompt};
use super::oidc::{self, Oidc};
use super::pkce::{self, Pkce};
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

    /// Opens `url` (nothing for [`Browser::None`]).
    pub fn open(&self, url: &str) -> Result<(), String> {
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
    /// Whether a login may start (else: an error saying to log in).
    pub interactive: bool,
    /// How to show the page.
    pub browser: Browser,
    /// Use the device code even where PKCE could run (`--use-device-code`).
    pub use_device_code: bool,
    /// Running in an SSH session ([`over_ssh`]): the device code.
    pub ssh: bool,
}

/// How long the loopback listener waits for the browser (the AWS CLI's 10 minutes).
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Which login runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The authorization code with PKCE and a loopback redirect.
    AuthCode,
    /// The device code, and why.
    DeviceCode(DeviceReason),
}

/// Why the device code runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceReason {
    /// A legacy profile (`sso_start_url` without an sso-session).
    Legacy,
    /// `--use-device-code`.
    Asked,
    /// `--no-browser`.
    NoBrowser,
    /// An SSH session: the browser is on another machine.
    Ssh,
    /// The browser could not be started.
    BrowserFailed,
}

impl DeviceReason {
    /// Why, as the end of a sentence.
    pub fn says(self) -> &'static str {
        match self {
            DeviceReason::Legacy => "the profile has no sso-session",
            DeviceReason::Asked => "--use-device-code",
            DeviceReason::NoBrowser => "no browser is to be opened",
            DeviceReason::Ssh => "this is an SSH session",
            DeviceReason::BrowserFailed => "the browser could not be started",
        }
    }
}

/// Whether the process runs in an SSH session (`SSH_CONNECTION` or `SSH_TTY` set).
pub fn over_ssh(env: &crate::env::Env) -> bool {
    ["SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|k| env.non_empty(k).is_some())
}

/// The login for `cfg` under `opts` (`ssh`: in an SSH session).
pub fn method(cfg: &SsoConfig, opts: &Options, ssh: bool) -> Method {
    let reason = if cfg.session.is_none() {
        DeviceReason::Legacy
    } else if opts.use_device_code {
        DeviceReason::Asked
    } else if opts.browser == Browser::None {
        DeviceReason::NoBrowser
    } else if ssh {
        DeviceReason::Ssh
    } else {
        return Method::AuthCode;
    };
    Method::DeviceCode(reason)
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
    #[error("login to {session} failed: {cause}")]
    Flow {
        /// The session.
        session: String,
        /// Why (in the message, not a source: printed once).
        cause: FlowError,
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
    let mut cancel = pin!(cancel);
    let mut how = method(cfg, opts, opts.ssh);
    if how == Method::AuthCode {
        match auth_code_login(env, cfg, opts, &sdk, &client, ui, &mut cancel).await? {
            Some(token) => return Ok(Outcome::LoggedIn(token)),
            None => how = Method::DeviceCode(DeviceReason::BrowserFailed),
        }
    }
    if let Method::DeviceCode(reason) = how
        && reason != DeviceReason::Legacy
    {
        ui.note(&format!("signing in with a device code: {}", reason.says()));
    }
    device_login(env, cfg, opts, &client, ui, cancel)
        .await
        .map(Outcome::LoggedIn)
}

/// The PKCE login (see the module docs); `None` when the browser could not be
/// started, for the caller to fall back to the device code.
async fn auth_code_login(
    env: &Env,
    cfg: &SsoConfig,
    opts: &Options,
    sdk: &aws_types::SdkConfig,
    client: &Oidc,
    ui: &mut dyn Ui,
    cancel: &mut (impl Future<Output = ()> + Unpin),
) -> Result<Option<Token>, LoginError> {
    let fail = |cause| LoginError::Flow {
        session: cfg.label(),
        cause,
    };
    let service = |e: String| fail(FlowError::Service(e));
    let now = crate::clock::now();
    let registration =
        match registration::load(&env.sso_cache, cfg).filter(|r| r.reusable_for_auth_code(now)) {
            Some(reg) => reg,
            None => {
                let reg = tokio::select! {
                    r = client.register_for_auth_code(cfg, now) => r.map_err(service)?,
                    () = &mut *cancel => return Err(fail(FlowError::Cancelled)),
                };
                if let Err(e) = registration::save(&env.sso_cache, cfg, &reg) {
                    ui.note(&format!("could not cache the client registration: {e}"));
                }
                reg
            }
        };
    let listener = match Listener::bind().await {
        Ok(l) => l,
        Err(e) => {
            ui.note(&format!("cannot listen on 127.0.0.1 for the browser: {e}"));
            return Ok(None);
        }
    };
    let redirect_uri = pkce::redirect_uri(listener.port());
    let codes = Pkce::generate();
    let state = pkce::uuid4();
    let base = oidc::authorize_base(sdk).await.map_err(service)?;
    let url = pkce::authorize_url(
        &base,
        &registration.client_id,
        &redirect_uri,
        &state,
        &pkce::scopes(&cfg.scopes),
        &codes.challenge,
    );
    if let Err(e) = opts.browser.open(&url) {
        ui.note(&format!("could not open a browser ({e})"));
        return Ok(None);
    }
    let prompt = Prompt {
        user_code: String::new(),
        verification_uri: url.clone(),
        verification_uri_complete: url,
        expires_at: now + CALLBACK_TIMEOUT,
    };
    ui.show(cfg, &prompt, true);
    let code = tokio::select! {
        r = tokio::time::timeout(CALLBACK_TIMEOUT, listener.code(&state)) => match r {
            Err(_) => return Err(fail(FlowError::Expired)),
            Ok(Err(CallbackError::Refused(reason))) => {
                return Err(service(format!("the sign-in page answered {reason}")));
            }
            Ok(Err(e)) => return Err(LoginError::Io(e.to_string())),
            Ok(Ok(code)) => code,
        },
        () = &mut *cancel => return Err(fail(FlowError::Cancelled)),
    };
    let grant = tokio::select! {
        r = client.exchange_code(&registration, &code, &codes.verifier, &redirect_uri) => r,
        () = &mut *cancel => return Err(fail(FlowError::Cancelled)),
    };
    let grant = match grant {
        Ok(g) => g,
        Err(PollError::Expired) => return Err(fail(FlowError::Expired)),
        Err(PollError::Denied) => return Err(fail(FlowError::Denied)),
        Err(e) => return Err(service(e.to_string())),
    };
    let token = super::flow::token(cfg, &registration, grant, crate::clock::now());
    token::save(&env.sso_cache, cfg.cache_key(), &token)
        .map_err(|e| LoginError::Io(format!("cannot save the SSO token: {e}")))?;
    Ok(Some(token))
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
    mut cancel: impl Future<Output = ()> + Unpin,
) -> Result<Token, LoginError> {
    let fail = |cause| LoginError::Flow {
        session: cfg.label(),
        cause,
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
