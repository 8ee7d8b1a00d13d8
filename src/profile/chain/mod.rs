//! The shape of a profile's credential chain: which profiles, in which order.
//!
//! Follows aws-config's resolution step for step (the shared assume-role vectors
//! pin it down): a `role_arn` (without `web_identity_token_file`) chains to its
//! `source_profile` or `credential_source`; after the first profile, static keys
//! win over everything else; otherwise the base is the first of
//! `credential_source`, web identity, SSO, `login_session`, `credential_process`,
//! static keys. Loops are detected. Pure: nothing here fetches credentials.

use serde::Serialize;
use smallvec::SmallVec;

use crate::ini::SharedStr;

use super::keys::Keys;

mod error;
pub use error::{ChainError, Reason};

use super::{ProfileSet, Section};

/// The first link of a chain: where the initial credentials come from.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Base {
    /// Keys in the files.
    AccessKey {
        /// The profile holding them.
        profile: SharedStr,
        /// The access key id.
        access_key_id: SharedStr,
        /// The secret (never printed by `Debug`).
        #[serde(skip)]
        secret_access_key: SharedStr,
        /// A session token, for temporary keys (never printed by `Debug`).
        #[serde(skip)]
        session_token: Option<SharedStr>,
        /// `aws_account_id`, if set.
        #[serde(skip_serializing_if = "Option::is_none")]
        account_id: Option<SharedStr>,
    },
    /// `credential_source = Environment | Ec2InstanceMetadata | EcsContainer`.
    NamedSource {
        /// The profile naming it.
        profile: SharedStr,
        /// The source's name.
        source: SharedStr,
    },
    /// `web_identity_token_file` + `role_arn`.
    WebIdentity {
        /// The profile.
        profile: SharedStr,
        /// The role.
        role_arn: SharedStr,
        /// The token file.
        web_identity_token_file: SharedStr,
        /// `role_session_name`, if set.
        #[serde(skip_serializing_if = "Option::is_none")]
        role_session_name: Option<SharedStr>,
    },
    /// SSO, legacy or through an sso-session.
    Sso {
        /// The profile.
        profile: SharedStr,
        /// `sso_account_id`.
        #[serde(skip_serializing_if = "Option::is_none")]
        sso_account_id: Option<SharedStr>,
        /// `sso_role_name`.
        #[serde(skip_serializing_if = "Option::is_none")]
        sso_role_name: Option<SharedStr>,
        /// From the profile (legacy) or the sso-session.
        sso_region: SharedStr,
        /// From the profile (legacy) or the sso-session.
        sso_start_url: SharedStr,
        /// `sso_session`, for the sso-session form.
        #[serde(skip_serializing_if = "Option::is_none")]
        sso_session: Option<SharedStr>,
    },
    /// `login_session` (AWS console credentials).
    LoginSession {
        /// The profile.
        profile: SharedStr,
        /// The login session ARN.
        login_session: SharedStr,
    },
    /// `credential_process`.
    CredentialProcess {
        /// The profile.
        profile: SharedStr,
        /// The command line.
        command: SharedStr,
    },
}

impl std::fmt::Debug for Base {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Base::AccessKey {
                profile,
                access_key_id,
                ..
            } => write!(
                f,
                "AccessKey({profile}, {access_key_id}, secret: <redacted>)"
            ),
            other => write!(f, "{}", serde_json::to_string(other).unwrap_or_default()),
        }
    }
}

impl Base {
    /// The profile this link comes from.
    pub fn profile(&self) -> &str {
        match self {
            Base::AccessKey { profile, .. }
            | Base::NamedSource { profile, .. }
            | Base::WebIdentity { profile, .. }
            | Base::Sso { profile, .. }
            | Base::LoginSession { profile, .. }
            | Base::CredentialProcess { profile, .. } => profile,
        }
    }
}

/// A role assumed with the previous link's credentials.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AssumeRole {
    /// The profile.
    pub profile: SharedStr,
    /// `role_arn`.
    pub role_arn: SharedStr,
    /// `external_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<SharedStr>,
    /// `role_session_name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_session_name: Option<SharedStr>,
}

/// A resolved chain: the base, then roles from the base outwards.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chain {
    /// Where the first credentials come from.
    pub base: Base,
    /// Roles to assume in order, the selected profile's last.
    pub roles: Vec<AssumeRole>,
}

