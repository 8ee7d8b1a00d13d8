//! Long-term AWS keys kept in the operating system's keychain instead of
//! `~/.aws/credentials`: macOS Keychain, Windows Credential Manager, or the
//! Linux kernel's keyutils keyring, through the `keyring` crate.
//!
//! One entry per profile (service `rolecall`, account `aws-profile:NAME`)
//! holds the key id and secret as a small JSON object. [`Store`] is the
//! interface the commands use, so they can be tested against [`MemoryStore`];
//! [`SystemStore`] is the real one. Every write is read back and compared
//! before callers remove anything else ([`Store::set_verified`]): some backends
//! accept a write they cannot read back (keyutils without a session keyring).
//! [`line`](mod@line) writes and recognises rolecall's own `credential_process` line.
//! Secrets stay in [`Credentials`] and zeroized strings; errors never hold them.

pub mod line;
pub mod migrate;
mod system;

use std::collections::BTreeMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use crate::credential::secret::Credentials;

pub use system::SystemStore;

/// The keychain service name of every entry rolecall writes.
pub const SERVICE: &str = "rolecall";

/// The account name of a profile's entry.
pub fn account(profile: &str) -> String {
    format!("aws-profile:{profile}")
}

/// Why the keychain did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// No entry for the profile.
    #[error(
        "the {backend} holds no keys for profile '{profile}': store them with `rolecall keys add {profile}`{}",
        system::MISSING_HINT
    )]
    Missing {
        /// The profile.
        profile: String,
        /// The backend's name.
        backend: &'static str,
    },
    /// The backend cannot be used here.
    #[error("the {backend} cannot be used: {detail}; {fix}")]
    Unavailable {
        /// The backend's name.
        backend: &'static str,
        /// What it said.
        detail: String,
        /// What to do.
        fix: &'static str,
    },
    /// The entry is not what rolecall wrote, or a write did not read back.
    #[error(
        "the {backend} entry for profile '{profile}' {detail}: store the keys again with `rolecall keys add {profile}`"
    )]
    Corrupt {
        /// The profile.
        profile: String,
        /// The backend's name.
        backend: &'static str,
        /// What is wrong (never the secret).
        detail: String,
    },
}

/// A keychain holding one set of long-term keys per profile.
pub trait Store {
    /// The backend's name for messages, e.g. `macOS Keychain`.
    fn backend(&self) -> &'static str;
    /// The stored entry's text, `None` when there is none.
    fn read(&self, profile: &str) -> Result<Option<Zeroizing<String>>, KeychainError>;
    /// Stores the entry's text, replacing any.
    fn write(&self, profile: &str, text: &str) -> Result<(), KeychainError>;
    /// Removes the entry; `false` when there was none.
    fn remove(&self, profile: &str) -> Result<bool, KeychainError>;

    /// The profile's keys.
    fn get(&self, profile: &str) -> Result<Credentials, KeychainError> {
        let text = self.read(profile)?.ok_or_else(|| KeychainError::Missing {
            profile: profile.to_string(),
            backend: self.backend(),
        })?;
        decode(&text).ok_or_else(|| KeychainError::Corrupt {
            profile: profile.to_string(),
            backend: self.backend(),
            detail: "is not a key id and secret written by rolecall".into(),
        })
    }

    /// Stores the profile's keys and reads them back: an error unless the
    /// keychain now returns exactly these keys.
    fn set_verified(&self, profile: &str, keys: &Credentials) -> Result<(), KeychainError> {
        self.write(profile, &encode(keys))?;
        let back = self.get(profile).map_err(|e| match e {
            KeychainError::Missing { .. } => KeychainError::Unavailable {
                backend: self.backend(),
                detail: format!(
                    "it accepted the keys of profile '{profile}' but cannot read them back"
                ),
                fix: system::FIX,
            },
            other => other,
        })?;
        if back != *keys {
            return Err(KeychainError::Corrupt {
                profile: profile.to_string(),
                backend: self.backend(),
                detail: "reads back different keys than were written".into(),
            });
        }
        Ok(())
    }
}

#[derive(serde::Serialize)]
struct EntryOut<'a> {
    #[serde(rename = "AccessKeyId")]
    access_key_id: &'a str,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: &'a str,
}

#[derive(serde::Deserialize)]
struct EntryIn {
    #[serde(rename = "AccessKeyId")]
    access_key_id: String,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: String,
}

/// An entry's text for `keys` (long-term: key id and secret only).
pub fn encode(keys: &Credentials) -> Zeroizing<String> {
    let entry = EntryOut {
        access_key_id: &keys.access_key_id,
        secret_access_key: keys.secret_access_key(),
    };
    Zeroizing::new(serde_json::to_string(&entry).unwrap_or_default())
}

/// Keys from an entry's text.
pub fn decode(text: &str) -> Option<Credentials> {
    let e: EntryIn = serde_json::from_str(text).ok()?;
    let secret = Zeroizing::new(e.secret_access_key);
    if e.access_key_id.is_empty() || secret.is_empty() {
        return None;
    }
    Some(Credentials::new(&e.access_key_id, &secret, None, None))
}

/// A keychain in memory, for tests: entries by profile, and an optional
/// failure for the next write.
#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<BTreeMap<String, Zeroizing<String>>>,
    fail_writes: Mutex<bool>,
    /// Accept writes without keeping them (like keyutils without a session).
    pub forgetful: bool,
}

impl MemoryStore {
    /// Makes every later write fail.
    pub fn fail_writes(&self) {
        *self.fail_writes.lock().unwrap() = true;
    }
}

impl Store for MemoryStore {
    fn backend(&self) -> &'static str {
        "test keychain"
    }
    fn read(&self, profile: &str) -> Result<Option<Zeroizing<String>>, KeychainError> {
        Ok(self.entries.lock().unwrap().get(profile).cloned())
    }
    fn write(&self, profile: &str, text: &str) -> Result<(), KeychainError> {
        if *self.fail_writes.lock().unwrap() {
            return Err(KeychainError::Unavailable {
                backend: self.backend(),
                detail: "it is locked".into(),
                fix: "unlock it",
            });
        }
        if !self.forgetful {
            let mut entries = self.entries.lock().unwrap();
            entries.insert(profile.to_string(), Zeroizing::new(text.to_string()));
        }
        Ok(())
    }
    fn remove(&self, profile: &str) -> Result<bool, KeychainError> {
        Ok(self.entries.lock().unwrap().remove(profile).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_writes_are_verified() {
        let keys = Credentials::new("AKIAEXAMPLE", "s3cret/key", None, None);
        let store = MemoryStore::default();
        store.set_verified("dev", &keys).unwrap();
        assert_eq!(store.get("dev").unwrap(), keys);
        assert!(matches!(
            store.get("prod"),
            Err(KeychainError::Missing { .. })
        ));
        assert!(store.remove("dev").unwrap());
        assert!(!store.remove("dev").unwrap());
        let forgetful = MemoryStore {
            forgetful: true,
            ..MemoryStore::default()
        };
        let err = forgetful
            .set_verified("dev", &keys)
            .unwrap_err()
            .to_string();
        assert!(err.contains("cannot read them back"), "{err}");
        store.write("bad", "{}").unwrap();
        let err = store.get("bad").unwrap_err().to_string();
        assert!(
            err.contains("rolecall keys add bad") && !err.contains("s3cret"),
            "{err}"
        );
        assert!(!format!("{:?}", decode(&encode(&keys)).unwrap()).contains("s3cret"));
    }
}
