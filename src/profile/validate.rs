//! The one check every writer runs before a profile or sso-session changes:
//! `set`, `unset`, `profile add|rename|copy|rm`, `sso setup` and the edit form
//! all call [`review`] (or [`review_session`]) with the values about to be
//! written, and get back [`Finding`]s whose messages say what a valid value
//! looks like. Errors refuse the write; `--force` writes past reference and
//! range errors but never past a [`Level::Invariant`] (what the files cannot
//! hold). Pure: the profiles are passed in.

use super::ProfileSet;
use super::kind::CREDENTIAL_SOURCES;
use crate::ini::edit::check_property;

/// How a finding weighs on a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// The files cannot hold it (a line break, a bad name): never written.
    Invariant,
    /// A reference, range or shape error: refused unless forced.
    Error,
    /// Written, with a warning (a region rolecall does not know, say).
    Warning,
    /// Written, with a note (a key only other tools read).
    Note,
}

/// One problem with a value about to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The key it is about.
    pub key: String,
    /// How it weighs.
    pub level: Level,
    /// One sentence: what is wrong, and what would be right.
    pub message: String,
}

impl Finding {
    fn new(key: &str, level: Level, message: impl Into<String>) -> Finding {
        Finding {
            key: key.to_string(),
            level,
            message: message.into(),
        }
    }

    /// Whether this finding stops the write (`force`: the user said `--force`).
    pub fn refuses(&self, force: bool) -> bool {
        match self.level {
            Level::Invariant => true,
            Level::Error => !force,
            Level::Warning | Level::Note => false,
        }
    }
}

/// The AWS partitions an ARN may name.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Output formats the AWS CLI accepts.
pub const OUTPUTS: &[&str] = &["json", "yaml", "yaml-stream", "text", "table"];

fn chars_ok(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// An IAM role ARN in any partition: `arn:PARTITION:iam::123456789012:role/NAME`.
pub fn role_arn(v: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "'{v}' is not a role ARN: expected arn:aws:iam::123456789012:role/NAME (partitions: {})",
            PARTITIONS.join(", ")
        )
    };
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(bad());
    };
    let name = resource.strip_prefix("role/").ok_or_else(bad)?;
    let ok = *arn == "arn"
        && PARTITIONS.contains(partition)
        && *service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.len() <= 512
        && chars_ok(name, "+=,.@_-/");
    if ok { Ok(()) } else { Err(bad()) }
}

/// `mfa_serial`: an MFA device ARN or a hardware token's serial number.
pub fn mfa_serial(v: &str) -> Result<(), String> {
    let arn_ok = v.starts_with("arn:")
        && v.split(':')
            .nth(5)
            .is_some_and(|r| r.starts_with("mfa/") || r.starts_with("u2f/"));
    let serial_ok = (9..=256).contains(&v.len()) && chars_ok(v, "=,.@:/-");
    if arn_ok || serial_ok {
        Ok(())
    } else {
        Err(format!(
            "'{v}' is not an MFA device: expected arn:aws:iam::123456789012:mfa/NAME or a token serial number"
        ))
    }
}

/// `role_session_name`: 2 to 64 of letters, digits and `+=,.@_-`.
pub fn role_session_name(v: &str) -> Result<(), String> {
    if (2..=64).contains(&v.len()) && chars_ok(v, "+=,.@_-") {
        Ok(())
    } else {
        Err("a session name is 2 to 64 letters, digits or + = , . @ _ -".to_string())
    }
}

/// `external_id`: 2 to 1224 of letters, digits and `+=,.@:/_-`.
pub fn external_id(v: &str) -> Result<(), String> {
    if (2..=1224).contains(&v.len()) && chars_ok(v, "+=,.@:/_-") {
        Ok(())
    } else {
        Err("an external id is 2 to 1224 letters, digits or + = , . @ : / _ -".to_string())
    }
}

/// `duration_seconds`: 900 to 43200.
pub fn duration_seconds(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if (900..=43_200).contains(&n) => Ok(()),
        _ => Err(
            "duration_seconds is a whole number from 900 (15 minutes) to 43200 (12 hours)"
                .to_string(),
        ),
    }
}

