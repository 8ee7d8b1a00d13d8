//! The SSO token cache file the AWS CLI v2, botocore and every SDK share:
//! `~/.aws/sso/cache/<sha1 hex of the session name, or of the start URL>.json`.
//!
//! [`Token::to_json`] writes exactly the bytes the AWS CLI v2 writes (one line,
//! Python's `json.dumps` separators `", "` and `": "`, ASCII escapes, no final
//! newline, keys in the CLI's order); fields rolecall does not know are kept
//! after them. [`Token::parse`] reads what any of those tools wrote, keys
//! case-insensitively as aws-config does. Tokens are [`Secret`]s.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::credential::cache::{python_json_string, sso_token_file};
use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::credential::secret::Secret;

/// A cached SSO access token and the registration that can refresh it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// `startUrl`.
    pub start_url: String,
    /// `region`.
    pub region: String,
    /// `accessToken`.
    pub access_token: Secret,
    /// `expiresAt`.
    pub expires_at: SystemTime,
    /// `clientId` (sso-session tokens).
    pub client_id: Option<String>,
    /// `clientSecret`.
    pub client_secret: Option<Secret>,
    /// `registrationExpiresAt`, as written.
    pub registration_expires_at: Option<String>,
    /// `refreshToken`.
    pub refresh_token: Option<Secret>,
    /// Fields other tools wrote that rolecall keeps when it rewrites the file.
    pub extra: Map<String, Value>,
}

/// Why a token file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// Not JSON, or not an object.
    #[error("{path}: not a token file ({reason}); log in again to replace it")]
    Malformed {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

const KNOWN: [&str; 8] = [
    "startUrl",
    "region",
    "accessToken",
    "expiresAt",
    "clientId",
    "clientSecret",
    "registrationExpiresAt",
    "refreshToken",
];

impl Token {
    /// Whether the token is still valid `margin` from `now`.
    pub fn valid_for(&self, now: SystemTime, margin: Duration) -> bool {
        self.expires_at
            .duration_since(now)
            .is_ok_and(|left| left > margin)
    }

    /// Whether the token carries what a refresh needs, with its registration
    /// still valid at `now`.
    pub fn refreshable(&self, now: SystemTime) -> bool {
        self.refresh_token.is_some()
            && self.client_id.is_some()
            && self.client_secret.is_some()
            && self
                .registration_expires_at
                .as_deref()
                .and_then(parse_timestamp)
                .is_some_and(|t| t > now)
    }

    /// Reads a token file's text.
    pub fn parse(text: &str) -> Result<Token, String> {
        let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let Value::Object(map) = value else {
            return Err("not a JSON object".to_string());
        };
        let mut extra = Map::new();
        let mut known: [Option<String>; 8] = Default::default();
        for (k, v) in map {
            match KNOWN.iter().position(|n| n.eq_ignore_ascii_case(&k)) {
                Some(i) => match v {
                    Value::String(s) => known[i] = Some(s),
                    other => return Err(format!("{k} is {other}, not a string")),
                },
                None => {
                    extra.insert(k, v);
                }
            }
        }
        let [
            start_url,
            region,
            access,
            expires,
            client_id,
            secret,
            reg_expires,
            refresh,
        ] = known;
        let access = access.ok_or("no accessToken")?;
        let expires = expires.ok_or("no expiresAt")?;
        let expires_at =
            parse_timestamp(&expires).ok_or_else(|| format!("expiresAt '{expires}'"))?;
        Ok(Token {
            start_url: start_url.unwrap_or_default(),
            region: region.unwrap_or_default(),
            access_token: Secret::new(access),
            expires_at,
            client_id,
            client_secret: secret.map(Secret::new),
            registration_expires_at: reg_expires,
            refresh_token: refresh.map(Secret::new),
            extra,
        })
    }

    /// The file's bytes, as the AWS CLI v2 writes them.
    pub fn to_json(&self) -> String {
        let mut fields: Vec<(&str, String)> = vec![
            ("startUrl", python_json_string(&self.start_url)),
            ("region", python_json_string(&self.region)),
            (
                "accessToken",
                python_json_string(self.access_token.expose()),
            ),
            (
                "expiresAt",
                python_json_string(&format_rfc3339(self.expires_at)),
            ),
        ];
        if let Some(id) = &self.client_id {
            fields.push(("clientId", python_json_string(id)));
        }
        if let Some(s) = &self.client_secret {
            fields.push(("clientSecret", python_json_string(s.expose())));
        }
        if let Some(r) = &self.registration_expires_at {
            fields.push(("registrationExpiresAt", python_json_string(r)));
        }
        if let Some(r) = &self.refresh_token {
            fields.push(("refreshToken", python_json_string(r.expose())));
        }
        let mut out = String::from("{");
        let extras = self
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), python_json_value(v)));
        for (i, (k, v)) in fields.into_iter().chain(extras).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(&python_json_string(k));
            out.push_str(": ");
            out.push_str(&v);
        }
        out.push('}');
        out
    }
}

