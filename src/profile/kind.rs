//! What kind of profile this is, judged from its own keys the way aws-config
//! judges the first link of a chain.

use serde::Serialize;

use super::Section;
use super::keys::Keys;

/// Each kind's short label, as the KIND column shows it ([`Kind::label`]).
pub const LABELS: [&str; 10] = [
    "keys",
    "temp-keys",
    "role",
    "role-src",
    "web-id",
    "sso",
    "sso-legacy",
    "process",
    "login",
    "incomplete",
];

/// The kind of a profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// Long-term access keys.
    StaticKeys,
    /// Access keys with a session token: they expire and nothing refreshes them.
    TemporaryKeys,
    /// `role_arn` + `source_profile`.
    AssumeRole,
    /// `role_arn` + `credential_source`.
    AssumeRoleFromSource {
        /// `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
        source: String,
    },
    /// `role_arn` + `web_identity_token_file`.
    WebIdentity,
    /// SSO through `sso_session`.
    Sso,
    /// SSO with `sso_start_url` in the profile itself.
    LegacySso,
    /// `credential_process`.
    CredentialProcess,
    /// `login_session` (AWS console sign-in).
    LoginSession,
    /// Not usable as it stands.
    Incomplete {
        /// What is missing or contradictory.
        missing: String,
    },
}

/// The named sources `credential_source` accepts.
pub const CREDENTIAL_SOURCES: &[&str] = &["Environment", "Ec2InstanceMetadata", "EcsContainer"];

impl Kind {
    /// A short label for tables.
    pub fn label(&self) -> &'static str {
        LABELS[usize::from(self.label_index())]
    }

    /// The position of [`Kind::label`] in [`LABELS`]: a kind in one byte,
    /// for lists that keep one per profile.
    pub fn label_index(&self) -> u8 {
        match self {
            Kind::StaticKeys => 0,
            Kind::TemporaryKeys => 1,
            Kind::AssumeRole => 2,
            Kind::AssumeRoleFromSource { .. } => 3,
            Kind::WebIdentity => 4,
            Kind::Sso => 5,
            Kind::LegacySso => 6,
            Kind::CredentialProcess => 7,
            Kind::LoginSession => 8,
            Kind::Incomplete { .. } => 9,
        }
    }

    /// A phrase for detail views.
    pub fn describe(&self) -> String {
        match self {
            Kind::StaticKeys => "static access keys".into(),
            Kind::TemporaryKeys => {
                "temporary keys in a file (they expire and nothing refreshes them)".into()
            }
            Kind::AssumeRole => "assume role via source_profile".into(),
            Kind::AssumeRoleFromSource { source } => {
                format!("assume role via credential_source {source}")
            }
            Kind::WebIdentity => "web identity".into(),
            Kind::Sso => "SSO via sso-session".into(),
            Kind::LegacySso => "legacy SSO (sso_start_url in the profile)".into(),
            Kind::CredentialProcess => "credential_process".into(),
            Kind::LoginSession => "console login session".into(),
            Kind::Incomplete { missing } => format!("incomplete: {missing}"),
        }
    }
}