impl Chain {
    /// Profile names from the base to the selected profile, without repeats.
    pub fn profiles(&self) -> Vec<&str> {
        let mut names = vec![self.base.profile()];
        for role in &self.roles {
            if names.last() != Some(&&*role.profile) {
                names.push(&role.profile);
            }
        }
        names
    }
}

/// Resolves `selected`'s chain in `set`.
pub fn resolve(set: &ProfileSet, selected: &str) -> Result<Chain, ChainError> {
    if set.profiles.is_empty() {
        return Err(ChainError::new(selected, Reason::NoProfiles));
    }
    match set.profiles.get_key_value(selected) {
        Some((name, section)) => resolve_from(set, &|n| set.profiles.get(n), name, section),
        None => Err(missing_profile(selected, None)),
    }
}

/// [`resolve`] for a profile of `set` already found: `name` and `section`
/// are an entry of `set.profiles` (a list or the TUI walks them in order, so
/// the profile is not searched for again). Source profiles are found by
/// bisecting the names: nothing is built or kept per call, so chains can be
/// resolved whenever they are shown instead of stored for every profile.
pub fn resolve_in<'s>(
    set: &'s ProfileSet,
    name: &'s SharedStr,
    section: &'s Section,
) -> Result<Chain, ChainError> {
    resolve_from(set, &|n| set.profiles.get(n), name, section)
}

/// No `[profile NAME]`: `from` is the profile whose `source_profile` names it.
fn missing_profile(name: impl Into<SharedStr>, from: Option<&SharedStr>) -> ChainError {
    ChainError::new(
        name,
        Reason::MissingSource {
            from: from.cloned(),
        },
    )
}

/// [`resolve`], from `selected` and its section, finding profiles by name with
/// `lookup`. Names are shared with the set, so links cost no allocation.
fn resolve_from<'s>(
    set: &'s ProfileSet,
    lookup: &dyn Fn(&str) -> Option<&'s Section>,
    selected: &'s SharedStr,
    section: &'s Section,
) -> Result<Chain, ChainError> {
    let mut name = selected;
    let mut profile = section;
    let mut visited: SmallVec<[&str; 8]> = SmallVec::new();
    let mut roles = Vec::new();
    let base = loop {
        if visited.contains(&name.as_str()) {
            let mut path: Vec<String> = visited.iter().map(|s| s.to_string()).collect();
            path.push(name.to_string());
            return Err(ChainError::new(name, Reason::Loop(path)));
        }
        visited.push(name);
        let keys = Keys::of(profile);
        if visited.len() > 1
            && let Ok(Some(base)) = static_keys(name, &keys)
        {
            break base;
        }
        match role_of(name, &keys) {
            Some(role) => {
                let next = next_profile(name, &keys)?;
                roles.push(role);
                match next {
                    Next::SelfReference => break base_of(set, name, &keys)?,
                    Next::Named(next) => {
                        let Some(section) = lookup(next) else {
                            return Err(missing_profile(next, Some(name)));
                        };
                        name = next;
                        profile = section;
                    }
                }
            }
            None => {
                break base_of(set, name, &keys).map_err(|err| {
                    if visited.len() == 1 {
                        err
                    } else {
                        ChainError::new(name, Reason::InSource(Box::new(err.reason)))
                    }
                })?;
            }
        }
    };
    roles.reverse();
    Ok(Chain { base, roles })
}

enum Next<'a> {
    SelfReference,
    Named(&'a SharedStr),
}

fn role_of(name: &SharedStr, profile: &Keys<'_>) -> Option<AssumeRole> {
    if profile
        .web_identity_token_file
        .map(SharedStr::as_str)
        .is_some()
    {
        return None;
    }
    Some(AssumeRole {
        profile: name.into(),
        role_arn: profile.role_arn.cloned()?,
        external_id: profile.external_id.cloned(),
        role_session_name: profile.role_session_name.cloned(),
    })
}

fn next_profile<'a>(name: &str, profile: &Keys<'a>) -> Result<Next<'a>, ChainError> {
    match (
        profile.source_profile,
        profile.credential_source.map(SharedStr::as_str),
    ) {
        (Some(_), Some(_)) => Err(ChainError::new(name, Reason::SourceAndCredentialSource)),
        (None, None) => Err(ChainError::new(name, Reason::NoSource)),
        (Some(source), None) if source == name => Ok(Next::SelfReference),
        (Some(source), None) => Ok(Next::Named(source)),
        (None, Some(_)) => Ok(Next::SelfReference),
    }
}

