//! `rolecall console`: the AWS Management Console signed in as a profile.
//!
//! The credentials come through the credential pipeline (`creds::Source`:
//! SSO, roles, MFA, keychain, process, web identity alike, cached); the
//! profile's chain says what kind of session they are (`console::federation`),
//! long-term keys first become a GetFederationToken session (cached like any
//! other), and the federation endpoint exchanges the session for a sign-in
//! token. The sign-in URL reaches stdout only with `--url`; otherwise the
//! browser gets a one-time loopback address that redirects to it once.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

use crate::cli::ConsoleArgs;
use crate::console::FEDERATION_URL_VAR;
use crate::console::browser::{self, Launch, Vars};
use crate::console::federation::{
    self, SessionKind, Target, destination, durations, login_url, session_kind, signin_token_url,
};
use crate::console::redirect::OneTime;
use crate::console::signin::{federation_token, signin_token};
use crate::credential::mfa::{self, Step};
use crate::credential::obtain::{Request, block_on};
use crate::credential::saved::get_or_fetch;
use crate::credential::secret::{Credentials, Secret};
use crate::credential::source::{RESOLVING_VAR, Source, margin};
use crate::profile::ProfileSet;
use crate::profile::chain::{self, Base, Chain};
use crate::workspace::Workspace;

use super::named_profile;
use super::prompter::Terminal;

/// How long a started browser has to open the one-time address.
const BROWSER_WAIT: Duration = Duration::from_secs(120);
/// How long a printed one-time address stays open (the sign-in token's own life).
const PRINTED_WAIT: Duration = Duration::from_secs(15 * 60);

/// A sign-in URL for a profile, with what the browser choice needs.
struct SignIn {
    url: Secret,
    vars: Vars,
}

/// `rolecall console`.
pub fn run(ws: &Workspace, args: &ConsoleArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let profile = named_profile(&ws.env, &args.profile, &args.profile_flag);
    let set = ws.view();
    let signin = sign_in(ws, &set, &profile, args)?;
    super::exec::record_use(ws, &set, &profile);
    if args.url {
        writeln!(out, "{}", signin.url.expose())?;
        return Ok(0);
    }
    let settings = ws
        .paths
        .settings_file()
        .map(|p| crate::settings::load(&p, &ws.paths))
        .unwrap_or_default();
    for problem in settings.problems.iter().filter(|p| p.contains("console")) {
        eprintln!("rolecall: warning: {problem}");
    }
    let one = OneTime::bind().context("cannot open a local address for the browser")?;
    let address = one.url();
    let launch = browser::choose(
        args.no_browser,
        ws.env.get("ROLECALL_BROWSER"),
        &settings.console,
        &signin.vars,
        &address,
    );
    let wait = match launch {
        Launch::Print => print_address(out, &address)?,
        Launch::System => match open::that_detached(&address) {
            Ok(()) => BROWSER_WAIT,
            Err(e) => {
                eprintln!("rolecall: could not open a browser ({e})");
                print_address(out, &address)?
            }
        },
        Launch::Command(argv) => {
            spawn(&argv)?;
            BROWSER_WAIT
        }
    };
    one.serve(&signin.url, wait)?;
    let account = signin
        .vars
        .account
        .as_deref()
        .map(|a| format!(" (account {a})"))
        .unwrap_or_default();
    eprintln!("rolecall: opened the AWS console as '{profile}'{account}");
    Ok(0)
}

/// Prints the one-time address for the user; returns how long it stays open.
fn print_address(out: &mut dyn Write, address: &str) -> anyhow::Result<Duration> {
    writeln!(out, "{address}")?;
    out.flush()?;
    eprintln!(
        "rolecall: open this address in the browser to sign in; it works once, for {} minutes",
        PRINTED_WAIT.as_secs() / 60
    );
    Ok(PRINTED_WAIT)
}

