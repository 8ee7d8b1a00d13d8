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

/// Keys most files repeat on every profile.
pub const COMMON_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
    "sso_start_url",
    "sso_region",
    "sso_registration_scopes",
    "credential_process",
    "web_identity_token_file",
    "services",
    "endpoint_url",
];

/// A lowercased property key. Compares, orders and hashes as its `str`.
#[derive(Clone)]
pub struct Key(Repr);

#[derive(Clone)]
enum Repr {
    Common(&'static str),
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

    /// The key as a `str`.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Common(key) => key,
            Repr::Other(key) => key,
        }
    }
}

/// `raw` as one of [`COMMON_KEYS`]: a `match`, which the compiler turns into a
/// switch on the length and one comparison (a linear search through the list
/// cost a tenth of the parse).
fn common_key(raw: &str) -> Option<&'static str> {
    let i = match raw {
        "aws_access_key_id" => 0,
        "aws_secret_access_key" => 1,
        "aws_session_token" => 2,
        "region" => 3,
        "output" => 4,
        "role_arn" => 5,
        "source_profile" => 6,
        "credential_source" => 7,
        "role_session_name" => 8,
        "external_id" => 9,
        "mfa_serial" => 10,
        "duration_seconds" => 11,
        "sso_session" => 12,
        "sso_account_id" => 13,
        "sso_role_name" => 14,
        "sso_start_url" => 15,
        "sso_region" => 16,
        "sso_registration_scopes" => 17,
        "credential_process" => 18,
        "web_identity_token_file" => 19,
        "services" => 20,
        "endpoint_url" => 21,
        _ => return None,
    };
    Some(COMMON_KEYS[i])
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

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::from(s.as_str())
    }
}

impl From<Arc<str>> for Key {
    fn from(s: Arc<str>) -> Key {
        match common_key(&s) {
            Some(common) => Key(Repr::Common(common)),
            None => Key(Repr::Other(s)),
        }
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        match (&self.0, &other.0) {
            // Common keys are distinct `&'static str`s: the same one or not.
            (Repr::Common(a), Repr::Common(b)) => std::ptr::eq(*a, *b),
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
        self.as_str().cmp(other.as_str())
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
        for key in COMMON_KEYS {
            assert_eq!(common_key(key), Some(*key));
            assert!(matches!(Key::new(key).0, Repr::Common(k) if k == *key));
        }
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
        assert_ne!(Key::new("output"), Key::new("region"));
        assert_eq!(Key::from("services"), Key::new("services"));
        assert_eq!(format!("{other:?} {other}"), "\"my_key\" my_key");
    }
}