/// `region`: a name that fits one of the partitions' region patterns
/// (`us-east-1`, `us-gov-west-1`, `cn-north-1`); see [`super::region`].
pub fn region(v: &str) -> Result<(), String> {
    match region_finding("region", v) {
        Some(f) if f.level == Level::Error => Err(f.message),
        _ => Ok(()),
    }
}

/// What is wrong with `v` as the value of the region key `key`, if anything.
pub fn region_finding(key: &str, v: &str) -> Option<Finding> {
    use super::region::Problem;
    let hint = |s: Option<&str>| {
        s.map(|s| format!("; did you mean {s}?"))
            .unwrap_or_default()
    };
    match super::region::check(v)? {
        Problem::Malformed { suggestion } => Some(Finding::new(
            key,
            Level::Error,
            format!(
                "'{v}' is not a region: no AWS partition has a region of that shape (expected e.g. us-east-1 or eu-west-2){}",
                hint(suggestion)
            ),
        )),
        Problem::Unknown { suggestion } => Some(Finding::new(
            key,
            Level::Warning,
            format!(
                "rolecall does not know the region '{v}' (it may be new){}",
                hint(suggestion)
            ),
        )),
    }
}

/// An account id: twelve digits.
pub fn account_id(v: &str) -> Result<(), String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "'{v}' is not an account id: twelve digits, e.g. 123456789012"
        ))
    }
}

/// `output`: one of the AWS CLI's formats.
pub fn output(v: &str) -> Result<(), String> {
    if OUTPUTS.contains(&v) {
        Ok(())
    } else {
        Err(format!("output is one of {}", OUTPUTS.join(", ")))
    }
}

/// `credential_source`: one of the named sources.
pub fn credential_source(v: &str) -> Result<(), String> {
    if CREDENTIAL_SOURCES.contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "credential_source is one of {}",
            CREDENTIAL_SOURCES.join(", ")
        ))
    }
}

/// `source_profile` for profile `name`: an existing profile that does not lead back to `name`.
pub fn source_profile(set: &ProfileSet, name: &str, v: &str) -> Result<(), String> {
    let changes = [("source_profile", v)];
    source_profile_in(
        &Overlay {
            set,
            profile: name,
            changes: &changes,
        },
        v,
    )
}

/// `sso_session`: an existing `[sso-session NAME]`.
pub fn sso_session(set: &ProfileSet, v: &str) -> Result<(), String> {
    if set.sso_sessions.contains_key(v) {
        Ok(())
    } else {
        Err(format!("there is no [sso-session {v}]; create it first"))
    }
}

/// Checks `key = value` for profile `name` in `set` as it stands: the first
/// error, if any. An empty value means "remove the key" and is accepted.
pub fn check(set: &ProfileSet, name: &str, key: &str, value: &str) -> Result<(), String> {
    match review(set, name, &[(key, value)])
        .into_iter()
        .find(|f| f.level <= Level::Error)
    {
        Some(f) => Err(f.message),
        None => Ok(()),
    }
}

/// The profiles with a change about to be written on top: what a writer
/// would see after writing.
struct Overlay<'a> {
    set: &'a ProfileSet,
    profile: &'a str,
    changes: &'a [(&'a str, &'a str)],
}

impl Overlay<'_> {
    fn get(&self, profile: &str, key: &str) -> Option<&str> {
        if profile == self.profile
            && let Some((_, v)) = self.changes.iter().rev().find(|(k, _)| *k == key)
        {
            return (!v.is_empty()).then_some(*v);
        }
        self.set.profiles.get(profile)?.get(key)
    }

    fn exists(&self, profile: &str) -> bool {
        profile == self.profile || self.set.profiles.contains_key(profile)
    }

    fn has_keys(&self, profile: &str) -> bool {
        self.get(profile, "aws_access_key_id").is_some()
            && self.get(profile, "aws_secret_access_key").is_some()
    }

    /// The loop `source_profile` makes from `profile`, as a path, if any.
    fn source_loop(&self, profile: &str) -> Option<Vec<String>> {
        let mut path = vec![profile.to_string()];
        let mut at = profile.to_string();
        loop {
            // Static keys end the chain after its first link, as in the SDKs.
            if at != profile && self.has_keys(&at) {
                return None;
            }
            let next = self.get(&at, "source_profile")?.to_string();
            if next == at {
                return None; // a profile's own keys: not a loop
            }
            let seen = path.contains(&next);
            path.push(next.clone());
            if seen {
                return Some(path);
            }
            at = next;
        }
    }
}