/// Starts the browser command (no shell; its output is not ours).
fn spawn(argv: &[String]) -> anyhow::Result<()> {
    let Some((program, rest)) = argv.split_first() else {
        bail!("the browser command is empty: set [console] browser in rolecall's settings");
    };
    Command::new(program)
        .args(rest)
        .env_remove(RESOLVING_VAR)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(drop)
        .with_context(|| {
            format!("cannot start the browser '{program}': check [console] browser in rolecall's settings, or ROLECALL_BROWSER")
        })
}

/// The sign-in URL for `profile`.
fn sign_in(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    args: &ConsoleArgs,
) -> anyhow::Result<SignIn> {
    let source = Source::new(ws, set, profile, Terminal::shared())?;
    let chain = chain::resolve(set, profile)
        .map_err(|e| anyhow::anyhow!("profile '{profile}' has no usable credentials: {e}"))?;
    let mfa_session = mfa::plan(set, profile).is_some_and(|p| p.step == Step::SessionToken);
    let kind = session_kind(&chain, mfa_session);
    let mut plan = durations(profile, kind, args.duration)?;
    let region = set.profile(profile).and_then(|p| p.get("region"));
    let partition = federation::partition(Some(&chain), region);
    let target = match (&args.service, &args.destination) {
        (Some(s), _) => Target::Service(s.clone()),
        (None, Some(d)) => Target::Url(d.clone()),
        (None, None) => Target::Home,
    };
    let dest = destination(partition, region, &target)?;
    let endpoint = ws
        .env
        .non_empty(FEDERATION_URL_VAR)
        .unwrap_or(partition.federation_url())
        .to_string();

    let margin = margin(&ws.env, args.credentials.margin);
    let refresh = args.credentials.refresh;
    let mut creds = source.get(refresh, margin)?;
    if kind == SessionKind::Other && creds.session_token().is_none() {
        // A credential_process (say) that hands out long-term keys.
        plan = durations(profile, SessionKind::LongTermKeys, args.duration)?;
    }
    if let Some(note) = &plan.note {
        eprintln!("rolecall: {note}");
    }
    if let Some(seconds) = plan.federation_token {
        creds = federated(ws, set, profile, &chain, &creds, seconds, refresh, margin)?;
    }
    let request = signin_token_url(&endpoint, &creds, plan.session_duration);
    let token = block_on(signin_token(profile, &endpoint, &request))?;
    Ok(SignIn {
        url: login_url(&endpoint, &dest, &token),
        vars: Vars {
            profile: profile.to_string(),
            account: federation::account(&chain),
            region: region.map(str::to_string),
            sso_session: match &chain.base {
                Base::Sso { sso_session, .. } => sso_session.as_deref().map(str::to_string),
                _ => None,
            },
        },
    })
}

/// A GetFederationToken session of `seconds` from `keys`, cached in rolecall's
/// credential cache beside the profile's own entry.
#[allow(clippy::too_many_arguments)]
fn federated(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    chain: &Chain,
    keys: &Credentials,
    seconds: u32,
    refresh: bool,
    margin: Duration,
) -> anyhow::Result<Credentials> {
    let req = Request {
        profile: profile.to_string(),
        config: ws.config.path.clone(),
        credentials: ws.credentials.path.clone(),
        extract: None,
    };
    let fetch = || block_on(federation_token(&req, keys, seconds));
    // Named after the profile's own entry (see `credential::key`), so editing
    // the profile or its chain never serves an old session.
    let own = crate::credential::key::entries(
        (&ws.config.path, &ws.credentials.path),
        set,
        profile,
        Some(chain),
        false,
    );
    Ok(match ws.paths.credential_cache() {
        // A session shorter than the margin would never be served from the cache.
        Some(dir) => get_or_fetch(
            &dir.join(own.federation(seconds)),
            crate::clock::now,
            margin.min(Duration::from_secs(u64::from(seconds) / 2)),
            refresh,
            fetch,
        )?,
        None => fetch()?,
    })
}
