//! Which IAM Identity Center session a profile logs in through, read from the
//! profile view the way botocore and aws-config read it: an `sso_session` key
//! names an `[sso-session NAME]` section holding `sso_start_url`, `sso_region`
//! and optionally `sso_registration_scopes`; a legacy profile holds
//! `sso_start_url` and `sso_region` itself (no scopes, hence no refresh token).

use crate::profile::ProfileSet;

/// The scope rolecall registers with when a session names none, so that the
/// service issues refresh tokens (the AWS CLI's `configure sso` default).
pub const DEFAULT_SCOPE: &str = "sso:account:access";

/// Where and how to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SsoConfig {
    /// The sso-session's name; `None` for a legacy profile.
    pub session: Option<String>,
    /// `sso_start_url`.
    pub start_url: String,
    /// `sso_region`.
    pub region: String,
    /// Registration scopes (empty for legacy profiles).
    pub scopes: Vec<String>,
}

impl SsoConfig {
    /// What names the token cache file: the session name, else the start URL.
    pub fn cache_key(&self) -> &str {
        self.session.as_deref().unwrap_or(&self.start_url)
    }

    /// How users know this session: `sso-session NAME` or the start URL.
    pub fn label(&self) -> String {
        match &self.session {
            Some(s) => format!("sso-session '{s}'"),
            None => format!("start URL {}", self.start_url),
        }
    }
}

/// Why a profile or session cannot log in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}; {fix}")]
pub struct ConfigError {
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

fn error(message: String, fix: impl Into<String>) -> ConfigError {
    ConfigError {
        message,
        fix: fix.into(),
    }
}

/// Splits `sso_registration_scopes` as botocore does: commas, trimmed, no empties.
pub fn parse_scopes(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The session named `name` (`[sso-session NAME]`).
pub fn for_session(set: &ProfileSet, name: &str) -> Result<SsoConfig, ConfigError> {
    let Some(section) = set.sso_sessions.get(name) else {
        let known: Vec<&str> = set.sso_sessions.keys().map(|n| n.as_str()).collect();
        return Err(error(
            format!("there is no [sso-session {name}] in the config file"),
            if known.is_empty() {
                "create one with `rolecall sso setup`".to_string()
            } else {
                format!("the sessions are: {}", known.join(", "))
            },
        ));
    };
    let need = |key: &str| {
        section.get(key).filter(|v| !v.is_empty()).ok_or_else(|| {
            error(
                format!("[sso-session {name}] has no {key}"),
                format!("set it: `rolecall set --sso-session {name} {key} VALUE`"),
            )
        })
    };
    let start_url = need("sso_start_url")?.to_string();
    let region = need("sso_region")?.to_string();
    let scopes = section
        .get("sso_registration_scopes")
        .map(parse_scopes)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| vec![DEFAULT_SCOPE.to_string()]);
    Ok(SsoConfig {
        session: Some(name.to_string()),
        start_url,
        region,
        scopes,
    })
}

/// The session profile `name` logs in through.
pub fn for_profile(set: &ProfileSet, name: &str) -> Result<SsoConfig, ConfigError> {
    let Some(profile) = set.profile(name) else {
        return Err(error(
            format!("there is no profile '{name}'"),
            "see `rolecall list`",
        ));
    };
    if let Some(session) = profile.get("sso_session") {
        return for_session(set, session);
    }
    match (profile.get("sso_start_url"), profile.get("sso_region")) {
        (Some(url), Some(region)) if !url.is_empty() && !region.is_empty() => Ok(SsoConfig {
            session: None,
            start_url: url.to_string(),
            region: region.to_string(),
            scopes: Vec::new(),
        }),
        (Some(_), _) => Err(error(
            format!("profile '{name}' has sso_start_url but no sso_region"),
            format!("set it: `rolecall set {name} sso_region REGION`"),
        )),
        _ => Err(error(
            format!("profile '{name}' does not use SSO (no sso_session or sso_start_url)"),
            "log in with a profile that has sso_session, or `--sso-session NAME`",
        )),
    }
}

/// Every sso-session in the files, in name order, skipping incomplete ones.
pub fn sessions(set: &ProfileSet) -> Vec<SsoConfig> {
    set.sso_sessions
        .keys()
        .filter_map(|n| for_session(set, n).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(config: &str) -> ProfileSet {
        crate::profile::view(Some(&crate::ini::Document::parse(config)), None)
    }

    #[test]
    fn session_profile() {
        let s = set(
            "[profile dev]\nsso_session = corp\nsso_account_id = 1\n\n[sso-session corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access , other,\n",
        );
        let c = for_profile(&s, "dev").unwrap();
        assert_eq!(c.session.as_deref(), Some("corp"));
        assert_eq!(c.cache_key(), "corp");
        assert_eq!(c.region, "eu-west-1");
        assert_eq!(c.scopes, ["sso:account:access", "other"]);
    }

    #[test]
    fn default_scope_and_legacy() {
        let s = set(
            "[sso-session a]\nsso_start_url = u\nsso_region = r\n[profile old]\nsso_start_url = https://old\nsso_region = us-east-1\n",
        );
        assert_eq!(for_session(&s, "a").unwrap().scopes, [DEFAULT_SCOPE]);
        let legacy = for_profile(&s, "old").unwrap();
        assert_eq!(legacy.cache_key(), "https://old");
        assert!(legacy.scopes.is_empty());
    }

    #[test]
    fn errors_name_the_fix() {
        let s = set("[sso-session a]\nsso_region = r\n[profile k]\naws_access_key_id = x\n");
        let e = for_session(&s, "a").unwrap_err();
        assert!(e.to_string().contains("no sso_start_url"), "{e}");
        assert!(e.fix.contains("rolecall set --sso-session a sso_start_url"));
        assert!(
            for_profile(&s, "k")
                .unwrap_err()
                .message
                .contains("does not use SSO")
        );
        assert!(for_session(&s, "zz").unwrap_err().fix.contains("a"));
    }
}
