//! The console-credentials cache the AWS CLI (`aws login`), botocore and the
//! SDKs share: `~/.aws/login/cache/` (or `$AWS_LOGIN_CACHE_DIRECTORY`), one
//! file per `login_session` named by the lowercase hex SHA-256 of the session
//! ARN plus `.json`, holding
//! `{"accessToken": {"accessKeyId", "secretAccessKey", "sessionToken",
//! "accountId", "expiresAt"}, "tokenType", "clientId", "refreshToken",
//! "idToken", "dpopKey"}`.
//!
//! [`LoginToken::to_json`] writes the bytes the AWS CLI writes (botocore's
//! `JSONFileCache`: `json.dumps` with its default separators, keys in the
//! order `aws login` builds them, no final newline, mode 0600);
//! [`LoginToken::parse`] reads that and the compact layout aws-config writes
//! after a refresh. Secrets stay in [`Secret`]s.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::credential::cache::python_json_string;
use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::credential::secret::Secret;

/// The cache directory: `$AWS_LOGIN_CACHE_DIRECTORY` (with `~` expanded, as
/// botocore does), else `~/.aws/login/cache`.
pub fn dir(get: &dyn Fn(&str) -> Option<String>, home: &Path) -> PathBuf {
    match get("AWS_LOGIN_CACHE_DIRECTORY").filter(|d| !d.is_empty()) {
        Some(d) if d == "~" => home.to_path_buf(),
        Some(d) => match d.strip_prefix("~/") {
            Some(rest) => home.join(rest),
            None => PathBuf::from(d),
        },
        None => home.join(".aws").join("login").join("cache"),
    }
}

/// The file name for a `login_session`.
pub fn file_name(session: &str) -> String {
    let digest = Sha256::digest(session.trim().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{hex}.json")
}

/// One login's cached credentials and refresh state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginToken {
    /// `accessToken.accessKeyId`.
    pub access_key_id: String,
    /// `accessToken.secretAccessKey`.
    pub secret_access_key: Secret,
    /// `accessToken.sessionToken`.
    pub session_token: Secret,
    /// `accessToken.accountId`.
    pub account_id: String,
    /// `accessToken.expiresAt`: when the credentials end.
    pub expires_at: SystemTime,
    /// `tokenType` (`aws_sigv4`).
    pub token_type: Option<String>,
    /// `clientId` (`arn:aws:signin:::devtools/same-device`).
    pub client_id: String,
    /// `refreshToken`.
    pub refresh_token: Secret,
    /// `idToken` (a JWT whose `sub` is the session ARN).
    pub id_token: Option<Secret>,
    /// `dpopKey`: the SEC1 PEM of the DPoP key.
    pub dpop_key: Secret,
}

impl LoginToken {
    /// Reads a cache file's text (`None`: not one, or a field is missing).
    pub fn parse(text: &str) -> Option<LoginToken> {
        let v: Value = serde_json::from_str(text).ok()?;
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let access = v.get("accessToken")?;
        Some(LoginToken {
            access_key_id: s(access, "accessKeyId")?,
            secret_access_key: Secret::new(&s(access, "secretAccessKey")?),
            session_token: Secret::new(&s(access, "sessionToken")?),
            account_id: s(access, "accountId").unwrap_or_default(),
            expires_at: parse_timestamp(&s(access, "expiresAt")?)?,
            token_type: s(&v, "tokenType"),
            client_id: s(&v, "clientId")?,
            refresh_token: Secret::new(&s(&v, "refreshToken")?),
            id_token: s(&v, "idToken").map(|t| Secret::new(&t)),
            dpop_key: Secret::new(&s(&v, "dpopKey")?),
        })
    }

