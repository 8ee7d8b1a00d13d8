//! What names a profile's entry in rolecall's own credential cache: one
//! function, called where credentials are cached ([`super::source`]), where
//! their expiry is shown ([`super::status`]: the TUI, `list --json`, the
//! prompt, doctor) and where they are removed (`logout`).
//!
//! The key is both files' paths, the profile, the shape of its chain as JSON
//! (so editing a role never serves the old role's credentials) and, for a
//! profile that asks for an MFA code, the device and duration. The file name is
//! the key's SHA-1. These bytes never change between versions: an upgrade
//! must find what an older rolecall cached (no new MFA prompt, no orphaned
//! secrets in `~/.cache`). Pure.

use std::path::Path;

use crate::profile::ProfileSet;
use crate::profile::chain::Chain;

use super::cache::sha1_hex;

/// The file names of a profile's two cache entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entries {
    /// The profile's credentials.
    pub credentials: String,
    /// The session STS GetSessionToken made from the profile's long-term keys
    /// (what the local endpoint serves for keys that do not expire).
    pub session: String,
}

impl Entries {
    /// The entry of the GetFederationToken session of `seconds` that
    /// `rolecall console` makes from the profile's long-term keys (named after
    /// the profile's own entry, so editing the profile never serves it).
    pub fn federation(&self, seconds: u32) -> String {
        format!(
            "{}.json",
            sha1_hex(&format!(
                "{}\nGetFederationToken {seconds}",
                self.credentials
            ))
        )
    }
}

/// The cache key of `profile` in the files at `config` and `credentials`,
/// whose chain resolved as `chain` (`None`: it does not resolve).
fn base_key(config: &Path, credentials: &Path, profile: &str, chain: Option<&Chain>) -> String {
    format!(
        "{}\n{}\n{profile}\n{}",
        config.display(),
        credentials.display(),
        chain
            .and_then(|c| serde_json::to_string(c).ok())
            .unwrap_or_default()
    )
}

/// The entries of `profile`. `mfa`: whether the profile's own MFA device is
/// part of it (false for the source profile of a role that asks for the code
/// itself, whose credentials are signed as they are).
pub fn entries(
    files: (&Path, &Path),
    set: &ProfileSet,
    profile: &str,
    chain: Option<&Chain>,
    mfa: bool,
) -> Entries {
    let mut key = base_key(files.0, files.1, profile, chain);
    if mfa && let Some(plan) = super::mfa::plan(set, profile) {
        key.push('\n');
        key.push_str(&plan.cache_key());
    }
    Entries {
        credentials: format!("{}.json", sha1_hex(&key)),
        session: format!("{}.json", sha1_hex(&format!("{key}\nGetSessionToken"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::chain;
    use crate::profile::normalize::normalize;

    #[test]
    fn keys_are_stable_across_versions() {
        let config = Document::parse(
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = keys\n\
             [profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = keys\nmfa_serial = arn:aws:iam::123456789012:mfa/me\n",
        );
        let creds = Document::parse("[keys]\naws_access_key_id = A\naws_secret_access_key = S\n");
        let set = normalize(Some(&config), Some(&creds));
        let files = (
            Path::new("/h/.aws/config"),
            Path::new("/h/.aws/credentials"),
        );
        let entry = |name: &str, mfa: bool| {
            entries(
                files,
                &set,
                name,
                chain::resolve(&set, name).ok().as_ref(),
                mfa,
            )
        };
        // What rolecall 0.1 wrote (the key format of commands::creds): changing
        // these names orphans every cached session and asks for MFA codes again.
        let role = entry("role", true);
        assert_eq!(
            role.credentials,
            format!(
                "{}.json",
                sha1_hex(&format!(
                    "/h/.aws/config\n/h/.aws/credentials\nrole\n{}",
                    serde_json::to_string(&chain::resolve(&set, "role").unwrap()).unwrap()
                ))
            )
        );
        assert_eq!(role, entry("role", false), "no device: MFA changes nothing");
        let with = entry("mfa", true);
        let without = entry("mfa", false);
        assert_ne!(with.credentials, without.credentials);
        assert_eq!(
            with.credentials,
            format!(
                "{}.json",
                sha1_hex(&format!(
                    "/h/.aws/config\n/h/.aws/credentials\nmfa\n{}\nMFA arn:aws:iam::123456789012:mfa/me None",
                    serde_json::to_string(&chain::resolve(&set, "mfa").unwrap()).unwrap()
                ))
            )
        );
        assert_ne!(with.credentials, with.session);
        // rolecall console's federation sessions, one per duration.
        assert_eq!(
            role.federation(3600),
            format!(
                "{}.json",
                sha1_hex(&format!("{}\nGetFederationToken 3600", role.credentials))
            )
        );
        assert_ne!(role.federation(3600), role.federation(7200));
    }
}