/// Classifies a profile by its own keys.
pub fn classify(profile: &Section) -> Kind {
    // One pass over the profile's keys, not a search per question.
    let k = Keys::of(profile);
    let incomplete = |m: &str| Kind::Incomplete {
        missing: m.to_string(),
    };
    if k.role_arn.is_some() && k.web_identity_token_file.is_none() {
        return match (
            k.source_profile.map(|v| v.as_str()),
            k.credential_source.map(|v| v.as_str()),
        ) {
            (Some(_), Some(_)) => {
                incomplete("both source_profile and credential_source are set; keep one")
            }
            (None, None) => incomplete("role_arn needs source_profile or credential_source"),
            (Some(_), None) => Kind::AssumeRole,
            (None, Some(source)) if CREDENTIAL_SOURCES.contains(&source) => {
                Kind::AssumeRoleFromSource {
                    source: source.to_string(),
                }
            }
            (None, Some(source)) => Kind::Incomplete {
                missing: format!(
                    "credential_source '{source}' is not one of {}",
                    CREDENTIAL_SOURCES.join(", ")
                ),
            },
        };
    }
    if k.credential_source.is_some() {
        return incomplete("credential_source needs role_arn");
    }
    if k.web_identity_token_file.is_some() {
        return if k.role_arn.is_some() {
            Kind::WebIdentity
        } else {
            incomplete("web_identity_token_file needs role_arn")
        };
    }
    if k.sso_session.is_some() {
        return Kind::Sso;
    }
    let legacy = [
        ("sso_start_url", k.sso_start_url),
        ("sso_region", k.sso_region),
        ("sso_account_id", k.sso_account_id),
        ("sso_role_name", k.sso_role_name),
    ];
    if legacy.iter().any(|(_, v)| v.is_some()) {
        let missing: Vec<&str> = legacy
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(name, _)| *name)
            .collect();
        return if missing.is_empty() {
            Kind::LegacySso
        } else {
            Kind::Incomplete {
                missing: format!("legacy SSO needs {}", missing.join(", ")),
            }
        };
    }
    if k.login_session.is_some() {
        return Kind::LoginSession;
    }
    if k.credential_process.is_some() {
        return Kind::CredentialProcess;
    }
    match (
        k.aws_access_key_id.is_some(),
        k.aws_secret_access_key.is_some(),
    ) {
        (true, true) if k.aws_session_token.is_some() => Kind::TemporaryKeys,
        (true, true) => Kind::StaticKeys,
        (true, false) => incomplete("aws_secret_access_key is missing"),
        (false, true) => incomplete("aws_access_key_id is missing"),
        (false, false) => {
            incomplete("no credentials (keys, role_arn, sso_session or credential_process)")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::normalize::normalize;

    fn kind_of(body: &str) -> Kind {
        let doc = Document::parse(format!(
            "[profile p]\n{body}\n[sso-session s]\nsso_region = r\n"
        ));
        classify(&normalize(Some(&doc), None).profiles["p"])
    }

    #[test]
    fn every_kind() {
        assert_eq!(
            kind_of("aws_access_key_id = a\naws_secret_access_key = b"),
            Kind::StaticKeys
        );
        assert_eq!(
            kind_of("aws_access_key_id = a\naws_secret_access_key = b\naws_session_token = t"),
            Kind::TemporaryKeys
        );
        assert_eq!(
            kind_of("role_arn = r\nsource_profile = x"),
            Kind::AssumeRole
        );
        assert_eq!(
            kind_of("role_arn = r\ncredential_source = EcsContainer"),
            Kind::AssumeRoleFromSource {
                source: "EcsContainer".into()
            }
        );
        assert_eq!(
            kind_of("role_arn = r\nweb_identity_token_file = /t"),
            Kind::WebIdentity
        );
        assert_eq!(
            kind_of("sso_session = s\nsso_account_id = 1\nsso_role_name = R"),
            Kind::Sso
        );
        assert_eq!(
            kind_of("sso_start_url = u\nsso_region = r\nsso_account_id = 1\nsso_role_name = R"),
            Kind::LegacySso
        );
        assert_eq!(kind_of("credential_process = x"), Kind::CredentialProcess);
        assert_eq!(kind_of("login_session = arn"), Kind::LoginSession);
        assert!(matches!(kind_of("region = x"), Kind::Incomplete { .. }));
        assert!(matches!(kind_of("role_arn = r"), Kind::Incomplete { .. }));
        assert!(matches!(
            kind_of("role_arn = r\ncredential_source = Foo"),
            Kind::Incomplete { .. }
        ));
        assert!(matches!(
            kind_of("sso_start_url = u"),
            Kind::Incomplete { .. }
        ));
    }
}