    /// The file's bytes, as the AWS CLI's `aws login` writes them.
    pub fn to_json(&self) -> String {
        let q = |s: &str| python_json_string(s);
        let mut out = format!(
            "{{\"accessToken\": {{\"accessKeyId\": {}, \"secretAccessKey\": {}, \"sessionToken\": {}, \"accountId\": {}, \"expiresAt\": {}}}",
            q(&self.access_key_id),
            q(self.secret_access_key.expose()),
            q(self.session_token.expose()),
            q(&self.account_id),
            q(&format_rfc3339(self.expires_at)),
        );
        if let Some(t) = &self.token_type {
            out.push_str(&format!(", \"tokenType\": {}", q(t)));
        }
        out.push_str(&format!(
            ", \"clientId\": {}, \"refreshToken\": {}",
            q(&self.client_id),
            q(self.refresh_token.expose())
        ));
        if let Some(t) = &self.id_token {
            out.push_str(&format!(", \"idToken\": {}", q(t.expose())));
        }
        out.push_str(&format!(", \"dpopKey\": {}}}", q(self.dpop_key.expose())));
        out
    }
}

/// When the credentials in a cache file's text end (for the countdowns).
pub fn expiry(text: &str) -> Option<SystemTime> {
    let v: Value = serde_json::from_str(text).ok()?;
    parse_timestamp(v.get("accessToken")?.get("expiresAt")?.as_str()?)
}

/// The cached token of `session` in `dir`, if any and readable.
pub fn load(dir: &Path, session: &str) -> Option<LoginToken> {
    LoginToken::parse(&std::fs::read_to_string(dir.join(file_name(session))).ok()?)
}

/// Saves a token (atomic, 0600).
pub fn save(dir: &Path, session: &str, token: &LoginToken) -> std::io::Result<()> {
    crate::sso::token::write_private(&dir.join(file_name(session)), token.to_json().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `aws login` writes (botocore's JSONFileCache, values replaced),
    /// transcribed from awscli/customizations/login/utils.py.
    pub const CLI_FILE: &str = r#"{"accessToken": {"accessKeyId": "ASIAEXAMPLE", "secretAccessKey": "wJalr", "sessionToken": "AQoEX", "accountId": "012345678901", "expiresAt": "2025-09-14T04:05:45Z"}, "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "ASORxyz", "idToken": "eyJ.eyJ.sig", "dpopKey": "-----BEGIN EC PRIVATE KEY-----\nMHcC\n-----END EC PRIVATE KEY-----\n"}"#;

    #[test]
    fn round_trips_the_clis_bytes() {
        let t = LoginToken::parse(CLI_FILE).unwrap();
        assert_eq!(t.account_id, "012345678901");
        assert_eq!(t.refresh_token.expose(), "ASORxyz");
        assert_eq!(t.to_json(), CLI_FILE);
        assert_eq!(expiry(CLI_FILE), Some(t.expires_at));
        let debug = format!("{t:?}");
        assert!(!debug.contains("wJalr") && !debug.contains("ASORxyz") && !debug.contains("MHcC"));
    }

    #[test]
    fn reads_aws_configs_compact_layout() {
        let compact = r#"{"accessToken":{"accessKeyId":"A","secretAccessKey":"S","sessionToken":"T","accountId":"1","expiresAt":"2025-09-14T04:05:45Z"},"tokenType":"aws_sigv4","refreshToken":"R","idToken":"I","clientId":"C","dpopKey":"K"}"#;
        let t = LoginToken::parse(compact).unwrap();
        assert_eq!(t.client_id, "C");
        assert_eq!(LoginToken::parse(&t.to_json()), Some(t));
        assert_eq!(LoginToken::parse(r#"{"accessToken": {}}"#), None);
    }

    #[test]
    fn names_and_places() {
        // hashlib.sha256("arn:aws:iam::0123456789012:user/Admin".encode()).hexdigest()
        assert_eq!(
            file_name("arn:aws:iam::0123456789012:user/Admin"),
            "36db1d138ff460920374e4c3d8e01f53f9f73537e89c88d639f68393df0e2726.json"
        );
        let home = Path::new("/h");
        assert_eq!(dir(&|_| None, home), Path::new("/h/.aws/login/cache"));
        assert_eq!(dir(&|_| Some("~/x".into()), home), Path::new("/h/x"));
        assert_eq!(dir(&|_| Some("/c".into()), home), Path::new("/c"));
    }
}
