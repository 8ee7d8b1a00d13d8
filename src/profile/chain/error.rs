//! Why a chain cannot be resolved: a reason kept as data, its sentence (in
//! aws-config's own wording) and its fix written only when shown.
//!
//! A file of a million profiles holding only `region` has a million of these;
//! a message and a name copied into each cost a fifth of `list`'s time and
//! about 300 bytes a profile, most of it never shown. The profile's name is
//! shared with the document's text, and only a loop's path and a source's
//! wrapped reason hold heap memory of their own.

use std::borrow::Cow;
use std::fmt;

use crate::ini::SharedStr;

/// Why a chain cannot be resolved.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}; fix: {}", self.message(), self.fix())]
pub struct ChainError {
    /// The profile where resolution failed (for a missing source profile, the
    /// missing name).
    pub profile: SharedStr,
    /// What went wrong.
    pub reason: Reason,
}

/// What went wrong, as data. [`ChainError::message`] writes the sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Neither file defines a profile.
    NoProfiles,
    /// `source_profile` names a profile that does not exist; `from` names it.
    MissingSource {
        /// The profile whose `source_profile` names it (none: the root).
        from: Option<SharedStr>,
    },
    /// `source_profile`s form a loop, listed in order.
    Loop(Vec<String>),
    /// Both `source_profile` and `credential_source`.
    SourceAndCredentialSource,
    /// `role_arn` without `source_profile` or `credential_source`.
    NoSource,
    /// `web_identity_token_file` without `role_arn`.
    WebIdentityWithoutRole,
    /// `sso_start_url` or `sso_region` beside `sso_session`.
    SsoKeyBesideSession {
        /// The key.
        key: &'static str,
        /// The sso-session that holds it.
        session: SharedStr,
    },
    /// `sso_session` names no `[sso-session]`.
    SsoSessionNotFound {
        /// The name.
        session: SharedStr,
    },
    /// `sso_account_id` without `sso_role_name`.
    AccountWithoutRole,
    /// `sso_role_name` without `sso_account_id`.
    RoleWithoutAccount,
    /// An SSO field missing, from the profile or its sso-session.
    SsoFieldMissing {
        /// The key.
        key: &'static str,
        /// The sso-session it should be in.
        session: Option<SharedStr>,
    },
    /// A secret key without its id.
    MissingAccessKeyId,
    /// A key id without its secret.
    MissingSecretAccessKey,
    /// The profile simply holds no credentials (e.g. only `region`).
    NoCredentials,
    /// The chain's source profile failed for this reason.
    InSource(Box<Reason>),
}

impl ChainError {
    /// A failure at profile `profile`.
    pub fn new(profile: impl Into<SharedStr>, reason: Reason) -> ChainError {
        ChainError {
            profile: profile.into(),
            reason,
        }
    }

    /// What went wrong, in aws-config's wording.
    pub fn message(&self) -> String {
        Sentence(&self.profile, &self.reason).to_string()
    }

    /// How to fix it.
    pub fn fix(&self) -> Cow<'static, str> {
        fix(&self.profile, &self.reason)
    }

    /// The profile simply holds no credentials, as opposed to a broken
    /// reference or contradictory keys.
    pub fn no_credentials(&self) -> bool {
        self.reason == Reason::NoCredentials
    }

    /// A profile loop, listed in order (empty for any other reason).
    pub fn path(&self) -> &[String] {
        match &self.reason {
            Reason::Loop(path) => path,
            _ => &[],
        }
    }
}

/// The sentence for `reason` at profile `name`.
struct Sentence<'a>(&'a str, &'a Reason);

