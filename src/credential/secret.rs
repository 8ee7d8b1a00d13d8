//! Credentials as a type that keeps its secrets: `Debug` redacts the secret key
//! and the session token, and the memory is wiped when dropped.

use std::fmt;
use std::time::SystemTime;

use zeroize::Zeroizing;

/// A set of AWS credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (not a secret on its own).
    pub access_key_id: String,
    secret_access_key: Zeroizing<String>,
    session_token: Option<Zeroizing<String>>,
    /// When they stop working; `None` for long-term keys.
    pub expires: Option<SystemTime>,
}

impl Credentials {
    /// Credentials from their parts.
    pub fn new(
        access_key_id: &str,
        secret: &str,
        session_token: Option<&str>,
        expires: Option<SystemTime>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.to_string(),
            secret_access_key: Zeroizing::new(secret.to_string()),
            session_token: session_token.map(|t| Zeroizing::new(t.to_string())),
            expires,
        }
    }

    /// The secret access key. Handle with care.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials. Handle with care.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref().map(String::as_str)
    }

    /// Whether these are temporary credentials.
    pub fn is_temporary(&self) -> bool {
        self.session_token.is_some() || self.expires.is_some()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires", &self.expires)
            .finish()
    }
}

/// A secret string (an SSO access or refresh token, a client secret): `Debug`
/// and `Display` never show it and its memory is wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(s.into()))
    }

    /// The secret itself. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_redacts() {
        let s = Secret::new("abc-token");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(s.expose(), "abc-token");
    }

    #[test]
    fn debug_redacts() {
        let c = Credentials::new("AKIA1", "hunter2", Some("tok3n"), None);
        let s = format!("{c:?}");
        assert!(s.contains("AKIA1") && !s.contains("hunter2") && !s.contains("tok3n"));
        assert!(c.is_temporary());
    }
}
