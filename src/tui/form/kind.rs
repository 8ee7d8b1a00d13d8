//! Changing the kind of the profile a form edits ("change kind", `K` in the
//! form): the form takes the new kind's fields (those of [`TEMPLATES`], the
//! same shapes a new profile starts from), and the keys of the old kind the
//! new one does not use are emptied, so saving removes them and a profile
//! never ends up both SSO and assume-role. Pure; the preview and validation
//! are the form's usual ones (`profile::validate::review`, masked diffs).

use crate::profile::ProfileSet;

use super::{COMMON_KEYS, Field, Form, TEMPLATES};

/// The keys that make a profile's kind: every kind's own keys. A change of
/// kind removes those the new kind does not use.
pub const KIND_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
    "aws_expiration",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
    "sso_start_url",
    "sso_region",
    "role_arn",
    "source_profile",
    "credential_source",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "role_session_name",
    "web_identity_token_file",
    "credential_process",
    "login_session",
];

impl Form {
    /// Switches the form to the kind of `TEMPLATES[at]`: its keys first (the
    /// values already there kept), region and output, the profile's other
    /// keys; the old kind's keys it does not use are emptied (saving removes
    /// them; those not in the files yet are dropped). Validates again.
    pub fn change_kind(&mut self, set: &ProfileSet, at: usize) {
        let Some(template) = TEMPLATES.get(at) else {
            return;
        };
        let wanted: Vec<&str> = template
            .required
            .iter()
            .chain(template.optional)
            .copied()
            .collect();
        let unused = |key: &str| KIND_KEYS.contains(&key) && !wanted.contains(&key);
        let mut rest = std::mem::take(&mut self.fields);
        let mut fields = Vec::new();
        for key in wanted.iter().chain(COMMON_KEYS) {
            if fields.iter().any(|f: &Field| f.key == *key) {
                continue;
            }
            match rest.iter().position(|f| f.key == *key) {
                Some(i) => fields.push(rest.remove(i)),
                None => fields.push(Field {
                    key: key.to_string(),
                    value: String::new(),
                    original: String::new(),
                    error: None,
                    note: None,
                }),
            }
        }
        for mut f in rest {
            if unused(&f.key) {
                if f.original.is_empty() {
                    continue;
                }
                f.value.clear();
            }
            fields.push(f);
        }
        self.fields = fields;
        self.required = template.required.iter().map(|k| k.to_string()).collect();
        self.focus = 0;
        self.kind_pick = None;
        if !self.offers_keychain() {
            self.secrets_to = super::SecretsTo::CredentialsFile;
        }
        self.validate(set);
        self.message = Some(format!(
            "now {}: the old kind's keys are marked (removed); s previews the change",
            template.label
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::DiffLine;
    use crate::ini::Document;
    use crate::profile::edit::Files;
    use crate::profile::mask;
    use crate::tui::form::Stage;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn files() -> Files {
        Files {
            config: Document::parse(
                "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = base\nregion = eu-west-1\n[sso-session corp]\nsso_start_url = https://c.example/start\nsso_region = eu-west-1\n",
            ),
            credentials: Document::parse(format!(
                "[base]\naws_access_key_id = AKIAOLD0000000000000\naws_secret_access_key = {SECRET}\n"
            )),
        }
    }

    fn sso() -> usize {
        TEMPLATES
            .iter()
            .position(|t| t.required.contains(&"sso_session"))
            .unwrap()
    }

    fn fill(form: &mut Form, key: &str, value: &str) {
        let f = form.fields.iter_mut().find(|f| f.key == key).unwrap();
        f.value = value.to_string();
    }

    fn shown(diffs: &[(crate::profile::FileKind, Vec<DiffLine>)]) -> (Vec<String>, Vec<String>) {
        let (mut removed, mut added) = (Vec::new(), Vec::new());
        for l in diffs.iter().flat_map(|(_, d)| d) {
            match l {
                DiffLine::Removed(_, t) => removed.push(t.clone()),
                DiffLine::Added(_, t) => added.push(t.clone()),
                DiffLine::Same(..) => {}
            }
        }
        (removed, added)
    }

    #[test]
    fn keys_to_sso_removes_the_keys_and_masks_the_secret_in_the_preview() {
        let files = files();
        let set = files.profile_set();
        let mut form = Form::open(&set, "base");
        form.change_kind(&set, sso());
        let keys: Vec<&str> = form.fields.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "sso_session",
                "sso_account_id",
                "sso_role_name",
                "region",
                "output",
                "aws_access_key_id",
                "aws_secret_access_key"
            ]
        );
        form.submit(&set, &files);
        assert_eq!(form.stage, Stage::Fields, "the SSO keys are required");
        assert!(
            form.fields[0]
                .error
                .as_deref()
                .unwrap()
                .contains("required")
        );
        fill(&mut form, "sso_session", "corp");
        fill(&mut form, "sso_account_id", "123456789012");
        fill(&mut form, "sso_role_name", "Admin");
        form.submit(&set, &files);
        let Stage::Preview {
            diffs,
            files: edited,
            ..
        } = &form.stage
        else {
            panic!("{:?}", form.message)
        };
        assert_eq!(edited.credentials.text(), "[base]\n");
        let p = &edited.profile_set().profiles["base"];
        assert_eq!(p.get("aws_access_key_id"), None);
        assert_eq!(p.get("sso_session"), Some("corp"));
        let (removed, added) = shown(diffs);
        assert_eq!(
            removed,
            [
                "aws_access_key_id = AKIAOLD0000000000000".to_string(),
                format!("aws_secret_access_key = {}", mask(SECRET))
            ]
        );
        assert!(
            added.contains(&"sso_session = corp".to_string()),
            "{added:?}"
        );
        assert!(!format!("{diffs:?}").contains(SECRET));
    }

    #[test]
    fn role_to_sso_leaves_no_role_keys_behind() {
        let files = files();
        let set = files.profile_set();
        let mut form = Form::open(&set, "dev");
        form.change_kind(&set, sso());
        for (k, v) in [
            ("sso_session", "corp"),
            ("sso_account_id", "123456789012"),
            ("sso_role_name", "Dev"),
        ] {
            fill(&mut form, k, v);
        }
        // Unused role keys that were never set are not offered as removals.
        assert!(!form.fields.iter().any(|f| f.key == "external_id"));
        form.submit(&set, &files);
        let Stage::Preview {
            diffs,
            files: edited,
            ..
        } = &form.stage
        else {
            panic!("{:?}", form.message)
        };
        assert_eq!(
            edited.config.text(),
            "[profile dev]\nregion = eu-west-1\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://c.example/start\nsso_region = eu-west-1\n"
        );
        let (removed, _) = shown(diffs);
        assert_eq!(
            removed,
            [
                "role_arn = arn:aws:iam::123456789012:role/Dev",
                "source_profile = base"
            ]
        );
    }
}
