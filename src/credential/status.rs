//! The expiry that matters for each profile, from the shared caches, the
//! credentials file and the environment.
//!
//! - SSO profiles (and role chains whose base is SSO): the SSO token; without a
//!   cached token the profile needs a login.
//! - Assume-role profiles with another base, and MFA sessions: the later of
//!   the role credentials the AWS CLI cached and the session rolecall cached
//!   (`rolecall credential-process`, `exec`, `export`), if any.
//! - Temporary keys in the credentials file: `aws_expiration`,
//!   `x_security_token_expires` or `aws_session_expiration`, where tools wrote them.
//! - The profile named by `ROLECALL_PROFILE` (set by `rolecall exec`):
//!   `AWS_CREDENTIAL_EXPIRATION`.
//!
//! Pure: caches and environment are read by the caller.

use std::time::SystemTime;

use crate::profile::ProfileSet;
use crate::profile::chain::{self, Base, Chain};

use super::cache::{AssumeRoleArgs, Caches, assume_role_file, sso_token_file};
use super::expiry::parse_timestamp;

/// Keys tools write beside temporary keys to record their expiry.
pub const EXPIRY_KEYS: &[&str] = &[
    "aws_expiration",
    "x_security_token_expires",
    "aws_session_expiration",
];

/// Where an expiry was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The SSO token of a session (or legacy start URL).
    SsoToken(String),
    /// Role credentials cached by the AWS CLI.
    CliCache,
    /// A session in rolecall's own credential cache.
    Rolecall,
    /// A key in the credentials file.
    CredentialsFile(String),
    /// `AWS_CREDENTIAL_EXPIRATION`.
    Environment,
}

impl Source {
    /// Where the expiry was found, in words.
    pub fn describe(&self) -> String {
        match self {
            Source::SsoToken(key) => format!("SSO token ({key})"),
            Source::CliCache => "role credentials cached by the AWS CLI".to_string(),
            Source::Rolecall => "the session rolecall cached".to_string(),
            Source::CredentialsFile(key) => format!("temporary keys ({key})"),
            Source::Environment => "AWS_CREDENTIAL_EXPIRATION".to_string(),
        }
    }
}

/// What the status column shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// Credentials or a token that expire at a known time.
    Expires {
        /// When.
        at: SystemTime,
        /// Found where.
        source: Source,
    },
    /// An SSO profile with no cached token: `rolecall login` (or `aws sso login`) needed.
    LoginNeeded(String),
    /// Nothing expires, or nothing is known.
    Unknown,
}

/// `AWS_CREDENTIAL_EXPIRATION` for the profile `rolecall exec` injected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvExpiry {
    /// `ROLECALL_PROFILE`.
    pub profile: Option<String>,
    /// `AWS_CREDENTIAL_EXPIRATION`, parsed.
    pub expires: Option<SystemTime>,
}

impl EnvExpiry {
    /// From a variable lookup.
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> EnvExpiry {
        EnvExpiry {
            profile: env("ROLECALL_PROFILE").filter(|p| !p.is_empty()),
            expires: env("AWS_CREDENTIAL_EXPIRATION").and_then(|v| parse_timestamp(&v)),
        }
    }
}

/// The SSO token cache key of a chain whose base is SSO: the sso-session's
/// name, or the legacy start URL.
pub fn sso_cache_key(chain: &Chain) -> Option<&str> {
    match &chain.base {
        Base::Sso {
            sso_session,
            sso_start_url,
            ..
        } => Some(sso_session.as_deref().unwrap_or(sso_start_url)),
        _ => None,
    }
}

/// The AWS CLI's cache file name for the last role of a chain, if it has roles.
pub fn cli_cache_file(set: &ProfileSet, chain: &Chain) -> Option<String> {
    let role = chain.roles.last()?;
    let p = set.profiles.get(&role.profile)?;
    let args = AssumeRoleArgs {
        role_arn: &role.role_arn,
        role_session_name: role.role_session_name.as_deref(),
        external_id: role.external_id.as_deref(),
        serial_number: p.get("mfa_serial"),
        duration_seconds: p.get("duration_seconds").and_then(|d| d.parse().ok()),
    };
    Some(assume_role_file(&args))
}

/// When the session rolecall cached for `name` ends, if it cached one.
fn own_expiry(set: &ProfileSet, name: &str, chain: &Chain, caches: &Caches) -> Option<SystemTime> {
    if caches.own.is_empty() {
        return None; // skip hashing when there is no cache
    }
    let (config, credentials) = caches.files.as_ref()?;
    let entries = super::key::entries((config, credentials), set, name, Some(chain), true);
    caches.own.get(&entries.credentials).copied()
}

