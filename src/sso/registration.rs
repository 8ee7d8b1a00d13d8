//! The OIDC client registration cache, shared with the AWS CLI v2: one file in
//! `~/.aws/sso/cache/`, named by the SHA-1 of Python's
//! `json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"},
//! sort_keys=True)`, holding `clientId`, `clientSecret`, `expiresAt` and, when
//! registered with them, `scopes`. A registration is reused while at least 15
//! minutes of it are left and it was not made for the authorization-code grant
//! (the CLI's PKCE registrations cannot do the device flow).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::Value;

use crate::credential::cache::{python_json_string, sha1_hex};
use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::credential::secret::Secret;

use super::config::SsoConfig;

/// How long a registration must still be valid to be reused.
pub const REUSE_MARGIN: Duration = Duration::from_secs(15 * 60);

/// A registered OIDC client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    /// `clientId`.
    pub client_id: String,
    /// `clientSecret`.
    pub client_secret: Secret,
    /// When the registration ends.
    pub expires_at: SystemTime,
    /// The scopes it was registered with.
    pub scopes: Vec<String>,
    /// `grantTypes`, when the file names them.
    pub grant_types: Vec<String>,
}

/// The registration file's name for a session.
pub fn file_name(cfg: &SsoConfig) -> String {
    let scopes = if cfg.scopes.is_empty() {
        "null".to_string()
    } else {
        let items: Vec<String> = cfg.scopes.iter().map(|s| python_json_string(s)).collect();
        format!("[{}]", items.join(", "))
    };
    let session = cfg
        .session
        .as_deref()
        .map_or("null".to_string(), python_json_string);
    // Keys in sorted order, Python's default separators.
    let key = format!(
        "{{\"region\": {}, \"scopes\": {scopes}, \"session_name\": {session}, \"startUrl\": {}, \"tool\": \"botocore\"}}",
        python_json_string(&cfg.region),
        python_json_string(&cfg.start_url),
    );
    format!("{}.json", sha1_hex(&key))
}

/// The registration file for a session.
pub fn path(dir: &Path, cfg: &SsoConfig) -> PathBuf {
    dir.join(file_name(cfg))
}

impl Registration {
    /// Whether the device flow may reuse it at `now`.
    pub fn reusable(&self, now: SystemTime) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left >= REUSE_MARGIN)
            && !self.grant_types.iter().any(|g| g == "authorization_code")
    }

    /// Whether a PKCE login may reuse it at `now`.
    pub fn reusable_for_auth_code(&self, now: SystemTime) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left >= REUSE_MARGIN)
            && self.grant_types.iter().any(|g| g == "authorization_code")
    }

    /// Reads a registration file's text (`None`: not one).
    pub fn parse(text: &str) -> Option<Registration> {
        let v: Value = serde_json::from_str(text).ok()?;
        let strings = |key: &str| -> Vec<String> {
            v.get(key)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        Some(Registration {
            client_id: v.get("clientId")?.as_str()?.to_string(),
            client_secret: Secret::new(v.get("clientSecret")?.as_str()?),
            expires_at: parse_timestamp(v.get("expiresAt")?.as_str()?)?,
            scopes: strings("scopes"),
            grant_types: strings("grantTypes"),
        })
    }

    /// The file's bytes, as botocore writes them.
    pub fn to_json(&self) -> String {
        let mut out = format!(
            "{{\"clientId\": {}, \"clientSecret\": {}, \"expiresAt\": {}",
            python_json_string(&self.client_id),
            python_json_string(self.client_secret.expose()),
            python_json_string(&format_rfc3339(self.expires_at)),
        );
        let list = |items: &[String]| {
            let items: Vec<String> = items.iter().map(|s| python_json_string(s)).collect();
            format!("[{}]", items.join(", "))
        };
        if !self.scopes.is_empty() || !self.grant_types.is_empty() {
            out.push_str(&format!(", \"scopes\": {}", list(&self.scopes)));
        }
        if !self.grant_types.is_empty() {
            out.push_str(&format!(", \"grantTypes\": {}", list(&self.grant_types)));
        }
        out.push('}');
        out
    }
}

/// The cached registration for a session, if any and readable.
pub fn load(dir: &Path, cfg: &SsoConfig) -> Option<Registration> {
    Registration::parse(&std::fs::read_to_string(path(dir, cfg)).ok()?)
}

/// Saves a registration (atomic, 0600).
pub fn save(dir: &Path, cfg: &SsoConfig, reg: &Registration) -> std::io::Result<()> {
    super::token::write_private(&path(dir, cfg), reg.to_json().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(session: Option<&str>, scopes: &[&str]) -> SsoConfig {
        SsoConfig {
            session: session.map(str::to_string),
            start_url: "https://d-123.awsapps.com/start".to_string(),
            region: "us-east-1".to_string(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn names_match_botocore() {
        // hashlib.sha1(json.dumps({...}, sort_keys=True).encode()).hexdigest()
        assert_eq!(
            file_name(&cfg(Some("my-sso"), &["sso:account:access"])),
            "41703fba9789c2c8f9b7faa73b70bebb72c62cc9.json"
        );
        assert_eq!(
            file_name(&cfg(None, &[])),
            "334df8a025b4d748342a2fb4eaa316ea48c5576c.json"
        );
    }

    /// What botocore's `SSOTokenFetcherAuth._register_client` caches, written by
    /// `JSONFileCache` with the CLI's `_sso_json_dumps` (insertion order, Python's
    /// separators, the tuple of grant types as a list).
    #[test]
    fn pkce_registration_bytes_are_the_clis() {
        let text = r#"{"clientId": "cid", "clientSecret": "sec", "expiresAt": "2027-02-20T01:37:09Z", "scopes": ["sso:account:access"], "grantTypes": ["authorization_code", "refresh_token"]}"#;
        let reg = Registration::parse(text).unwrap();
        assert_eq!(reg.grant_types, ["authorization_code", "refresh_token"]);
        assert_eq!(reg.to_json(), text);
    }

    #[test]
    fn reuse_rules() {
        let now = parse_timestamp("2026-11-22T00:00:00Z").unwrap();
        let reg = Registration::parse(
            r#"{"clientId": "c", "clientSecret": "s", "expiresAt": "2026-11-22T00:20:00Z", "scopes": ["sso:account:access"]}"#,
        )
        .unwrap();
        assert!(reg.reusable(now));
        assert!(!reg.reusable(now + Duration::from_secs(6 * 60)));
        let pkce = Registration {
            grant_types: vec!["authorization_code".into(), "refresh_token".into()],
            ..reg.clone()
        };
        assert!(!pkce.reusable(now));
        assert!(pkce.reusable_for_auth_code(now));
        assert!(!reg.reusable_for_auth_code(now));
        assert!(!pkce.reusable_for_auth_code(now + Duration::from_secs(6 * 60)));
        assert_eq!(Registration::parse(&reg.to_json()), Some(reg));
        assert_eq!(Registration::parse(&pkce.to_json()), Some(pkce.clone()));
        assert!(!format!("{pkce:?}").contains("\"s\""));
    }
}