/// What is wrong with writing `changes` (key, value; an empty value removes
/// the key) to profile `profile` (which may be new) on top of `set`. Only the
/// changed keys and what they touch are judged: a problem already in the
/// files does not stop an unrelated edit.
pub fn review(set: &ProfileSet, profile: &str, changes: &[(&str, &str)]) -> Vec<Finding> {
    let o = Overlay {
        set,
        profile,
        changes,
    };
    let mut out = Vec::new();
    for (key, value) in changes {
        if value.is_empty() {
            continue;
        }
        if let Err(e) = check_property(key, value) {
            out.push(Finding::new(key, Level::Invariant, e.to_string()));
            continue;
        }
        out.extend(key_finding(key));
        out.extend(value_finding(&o, key, value));
    }
    let changed = |k: &str| changes.iter().any(|(c, _)| *c == k);
    let (source, named) = (
        o.get(profile, "source_profile"),
        o.get(profile, "credential_source"),
    );
    if (changed("source_profile") || changed("credential_source"))
        && source.is_some()
        && named.is_some()
    {
        let key = if changed("credential_source") {
            "credential_source"
        } else {
            "source_profile"
        };
        out.push(Finding::new(
            key,
            Level::Error,
            "credential_source and source_profile exclude each other; unset one",
        ));
    }
    if source == Some(profile)
        && !o.has_keys(profile)
        && (changed("aws_access_key_id") || changed("aws_secret_access_key"))
    {
        out.push(Finding::new(
            "aws_access_key_id",
            Level::Error,
            format!("profile '{profile}' names itself as source_profile, which needs its own keys; unset source_profile first"),
        ));
    }
    out
}

/// What is wrong with writing `changes` to `[sso-session NAME]`.
pub fn review_session(changes: &[(&str, &str)]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, value) in changes.iter().filter(|(_, v)| !v.is_empty()) {
        if let Err(e) = check_property(key, value) {
            out.push(Finding::new(key, Level::Invariant, e.to_string()));
            continue;
        }
        out.extend(key_finding(key));
        if *key == "sso_region" {
            out.extend(region_finding(key, value));
        }
    }
    out
}

/// A key one or two edits from a key the SDKs read is an error; another key
/// they do not read is written with a note (tools keep their own keys).
fn key_finding(key: &str) -> Option<Finding> {
    use super::known_keys::{is_known, near_miss};
    if is_known(key) {
        return None;
    }
    Some(match near_miss(key) {
        Some(k) => Finding::new(
            key,
            Level::Error,
            format!("'{key}' is not a key the AWS SDKs or the AWS CLI read; did you mean '{k}'?"),
        ),
        None => Finding::new(
            key,
            Level::Note,
            format!(
                "'{key}' is not read by the AWS SDKs or the AWS CLI; written for the tools that keep it"
            ),
        ),
    })
}

fn value_finding(o: &Overlay, key: &str, value: &str) -> Option<Finding> {
    let err = |r: Result<(), String>| r.err().map(|m| Finding::new(key, Level::Error, m));
    match key {
        "region" | "sso_region" => region_finding(key, value),
        "role_arn" => err(role_arn(value)),
        "source_profile" => err(source_profile_in(o, value)),
        "credential_source" => err(credential_source(value)),
        "mfa_serial" => err(mfa_serial(value)),
        "role_session_name" => err(role_session_name(value)),
        "external_id" => err(external_id(value)),
        "duration_seconds" => err(duration_seconds(value)),
        "sso_session" => err(sso_session(o.set, value)),
        "output" => err(output(value)),
        "sso_account_id" | "aws_account_id" => err(account_id(value)),
        "credential_process" => err(credential_process(o.profile, value)),
        _ => None,
    }
}

