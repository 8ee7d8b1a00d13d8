//! The AWS federation endpoint's protocol as pure functions: which partition
//! and hosts a profile signs in through, what kind of session its chain gives
//! (and so whether `SessionDuration` may be sent, or a GetFederationToken
//! session is needed first), the `getSigninToken` request, its answer, and the
//! `Action=login` URL. Nothing here performs I/O; secrets stay in [`Secret`].
//!
//! The protocol, as the IAM User Guide describes it ("Enable custom identity
//! broker access to the AWS console"): GET the federation endpoint with
//! `Action=getSigninToken`, `Session` = `{"sessionId", "sessionKey",
//! "sessionToken"}` (JSON, URL-encoded) and, for AssumeRole sessions only,
//! `SessionDuration` (900..=43,200 seconds); it answers `{"SigninToken": ...}`.
//! The browser then opens `Action=login&Issuer=...&Destination=...&SigninToken=...`
//! on the same endpoint.

use std::time::Duration;

use crate::credential::secret::{Credentials, Secret};
use crate::profile::chain::{Base, Chain};

/// An AWS partition with a public console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Partition {
    /// `aws`: signin.aws.amazon.com, console.aws.amazon.com.
    Aws,
    /// `aws-cn`: signin.amazonaws.cn, console.amazonaws.cn.
    China,
    /// `aws-us-gov`: signin.amazonaws-us-gov.com, console.amazonaws-us-gov.com.
    GovCloud,
}

impl Partition {
    /// The partition of a region name (`cn-north-1`, `us-gov-west-1`, ...).
    pub fn of_region(region: &str) -> Partition {
        if region.starts_with("cn-") {
            Partition::China
        } else if region.starts_with("us-gov-") {
            Partition::GovCloud
        } else {
            Partition::Aws
        }
    }

    /// The partition named in an ARN (`arn:aws-cn:iam::...`), if it is one of ours.
    pub fn of_arn(arn: &str) -> Option<Partition> {
        match arn.split(':').nth(1)? {
            "aws" => Some(Partition::Aws),
            "aws-cn" => Some(Partition::China),
            "aws-us-gov" => Some(Partition::GovCloud),
            _ => None,
        }
    }

    /// The federation endpoint.
    pub fn federation_url(self) -> &'static str {
        match self {
            Partition::Aws => "https://signin.aws.amazon.com/federation",
            Partition::China => "https://signin.amazonaws.cn/federation",
            Partition::GovCloud => "https://signin.amazonaws-us-gov.com/federation",
        }
    }

    /// The console's host.
    pub fn console_host(self) -> &'static str {
        match self {
            Partition::Aws => "console.aws.amazon.com",
            Partition::China => "console.amazonaws.cn",
            Partition::GovCloud => "console.amazonaws-us-gov.com",
        }
    }

    /// The region the console's unprefixed host serves.
    fn home_region(self) -> &'static str {
        match self {
            Partition::Aws => "us-east-1",
            Partition::China => "cn-north-1",
            Partition::GovCloud => "us-gov-west-1",
        }
    }
}

/// Where the browser lands once signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The console home (in the region, when known).
    Home,
    /// A service's home page, e.g. `s3`.
    Service(String),
    /// A URL given as is.
    Url(String),
}

/// Why a destination is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// `--service` with characters no console path has.
    #[error(
        "'{0}' is not a console service name: use its name in the console's address, like s3 or ec2"
    )]
    Service(String),
    /// `--destination` that is not an https URL.
    #[error("the destination must be an https:// URL, not '{0}'")]
    Url(String),
}

/// The console URL for `target` in `partition` and `region`.
pub fn destination(
    partition: Partition,
    region: Option<&str>,
    target: &Target,
) -> Result<String, TargetError> {
    let host = |region: Option<&str>| match region {
        Some(r) if r != partition.home_region() => format!("{r}.{}", partition.console_host()),
        _ => partition.console_host().to_string(),
    };
    let query = region
        .map(|r| format!("?region={}", encode(r)))
        .unwrap_or_default();
    match target {
        Target::Url(url) => {
            if url.starts_with("https://") && !url.contains(char::is_whitespace) {
                Ok(url.clone())
            } else {
                Err(TargetError::Url(url.clone()))
            }
        }
        Target::Service(name) => {
            let ok = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_".contains(c));
            if !ok {
                return Err(TargetError::Service(name.clone()));
            }
            Ok(format!("https://{}/{name}/home{query}", host(region)))
        }
        Target::Home if region.is_none() => Ok(format!("https://{}/", host(None))),
        Target::Home => Ok(format!("https://{}/console/home{query}", host(region))),
    }
}

