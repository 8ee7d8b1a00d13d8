//! Profiles as the AWS SDKs see them, worked out from the files alone.
//!
//! [`location`] finds the two files; [`normalize`] merges their sections into a
//! [`ProfileSet`] exactly as the SDKs' shared test vectors specify, keeping the
//! file and line every value came from; [`kind`] and [`chain`] say what each
//! profile is and which profiles its credentials come through; [`portability`]
//! flags what botocore (the AWS CLI, boto3) would read differently; [`edit`]
//! changes profiles through the lossless `ini` layer. Nothing here touches the
//! network or the terminal, and obtaining credentials is `credential`'s job.

pub mod chain;
pub mod diagnostic;
pub mod edit;
pub mod kind;
pub mod location;
pub mod model;
pub mod normalize;
pub mod portability;

pub use diagnostic::{Diagnostic, Severity};
pub use kind::Kind;
pub use model::{FileKind, Origin, ProfileSet, Section, Value};

/// Keys whose values are secrets: masked on screen and kept in the credentials file.
pub const SECRET_KEYS: &[&str] = &[
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Keys that belong in the credentials file when rolecall chooses the file.
pub const CREDENTIALS_FILE_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Whether a key's value is a secret.
pub fn is_secret(key: &str) -> bool {
    SECRET_KEYS.contains(&key)
}

/// A secret as it may be shown: its last four characters at most.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "****".to_string();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("****{tail}")
}

/// The merged view of both files with every finding: SDK errors, ignored
/// sections and keys, and portability warnings, sorted by file and line.
pub fn view(
    config: Option<&crate::ini::Document>,
    credentials: Option<&crate::ini::Document>,
) -> ProfileSet {
    let mut set = normalize::normalize(config, credentials);
    for (doc, file) in [
        (config, FileKind::Config),
        (credentials, FileKind::Credentials),
    ] {
        if let Some(doc) = doc {
            set.diagnostics.extend(portability::check(doc, file));
        }
    }
    set.diagnostics.sort_by_key(|d| (d.origin, d.severity));
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_shows_at_most_four_characters() {
        assert_eq!(mask("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "****EKEY");
        assert_eq!(mask("short"), "****");
        assert!(is_secret("aws_session_token"));
        assert!(!is_secret("aws_access_key_id"));
    }
}
