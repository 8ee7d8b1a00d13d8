//! The keys that decide how a profile gets credentials, found in one pass.
//!
//! Resolving a chain (`chain`) or naming a profile's kind (`kind`) asks a
//! profile for up to seventeen keys (is it a role, web identity, SSO, a
//! process, keys?). Asking the section for each one scanned its properties
//! seventeen times; at 10,000 profiles that was a third of the chains' cost. One `match` per property instead, on the key's
//! position in `ini::key::COMMON_KEYS`.

use crate::ini::SharedStr;
use crate::ini::key::common_index;
use crate::profile::Section;

/// The values of the keys [`super`] reads, each `None` when the profile does
/// not set it.
#[derive(Default)]
pub(crate) struct Keys<'a> {
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
        const ROLE_ARN: u8 = common_index("role_arn");
        const SOURCE_PROFILE: u8 = common_index("source_profile");
        const CREDENTIAL_SOURCE: u8 = common_index("credential_source");
        const EXTERNAL_ID: u8 = common_index("external_id");
        const ROLE_SESSION_NAME: u8 = common_index("role_session_name");
        const WEB_IDENTITY_TOKEN_FILE: u8 = common_index("web_identity_token_file");
        const SSO_ACCOUNT_ID: u8 = common_index("sso_account_id");
        const SSO_ROLE_NAME: u8 = common_index("sso_role_name");
        const SSO_REGION: u8 = common_index("sso_region");
        const SSO_START_URL: u8 = common_index("sso_start_url");
        const SSO_SESSION: u8 = common_index("sso_session");
        const LOGIN_SESSION: u8 = common_index("login_session");
        const CREDENTIAL_PROCESS: u8 = common_index("credential_process");
        const AWS_ACCESS_KEY_ID: u8 = common_index("aws_access_key_id");
        const AWS_SECRET_ACCESS_KEY: u8 = common_index("aws_secret_access_key");
        const AWS_SESSION_TOKEN: u8 = common_index("aws_session_token");
        const AWS_ACCOUNT_ID: u8 = common_index("aws_account_id");
        for (key, value) in &profile.properties {
            // Every key read here is a common one: a switch on its position.
            let slot = match key.common() {
                Some(ROLE_ARN) => &mut keys.role_arn,
                Some(SOURCE_PROFILE) => &mut keys.source_profile,
                Some(CREDENTIAL_SOURCE) => &mut keys.credential_source,
                Some(EXTERNAL_ID) => &mut keys.external_id,
                Some(ROLE_SESSION_NAME) => &mut keys.role_session_name,
                Some(WEB_IDENTITY_TOKEN_FILE) => &mut keys.web_identity_token_file,
                Some(SSO_ACCOUNT_ID) => &mut keys.sso_account_id,
                Some(SSO_ROLE_NAME) => &mut keys.sso_role_name,
                Some(SSO_REGION) => &mut keys.sso_region,
                Some(SSO_START_URL) => &mut keys.sso_start_url,
                Some(SSO_SESSION) => &mut keys.sso_session,
                Some(LOGIN_SESSION) => &mut keys.login_session,
                Some(CREDENTIAL_PROCESS) => &mut keys.credential_process,
                Some(AWS_ACCESS_KEY_ID) => &mut keys.aws_access_key_id,
                Some(AWS_SECRET_ACCESS_KEY) => &mut keys.aws_secret_access_key,
                Some(AWS_SESSION_TOKEN) => &mut keys.aws_session_token,
                Some(AWS_ACCOUNT_ID) => &mut keys.aws_account_id,
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
