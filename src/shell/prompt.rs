//! `rolecall prompt`: the active profile and the time left on its credentials,
//! for a shell prompt, e.g. `dev 3h12m`.
//!
//! It runs on every prompt, so it reads only what it needs: the environment,
//! the sections of the two files that the active profile's chain goes through
//! ([`super::scan`]), and the one or two cache files whose expiry matters (the
//! SSO token, the AWS CLI's role cache, rolecall's own cache) — never whole
//! cache directories, never the network. Keys that `rc --mode env` exported
//! carry their expiry in `AWS_CREDENTIAL_EXPIRATION`, so then no file is read
//! at all. Pure: the environment, the file reader and `now` are passed in.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::credential::cache::{Caches, cli_expiry, sso_token_file, token_expiry};
use crate::credential::expiry::{countdown, format_rfc3339, seconds_left};
use crate::credential::key::entries;
use crate::credential::status::{
    EnvExpiry, Status, cli_cache_file, sso_cache_key, status_of_resolved,
};
use crate::profile::chain;

/// The default `--format`.
pub const DEFAULT_FORMAT: &str = "{profile} {left}";

/// The placeholders `--format` understands.
pub const PLACEHOLDERS: &[&str] = &["profile", "left", "expires", "region"];

/// Which profile the shell is using, read from its environment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Active {
    /// No profile selected: the prompt shows nothing.
    None,
    /// `AWS_PROFILE` (else `AWS_DEFAULT_PROFILE`): the files say the rest.
    Profile(String),
    /// Credentials in the environment, from `rc --mode env` or `rolecall exec`.
    Keys {
        /// `ROLECALL_KEYS_PROFILE` or `ROLECALL_PROFILE`.
        profile: String,
        /// `AWS_CREDENTIAL_EXPIRATION`.
        expires: Option<SystemTime>,
    },
}

/// Reads the environment: `AWS_PROFILE`, then the profile whose keys rolecall
/// exported, then `AWS_DEFAULT_PROFILE`.
pub fn active(env: &dyn Fn(&str) -> Option<String>) -> Active {
    let var = |k: &str| env(k).filter(|v| !v.is_empty());
    if let Some(p) = var("AWS_PROFILE") {
        return Active::Profile(p);
    }
    if let Some(profile) = var(super::KEYS_PROFILE_VAR).or_else(|| var("ROLECALL_PROFILE")) {
        return Active::Keys {
            profile,
            expires: EnvExpiry::from_env(env).expires,
        };
    }
    var("AWS_DEFAULT_PROFILE").map_or(Active::None, Active::Profile)
}

/// What the prompt shows, field by field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shown {
    /// The profile's name.
    pub profile: String,
    /// Time left (`3h12m`), `expired`, `login` (an SSO profile without a
    /// token), or empty when nothing expires or nothing is known.
    pub left: String,
    /// When, RFC 3339, or empty.
    pub expires: String,
    /// The profile's region (or `AWS_REGION`), or empty.
    pub region: String,
}

/// `left` for an expiry.
fn left_until(at: SystemTime, now: SystemTime) -> String {
    if seconds_left(at, now) <= 0 {
        "expired".to_string()
    } else {
        countdown(at, now)
    }
}

/// Where the prompt looks: both files and the cache directories.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Places {
    /// The config file.
    pub config: PathBuf,
    /// The credentials file.
    pub credentials: PathBuf,
    /// `~/.aws/sso/cache`, `~/.aws/cli/cache` and rolecall's own credential
    /// cache, if there is a home.
    pub caches: Option<crate::credential::cache::CacheDirs>,
}

