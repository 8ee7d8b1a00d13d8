//! `rolecall login` for console credentials: `--console` (as `aws login`), or
//! a profile that has `login_session`. Runs the sign-in login
//! ([`crate::signin::login`]), writes the login cache as the AWS CLI does and
//! the profile's `login_session` (and `region` when it had none).

use std::io::Write;

use anyhow::bail;

use crate::cli::LoginArgs;
use crate::credential::expiry::{countdown, format_rfc3339};
use crate::credential::obtain::block_on;
use crate::profile::edit::{self, Target};
use crate::profile::{FileKind, ProfileSet};
use crate::signin::{cache, login as signin};
use crate::sso::login::Browser;
use crate::sso::oidc;
use crate::workspace::Workspace;

use super::UsageError;
use super::prompter::{TerminalUi as SsoTerminal, ctrl_c};

/// Credentials with less than this left are replaced by a new login (the SDKs
/// refresh five minutes before the end).
const FRESH: std::time::Duration = std::time::Duration::from_secs(5 * 60);

/// The profile a console login is for: `--console`'s (PROFILE, else
/// $AWS_PROFILE, else default), or a named profile with `login_session`.
pub fn wanted(ws: &Workspace, set: &ProfileSet, args: &LoginArgs) -> Option<String> {
    if args.console {
        return Some(
            args.profile
                .clone()
                .unwrap_or_else(|| ws.locations.profile.clone()),
        );
    }
    if args.sso_session.is_some() {
        return None;
    }
    let name = args
        .profile
        .clone()
        .unwrap_or_else(|| ws.locations.profile.clone());
    set.profiles
        .get(name.as_str())
        .and_then(|p| p.get("login_session"))
        .map(|_| name)
}

/// Keys that give a profile other credentials, which would win over
/// `login_session` (the AWS CLI refuses to log in such a profile).
const OTHER_CREDENTIALS: &[(&str, &str)] = &[
    ("web_identity_token_file", "web identity"),
    ("sso_role_name", "SSO"),
    ("sso_account_id", "SSO"),
    ("aws_access_key_id", "access key"),
    ("role_arn", "assume-role"),
    ("credential_process", "credential process"),
];

struct TerminalUi;

impl signin::Ui for TerminalUi {
    fn show(&mut self, url: &str) {
        SsoTerminal.note(&format!(
            "signing in with console credentials in the browser\n  {url}\nIf the browser did not open, open this page. Waiting (Ctrl-C cancels)..."
        ));
    }
}

use crate::sso::login::Ui as _;

/// `rolecall login --console` / `rolecall login PROFILE` for a console profile.
pub fn login(
    ws: &Workspace,
    set: &ProfileSet,
    name: &str,
    args: &LoginArgs,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    if ws.demo {
        bail!("the demo's profiles are not real: run without --demo");
    }
    let profile = set.profiles.get(name);
    if let Some(p) = profile
        && let Some((_, style)) = OTHER_CREDENTIALS.iter().find(|(k, _)| p.get(k).is_some())
    {
        return Err(UsageError(format!(
            "profile '{name}' already has {style} credentials, which would win over console credentials: log in to a new profile (rolecall login --console NEW-NAME) or remove them first"
        ))
        .into());
    }
    let Some(home) = ws.paths.home() else {
        bail!("cannot find your home directory (for ~/.aws/login/cache): set HOME");
    };
    let dir = cache::dir(&|k| ws.env.get(k).map(str::to_string), home);
    let existing = profile
        .and_then(|p| p.get("login_session"))
        .map(str::to_string);
    let now = crate::clock::now();
    if let Some(session) = &existing
        && !args.force
        && let Some(t) = cache::load(&dir, session)
        && t.expires_at
            .duration_since(now)
            .is_ok_and(|left| left > FRESH)
    {
        writeln!(
            out,
            "already logged in to {session} (profile {name}): credentials valid until {} ({} left)",
            format_rfc3339(t.expires_at),
            countdown(t.expires_at, now)
        )?;
        return Ok(0);
    }
    let profile_region = profile.and_then(|p| p.get("region")).map(str::to_string);
    let Some(region) = args
        .region
        .clone()
        .or(profile_region.clone())
        .or_else(|| ws.env.non_empty("AWS_REGION").map(str::to_string))
    else {
        return Err(UsageError(format!(
            "say which region to sign in to: rolecall login --console {name} --region REGION"
        ))
        .into());
    };
    let browser = Browser::from_env(&ws.env, args.no_browser);
    if browser == Browser::None {
        return Err(UsageError(
            "console credentials need a browser on this machine (the redirect comes back to it); run without --no-browser".into(),
        )
        .into());
    }
    let files = oidc::Files {
        config: Some(ws.config.path.clone()),
        credentials: Some(ws.credentials.path.clone()),
    };
    let (session, token) = block_on(async {
        let sdk = oidc::sdk_config(&region, &files).await;
        signin::login(&sdk, &|url| browser.open(url), &mut TerminalUi, ctrl_c()).await
    })?;
    cache::save(&dir, &session, &token)
        .map_err(|e| anyhow::anyhow!("cannot save the console credentials: {e}"))?;
    // The profile: login_session (and the region it signed in to when it had none).
    let mut edits = ws.files();
    let mut props = Vec::new();
    if existing.as_deref() != Some(session.as_str()) {
        props.push(("login_session".to_string(), session.clone()));
    }
    if profile_region.is_none() {
        props.push(("region".to_string(), region.clone()));
    }
    if profile.is_none() {
        edit::add_profile(&mut edits, name, &props)?;
    } else {
        for (k, v) in &props {
            edit::set(
                &mut edits,
                Target::Profile(name),
                k,
                v,
                Some(FileKind::Config),
            )?;
        }
    }
    if !props.is_empty() {
        ws.save(&edits)?;
    }
    if let Some(old) = existing.filter(|old| *old != session) {
        writeln!(out, "profile {name} now uses {session} (was {old})")?;
    }
    let now = crate::clock::now();
    writeln!(
        out,
        "logged in to {session} (profile {name}): credentials valid until {} ({} left), refreshed automatically while the session lasts",
        format_rfc3339(token.expires_at),
        countdown(token.expires_at, now)
    )?;
    Ok(0)
}
