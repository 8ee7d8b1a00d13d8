//! Profiles with `mfa_serial`: the session rolecall gets from STS with a code
//! the user types, since aws-config ignores `mfa_serial` (and
//! `duration_seconds`).
//!
//! [`plan`] reads what to do from the profile alone (pure): a role profile
//! (`role_arn` + `source_profile`) becomes AssumeRole with `SerialNumber` and
//! `TokenCode`, signed with the source profile's credentials; a profile with
//! long-term keys (in the files or the keychain) becomes GetSessionToken with
//! them. [`call`] makes that call. Asking for the code (on the terminal, never
//! on stdout) and caching the session are the caller's part.

use std::time::SystemTime;

use crate::profile::ProfileSet;
use crate::profile::chain::{self, Base};

use super::obtain::Request;
use super::obtain::{config, http_client};
use super::secret::Credentials;

/// The STS call an MFA profile needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// AssumeRole with the MFA code, signed by `source`'s credentials.
    AssumeRole {
        /// The profile whose credentials sign (the role profile itself when
        /// it holds keys of its own).
        source: String,
        /// `role_arn`.
        role_arn: String,
        /// `role_session_name`.
        session_name: Option<String>,
        /// `external_id`.
        external_id: Option<String>,
    },
    /// GetSessionToken with the MFA code, signed by the profile's own keys.
    SessionToken,
}

/// What an MFA profile needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// `mfa_serial`: the device's ARN (or a hardware token's serial).
    pub serial: String,
    /// The call.
    pub step: Step,
    /// `duration_seconds`, if set.
    pub duration_seconds: Option<i32>,
}

impl Plan {
    /// What sets this session apart in rolecall's credential cache (see
    /// [`super::key`]). The bytes are hashed into file names, so they never
    /// change: an upgrade must find the sessions an older rolecall cached.
    pub fn cache_key(&self) -> String {
        format!("MFA {} {:?}", self.serial, self.duration_seconds)
    }
}

/// The plan for `profile`, `None` when it has no `mfa_serial` or is a kind
/// rolecall leaves to aws-config (SSO, web identity, `credential_source`,
/// `credential_process` other than rolecall's own).
pub fn plan(set: &ProfileSet, profile: &str) -> Option<Plan> {
    let p = set.profile(profile)?;
    let serial = p.get("mfa_serial")?.to_string();
    let duration_seconds = p.get("duration_seconds").and_then(|d| d.parse().ok());
    let step = match (p.get("role_arn"), p.get("source_profile")) {
        (Some(role_arn), Some(source)) if p.get("web_identity_token_file").is_none() => {
            Step::AssumeRole {
                source: source.to_string(),
                role_arn: role_arn.to_string(),
                session_name: p.get("role_session_name").map(str::to_string),
                external_id: p.get("external_id").map(str::to_string),
            }
        }
        (Some(_), _) => return None,
        (None, _) => match chain::resolve(set, profile).ok()? {
            chain::Chain {
                base:
                    Base::AccessKey {
                        session_token: None,
                        ..
                    },
                roles,
            } if roles.is_empty() => Step::SessionToken,
            chain::Chain {
                base: Base::CredentialProcess { command, .. },
                roles,
            } if roles.is_empty()
                && crate::keychain::line::own_profile(&command) == Some(profile) =>
            {
                Step::SessionToken
            }
            _ => return None,
        },
    };
    Some(Plan {
        serial,
        step,
        duration_seconds,
    })
}

/// Why STS refused.
#[derive(Debug, thiserror::Error)]
#[error("{call} with the MFA code for {serial} failed: {message}")]
pub struct MfaError {
    /// Which call.
    pub call: &'static str,
    /// The device.
    pub serial: String,
    /// What STS said.
    pub message: String,
}

/// Whether a typed code looks like one: six digits.
pub fn valid_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// Makes the plan's call with `base` credentials and `code`.
pub async fn call(
    req: &Request,
    plan: &Plan,
    base: &Credentials,
    code: &str,
    now: SystemTime,
) -> Result<Credentials, MfaError> {
    let sts = aws_sdk_sts::Client::new(&config(req, base, http_client()).await);
    let fail = |call: &'static str, message: String| MfaError {
        call,
        serial: plan.serial.clone(),
        message,
    };
    let c = match &plan.step {
        Step::AssumeRole {
            role_arn,
            session_name,
            external_id,
            ..
        } => {
            let secs = now
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let out = sts
                .assume_role()
                .role_arn(role_arn)
                .role_session_name(session_name.clone().unwrap_or(format!("rolecall-{secs}")))
                .set_external_id(external_id.clone())
                .set_duration_seconds(plan.duration_seconds)
                .serial_number(&plan.serial)
                .token_code(code)
                .send()
                .await
                .map_err(|e| fail("STS AssumeRole", super::sdk_error::describe(&e, None)))?;
            out.credentials().cloned()
        }
        Step::SessionToken => {
            let out = sts
                .get_session_token()
                .set_duration_seconds(plan.duration_seconds)
                .serial_number(&plan.serial)
                .token_code(code)
                .send()
                .await
                .map_err(|e| fail("STS GetSessionToken", super::sdk_error::describe(&e, None)))?;
            out.credentials().cloned()
        }
    };
    let c = c.ok_or_else(|| fail("STS", "the answer holds no credentials".into()))?;
    let expires = SystemTime::try_from(*c.expiration())
        .map_err(|e| fail("STS", format!("unreadable expiration: {e}")))?;
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
        Some(expires),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;

    #[test]
    fn plans_follow_the_profile_kind() {
        let config = Document::parse(
            "[profile admin]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\nduration_seconds = 900\nrole_session_name = me\n\
             [profile base]\nmfa_serial = arn:aws:iam::1:mfa/me\n\
             [profile kc]\ncredential_process = rolecall credential-process --profile kc\nmfa_serial = S\n\
             [profile other]\ncredential_process = aws-vault export x\nmfa_serial = S\n\
             [profile plain]\nregion = r\n",
        );
        let creds =
            Document::parse("[base]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n");
        let set = crate::profile::normalize::normalize(Some(&config), Some(&creds));
        assert_eq!(
            plan(&set, "admin"),
            Some(Plan {
                serial: "arn:aws:iam::1:mfa/me".into(),
                step: Step::AssumeRole {
                    source: "base".into(),
                    role_arn: "arn:aws:iam::1:role/a".into(),
                    session_name: Some("me".into()),
                    external_id: None,
                },
                duration_seconds: Some(900),
            })
        );
        assert_eq!(plan(&set, "base").unwrap().step, Step::SessionToken);
        assert_eq!(plan(&set, "kc").unwrap().step, Step::SessionToken);
        assert_eq!(plan(&set, "other"), None);
        assert_eq!(plan(&set, "plain"), None);
        assert!(valid_code("012345") && !valid_code("12345") && !valid_code("12345a"));
    }
}
