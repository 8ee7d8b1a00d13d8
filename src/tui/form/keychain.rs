//! Where a form's long-term keys go: the credentials file (the default) or
//! the system keychain. The keychain path is the CLI's `rolecall keys
//! migrate`, step for step, through `keychain::migrate`: the form is applied
//! as usual, then [`migrate::candidates`] takes the profile's keys and
//! [`migrate::rewrite`] removes them from the documents and points
//! `credential_process` at rolecall ([`keychain::line`]). Pure: storing the
//! keys is an effect the event loop performs (`tui::save`).
//!
//! [`keychain::line`]: crate::keychain::line

use crate::credential::secret::Credentials;
use crate::keychain::migrate;
use crate::profile::FileKind;
use crate::profile::edit::{self, Files, Target};

use super::Form;

/// Where the form's secrets are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SecretsTo {
    /// The credentials file, as the SDKs read it.
    #[default]
    CredentialsFile,
    /// The system keychain; the profile gets rolecall's `credential_process`.
    Keychain,
}

impl SecretsTo {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            SecretsTo::CredentialsFile => "the credentials file",
            SecretsTo::Keychain => "the system keychain",
        }
    }
}

impl Form {
    fn value(&self, key: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.as_str())
    }

    /// Whether the form holds secrets the keychain can take: an access key id
    /// and secret (not being removed), without a session token (temporary
    /// keys expire).
    pub fn offers_keychain(&self) -> bool {
        self.fields.iter().any(|f| {
            f.key == "aws_secret_access_key" && (!f.value.is_empty() || f.original.is_empty())
        }) && self.value("aws_session_token").is_empty()
            && self.value("aws_security_token").is_empty()
    }

    /// Switches where the secrets go, when the form has long-term keys.
    pub fn toggle_secrets_to(&mut self) {
        if !self.offers_keychain() {
            self.secrets_to = SecretsTo::CredentialsFile;
            self.message = Some(
                "only long-term access keys (an access key id and secret, no session token) go to the keychain"
                    .to_string(),
            );
            return;
        }
        self.secrets_to = match self.secrets_to {
            SecretsTo::CredentialsFile => SecretsTo::Keychain,
            SecretsTo::Keychain => SecretsTo::CredentialsFile,
        };
        let mut message = format!("the keys go to {}", self.secrets_to.label());
        if self.secrets_to == SecretsTo::Keychain && cfg!(target_os = "linux") {
            // As `rolecall keys migrate` warns.
            message.push_str(
                " (on Linux the kernel keyring is memory only: keys are lost at reboot; keep a copy elsewhere)",
            );
        }
        self.message = Some(message);
    }
}

/// Moves `profile`'s keys out of `edited` (`before` with the form applied) as
/// `rolecall keys migrate` does; returns the keys for the keychain, or why
/// they cannot move. A profile the credentials file did not hold before
/// leaves no empty section there.
pub fn to_keychain(
    edited: &mut Files,
    before: &Files,
    profile: &str,
) -> Result<Credentials, String> {
    let set = edited.profile_set();
    let moving = migrate::candidates(&set, &[profile.to_string()]).map_err(|e| e.to_string())?;
    let keys = moving
        .into_iter()
        .next()
        .map(|c| c.keys)
        .ok_or_else(|| format!("profile '{profile}' has no keys to put in the keychain"))?;
    migrate::rewrite(edited, profile).map_err(|e| e.to_string())?;
    let target = Target::Profile(profile);
    let held = |files: &Files| {
        !edit::sections_of(&files.credentials, FileKind::Credentials, target, false).is_empty()
    };
    let uses_credentials = edited.profile_set().profile(profile).is_some_and(|p| {
        p.properties
            .iter()
            .any(|(_, v)| v.origin.file == FileKind::Credentials)
    });
    if !held(before) && !uses_credentials {
        edited.credentials = before.credentials.clone();
    }
    Ok(keys)
}