/// What kind of session a profile's credentials are, read from its chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// AssumeRole (or AssumeRoleWithWebIdentity) signed by credentials that are
    /// not a role's: `SessionDuration` up to 12 hours.
    Role,
    /// AssumeRole signed by another role's credentials (role chaining) or by
    /// credentials of unknown origin: `SessionDuration` up to 1 hour.
    ChainedRole,
    /// IAM Identity Center role credentials: no `SessionDuration`.
    Sso,
    /// Long-term IAM user keys: the federation endpoint refuses them, so a
    /// GetFederationToken session is made first.
    LongTermKeys,
    /// A GetSessionToken session (`mfa_serial` on long-term keys): refused by
    /// the endpoint, and GetFederationToken cannot be called with it.
    SessionToken,
    /// Temporary credentials of unknown origin (a session in the files, a
    /// `credential_process`, a named source): sent as they are.
    Other,
}

/// The kind of session `chain` gives; `mfa_session_token`: the profile has
/// `mfa_serial` on its own long-term keys (rolecall makes a GetSessionToken
/// session of them).
pub fn session_kind(chain: &Chain, mfa_session_token: bool) -> SessionKind {
    let long_term = |base: &Base| match base {
        Base::AccessKey { session_token, .. } => session_token.is_none(),
        Base::CredentialProcess { profile, command } => {
            crate::keychain::line::own_profile(command) == Some(&**profile)
        }
        _ => false,
    };
    if chain.roles.is_empty() {
        return match &chain.base {
            b if long_term(b) && mfa_session_token => SessionKind::SessionToken,
            b if long_term(b) => SessionKind::LongTermKeys,
            Base::Sso { .. } => SessionKind::Sso,
            Base::WebIdentity { .. } => SessionKind::Role,
            _ => SessionKind::Other,
        };
    }
    if chain.roles.len() == 1 && long_term(&chain.base) {
        SessionKind::Role
    } else {
        SessionKind::ChainedRole
    }
}

/// The longest console session AWS grants an AssumeRole session.
pub const MAX_SESSION: u32 = 12 * 3600;
/// The longest console session for a role reached through another role.
pub const MAX_CHAINED_SESSION: u32 = 3600;
/// The shortest session AWS grants.
pub const MIN_SESSION: u32 = 900;
/// The longest GetFederationToken session.
pub const MAX_FEDERATION_TOKEN: u32 = 36 * 3600;

/// The durations a sign-in uses, and what to tell the user about them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Durations {
    /// `SessionDuration` for `getSigninToken` (`None`: not sent).
    pub session_duration: Option<u32>,
    /// `DurationSeconds` for GetFederationToken (long-term keys only).
    pub federation_token: Option<u32>,
    /// A note for stderr (a duration shortened or ignored).
    pub note: Option<String>,
}

/// Why a profile cannot sign in to the console.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum KindError {
    /// GetSessionToken sessions are refused.
    #[error(
        "profile '{0}' gets an MFA session from GetSessionToken, which the console sign-in refuses (and GetFederationToken cannot be called with it): sign in through a role instead, a profile with role_arn, source_profile = {0} and mfa_serial"
    )]
    SessionToken(String),
    /// `--duration` out of range.
    #[error("a console session lasts {min} to {max} seconds; {asked} is outside that")]
    Duration {
        /// What was asked.
        asked: u64,
        /// The least.
        min: u32,
        /// The most.
        max: u32,
    },
}

/// The durations for a `kind` session of `profile`, `asked` by `--duration`.
pub fn durations(
    profile: &str,
    kind: SessionKind,
    asked: Option<Duration>,
) -> Result<Durations, KindError> {
    let asked_secs = asked.map(|d| d.as_secs());
    let check = |max: u32| match asked_secs {
        Some(s) if s < u64::from(MIN_SESSION) || s > u64::from(max) => Err(KindError::Duration {
            asked: s,
            min: MIN_SESSION,
            max,
        }),
        Some(s) => Ok(Some(s as u32)),
        None => Ok(None),
    };
    let mut d = Durations::default();
    match kind {
        SessionKind::SessionToken => return Err(KindError::SessionToken(profile.to_string())),
        SessionKind::Role => d.session_duration = Some(check(MAX_SESSION)?.unwrap_or(MAX_SESSION)),
        SessionKind::ChainedRole => {
            let s = check(MAX_SESSION)?.unwrap_or(MAX_CHAINED_SESSION);
            if s > MAX_CHAINED_SESSION {
                d.note = Some(format!(
                    "profile '{profile}' reaches its role through another role, and AWS refuses console sessions longer than 1 hour for those: the session lasts 1 hour"
                ));
            }
            d.session_duration = Some(s.min(MAX_CHAINED_SESSION));
        }
        SessionKind::LongTermKeys => {
            d.federation_token = Some(check(MAX_FEDERATION_TOKEN)?.unwrap_or(MAX_SESSION));
        }
        SessionKind::Sso | SessionKind::Other => {
            if asked.is_some() {
                d.note = Some(format!(
                    "--duration is ignored for profile '{profile}': its console session lasts as long as its credentials"
                ));
            }
        }
    }
    Ok(d)
}

