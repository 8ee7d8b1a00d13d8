//! The operating system's keychain through the `keyring` crate, with its
//! errors turned into messages that say what to do.

use zeroize::Zeroizing;

use super::{KeychainError, SERVICE, Store, account};

/// The backend compiled in for this platform.
#[cfg(target_os = "macos")]
pub const BACKEND: &str = "macOS Keychain";
/// The backend compiled in for this platform.
#[cfg(target_os = "windows")]
pub const BACKEND: &str = "Windows Credential Manager";
/// The backend compiled in for this platform.
#[cfg(target_os = "linux")]
pub const BACKEND: &str = "kernel keyutils keyring";
/// The backend compiled in for this platform.
#[cfg(not(any(target_os = "macos", target_os = "windows", target_os = "linux")))]
pub const BACKEND: &str = "system keychain";

/// What to do when the backend cannot be used.
#[cfg(target_os = "linux")]
pub const FIX: &str = "the kernel keyutils keyring needs a session keyring: run rolecall in a login session, or under `keyctl session - rolecall ...` (Debian package keyutils); in a container whose seccomp profile blocks the keyring (Docker's default), keep the keys in the credentials file";
/// Where else to look when an entry is missing.
#[cfg(target_os = "linux")]
pub const MISSING_HINT: &str = " (keyutils keeps keys in memory only, until reboot, and finds them only from a session keyring: `keyctl session - rolecall ...` if you are not in a login session)";
/// Where else to look when an entry is missing.
#[cfg(not(target_os = "linux"))]
pub const MISSING_HINT: &str = "";

/// What to do when the backend cannot be used.
#[cfg(not(target_os = "linux"))]
pub const FIX: &str = "unlock the keychain (or allow rolecall to use it) and try again";

/// The operating system's keychain.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemStore;

fn entry(profile: &str) -> Result<keyring::Entry, KeychainError> {
    // Elsewhere the keyring crate would fall back to its in-memory mock.
    if cfg!(not(any(
        target_os = "macos",
        target_os = "windows",
        target_os = "linux"
    ))) {
        return Err(KeychainError::Unavailable {
            backend: BACKEND,
            detail: "rolecall has no keychain backend for this operating system".into(),
            fix: FIX,
        });
    }
    keyring::Entry::new(SERVICE, &account(profile)).map_err(|e| unavailable(&e))
}

fn unavailable(e: &keyring::Error) -> KeychainError {
    KeychainError::Unavailable {
        backend: BACKEND,
        detail: e.to_string(),
        fix: FIX,
    }
}

impl Store for SystemStore {
    fn backend(&self) -> &'static str {
        BACKEND
    }

    fn read(&self, profile: &str) -> Result<Option<Zeroizing<String>>, KeychainError> {
        match entry(profile)?.get_password() {
            Ok(text) => Ok(Some(Zeroizing::new(text))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(keyring::Error::BadEncoding(bytes)) => {
                drop(Zeroizing::new(bytes));
                Err(KeychainError::Corrupt {
                    profile: profile.to_string(),
                    backend: BACKEND,
                    detail: "is not UTF-8".into(),
                })
            }
            Err(e) => Err(unavailable(&e)),
        }
    }

    fn write(&self, profile: &str, text: &str) -> Result<(), KeychainError> {
        entry(profile)?
            .set_password(text)
            .map_err(|e| unavailable(&e))
    }

    fn remove(&self, profile: &str) -> Result<bool, KeychainError> {
        match entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(&e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_errors_say_what_to_do() {
        keyring::set_default_credential_builder(keyring::mock::default_credential_builder());
        let e = keyring::Entry::new(SERVICE, &account("x")).unwrap();
        let mock: &keyring::mock::MockCredential = e.get_credential().downcast_ref().unwrap();
        mock.set_error(keyring::Error::NoStorageAccess("locked".into()));
        let err = e.get_password().map_err(|e| unavailable(&e)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(BACKEND) && text.contains("locked") && text.contains(FIX),
            "{text}"
        );
    }
}