/// The status of an SSO session's token (`key`: the session's name, or a
/// legacy start URL): what every profile logging in through it shows, and
/// what `sso sessions` lists.
pub fn session_status(caches: &Caches, key: &str) -> Status {
    // Cache file names are SHA-1 hashes: skip hashing when there is no cache.
    let cached = if caches.sso_tokens.is_empty() {
        None
    } else {
        caches.sso_tokens.get(&sso_token_file(key))
    };
    match cached {
        Some(&at) => Status::Expires {
            at,
            source: Source::SsoToken(key.to_string()),
        },
        None => Status::LoginNeeded(key.to_string()),
    }
}

/// The status of profile `name`.
pub fn status_of(set: &ProfileSet, name: &str, caches: &Caches, env: &EnvExpiry) -> Status {
    status_of_resolved(
        set,
        name,
        chain::resolve(set, name).ok().as_ref(),
        caches,
        env,
    )
}

/// The status of profile `name` whose chain is already resolved (`None`: it
/// does not resolve), for callers that need the chain too.
pub fn status_of_resolved(
    set: &ProfileSet,
    name: &str,
    chain: Option<&Chain>,
    caches: &Caches,
    env: &EnvExpiry,
) -> Status {
    if env.profile.as_deref() == Some(name)
        && let Some(at) = env.expires
    {
        return Status::Expires {
            at,
            source: Source::Environment,
        };
    }
    let Some(chain) = chain else {
        return Status::Unknown;
    };
    match &chain.base {
        Base::Sso {
            sso_session,
            sso_start_url,
            ..
        } => {
            return session_status(caches, sso_session.as_deref().unwrap_or(sso_start_url));
        }
        Base::AccessKey {
            profile,
            session_token: Some(_),
            ..
        } if chain.roles.is_empty() => {
            let p = &set.profiles[&**profile];
            for key in EXPIRY_KEYS {
                if let Some(at) = p.get(key).and_then(parse_timestamp) {
                    return Status::Expires {
                        at,
                        source: Source::CredentialsFile(key.to_string()),
                    };
                }
            }
        }
        _ => {}
    }
    let cli = (!caches.cli.is_empty())
        .then(|| cli_cache_file(set, chain))
        .flatten()
        .and_then(|file| caches.cli.get(&file).copied());
    let own = own_expiry(set, name, chain, caches);
    let found = match (cli, own) {
        (Some(c), Some(o)) if o > c => Some((o, Source::Rolecall)),
        (Some(c), _) => Some((c, Source::CliCache)),
        (None, Some(o)) => Some((o, Source::Rolecall)),
        (None, None) => None,
    };
    if let Some((at, source)) = found {
        return Status::Expires { at, source };
    }
    Status::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::normalize::normalize;
    use std::time::{Duration, UNIX_EPOCH};

    fn set() -> ProfileSet {
        let config = Document::parse(
            "[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n\
             [profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
             [profile via-sso]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = sso\n\
             [profile role]\nrole_arn = arn:aws:iam::123456789012:role/test\nsource_profile = keys\n\
             [profile legacy]\nsso_start_url = https://old\nsso_region = r\nsso_account_id = 1\nsso_role_name = R\n",
        );
        let creds = Document::parse(
            "[keys]\naws_access_key_id = A\naws_secret_access_key = S\n\
             [temp]\naws_access_key_id = A\naws_secret_access_key = S\naws_session_token = T\nx_security_token_expires = 2026-11-22T09:37:16+00:00\n",
        );
        normalize(Some(&config), Some(&creds))
    }

    #[test]
    fn each_profile_gets_the_expiry_that_matters() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_340_236);
        let mut caches = Caches::default();
        caches.sso_tokens.insert(sso_token_file("corp"), t);
        caches
            .cli
            .insert("9b413f63d088ca513edf4bf108e5aeb99bbc1763.json".into(), t);
        let set = set();
        let none = EnvExpiry::default();
        let sso = Status::Expires {
            at: t,
            source: Source::SsoToken("corp".into()),
        };
        assert_eq!(status_of(&set, "sso", &caches, &none), sso);
        assert_eq!(status_of(&set, "via-sso", &caches, &none), sso);
        assert_eq!(
            status_of(&set, "role", &caches, &none),
            Status::Expires {
                at: t,
                source: Source::CliCache
            }
        );
        assert_eq!(
            status_of(&set, "temp", &caches, &none),
            Status::Expires {
                at: t,
                source: Source::CredentialsFile("x_security_token_expires".into())
            }
        );
        assert_eq!(
            status_of(&set, "legacy", &caches, &none),
            Status::LoginNeeded("https://old".into())
        );
        assert_eq!(status_of(&set, "keys", &caches, &none), Status::Unknown);
        let env = EnvExpiry {
            profile: Some("keys".into()),
            expires: Some(t),
        };
        assert_eq!(
            status_of(&set, "keys", &caches, &env),
            Status::Expires {
                at: t,
                source: Source::Environment
            }
        );
    }
}
