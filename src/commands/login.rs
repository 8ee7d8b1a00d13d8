//! `rolecall login`, `rolecall logout` and `rolecall sso sessions`. The code
//! a login shows goes to the terminal through `super::prompter`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{LoginArgs, LogoutArgs};
use crate::credential::cache::{CacheDirs, sso_role_file};
use crate::credential::expiry::{countdown, format_rfc3339};
use crate::credential::obtain::block_on;
use crate::profile::ProfileSet;
use crate::profile::chain::Base;
use crate::sso::config::{self, SsoConfig};
use crate::sso::login::{self, Browser, Env, Options};
use crate::sso::token::{self, Token};
use crate::sso::{oidc, portal::Portal};
use crate::workspace::Workspace;

use super::UsageError;
use super::prompter::{TerminalUi, ctrl_c};
use crate::credential::source::{cache_paths, sso_env};
use crate::credential::status::{Status, session_status};

/// The session a command is about: `--sso-session`, else the profile's, else
/// `$AWS_PROFILE`'s (or default's), else the only sso-session there is.
fn pick_session(
    ws: &Workspace,
    set: &ProfileSet,
    session: Option<&str>,
    profile: Option<&str>,
) -> anyhow::Result<(SsoConfig, Option<String>)> {
    if let Some(s) = session {
        return Ok((config::for_session(set, s)?, None));
    }
    if let Some(p) = profile {
        return Ok((config::for_profile(set, p)?, Some(p.to_string())));
    }
    let fallback = &ws.locations.profile;
    if let Ok(cfg) = config::for_profile(set, fallback) {
        return Ok((cfg, Some(fallback.clone())));
    }
    let sessions = config::sessions(set);
    match sessions.len() {
        1 => Ok((sessions.into_iter().next().expect("one"), None)),
        0 => Err(UsageError(
            "no sso-session is configured: create one with `rolecall sso setup`".into(),
        )
        .into()),
        _ => Err(UsageError(format!(
            "say which session: --sso-session {} (or a profile that uses one)",
            sessions
                .iter()
                .filter_map(|s| s.session.clone())
                .collect::<Vec<_>>()
                .join(" | ")
        ))
        .into()),
    }
}

fn describe(token: &Token) -> String {
    let now = crate::clock::now();
    format!(
        "valid until {} ({} left){}",
        format_rfc3339(token.expires_at),
        countdown(token.expires_at, now),
        if token.refresh_token.is_some() {
            ", refreshed automatically"
        } else {
            ""
        }
    )
}

/// `rolecall login`.
pub fn login(ws: &Workspace, args: &LoginArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    if let Some(profile) = super::login_console::wanted(ws, &set, args) {
        return super::login_console::login(ws, &set, &profile, args, out);
    }
    let (cfg, profile) = pick_session(
        ws,
        &set,
        args.sso_session.as_deref(),
        args.profile.as_deref(),
    )?;
    let env = sso_env(ws)?;
    let opts = Options {
        force: args.force,
        interactive: true,
        browser: Browser::from_env(&ws.env, args.no_browser),
        use_device_code: args.use_device_code,
        ssh: crate::sso::login::over_ssh(&ws.env),
    };
    let outcome = block_on(login::ensure(
        &env,
        &cfg,
        &opts,
        profile.as_deref(),
        &mut TerminalUi,
        ctrl_c(),
    ))?;
    let what = outcome.verb();
    writeln!(out, "{what} {}: {}", cfg.label(), describe(outcome.token()))?;
    Ok(0)
}

/// The SSO profiles (by chain base) that log in through `cfg`: (profile,
/// account id, role name).
fn profiles_of(
    set: &ProfileSet,
    cfg: Option<&SsoConfig>,
) -> Vec<(String, String, String, SsoConfig)> {
    let mut out = Vec::new();
    for (name, _, chain) in set.with_chains() {
        let Ok(chain) = chain.as_ref() else { continue };
        let Base::Sso {
            sso_account_id: Some(account),
            sso_role_name: Some(role),
            profile,
            ..
        } = &chain.base
        else {
            continue;
        };
        let Ok(base_cfg) = config::for_profile(set, profile) else {
            continue;
        };
        if cfg.is_none_or(|c| c.cache_key() == base_cfg.cache_key()) {
            out.push((
                name.to_string(),
                account.to_string(),
                role.to_string(),
                base_cfg,
            ));
        }
    }
    out
}

fn remove(path: &Path, removed: &mut usize) {
    if std::fs::remove_file(path).is_ok() {
        *removed += 1;
    }
}

/// Calls Logout for a token when it is still valid (failures are reported, not fatal).
fn service_logout(env: &Env, token: &Token) -> Option<String> {
    if !token.valid_for(crate::clock::now(), std::time::Duration::ZERO) || token.region.is_empty() {
        return None;
    }
    block_on(async {
        let sdk = oidc::sdk_config(&token.region, &env.files).await;
        Portal::new(&sdk).logout(&token.access_token).await
    })
    .err()
}

