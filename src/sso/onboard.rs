//! Turning a portal's accounts and roles into profiles: naming them from a
//! template, planning what to add, update and prune, and applying the plan to
//! the documents.
//!
//! Generated profiles carry `rolecall_generated = <session>` (the SDKs ignore
//! keys they do not know). A re-run adds the new assignments, updates only the
//! keys rolecall manages in profiles it generated for the same session, prunes
//! those the portal no longer lists, and never touches any other profile: a
//! hand-written profile with a wanted name is reported and left alone.

use std::collections::{BTreeMap, HashSet};

use crate::ini::edit::is_identifier;
use crate::profile::ProfileSet;
use crate::profile::edit::{self, Files, ProfileEditError};

use super::config::SsoConfig;
use super::portal::Assignment;

/// The key that marks a generated profile; its value is the session's name.
pub const MARKER: &str = "rolecall_generated";

/// The default name template.
pub const DEFAULT_TEMPLATE: &str = "{account_name}.{role_name}";

/// How generated profiles look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The sso-session they use.
    pub session: String,
    /// Name template: `{account_name}`, `{account_id}`, `{role_name}`, `{session}`.
    pub template: String,
    /// `region`, if any.
    pub region: Option<String>,
    /// `output`, if any.
    pub output: Option<String>,
}

/// A profile the portal's assignments call for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    /// Its name.
    pub name: String,
    /// Its keys, in writing order.
    pub properties: Vec<(String, String)>,
}

/// What applying would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New profiles.
    pub add: Vec<Wanted>,
    /// Generated profiles whose managed keys change: (name, key, new value).
    pub update: Vec<(String, String, String)>,
    /// Generated profiles the portal no longer lists.
    pub remove: Vec<String>,
    /// Wanted names taken by profiles rolecall did not generate: (name, why).
    pub skipped: Vec<(String, String)>,
    /// Generated profiles already as wanted.
    pub unchanged: usize,
}

impl Plan {
    /// Whether applying changes nothing.
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.update.is_empty() && self.remove.is_empty()
    }
}

/// Replaces what profile names cannot hold with `-` (runs collapsed, ends trimmed).
pub fn sanitize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let ok = c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c);
        if ok {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// A profile name from the template.
pub fn profile_name(template: &str, a: &Assignment, session: &str) -> String {
    let name = template
        .replace("{account_name}", &a.account.name)
        .replace("{account_id}", &a.account.id)
        .replace("{role_name}", &a.role)
        .replace("{session}", session);
    let name = sanitize(&name);
    if name.is_empty() {
        format!("{}.{}", a.account.id, sanitize(&a.role))
    } else {
        name
    }
}

/// The profiles `assignments` call for, with unique names (a clash gets the
/// account id appended, then the role).
pub fn wanted(assignments: &[Assignment], s: &Settings) -> Vec<Wanted> {
    let names: Vec<String> = assignments
        .iter()
        .map(|a| profile_name(&s.template, a, &s.session))
        .collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &names {
        *counts.entry(n).or_default() += 1;
    }
    let mut taken = HashSet::new();
    let mut out = Vec::with_capacity(assignments.len());
    for (a, base) in assignments.iter().zip(&names) {
        let mut name = base.clone();
        if counts[base.as_str()] > 1 {
            name = format!("{base}-{}", a.account.id);
        }
        while !taken.insert(name.clone()) {
            name = format!("{name}-{}", sanitize(&a.role));
        }
        let mut properties = vec![
            ("sso_session".to_string(), s.session.clone()),
            ("sso_account_id".to_string(), a.account.id.clone()),
            ("sso_role_name".to_string(), a.role.clone()),
        ];
        if let Some(r) = &s.region {
            properties.push(("region".to_string(), r.clone()));
        }
        if let Some(o) = &s.output {
            properties.push(("output".to_string(), o.clone()));
        }
        properties.push((MARKER.to_string(), s.session.clone()));
        out.push(Wanted { name, properties });
    }
    out
}

/// Plans the changes that make the files hold `wanted` for `session`.
pub fn plan(set: &ProfileSet, wanted: Vec<Wanted>, session: &str, prune: bool) -> Plan {
    let mut plan = Plan::default();
    let names: HashSet<&str> = wanted.iter().map(|w| w.name.as_str()).collect();
    // A generated profile another profile builds on is never pruned.
    let sources: HashSet<&str> = set
        .profiles
        .values()
        .filter_map(|p| p.get("source_profile"))
        .collect();
    for (name, section) in &set.profiles {
        if section.get(MARKER) == Some(session) && !names.contains(name.as_str()) && prune {
            if sources.contains(name.as_str()) {
                plan.skipped.push((
                    name.to_string(),
                    "no longer in the portal, kept: another profile's source_profile".to_string(),
                ));
            } else {
                plan.remove.push(name.to_string());
            }
        }
    }
    let mut add = Vec::new();
    for w in wanted {
        let Some(existing) = set.profiles.get(w.name.as_str()) else {
            add.push(w);
            continue;
        };
        match existing.get(MARKER) {
            Some(s) if s == session => {
                let before = plan.update.len();
                for (k, v) in &w.properties {
                    if existing.get(k) != Some(v.as_str()) {
                        plan.update.push((w.name.clone(), k.clone(), v.clone()));
                    }
                }
                if plan.update.len() == before {
                    plan.unchanged += 1;
                }
            }
            Some(other) => plan
                .skipped
                .push((w.name, format!("generated for sso-session '{other}'"))),
            None => plan
                .skipped
                .push((w.name, "a profile you wrote has this name".to_string())),
        }
    }
    plan.add = add;
    plan
}

/// Applies a plan to the documents.
pub fn apply(files: &mut Files, plan: &Plan) -> Result<(), ProfileEditError> {
    for name in &plan.remove {
        edit::remove_profile(files, name, true)?;
    }
    edit::set_many(files, &plan.update)?;
    let new: Vec<(&str, &[(String, String)])> = plan
        .add
        .iter()
        .map(|w| (w.name.as_str(), w.properties.as_slice()))
        .collect();
    edit::add_config_profiles(files, &new)
}

/// The assignments that pass `filter` ([`matches`]), each judged with the
/// profile name `template` gives it in `session`: what `sso setup --filter`
/// picks is what the TUI's filter shows.
pub fn filter(
    assignments: &[Assignment],
    filter: &str,
    template: &str,
    session: &str,
) -> Vec<Assignment> {
    assignments
        .iter()
        .filter(|a| matches(a, &profile_name(template, a, session), filter))
        .cloned()
        .collect()
}

/// The placeholders a name template may use.
pub const PLACEHOLDERS: &[&str] = &["{account_name}", "{account_id}", "{role_name}", "{session}"];

/// Checks a name template: every `{…}` must be a known placeholder.
pub fn check_template(template: &str) -> Result<(), String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            return Err(format!(
                "the template has an unclosed {{; placeholders: {}",
                PLACEHOLDERS.join(" ")
            ));
        };
        let placeholder = &rest[open..open + len + 1];
        if !PLACEHOLDERS.contains(&placeholder) {
            return Err(format!(
                "unknown placeholder {placeholder}; use {}",
                PLACEHOLDERS.join(" ")
            ));
        }
        rest = &rest[open + len + 1..];
    }
    Ok(())
}