/// Computes what to show for `active`, reading files through `read` (a missing
/// or unreadable file is `None`).
pub fn shown(
    active: &Active,
    places: &Places,
    env: &dyn Fn(&str) -> Option<String>,
    read: &dyn Fn(&Path) -> Option<Vec<u8>>,
    now: SystemTime,
) -> Option<Shown> {
    // Cache files are JSON; what they hold is wiped when dropped.
    let read_text = |p: &Path| Some(zeroize::Zeroizing::new(String::from_utf8(read(p)?).ok()?));
    let region = || {
        env("AWS_REGION")
            .filter(|v| !v.is_empty())
            .unwrap_or_default()
    };
    let name = match active {
        Active::None => return None,
        Active::Keys { profile, expires } => {
            return Some(Shown {
                profile: profile.clone(),
                left: expires.map(|t| left_until(t, now)).unwrap_or_default(),
                expires: expires.map(format_rfc3339).unwrap_or_default(),
                region: region(),
            });
        }
        Active::Profile(name) => name,
    };
    let config = read(&places.config).unwrap_or_default();
    let credentials = zeroize::Zeroizing::new(read(&places.credentials).unwrap_or_default());
    let set = super::scan::profile_closure(&config, &credentials, name);
    let mut out = Shown {
        profile: name.clone(),
        region: set
            .profile(name)
            .and_then(|p| p.get("region"))
            .map_or_else(region, str::to_string),
        ..Shown::default()
    };
    let Ok(chain) = chain::resolve(&set, name) else {
        return Some(out);
    };
    // Only the cache files this chain's status looks at.
    let mut caches = Caches {
        files: Some((places.config.clone(), places.credentials.clone())),
        ..Caches::default()
    };
    if let Some(dirs) = &places.caches {
        if let Some(key) = sso_cache_key(&chain) {
            let file = sso_token_file(key);
            if let Some(at) = read_text(&dirs.sso.join(&file)).and_then(|t| token_expiry(&t)) {
                caches.sso_tokens.insert(file, at);
            }
        }
        if let Some(file) = cli_cache_file(&set, &chain)
            && let Some(at) = read_text(&dirs.cli.join(&file)).and_then(|t| cli_expiry(&t))
        {
            caches.cli.insert(file, at);
        }
        if let Some(own) = &dirs.own {
            let file = entries(
                (&places.config, &places.credentials),
                &set,
                name,
                Some(&chain),
                true,
            )
            .credentials;
            if let Some(at) = read_text(&own.join(&file)).and_then(|t| cli_expiry(&t)) {
                caches.own.insert(file, at);
            }
        }
    }
    let at = match status_of_resolved(&set, name, Some(&chain), &caches, &EnvExpiry::default()) {
        Status::Expires { at, .. } => Some(at),
        Status::LoginNeeded(_) => {
            out.left = "login".to_string();
            None
        }
        Status::Unknown => None,
    };
    if let Some(at) = at {
        out.left = left_until(at, now);
        out.expires = format_rfc3339(at);
    }
    Some(out)
}