fn source_profile_in(o: &Overlay, v: &str) -> Result<(), String> {
    let name = o.profile;
    if v == name {
        return if o.has_keys(name) {
            Ok(())
        } else {
            Err("a profile can name itself as source_profile only when it holds keys (aws_access_key_id and aws_secret_access_key)".to_string())
        };
    }
    if !o.exists(v) {
        let hint = crate::fuzzy::nearest(v, o.set.profiles.keys().map(|k| &**k), 2)
            .map(|n| format!("did you mean '{n}'? "))
            .unwrap_or_default();
        return Err(format!(
            "there is no profile '{v}' to take credentials from; {hint}create it first (`rolecall profile add {v}`)"
        ));
    }
    match o.source_loop(name) {
        Some(path) => Err(format!(
            "that would make a loop: {}; point one of them elsewhere",
            path.join(" -> ")
        )),
        None => Ok(()),
    }
}

/// `credential_process` for `profile`: not rolecall resolving the same
/// profile again (which never ends), except rolecall's own keychain line.
pub fn credential_process(profile: &str, command: &str) -> Result<(), String> {
    if crate::keychain::line::own_profile(command) == Some(profile) {
        return Ok(());
    }
    let words: Vec<&str> = command
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'']))
        .collect();
    let runs_rolecall = words.iter().position(|w| {
        let base = w.rsplit(['/', '\\']).next().unwrap_or(w);
        base == "rolecall" || base == "rolecall.exe"
    });
    let same = runs_rolecall.is_some_and(|at| {
        words[at + 1..]
            .iter()
            .any(|w| *w == profile || w.strip_prefix("--profile=") == Some(profile))
    });
    if same {
        Err(format!(
            "this credential_process runs rolecall for '{profile}' itself, which would never end; use `rolecall keys add {profile}` for keys in the keychain, or name another profile"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::normalize::normalize;

    #[test]
    fn role_arns_in_every_partition() {
        assert!(role_arn("arn:aws:iam::123456789012:role/Admin").is_ok());
        assert!(role_arn("arn:aws-cn:iam::123456789012:role/path/to/R+=,.@_-").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::123456789012:role/x").is_ok());
        for bad in [
            "",
            "arn:aws:iam::12345:role/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::123456789012:user/x",
            "arn:foo:iam::123456789012:role/x",
            "arn:aws:iam::123456789012:role/",
        ] {
            assert!(role_arn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn simple_fields() {
        assert!(duration_seconds("900").is_ok() && duration_seconds("43200").is_ok());
        assert!(
            duration_seconds("899").is_err()
                && duration_seconds("43201").is_err()
                && duration_seconds("1h").is_err()
        );
        assert!(region("us-gov-west-1").is_ok() && region("eu-central-2").is_ok());
        assert!(region("useast1").is_err() && region("US-EAST-1").is_err());
        assert!(output("table").is_ok() && output("xml").is_err());
        assert!(account_id("123456789012").is_ok() && account_id("1234").is_err());
        assert!(credential_source("EcsContainer").is_ok() && credential_source("ecs").is_err());
        assert!(
            mfa_serial("arn:aws:iam::123456789012:mfa/me").is_ok()
                && mfa_serial("GAHT12345678").is_ok()
        );
        assert!(mfa_serial("x").is_err());
        assert!(role_session_name("a").is_err() && role_session_name("me@corp").is_ok());
    }

    #[test]
    fn source_profile_must_exist_and_not_loop() {
        let doc = Document::parse(
            "[profile a]\nrole_arn = x\nsource_profile = b\n[profile b]\nrole_arn = y\nsource_profile = c\n[profile c]\nregion = r\n[profile k]\naws_access_key_id = A\naws_secret_access_key = S\n",
        );
        let set = normalize(Some(&doc), None);
        assert!(source_profile(&set, "c", "a").unwrap_err().contains("loop"));
        assert!(source_profile(&set, "c", "k").is_ok());
        assert!(source_profile(&set, "a", "nope").is_err());
        assert!(source_profile(&set, "k", "k").is_ok());
        assert!(source_profile(&set, "c", "c").is_err());
        assert!(check(&set, "a", "source_profile", "").is_ok());
        assert!(check(&set, "a", "region", "x #y").is_err());
    }
}
