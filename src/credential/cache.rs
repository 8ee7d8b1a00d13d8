//! The caches the AWS CLI, botocore and the SDKs share, read for their expiry.
//!
//! - SSO tokens: `~/.aws/sso/cache/<sha1 hex of the sso-session name, or of the
//!   start URL for legacy profiles>.json`, field `expiresAt`.
//! - Role credentials the AWS CLI v2 cached: `~/.aws/cli/cache/<sha1 of the
//!   AssumeRole arguments as Python's json.dumps(sort_keys=True) writes them>.json`,
//!   field `Credentials.Expiration`; SSO role credentials use a compact key of
//!   accountId, roleName and sessionName or startUrl.
//!
//! - rolecall's own cache of temporary credentials (`~/.cache/rolecall/credentials/`,
//!   named by [`super::key`]), in the AWS CLI's format.
//!
//! Only expiry times are kept: tokens and keys in those files are never held. A
//! file that cannot be read or parsed is a miss, never an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::expiry::parse_timestamp;

/// Where the caches are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheDirs {
    /// `~/.aws/sso/cache`.
    pub sso: PathBuf,
    /// `~/.aws/cli/cache`.
    pub cli: PathBuf,
    /// rolecall's own credential cache, if there is one.
    pub own: Option<PathBuf>,
}

impl CacheDirs {
    /// The AWS tools' caches under a home directory.
    pub fn under_home(home: &Path) -> CacheDirs {
        CacheDirs {
            sso: home.join(".aws").join("sso").join("cache"),
            cli: home.join(".aws").join("cli").join("cache"),
            own: None,
        }
    }
}

/// Lowercase hex SHA-1 of `s`.
pub fn sha1_hex(s: &str) -> String {
    use sha1::Digest;
    use std::fmt::Write;
    let digest = sha1::Sha1::digest(s.as_bytes());
    let mut hex = String::with_capacity(40);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// A JSON string as Python's `json.dumps` writes it (ASCII only, `\uXXXX` escapes).
pub fn python_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The SSO token cache file name for a session name or legacy start URL.
pub fn sso_token_file(key: &str) -> String {
    format!("{}.json", sha1_hex(key))
}

/// What the AWS CLI passes to AssumeRole, which names its cache file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AssumeRoleArgs<'a> {
    /// `role_arn`.
    pub role_arn: &'a str,
    /// `role_session_name`, if set.
    pub role_session_name: Option<&'a str>,
    /// `external_id`, if set.
    pub external_id: Option<&'a str>,
    /// `mfa_serial`, if set.
    pub serial_number: Option<&'a str>,
    /// `duration_seconds`, if set.
    pub duration_seconds: Option<u64>,
}

/// The AWS CLI's cache file name for an AssumeRole call.
pub fn assume_role_file(args: &AssumeRoleArgs) -> String {
    // json.dumps(sort_keys=True): keys in order, ", " and ": " separators.
    let mut parts = Vec::new();
    if let Some(d) = args.duration_seconds {
        parts.push(format!("\"DurationSeconds\": {d}"));
    }
    if let Some(e) = args.external_id {
        parts.push(format!("\"ExternalId\": {}", python_json_string(e)));
    }
    parts.push(format!(
        "\"RoleArn\": {}",
        python_json_string(args.role_arn)
    ));
    if let Some(n) = args.role_session_name {
        parts.push(format!("\"RoleSessionName\": {}", python_json_string(n)));
    }
    if let Some(s) = args.serial_number {
        parts.push(format!("\"SerialNumber\": {}", python_json_string(s)));
    }
    format!("{}.json", sha1_hex(&format!("{{{}}}", parts.join(", "))))
}

/// The AWS CLI's cache file name for SSO role credentials.
pub fn sso_role_file(account_id: &str, role_name: &str, session_or_url: (&str, &str)) -> String {
    let (field, value) = session_or_url;
    let mut parts = [
        ("accountId", account_id),
        ("roleName", role_name),
        (field, value),
    ];
    parts.sort_by_key(|p| p.0);
    let body: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{}:{}", python_json_string(k), python_json_string(v)))
        .collect();
    format!("{}.json", sha1_hex(&format!("{{{}}}", body.join(","))))
}

/// Expiry times found in the cache directories, by file name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Caches {
    /// SSO tokens: file name → `expiresAt`.
    pub sso_tokens: HashMap<String, SystemTime>,
    /// CLI credential cache: file name → `Credentials.Expiration`.
    pub cli: HashMap<String, SystemTime>,
    /// rolecall's own credential cache: file name → `Credentials.Expiration`.
    pub own: HashMap<String, SystemTime>,
    /// The config and credentials files rolecall's own entries were named
    /// for (see [`super::key`]); without them those entries are not looked at.
    pub files: Option<(PathBuf, PathBuf)>,
}