fn base_of(set: &ProfileSet, name: &SharedStr, profile: &Keys<'_>) -> Result<Base, ChainError> {
    if let Some(source) = profile.credential_source.cloned() {
        return Ok(Base::NamedSource {
            profile: name.into(),
            source,
        });
    }
    if let Some(base) = web_identity(name, profile)? {
        return Ok(base);
    }
    if let Some(base) = sso(set, name, profile)? {
        return Ok(base);
    }
    if let Some(login_session) = profile.login_session.cloned() {
        return Ok(Base::LoginSession {
            profile: name.into(),
            login_session,
        });
    }
    if let Some(command) = profile.credential_process.cloned() {
        return Ok(Base::CredentialProcess {
            profile: name.into(),
            command,
        });
    }
    static_keys(name, profile)?.ok_or_else(|| ChainError::new(name, Reason::NoCredentials))
}

fn web_identity(name: &SharedStr, profile: &Keys<'_>) -> Result<Option<Base>, ChainError> {
    match (
        profile.role_arn.cloned(),
        profile.web_identity_token_file.cloned(),
    ) {
        (Some(role_arn), Some(web_identity_token_file)) => Ok(Some(Base::WebIdentity {
            profile: name.into(),
            role_arn,
            web_identity_token_file,
            role_session_name: profile.role_session_name.cloned(),
        })),
        (None, Some(_)) => Err(ChainError::new(name, Reason::WebIdentityWithoutRole)),
        _ => Ok(None),
    }
}

fn sso(set: &ProfileSet, name: &SharedStr, profile: &Keys<'_>) -> Result<Option<Base>, ChainError> {
    let account = profile.sso_account_id.cloned();
    let role = profile.sso_role_name.cloned();
    let mut region = profile.sso_region.cloned();
    let mut start_url = profile.sso_start_url.cloned();
    let session = profile.sso_session.cloned();
    if [&account, &role, &region, &start_url, &session]
        .iter()
        .all(|o| o.is_none())
    {
        return Ok(None);
    }
    if let Some(session) = &session {
        for (key, present) in [("sso_start_url", &start_url), ("sso_region", &region)] {
            if present.is_some() {
                return Err(ChainError::new(
                    name,
                    Reason::SsoKeyBesideSession {
                        key,
                        session: session.clone(),
                    },
                ));
            }
        }
        let Some(s) = set.sso_sessions.get(session) else {
            return Err(ChainError::new(
                name,
                Reason::SsoSessionNotFound {
                    session: session.clone(),
                },
            ));
        };
        start_url = s.shared("sso_start_url");
        region = s.shared("sso_region");
    }
    match (&account, &role) {
        (Some(_), None) => {
            return Err(ChainError::new(name, Reason::AccountWithoutRole));
        }
        (None, Some(_)) => {
            return Err(ChainError::new(name, Reason::RoleWithoutAccount));
        }
        _ => {}
    }
    let missing = |key: &'static str| {
        ChainError::new(
            name,
            Reason::SsoFieldMissing {
                key,
                session: session.clone(),
            },
        )
    };
    Ok(Some(Base::Sso {
        profile: name.into(),
        sso_account_id: account,
        sso_role_name: role,
        sso_region: region.ok_or_else(|| missing("sso_region"))?,
        sso_start_url: start_url.ok_or_else(|| missing("sso_start_url"))?,
        sso_session: session,
    }))
}

fn static_keys(name: &SharedStr, profile: &Keys<'_>) -> Result<Option<Base>, ChainError> {
    let (key, secret, token) = (
        profile.aws_access_key_id.cloned(),
        profile.aws_secret_access_key.cloned(),
        profile.aws_session_token.cloned(),
    );
    if key.is_none() && secret.is_none() && token.is_none() {
        return Ok(None);
    }
    let key = key.ok_or_else(|| ChainError::new(name, Reason::MissingAccessKeyId))?;
    let secret = secret.ok_or_else(|| ChainError::new(name, Reason::MissingSecretAccessKey))?;
    Ok(Some(Base::AccessKey {
        profile: name.into(),
        access_key_id: key,
        secret_access_key: secret,
        session_token: token,
        account_id: profile.aws_account_id.cloned(),
    }))
}