/// `rolecall logout`.
pub fn logout(ws: &Workspace, args: &LogoutArgs, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    let env = sso_env(ws)?;
    let dirs = CacheDirs::under_home(&env.home);
    let mut removed = 0;
    let mut failures = Vec::new();
    let scope = if args.all {
        None
    } else {
        Some(pick_session(ws, &set, args.session.as_deref(), None)?.0)
    };
    // The tokens: one session's, or every token file in the cache.
    let tokens: Vec<PathBuf> = match &scope {
        Some(cfg) => vec![token::path(&env.sso_cache, cfg.cache_key())],
        None => std::fs::read_dir(&env.sso_cache)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default(),
    };
    for path in tokens {
        let Some(t) = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| Token::parse(&text).ok())
        else {
            continue; // not a token (a registration, for instance)
        };
        if let Some(e) = service_logout(&env, &t) {
            failures.push(e);
        }
        remove(&path, &mut removed);
    }
    // The role credentials cached from those sessions.
    for (profile, account, role, cfg) in profiles_of(&set, scope.as_ref()) {
        let key = match &cfg.session {
            Some(s) => ("sessionName", s.as_str()),
            None => ("startUrl", cfg.start_url.as_str()),
        };
        remove(
            &dirs.cli.join(sso_role_file(&account, &role, key)),
            &mut removed,
        );
        for mfa in [true, false] {
            for entry in cache_paths(ws, &set, &profile, mfa)
                .into_iter()
                .flat_map(|(a, b)| [a, b])
            {
                remove(&entry, &mut removed);
            }
        }
    }
    if scope.is_none() {
        // As `aws sso logout`: every SSO role credential the AWS CLI cached.
        for entry in std::fs::read_dir(&dirs.cli).into_iter().flatten().flatten() {
            let is_sso = std::fs::read_to_string(entry.path())
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .is_some_and(|v| v.get("ProviderType").and_then(|p| p.as_str()) == Some("sso"));
            if is_sso {
                remove(&entry.path(), &mut removed);
            }
        }
    }
    let what = scope
        .as_ref()
        .map_or("every SSO session".to_string(), SsoConfig::label);
    writeln!(
        out,
        "signed out of {what} ({} removed)",
        crate::words::plural(removed, "cached file", "cached files")
    )?;
    for f in &failures {
        eprintln!("rolecall: warning: {f} (the local token was removed anyway)");
    }
    Ok(0)
}

/// `rolecall sso sessions`.
pub fn sessions(ws: &Workspace, json: bool, out: &mut dyn Write) -> anyhow::Result<u8> {
    let set = ws.view();
    let now = crate::clock::now();
    let sso_cache = sso_env(ws)?.sso_cache;
    let caches = ws.caches();
    let mut rows = Vec::new();
    for cfg in config::sessions(&set) {
        let expires = match session_status(&caches, cfg.cache_key()) {
            Status::Expires { at, .. } => Some(at),
            Status::LoginNeeded(_) | Status::Unknown => None,
        };
        // Whether it refreshes needs the token itself (its refresh token).
        let refreshable = expires.is_some()
            && token::load(&sso_cache, cfg.cache_key())
                .ok()
                .flatten()
                .is_some_and(|t| t.refreshable(now));
        let profiles = profiles_of(&set, Some(&cfg)).len();
        rows.push(serde_json::json!({
            "session": cfg.session,
            "start_url": cfg.start_url,
            "region": cfg.region,
            "profiles": profiles,
            "expires_at": expires.map(format_rfc3339),
            "seconds_left": expires.map(|at| crate::credential::expiry::seconds_left(at, now)),
            "refreshable": refreshable,
        }));
    }
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(0);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "no sso-session is configured: create one with `rolecall sso setup`"
        )?;
    }
    let mut table: Vec<[String; 5]> = Vec::new();
    for r in &rows {
        let session = r["session"].as_str().unwrap_or("").to_string();
        let state = match (r["expires_at"].as_str(), r["seconds_left"].as_i64()) {
            (Some(_), Some(s)) if s > 0 => format!(
                "{} left{}",
                countdown(now + std::time::Duration::from_secs(s as u64), now),
                if r["refreshable"] == true {
                    ", refreshable"
                } else {
                    ""
                }
            ),
            (Some(_), _) => format!("expired: run `rolecall login --sso-session {session}`"),
            _ => format!("not logged in: run `rolecall login --sso-session {session}`"),
        };
        table.push([
            session,
            r["start_url"].as_str().unwrap_or("").to_string(),
            r["region"].as_str().unwrap_or("").to_string(),
            r["profiles"].as_u64().unwrap_or(0).to_string(),
            state,
        ]);
    }
    if !table.is_empty() {
        let header = ["SESSION", "START URL", "REGION", "PROFILES", "TOKEN"].map(String::from);
        let mut width = [0usize; 4];
        for row in std::iter::once(&header).chain(&table) {
            for (w, cell) in width.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&table) {
            writeln!(
                out,
                "{:w0$}  {:w1$}  {:w2$}  {:w3$}  {}",
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                w0 = width[0],
                w1 = width[1],
                w2 = width[2],
                w3 = width[3]
            )?;
        }
    }
    Ok(0)
}
