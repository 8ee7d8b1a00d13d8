//! [`Key`]: a property's key, lowercased, without a reference count for the
//! keys every file repeats.
//!
//! Ten thousand profiles repeat `region`, `role_arn` or `aws_access_key_id`
//! tens of thousands of times. A key from [`COMMON_KEYS`] is a `&'static str`:
//! copying and dropping it touches no counter, so the two threads that parse
//! the two files never fight over one (a shared `Arc<str>` per key made the
//! second thread almost useless). Any other key owns its text.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Keys most files repeat on every profile, in byte order (so two of them
/// compare by their positions here).
pub const COMMON_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_account_id",
    "aws_secret_access_key",
    "aws_session_token",
    "credential_process",
    "credential_source",
    "duration_seconds",
    "endpoint_url",
    "external_id",
    "login_session",
    "mfa_serial",
    "output",
    "region",
    "role_arn",
    "role_session_name",
    "services",
    "source_profile",
    "sso_account_id",
    "sso_region",
    "sso_registration_scopes",
    "sso_role_name",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
];

/// The position of `key` in [`COMMON_KEYS`], at compile time (for `match`
/// patterns on [`Key::common`]); a key not in the list does not compile.
pub const fn common_index(key: &str) -> u8 {
    let mut i = 0;
    while i < COMMON_KEYS.len() {
        if eq_bytes(COMMON_KEYS[i].as_bytes(), key.as_bytes()) {
            return i as u8;
        }
        i += 1;
    }
    panic!("not one of COMMON_KEYS")
}

const fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A lowercased property key. Compares, orders and hashes as its `str`.
#[derive(Clone)]
pub struct Key(Repr);

#[derive(Clone)]
enum Repr {
    /// A position in [`COMMON_KEYS`].
    Common(u8),
    Other(Arc<str>),
}

impl Key {
    /// The key `raw` as the SDKs compare it: lowercased.
    pub fn new(raw: &str) -> Key {
        match common_key(raw) {
            Some(common) => Key(Repr::Common(common)),
            None if raw.bytes().any(|b| b.is_ascii_uppercase()) => {
                let lower = raw.to_ascii_lowercase();
                match common_key(&lower) {
                    Some(common) => Key(Repr::Common(common)),
                    None => Key(Repr::Other(lower.into())),
                }
            }
            None => Key(Repr::Other(raw.into())),
        }
    }

    /// The key's position in [`COMMON_KEYS`], if it is one (match it with
    /// [`common_index`] constants).
    pub fn common(&self) -> Option<u8> {
        match self.0 {
            Repr::Common(i) => Some(i),
            Repr::Other(_) => None,
        }
    }

    /// The position in [`COMMON_KEYS`] of a key given as a `str` (already
    /// lowercased), if it is one: to look a key up by position.
    pub fn position_of(key: &str) -> Option<u8> {
        common_key(key)
    }

    /// Whether this is one of [`COMMON_KEYS`] (all of them are valid keys).
    pub fn is_common(&self) -> bool {
        matches!(self.0, Repr::Common(_))
    }

    /// The key as a `str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Common(i) => COMMON_KEYS[usize::from(*i)],
            Repr::Other(key) => key,
        }
    }
}

/// `raw` as one of [`COMMON_KEYS`]: a `match`, which the compiler turns into a
/// switch on the length and one comparison (a linear search through the list
/// cost a tenth of the parse).
fn common_key(raw: &str) -> Option<u8> {
    let i = match raw {
        "aws_access_key_id" => 0,
        "aws_account_id" => 1,
        "aws_secret_access_key" => 2,
        "aws_session_token" => 3,
        "credential_process" => 4,
        "credential_source" => 5,
        "duration_seconds" => 6,
        "endpoint_url" => 7,
        "external_id" => 8,
        "login_session" => 9,
        "mfa_serial" => 10,
        "output" => 11,
        "region" => 12,
        "role_arn" => 13,
        "role_session_name" => 14,
        "services" => 15,
        "source_profile" => 16,
        "sso_account_id" => 17,
        "sso_region" => 18,
        "sso_registration_scopes" => 19,
        "sso_role_name" => 20,
        "sso_session" => 21,
        "sso_start_url" => 22,
        "web_identity_token_file" => 23,
        _ => return None,
    };
    Some(i)
}

impl Deref for Key {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

/// A key given as written (not lowercased: [`Key::new`] does that).
impl From<&str> for Key {
    fn from(s: &str) -> Key {
        match common_key(s) {
            Some(common) => Key(Repr::Common(common)),
            None => Key(Repr::Other(s.into())),
        }
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key::from(s.as_str())
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        match (&self.0, &other.0) {
            (Repr::Common(a), Repr::Common(b)) => a == b,
            _ => self.as_str() == other.as_str(),
        }
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        match (&self.0, &other.0) {
            // COMMON_KEYS is in byte order.
            (Repr::Common(a), Repr::Common(b)) => a.cmp(b),
            _ => self.as_str().cmp(other.as_str()),
        }
    }
}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_key_is_found_and_nothing_else() {
        assert!(COMMON_KEYS.windows(2).all(|w| w[0] < w[1]), "in byte order");
        for (i, key) in COMMON_KEYS.iter().enumerate() {
            assert_eq!(common_key(key), Some(i as u8));
            assert!(Key::new(key).is_common());
            assert_eq!(Key::new(key).as_str(), *key);
        }
        assert_eq!(
            COMMON_KEYS[usize::from(common_index("role_arn"))],
            "role_arn"
        );
        assert_eq!(
            Key::new("Role_Arn").common(),
            Some(common_index("role_arn"))
        );
        assert_eq!(common_key("regio"), None);
        assert_eq!(common_key("Region"), None);
    }

    #[test]
    fn lowercases_and_compares_as_str() {
        let upper = Key::new("Region");
        assert_eq!(upper, Key::new("region"));
        assert_eq!(upper.as_str(), "region");
        assert!(matches!(upper.0, Repr::Common(_)));
        let other = Key::new("My_Key");
        assert_eq!(other, "my_key");
        assert!(Key::new("a") < Key::new("region"));
        assert!(Key::new("output") < Key::new("region"));
        assert!(Key::new("region") < Key::new("role_arn"));
        assert!(Key::new("regiox") > Key::new("region"));
        assert_ne!(Key::new("output"), Key::new("region"));
        assert_eq!(Key::from("services"), Key::new("services"));
        assert_eq!(format!("{other:?} {other}"), "\"my_key\" my_key");
    }
}