#[derive(serde::Deserialize)]
struct TokenFile {
    #[serde(rename = "expiresAt")]
    expires_at: String,
}

#[derive(serde::Deserialize)]
struct CliFile {
    #[serde(rename = "Credentials")]
    credentials: CliCredentials,
}

#[derive(serde::Deserialize)]
struct CliCredentials {
    #[serde(rename = "Expiration")]
    expiration: String,
}

/// The expiry in an SSO token file's text.
pub fn token_expiry(text: &str) -> Option<SystemTime> {
    let f: TokenFile = serde_json::from_str(text).ok()?;
    parse_timestamp(&f.expires_at)
}

/// The expiry in a CLI credential cache file's text.
pub fn cli_expiry(text: &str) -> Option<SystemTime> {
    let f: CliFile = serde_json::from_str(text).ok()?;
    parse_timestamp(&f.credentials.expiration)
}

fn scan(dir: &Path, parse: fn(&str) -> Option<SystemTime>) -> HashMap<String, SystemTime> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return HashMap::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            if !name.ends_with(".json") || !e.file_type().ok()?.is_file() {
                return None;
            }
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((name, parse(&text)?))
        })
        .collect()
}

impl Caches {
    /// Reads each cache directory once (missing or unreadable entries are
    /// skipped); rolecall's own entries count for profiles of the files
    /// `config` and `credentials`.
    pub fn read(dirs: &CacheDirs, config: &Path, credentials: &Path) -> Caches {
        Caches {
            sso_tokens: scan(&dirs.sso, token_expiry),
            cli: scan(&dirs.cli, cli_expiry),
            own: dirs
                .own
                .as_deref()
                .map(|d| scan(d, cli_expiry))
                .unwrap_or_default(),
            files: Some((config.to_path_buf(), credentials.to_path_buf())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_match_the_aws_cli() {
        assert_eq!(
            sso_token_file("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json"
        );
        let args = AssumeRoleArgs {
            role_arn: "arn:aws:iam::123456789012:role/test",
            ..Default::default()
        };
        assert_eq!(
            assume_role_file(&args),
            "9b413f63d088ca513edf4bf108e5aeb99bbc1763.json"
        );
        // Values computed with Python's json.dumps and hashlib.
        let all = AssumeRoleArgs {
            role_arn: "arn:aws:iam::1:role/x",
            role_session_name: Some("s"),
            external_id: Some("e"),
            serial_number: Some("arn:mfa"),
            duration_seconds: Some(3600),
        };
        assert_eq!(
            assume_role_file(&all),
            "7f8fad5e6757758b35aaf8388aa3fdf3a69c21ef.json"
        );
        assert_eq!(
            sso_role_file("123456789012", "Admin", ("sessionName", "my-sso")),
            "c30b99aca80d8f5b3178e353f05b2abcc9a4ccd3.json"
        );
    }

    #[test]
    fn python_json_escapes() {
        assert_eq!(python_json_string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(python_json_string("é😀"), r#""\u00e9\ud83d\ude00""#);
    }

    #[test]
    fn reads_expiry_and_ignores_junk() {
        assert!(
            token_expiry(
                r#"{"startUrl": "u", "accessToken": "secret", "expiresAt": "2026-11-22T09:37:16Z"}"#
            )
            .is_some()
        );
        assert!(cli_expiry(r#"{"Credentials": {"AccessKeyId": "A", "Expiration": "2026-11-22T09:37:16+00:00"}}"#).is_some());
        assert!(token_expiry("not json").is_none());
        assert!(token_expiry(r#"{"expiresAt": "soon"}"#).is_none());
        let dir = tempfile::tempdir().unwrap();
        let sso = dir.path().join(".aws/sso/cache");
        std::fs::create_dir_all(&sso).unwrap();
        std::fs::write(
            sso.join("good.json"),
            r#"{"expiresAt": "2026-11-22T09:37:16Z"}"#,
        )
        .unwrap();
        std::fs::write(sso.join("bad.json"), "{").unwrap();
        std::fs::write(sso.join("session.db"), "x").unwrap();
        let caches = Caches::read(
            &CacheDirs::under_home(dir.path()),
            Path::new("/c"),
            Path::new("/k"),
        );
        assert_eq!(caches.sso_tokens.len(), 1);
        assert!(caches.cli.is_empty());
    }
}
