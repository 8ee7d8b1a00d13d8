//! Credentials for a command: which profile, from the cache or through
//! aws-config, with a guard against `credential_process` calling rolecall for
//! the profile it is resolving.

use std::time::Duration;

use anyhow::bail;

use crate::credential::obtain::{Request, block_on, obtain};
use crate::credential::saved::{DEFAULT_MARGIN, cache_dir, entry_path, get_or_fetch};
use crate::credential::secret::Credentials;
use crate::profile::chain::{self, Base};
use crate::profile::summary::chain_summary;
use crate::profile::{FileKind, ProfileSet};
use crate::workspace::Workspace;

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
pub fn margin(flag: Option<u64>) -> Duration {
    flag.or_else(|| {
        std::env::var("ROLECALL_REFRESH_MARGIN_MINUTES")
            .ok()?
            .parse()
            .ok()
    })
    .map_or(DEFAULT_MARGIN, |m| Duration::from_secs(m * 60))
}

/// Whether the profile's credentials are long-term keys straight from the files.
pub fn is_long_term(set: &ProfileSet, profile: &str) -> bool {
    matches!(
        chain::resolve(set, profile),
        Ok(chain::Chain { base: Base::AccessKey { session_token: None, .. }, ref roles }) if roles.is_empty()
    )
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

/// Credentials for `profile`: cached while fresh, else fetched through aws-config
/// (one fetch across parallel processes).
pub fn credentials(
    ws: &Workspace,
    set: &ProfileSet,
    profile: &str,
    refresh: bool,
    margin: Duration,
) -> anyhow::Result<Credentials> {
    if ws.demo {
        bail!("the demo profiles are not real: run without --demo");
    }
    check_usable(ws, set, profile)?;
    enter_resolution(profile)?;
    let chain = chain::resolve(set, profile);
    let summary = chain.as_ref().map(chain_summary).unwrap_or_default();
    let request = Request {
        profile: profile.to_string(),
        config: ws.config.path.clone(),
        credentials: ws.credentials.path.clone(),
    };
    let fetch = || block_on(obtain(&request, &summary)).map_err(anyhow::Error::from);
    if is_long_term(set, profile) {
        return fetch();
    }
    let Some(dir) = cache_dir(&|k| std::env::var(k).ok()) else {
        return fetch();
    };
    let key = format!(
        "{}\n{}\n{profile}\n{}",
        ws.config.path.display(),
        ws.credentials.path.display(),
        chain
            .as_ref()
            .ok()
            .and_then(|c| serde_json::to_string(c).ok())
            .unwrap_or_default()
    );
    get_or_fetch(
        &entry_path(&dir, &key),
        crate::clock::now,
        margin,
        refresh,
        fetch,
    )
}