/// Whether `word` (lowercase) occurs in `text` (lowercase) between word
/// boundaries: `acct-1` is in `acct-1.admin` but not in `acct-10.admin`; a word
/// ending in punctuation (`acct-7.`) may be followed by anything.
fn bounded(text: &str, word: &str) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let start_ok = !alnum(before) || !alnum(word.chars().next());
        let end_ok = !alnum(after) || !alnum(word.chars().next_back());
        start_ok && end_ok
    })
}

/// Whether an assignment passes `filter`: every word must match. A word of
/// digits matches the account id by prefix, or a whole word of the account
/// name (`Account 007`); any other word matches a whole word of the account
/// name, part of the role name, or a bounded part of the profile name `name`
/// the template gives it. Case does not matter. `sso setup --filter` and the
/// TUI's filter both use it.
pub fn matches(a: &Assignment, name: &str, filter: &str) -> bool {
    filter.split_whitespace().all(|word| {
        let w = word.to_lowercase();
        let account = a.account.name.to_lowercase();
        if w.chars().all(|c| c.is_ascii_digit()) {
            return a.account.id.starts_with(&w) || account.split_whitespace().any(|t| t == w);
        }
        account.split_whitespace().any(|t| t == w)
            || bounded(&account, &w)
            || a.role.to_lowercase().contains(&w)
            || bounded(&name.to_lowercase(), &w)
    })
}

/// A session name suggested by the start URL: `my-org` for https://my-org.awsapps.com/start.
pub fn suggest_session(start_url: &str) -> String {
    let host = start_url
        .split("://")
        .nth(1)
        .unwrap_or(start_url)
        .split(['/', ':'])
        .next()
        .unwrap_or_default();
    let name = sanitize(host.split('.').next().unwrap_or_default());
    if name.is_empty() {
        "sso".to_string()
    } else {
        name
    }
}

/// `files` with the `[sso-session]` of `cfg` written (only the keys that
/// differ) and the profiles `assignments` call for planned and applied; the
/// plan says what changed. `settings.session` must be `cfg`'s session.
pub fn prepare(
    files: &Files,
    cfg: &SsoConfig,
    assignments: &[Assignment],
    settings: &Settings,
    prune: bool,
) -> Result<(Files, Plan), ProfileEditError> {
    let mut out = files.clone();
    let target = edit::Target::SsoSession(&settings.session);
    let current = out
        .profile_set()
        .sso_sessions
        .get(settings.session.as_str())
        .cloned();
    for (key, value) in [
        ("sso_start_url", cfg.start_url.clone()),
        ("sso_region", cfg.region.clone()),
        ("sso_registration_scopes", cfg.scopes.join(",")),
    ] {
        if current.as_ref().and_then(|s| s.get(key)) != Some(value.as_str()) {
            edit::set(&mut out, target, key, &value, None)?;
        }
    }
    let wanted = wanted(assignments, settings);
    let plan = plan(&out.profile_set(), wanted, &settings.session, prune);
    apply(&mut out, &plan)?;
    Ok((out, plan))
}

/// Whether `name` may be a session name.
pub fn valid_session_name(name: &str) -> bool {
    is_identifier(name)
}

#[cfg(test)]
mod tests;