/// Fills `format`'s `{placeholders}`. An empty field takes one space beside it
/// along (the one before it, else the one after), so `{profile} {left}` is
/// `dev` when nothing expires, and `({profile} {left}) ` keeps its final space.
/// `{{` and `}}` are literal braces.
pub fn render(format: &str, shown: &Shown) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = format;
    let mut drop_space = false;
    let literal = |out: &mut String, text: &str, drop_space: &mut bool| {
        let text = match (*drop_space, text.strip_prefix(' ')) {
            (true, Some(t)) => t,
            _ => text,
        };
        if !text.is_empty() {
            *drop_space = false;
        }
        out.push_str(text);
    };
    while let Some(i) = rest.find(['{', '}']) {
        literal(&mut out, &rest[..i], &mut drop_space);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("{{") {
            literal(&mut out, "{", &mut drop_space);
            rest = after;
            continue;
        }
        if let Some(after) = tail.strip_prefix("}}") {
            literal(&mut out, "}", &mut drop_space);
            rest = after;
            continue;
        }
        let Some(close) = tail.strip_prefix('{').and_then(|t| t.find('}')) else {
            return Err(format!(
                "--format {format:?}: unmatched brace; write {{{{ or }}}} for a literal one"
            ));
        };
        let name = &tail[1..1 + close];
        let value = match name {
            "profile" => &shown.profile,
            "left" => &shown.left,
            "expires" => &shown.expires,
            "region" => &shown.region,
            _ => {
                return Err(format!(
                    "--format {format:?}: unknown placeholder {{{name}}}; use {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|p| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
        };
        if value.is_empty() {
            if out.ends_with(' ') {
                out.pop();
            } else {
                drop_space = true;
            }
        } else {
            literal(&mut out, value, &mut drop_space);
        }
        rest = &tail[close + 2..];
    }
    literal(&mut out, rest, &mut drop_space);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential::cache::{AssumeRoleArgs, CacheDirs, assume_role_file};
    use std::collections::HashMap;

    fn at(s: &str) -> SystemTime {
        crate::credential::expiry::parse_timestamp(s).unwrap()
    }

    const CONFIG: &str = "[profile dev]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\nregion = eu-west-1\n\
        [sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n\
        [profile role]\nrole_arn = arn:aws:iam::123456789012:role/test\nsource_profile = keys\n\
        [profile own]\nrole_arn = arn:aws:iam::1:role/own\nsource_profile = keys\n\
        [profile mfa]\nrole_arn = arn:aws:iam::1:role/own\nsource_profile = keys\nmfa_serial = arn:aws:iam::1:mfa/me\n\
        [profile legacy]\nsso_start_url = https://old\nsso_region = r\nsso_account_id = 1\nsso_role_name = R\n";
    const CREDENTIALS: &str = "[keys]\naws_access_key_id = A\naws_secret_access_key = S\n";

    fn places() -> Places {
        Places {
            config: "/h/.aws/config".into(),
            credentials: "/h/.aws/credentials".into(),
            caches: Some(CacheDirs {
                own: Some("/h/.cache/rolecall/credentials".into()),
                ..CacheDirs::under_home(Path::new("/h"))
            }),
        }
    }

    fn files() -> HashMap<PathBuf, String> {
        let p = places();
        let dirs = p.caches.clone().unwrap();
        let mut files = HashMap::new();
        files.insert(p.config.clone(), CONFIG.to_string());
        files.insert(p.credentials.clone(), CREDENTIALS.to_string());
        files.insert(
            dirs.sso.join(sso_token_file("corp")),
            r#"{"accessToken": "secret", "expiresAt": "2026-11-22T12:49:16Z"}"#.to_string(),
        );
        let role = AssumeRoleArgs {
            role_arn: "arn:aws:iam::123456789012:role/test",
            ..Default::default()
        };
        files.insert(
            dirs.cli.join(assume_role_file(&role)),
            r#"{"Credentials": {"Expiration": "2026-11-22T10:00:00+00:00"}}"#.to_string(),
        );
        files
    }

    fn show(active: Active, files: &HashMap<PathBuf, String>) -> Option<Shown> {
        let env = |_: &str| None;
        let read = |p: &Path| files.get(p).map(|t| t.as_bytes().to_vec());
        shown(&active, &places(), &env, &read, at("2026-11-22T09:37:16Z"))
    }

    #[test]
    fn reads_the_profile_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(active(&env(&[])), Active::None);
        assert_eq!(
            active(&env(&[("AWS_DEFAULT_PROFILE", "a"), ("AWS_PROFILE", "b")])),
            Active::Profile("b".into())
        );
        assert_eq!(
            active(&env(&[("AWS_PROFILE", ""), ("AWS_DEFAULT_PROFILE", "a")])),
            Active::Profile("a".into())
        );
        assert_eq!(
            active(&env(&[
                ("ROLECALL_KEYS_PROFILE", "k"),
                ("AWS_CREDENTIAL_EXPIRATION", "2026-11-22T10:00:00Z"),
                ("AWS_DEFAULT_PROFILE", "a"),
            ])),
            Active::Keys {
                profile: "k".into(),
                expires: Some(at("2026-11-22T10:00:00Z"))
            }
        );
    }

    #[test]
    fn shows_the_expiry_that_matters() {
        let files = files();
        let sso = show(Active::Profile("dev".into()), &files).unwrap();
        assert_eq!(
            (sso.left.as_str(), sso.region.as_str(), sso.expires.as_str()),
            ("3h12m", "eu-west-1", "2026-11-22T12:49:16Z")
        );
        assert_eq!(
            show(Active::Profile("role".into()), &files).unwrap().left,
            "22m44s"
        );
        assert_eq!(
            show(Active::Profile("legacy".into()), &files).unwrap().left,
            "login"
        );
        assert_eq!(
            show(Active::Profile("keys".into()), &files).unwrap().left,
            ""
        );
        let missing = show(Active::Profile("nope".into()), &files).unwrap();
        assert_eq!(
            (missing.profile.as_str(), missing.left.as_str()),
            ("nope", "")
        );
        let keys = show(
            Active::Keys {
                profile: "k".into(),
                expires: Some(at("2026-11-22T09:00:00Z")),
            },
            &HashMap::new(),
        )
        .unwrap();
        assert_eq!(keys.left, "expired");
        assert_eq!(show(Active::None, &files), None);
    }

    #[test]
    fn rolecalls_own_cache_counts_too_mfa_sessions_included() {
        for name in ["own", "mfa"] {
            let mut files = files();
            let p = places();
            let set = super::super::scan::profile_closure(
                CONFIG.as_bytes(),
                CREDENTIALS.as_bytes(),
                name,
            );
            let chain = chain::resolve(&set, name).unwrap();
            let file = entries((&p.config, &p.credentials), &set, name, Some(&chain), true);
            files.insert(
                p.caches.unwrap().own.unwrap().join(file.credentials),
                r#"{"Credentials": {"AccessKeyId": "A", "SecretAccessKey": "S", "Expiration": "2026-11-22T10:37:16Z"}}"#
                    .to_string(),
            );
            assert_eq!(
                show(Active::Profile(name.into()), &files).unwrap().left,
                "1h00m",
                "{name}"
            );
        }
    }

    #[test]
    fn formats_fill_placeholders_and_trim() {
        let s = Shown {
            profile: "dev".into(),
            left: "3h12m".into(),
            expires: String::new(),
            region: "eu-west-1".into(),
        };
        assert_eq!(render(DEFAULT_FORMAT, &s).unwrap(), "dev 3h12m");
        assert_eq!(
            render("({profile}@{region}) {{x}}", &s).unwrap(),
            "(dev@eu-west-1) {x}"
        );
        let bare = Shown {
            profile: "dev".into(),
            ..Shown::default()
        };
        assert_eq!(render(DEFAULT_FORMAT, &bare).unwrap(), "dev");
        assert_eq!(render("({profile} {left}) ", &bare).unwrap(), "(dev) ");
        assert_eq!(render("{left} {profile}", &bare).unwrap(), "dev");
        assert_eq!(render("{profile} {left} {region}|", &bare).unwrap(), "dev|");
        assert!(
            render("{nope}", &s)
                .unwrap_err()
                .contains("{profile} {left}")
        );
        assert!(render("{profile", &s).unwrap_err().contains("unmatched"));
    }
}