/// Reads `--duration`: seconds, or a number with `s`, `m` or `h` (`90m`, `12h`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{text}' is not a duration: write 3600, 90m or 12h"))?;
    let factor = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => {
            return Err(format!(
                "'{text}' is not a duration: write 3600, 90m or 12h"
            ));
        }
    };
    Ok(Duration::from_secs(n.saturating_mul(factor)))
}

/// The federated user's name for GetFederationToken: `rolecall-PROFILE`, in
/// the characters and length (2 to 32) STS accepts.
pub fn federated_name(profile: &str) -> String {
    let clean: String = profile
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "=,.@-_".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut name = format!("rolecall-{clean}");
    name.truncate(32);
    name
}

/// The session policy for GetFederationToken: everything, so the session may
/// do what the user's own policies allow (a federated session has the
/// intersection of the two; without a policy it could do nothing).
pub const FEDERATION_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// Percent-encodes `s` for a query string (everything but `A-Za-z0-9-_.~`).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `getSigninToken` request URL (it carries the secret key: a [`Secret`]).
pub fn signin_token_url(
    endpoint: &str,
    creds: &Credentials,
    session_duration: Option<u32>,
) -> Secret {
    let session = zeroize::Zeroizing::new(
        serde_json::json!({
            "sessionId": creds.access_key_id,
            "sessionKey": creds.secret_access_key(),
            "sessionToken": creds.session_token().unwrap_or_default(),
        })
        .to_string(),
    );
    let duration = session_duration
        .map(|s| format!("&SessionDuration={s}"))
        .unwrap_or_default();
    Secret::new(format!(
        "{endpoint}?Action=getSigninToken{duration}&Session={}",
        encode(&session)
    ))
}

/// Why the endpoint's answer holds no token.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("the sign-in endpoint's answer holds no SigninToken")]
pub struct NoToken;

/// The token in the endpoint's answer `{"SigninToken": "..."}`.
pub fn parse_signin_token(body: &[u8]) -> Result<Secret, NoToken> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| NoToken)?;
    v.get("SigninToken")
        .and_then(|t| t.as_str())
        .filter(|t| !t.is_empty())
        .map(Secret::new)
        .ok_or(NoToken)
}

/// The issuer the console names when the session ends.
pub const ISSUER: &str = "rolecall";

/// The sign-in URL the browser opens: a bearer token, so a [`Secret`].
pub fn login_url(endpoint: &str, destination: &str, token: &Secret) -> Secret {
    Secret::new(format!(
        "{endpoint}?Action=login&Issuer={}&Destination={}&SigninToken={}",
        encode(ISSUER),
        encode(destination),
        encode(token.expose())
    ))
}

/// The account a chain signs in to, when the files say it.
pub fn account(chain: &Chain) -> Option<String> {
    if let Some(role) = chain.roles.last() {
        return role.role_arn.split(':').nth(4).map(str::to_string);
    }
    match &chain.base {
        Base::Sso { sso_account_id, .. } => sso_account_id.as_deref().map(str::to_string),
        Base::AccessKey { account_id, .. } => account_id.as_deref().map(str::to_string),
        Base::WebIdentity { role_arn, .. } => role_arn.split(':').nth(4).map(str::to_string),
        _ => None,
    }
    .filter(|a| !a.is_empty())
}

/// The partition of a chain's last role ARN, else of `region`, else `aws`.
pub fn partition(chain: Option<&Chain>, region: Option<&str>) -> Partition {
    let arn = chain.and_then(|c| match (&c.roles.last(), &c.base) {
        (Some(role), _) => Some(role.role_arn.to_string()),
        (None, Base::WebIdentity { role_arn, .. }) => Some(role_arn.to_string()),
        _ => None,
    });
    arn.as_deref()
        .and_then(Partition::of_arn)
        .unwrap_or_else(|| region.map_or(Partition::Aws, Partition::of_region))
}

#[cfg(test)]
mod tests;
