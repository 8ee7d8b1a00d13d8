//! The keys a chain reads from one profile, found in one pass over it.
//!
//! Resolving a chain asks a profile for up to seventeen keys (is it a role,
//! web identity, SSO, a process, keys?). Asking the section for each one
//! scanned its properties seventeen times; at 10,000 profiles that was a
//! third of the chains' cost. One `match` per property instead.

use crate::ini::SharedStr;
use crate::profile::Section;

/// The values of the keys [`super`] reads, each `None` when the profile does
/// not set it.
#[derive(Default)]
pub(super) struct Keys<'a> {
    pub role_arn: Option<&'a SharedStr>,
    pub source_profile: Option<&'a SharedStr>,
    pub credential_source: Option<&'a SharedStr>,
    pub external_id: Option<&'a SharedStr>,
    pub role_session_name: Option<&'a SharedStr>,
    pub web_identity_token_file: Option<&'a SharedStr>,
    pub sso_account_id: Option<&'a SharedStr>,
    pub sso_role_name: Option<&'a SharedStr>,
    pub sso_region: Option<&'a SharedStr>,
    pub sso_start_url: Option<&'a SharedStr>,
    pub sso_session: Option<&'a SharedStr>,
    pub login_session: Option<&'a SharedStr>,
    pub credential_process: Option<&'a SharedStr>,
    pub aws_access_key_id: Option<&'a SharedStr>,
    pub aws_secret_access_key: Option<&'a SharedStr>,
    pub aws_session_token: Option<&'a SharedStr>,
    pub aws_account_id: Option<&'a SharedStr>,
}

impl<'a> Keys<'a> {
    /// The keys of `profile` (its effective values: keys are unique there).
    pub fn of(profile: &'a Section) -> Keys<'a> {
        let mut keys = Keys::default();
        for (key, value) in &profile.properties {
            let slot = match &**key {
                "role_arn" => &mut keys.role_arn,
                "source_profile" => &mut keys.source_profile,
                "credential_source" => &mut keys.credential_source,
                "external_id" => &mut keys.external_id,
                "role_session_name" => &mut keys.role_session_name,
                "web_identity_token_file" => &mut keys.web_identity_token_file,
                "sso_account_id" => &mut keys.sso_account_id,
                "sso_role_name" => &mut keys.sso_role_name,
                "sso_region" => &mut keys.sso_region,
                "sso_start_url" => &mut keys.sso_start_url,
                "sso_session" => &mut keys.sso_session,
                "login_session" => &mut keys.login_session,
                "credential_process" => &mut keys.credential_process,
                "aws_access_key_id" => &mut keys.aws_access_key_id,
                "aws_secret_access_key" => &mut keys.aws_secret_access_key,
                "aws_session_token" => &mut keys.aws_session_token,
                "aws_account_id" => &mut keys.aws_account_id,
                _ => continue,
            };
            *slot = Some(&value.value);
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::normalize::normalize;

    #[test]
    fn reads_each_key_as_the_section_does() {
        let doc = Document::parse(
            "[profile a]\nrole_arn = r\nsource_profile = b\nregion = x\nsso_session = s\nAWS_Session_Token = t\n",
        );
        let set = normalize(Some(&doc), None);
        let section = &set.profiles["a"];
        let keys = Keys::of(section);
        assert_eq!(keys.role_arn.map(|v| v.as_str()), section.get("role_arn"));
        assert_eq!(keys.source_profile.map(|v| v.as_str()), Some("b"));
        assert_eq!(keys.sso_session.map(|v| v.as_str()), Some("s"));
        assert_eq!(keys.aws_session_token.map(|v| v.as_str()), Some("t"));
        assert!(keys.credential_source.is_none() && keys.aws_access_key_id.is_none());
    }
}