/// A JSON value as Python's `json.dumps` writes it (for fields other tools wrote).
fn python_json_value(v: &Value) -> String {
    match v {
        Value::String(s) => python_json_string(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(python_json_value).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", python_json_string(k), python_json_value(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        other => other.to_string(),
    }
}

/// The token file for a cache key (session name or legacy start URL).
pub fn path(dir: &Path, cache_key: &str) -> PathBuf {
    dir.join(sso_token_file(cache_key))
}

/// Reads the token for `cache_key`: `Ok(None)` when there is none.
pub fn load(dir: &Path, cache_key: &str) -> Result<Option<Token>, TokenError> {
    let path = path(dir, cache_key);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(TokenError::Malformed {
                path: path.display().to_string(),
                reason: e.to_string(),
            });
        }
    };
    Token::parse(&text)
        .map(Some)
        .map_err(|reason| TokenError::Malformed {
            path: path.display().to_string(),
            reason,
        })
}

/// Writes the token atomically, mode 0600, creating the directory (0700).
pub fn save(dir: &Path, cache_key: &str, token: &Token) -> std::io::Result<()> {
    write_private(&path(dir, cache_key), token.to_json().as_bytes())
}

/// Writes `bytes` to `path` atomically (temp file, fsync, rename) with mode 0600.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        crate::credential::saved::create_private_dir(dir)?;
    }
    crate::store::write_atomic(path, bytes, 0o600).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes AWS CLI v2 2.9 wrote after `aws sso login --sso-session my-sso`
    /// (values replaced, layout kept).
    const CLI_V2: &str = r#"{"startUrl": "https://d-123.awsapps.com/start", "region": "us-east-1", "accessToken": "aoaAAAAAGN", "expiresAt": "2026-11-22T09:37:16Z", "clientId": "Yo8u", "clientSecret": "eyJraWQ", "registrationExpiresAt": "2027-02-20T01:37:09Z", "refreshToken": "aorvJYubGp"}"#;

    #[test]
    fn round_trips_the_cli_bytes() {
        let t = Token::parse(CLI_V2).unwrap();
        assert_eq!(t.access_token.expose(), "aoaAAAAAGN");
        assert_eq!(t.client_id.as_deref(), Some("Yo8u"));
        assert_eq!(t.to_json(), CLI_V2);
    }

    #[test]
    fn legacy_tokens_and_unknown_fields() {
        let text = r#"{"startUrl": "u", "region": "r", "accessToken": "a", "expiresAt": "2026-11-22T09:37:16Z", "x": [1, {"y": null}]}"#;
        let t = Token::parse(text).unwrap();
        assert!(t.refresh_token.is_none());
        assert_eq!(t.to_json(), text);
        let now = parse_timestamp("2026-11-22T09:00:00Z").unwrap();
        assert!(t.valid_for(now, Duration::from_secs(60)));
        assert!(!t.valid_for(now, Duration::from_secs(3600)));
        assert!(!t.refreshable(now));
        assert!(Token::parse(CLI_V2).unwrap().refreshable(now));
    }

    #[test]
    fn reads_keys_case_insensitively_and_rejects_junk() {
        let t = Token::parse(r#"{"AccessToken":"a","ExpiresAt":"2026-11-22T09:37:16Z"}"#).unwrap();
        assert_eq!(t.access_token.expose(), "a");
        assert!(Token::parse("[]").is_err());
        assert!(Token::parse(r#"{"accessToken":"a"}"#).is_err());
        assert!(Token::parse(r#"{"accessToken":"a","expiresAt":"soon"}"#).is_err());
    }

    #[test]
    fn debug_hides_tokens() {
        let s = format!("{:?}", Token::parse(CLI_V2).unwrap());
        for secret in ["aoaAAAAAGN", "eyJraWQ", "aorvJYubGp"] {
            assert!(!s.contains(secret), "{s}");
        }
    }

    #[test]
    fn saves_privately_under_the_cli_name() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("sso/cache");
        save(&cache, "my-sso", &Token::parse(CLI_V2).unwrap()).unwrap();
        let p = cache.join("0ad374308c5a4e22f723adf10145eafad7c4031c.json");
        assert_eq!(std::fs::read_to_string(&p).unwrap(), CLI_V2);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(load(&cache, "my-sso").unwrap().is_some());
        assert!(load(&cache, "other").unwrap().is_none());
    }
}
