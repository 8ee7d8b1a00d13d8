//! Moving plaintext long-term keys from the files into the keychain, as steps
//! a command runs in order: [`candidates`] finds the profiles whose keys can
//! move; [`store_all`] writes and verifies each in the keychain, undoing its
//! own writes if one fails (the files are then untouched); [`rewrite`] edits
//! the documents: every definition of `aws_access_key_id` and
//! `aws_secret_access_key` in the profile's sections goes (duplicates
//! included), and `credential_process` points at rolecall. Saving, and
//! scrubbing the backup the save leaves, is the caller's part.

use crate::credential::secret::Credentials;
use crate::profile::edit::{self, Files, ProfileEditError, Target};
use crate::profile::{FileKind, ProfileSet};

use super::line::process_line;
use super::{KeychainError, Store};

/// A profile whose keys can move.
#[derive(Debug)]
pub struct Candidate {
    /// The profile.
    pub profile: String,
    /// Its keys.
    pub keys: Credentials,
    /// The files holding them.
    pub files: Vec<FileKind>,
}

/// Why a profile named for migration cannot move.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("profile '{profile}' {reason}")]
pub struct NotMovable {
    /// The profile.
    pub profile: String,
    /// Why, with what to do.
    pub reason: String,
}

/// The profiles in `only` (all with plaintext keys when empty) whose
/// long-term keys can move.
pub fn candidates(set: &ProfileSet, only: &[String]) -> Result<Vec<Candidate>, NotMovable> {
    let names: Vec<String> = if only.is_empty() {
        set.profiles
            .iter()
            .filter(|(_, p)| p.get("aws_access_key_id").is_some())
            .map(|(n, _)| n.to_string())
            .collect()
    } else {
        only.to_vec()
    };
    let mut out = Vec::new();
    for name in names {
        let fail = |reason: &str| NotMovable {
            profile: name.clone(),
            reason: reason.to_string(),
        };
        let p = set
            .profile(&name)
            .ok_or_else(|| fail("does not exist: see `rolecall list`"))?;
        let (Some(id), Some(secret)) = (p.get("aws_access_key_id"), p.get("aws_secret_access_key"))
        else {
            if only.is_empty() {
                continue;
            }
            return Err(fail(
                "holds no aws_access_key_id and aws_secret_access_key to move",
            ));
        };
        if p.get("aws_session_token").is_some() || p.get("aws_security_token").is_some() {
            if only.is_empty() {
                continue;
            }
            return Err(fail(
                "holds temporary keys (a session token): they expire, so there is nothing worth keeping; delete them instead",
            ));
        }
        if p.get("credential_process").is_some() {
            return Err(fail(
                "already has a credential_process, which would conflict: remove it first (`rolecall unset PROFILE credential_process`)",
            ));
        }
        let mut files: Vec<FileKind> = ["aws_access_key_id", "aws_secret_access_key"]
            .iter()
            .filter_map(|k| p.properties.get(k).map(|v| v.origin.file))
            .collect();
        files.dedup();
        out.push(Candidate {
            profile: name.clone(),
            keys: Credentials::new(id, secret, None, None),
            files,
        });
    }
    Ok(out)
}

/// Stores every candidate's keys, verified; on a failure removes the entries
/// this call wrote and returns the error.
pub fn store_all(store: &dyn Store, moving: &[Candidate]) -> Result<(), KeychainError> {
    for (i, c) in moving.iter().enumerate() {
        if let Err(e) = store.set_verified(&c.profile, &c.keys) {
            for done in &moving[..=i] {
                let _ = store.remove(&done.profile);
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Removes the profile's plaintext keys from both documents and points its
/// `credential_process` at rolecall.
pub fn rewrite(files: &mut Files, profile: &str) -> Result<(), ProfileEditError> {
    let target = Target::Profile(profile);
    for key in ["aws_access_key_id", "aws_secret_access_key"] {
        edit::unset(files, target, key, None)?;
    }
    edit::set(
        files,
        target,
        "credential_process",
        &process_line(profile),
        Some(FileKind::Config),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::keychain::MemoryStore;

    const CREDS: &str = "# mine\n[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = devsecret\naws_secret_access_key = devsecret2\nregion = x\n\
                         [temp]\naws_access_key_id = ASIA\naws_secret_access_key = s\naws_session_token = t\n\
                         [ci]\naws_access_key_id = AKIACI\naws_secret_access_key = cisecret\n";

    fn files() -> Files {
        Files {
            config: Document::parse("[profile dev]\nregion = eu-west-1\n"),
            credentials: Document::parse(CREDS),
        }
    }

    #[test]
    fn finds_long_term_keys_and_rewrites_profiles_without_a_trace() {
        let mut f = files();
        let found = candidates(&f.profile_set(), &[]).unwrap();
        let names: Vec<&str> = found.iter().map(|c| c.profile.as_str()).collect();
        assert_eq!(names, ["ci", "dev"]);
        assert_eq!(found[1].keys.secret_access_key(), "devsecret2");
        let store = MemoryStore::default();
        store_all(&store, &found).unwrap();
        for c in &found {
            rewrite(&mut f, &c.profile).unwrap();
        }
        let creds = f.credentials.text();
        assert!(
            !creds.contains("AKIA") && !creds.contains("devsecret") && !creds.contains("cisecret"),
            "{creds}"
        );
        assert!(
            creds.starts_with("# mine\n[dev]\nregion = x\n[temp]\n"),
            "{creds}"
        );
        assert_eq!(
            f.config.text(),
            "[profile dev]\nregion = eu-west-1\ncredential_process = rolecall credential-process --profile dev\n\n[profile ci]\ncredential_process = rolecall credential-process --profile ci\n"
        );
        assert_eq!(store.get("dev").unwrap().secret_access_key(), "devsecret2");
        let set = f.profile_set();
        assert_eq!(
            crate::credential::source::keychain_profile(&set, "dev").as_deref(),
            Some("dev")
        );
    }

    #[test]
    fn a_failing_keychain_leaves_nothing_half_done() {
        let f = files();
        let found = candidates(&f.profile_set(), &[]).unwrap();
        let store = MemoryStore::default();
        store.set_verified("ci", &found[0].keys).unwrap();
        store.fail_writes();
        assert!(store_all(&store, &found).is_err());
        assert!(matches!(
            store.get("ci"),
            Err(KeychainError::Missing { .. })
        ));
        let forgetful = MemoryStore {
            forgetful: true,
            ..MemoryStore::default()
        };
        let err = store_all(&forgetful, &found).unwrap_err().to_string();
        assert!(err.contains("cannot read them back"), "{err}");
    }

    #[test]
    fn named_profiles_must_hold_movable_keys() {
        let set = files().profile_set();
        let err = candidates(&set, &["temp".into()]).unwrap_err();
        assert!(err.reason.contains("temporary"), "{err}");
        let err = candidates(&set, &["nope".into()]).unwrap_err();
        assert!(err.to_string().contains("rolecall list"));
        assert_eq!(candidates(&set, &["ci".into()]).unwrap().len(), 1);
    }
}