impl fmt::Display for Sentence<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.0;
        match self.1 {
            Reason::NoProfiles => f.write_str(
                "No profiles were defined: add a profile to the config or credentials file",
            ),
            Reason::MissingSource { from } => write!(
                f,
                "could not find source profile {name} referenced from {}",
                from.as_deref().unwrap_or("the root profile")
            ),
            Reason::Loop(path) => {
                write!(f, "profile formed an infinite loop ({})", path.join(" -> "))
            }
            Reason::SourceAndCredentialSource => write!(
                f,
                "profile `{name}`: profile contained both source_profile and credential_source. Only one or the other can be defined"
            ),
            Reason::NoSource => write!(
                f,
                "profile `{name}`: profile must contain `source_profile` or `credential_source` but neither were defined"
            ),
            Reason::WebIdentityWithoutRole => write!(
                f,
                "profile `{name}`: `web_identity_token_file` was specified but `role_arn` was missing"
            ),
            Reason::SsoKeyBesideSession { key, .. } => write!(
                f,
                "profile `{name}`: `{key}` can only be specified in the [sso-session] config when a session name is given"
            ),
            Reason::SsoSessionNotFound { session } => write!(
                f,
                "sso-session named `{session}` (referenced by profile `{name}`) was not found"
            ),
            Reason::AccountWithoutRole => write!(
                f,
                "profile `{name}`: if `sso_account_id` is set, then `sso_role_name` must also be set"
            ),
            Reason::RoleWithoutAccount => write!(
                f,
                "profile `{name}`: if `sso_role_name` is set, then `sso_account_id` must also be set"
            ),
            Reason::SsoFieldMissing { key, session } => {
                write!(f, "profile `{name}` missing field `{key}`")?;
                match session {
                    Some(s) => write!(f, " in [sso-session {s}]"),
                    None => Ok(()),
                }
            }
            Reason::MissingAccessKeyId => {
                write!(f, "profile `{name}`: profile missing aws_access_key_id")
            }
            Reason::MissingSecretAccessKey => {
                write!(f, "profile `{name}`: profile missing aws_secret_access_key")
            }
            Reason::NoCredentials => {
                write!(f, "profile `{name}` did not contain credential information")
            }
            Reason::InSource(inner) => write!(
                f,
                "could not load source profile: {}",
                Sentence(name, inner)
            ),
        }
    }
}

/// The fix for `reason` at profile `name`.
fn fix(name: &str, reason: &Reason) -> Cow<'static, str> {
    match reason {
        Reason::NoProfiles => Cow::Borrowed(""),
        Reason::MissingSource { .. } => Cow::Owned(format!(
            "add [profile {name}] or point source_profile at an existing profile"
        )),
        Reason::Loop(_) => "point one source_profile in the loop at a profile with credentials".into(),
        Reason::SourceAndCredentialSource => "remove source_profile or credential_source".into(),
        Reason::NoSource => "add source_profile = PROFILE, or credential_source = Environment, Ec2InstanceMetadata or EcsContainer".into(),
        Reason::WebIdentityWithoutRole => "add role_arn = ARN of the role to assume".into(),
        Reason::SsoKeyBesideSession { key, session } => Cow::Owned(format!(
            "remove `{key}` from the profile; [sso-session {session}] holds it"
        )),
        Reason::SsoSessionNotFound { session } => Cow::Owned(format!(
            "add [sso-session {session}] with sso_start_url and sso_region, or fix the name"
        )),
        Reason::AccountWithoutRole => "add sso_role_name = the role to use in that account".into(),
        Reason::RoleWithoutAccount => "add sso_account_id = the 12-digit account id".into(),
        Reason::SsoFieldMissing { key, .. } => Cow::Owned(format!("add {key}")),
        Reason::MissingAccessKeyId => "add aws_access_key_id next to aws_secret_access_key".into(),
        Reason::MissingSecretAccessKey => "add aws_secret_access_key next to aws_access_key_id".into(),
        Reason::NoCredentials => "add aws_access_key_id and aws_secret_access_key, role_arn with source_profile, sso_session, or credential_process".into(),
        Reason::InSource(inner) => fix(name, inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_are_written_when_shown_in_aws_configs_wording() {
        let e = ChainError::new("dev", Reason::NoCredentials);
        assert_eq!(
            e.message(),
            "profile `dev` did not contain credential information"
        );
        assert!(e.no_credentials() && e.path().is_empty());
        let wrapped = ChainError::new("base", Reason::InSource(Box::new(Reason::NoCredentials)));
        assert_eq!(
            wrapped.message(),
            "could not load source profile: profile `base` did not contain credential information"
        );
        assert!(!wrapped.no_credentials());
        assert_eq!(wrapped.fix(), e.fix());
        let missing = ChainError::new(
            "gone",
            Reason::MissingSource {
                from: Some("a".into()),
            },
        );
        assert_eq!(
            missing.to_string(),
            "could not find source profile gone referenced from a; fix: add [profile gone] or point source_profile at an existing profile"
        );
        let looped = ChainError::new("c", Reason::Loop(vec!["c".into(), "d".into(), "c".into()]));
        assert_eq!(
            looped.message(),
            "profile formed an infinite loop (c -> d -> c)"
        );
        assert_eq!(looped.path().len(), 3);
        let sso = ChainError::new(
            "s",
            Reason::SsoFieldMissing {
                key: "sso_region",
                session: Some("corp".into()),
            },
        );
        assert_eq!(
            sso.message(),
            "profile `s` missing field `sso_region` in [sso-session corp]"
        );
    }

    #[test]
    fn a_chain_error_stays_small() {
        // What every profile without credentials keeps, its name shared.
        let size = std::mem::size_of::<ChainError>();
        assert!(size <= 80, "{size}");
    }
}
