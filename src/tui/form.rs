//! The edit form for one profile: its fields, choices, validation, and the edits
//! it turns into (changing its kind: `kind`). Plain state and pure functions; `update` drives it and
//! `view::form` draws it.

use crate::diff::{DiffLine, diff_lines};
use crate::profile::edit::{self, Files, Target};
use crate::profile::kind::{Kind, classify};
use crate::profile::validate::{self, OUTPUTS};
use crate::profile::{FileKind, ProfileSet, is_secret, mask};

use super::input::TextInput;

mod keychain;
mod kind;
pub use keychain::SecretsTo;
pub use kind::KIND_KEYS;

/// The keys the form offers for a profile of `kind`, in order; region and
/// output ([`COMMON_KEYS`]) follow, then the profile's other keys.
pub fn kind_keys(kind: &Kind) -> &'static [&'static str] {
    match kind {
        Kind::StaticKeys => &["aws_access_key_id", "aws_secret_access_key"],
        Kind::TemporaryKeys => &[
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "aws_expiration",
        ],
        Kind::Sso => &["sso_session", "sso_account_id", "sso_role_name"],
        Kind::LegacySso => &[
            "sso_start_url",
            "sso_region",
            "sso_account_id",
            "sso_role_name",
        ],
        Kind::AssumeRole | Kind::AssumeRoleFromSource { .. } => &[
            "role_arn",
            "source_profile",
            "credential_source",
            "external_id",
            "mfa_serial",
            "duration_seconds",
            "role_session_name",
        ],
        Kind::WebIdentity => &["role_arn", "web_identity_token_file", "role_session_name"],
        Kind::CredentialProcess => &["credential_process"],
        Kind::LoginSession => &["login_session"],
        Kind::Incomplete { .. } => FORM_KEYS,
    }
}

/// Offered for every kind, after its own keys.
pub const COMMON_KEYS: &[&str] = &["region", "output"];

/// A line of a file as a preview shows it: the value of a secret key masked
/// with [`mask`], the way the CLI masks it. Any profile's line: context lines
/// can hold another profile's secrets.
pub fn mask_line(line: &str) -> String {
    if let Some((key, value)) = line.split_once('=')
        && is_secret(&key.trim().to_ascii_lowercase())
    {
        let value = value.trim();
        return format!("{}= {}", &line[..key.len()], mask(value));
    }
    line.to_string()
}

/// The keys an incomplete profile's form offers: those of roles, and a session.
pub const FORM_KEYS: &[&str] = &[
    "role_arn",
    "source_profile",
    "credential_source",
    "region",
    "mfa_serial",
    "role_session_name",
    "external_id",
    "duration_seconds",
    "sso_session",
    "output",
];

/// The kinds a new profile can start as, with the keys each needs (required
/// first) and the optional keys it usually has. Those that work with no other
/// profile (SSO, access keys) come first: the first profile must be one.
pub const TEMPLATES: &[Template] = &[
    Template {
        label: "SSO through an sso-session",
        required: &["sso_session", "sso_account_id", "sso_role_name"],
        optional: &["region", "output"],
    },
    Template {
        label: "access keys (in the credentials file or the keychain)",
        required: &["aws_access_key_id", "aws_secret_access_key"],
        optional: &["region", "output"],
    },
    Template {
        label: "assume a role with another profile's credentials",
        required: &["role_arn", "source_profile"],
        optional: &[
            "region",
            "role_session_name",
            "external_id",
            "mfa_serial",
            "duration_seconds",
        ],
    },
    Template {
        label: "assume a role from the environment / EC2 / ECS",
        required: &["role_arn", "credential_source"],
        optional: &[
            "region",
            "role_session_name",
            "external_id",
            "duration_seconds",
        ],
    },
    Template {
        label: "credential_process (a program prints credentials)",
        required: &["credential_process"],
        optional: &["region"],
    },
    Template {
        label: "web identity (a token file, e.g. in Kubernetes)",
        required: &["role_arn", "web_identity_token_file"],
        optional: &["role_session_name", "region"],
    },
    Template {
        label: "settings only (region, output)",
        required: &[],
        optional: &["region", "output"],
    },
];

/// A starting shape for a new profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Template {
    /// What it is, for the picker.
    pub label: &'static str,
    /// Keys that must be filled.
    pub required: &'static [&'static str],
    /// Keys offered besides.
    pub optional: &'static [&'static str],
}

/// One field. Its `Debug` hides the value of a secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct Field {
    /// The key.
    pub key: String,
    /// The value being edited (empty: remove the key).
    pub value: String,
    /// The value in the files when the form opened.
    pub original: String,
    /// Why the value is refused.
    pub error: Option<String>,
    /// A warning or note about the value (written anyway).
    pub note: Option<String>,
}

impl std::fmt::Debug for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        /// Stands in for a secret value.
        struct Redacted;
        impl std::fmt::Debug for Redacted {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("<redacted>")
            }
        }
        fn shown<T: std::fmt::Debug>(secret: bool, value: &T) -> &dyn std::fmt::Debug {
            if secret { &Redacted } else { value }
        }
        let secret = is_secret(&self.key);
        f.debug_struct("Field")
            .field("key", &self.key)
            .field("value", shown(secret, &self.value))
            .field("original", shown(secret, &self.original))
            .field("error", &self.error)
            .field("note", &self.note)
            .finish()
    }
}

/// What the form shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The fields.
    Fields,
    /// The changes to the files, before saving.
    Preview {
        /// Per changed file: its label and its diff.
        diffs: Vec<(FileKind, Vec<DiffLine>)>,
        /// The documents to save.
        files: Box<Files>,
        /// Keys to store in the keychain before saving (they are not in `files`).
        keychain: Option<Box<crate::credential::secret::Credentials>>,
    },
}

/// The form's state.
#[derive(Clone, PartialEq, Eq)]
pub struct Form {
    /// The profile edited.
    pub profile: String,
    /// Its fields: [`FORM_KEYS`], then its other keys (secrets are not edited here).
    pub fields: Vec<Field>,
    /// The focused field; `fields.len()` is the "add a key" row.
    pub focus: usize,
    /// While typing: the value before typing started (Esc restores it).
    pub typing: Option<String>,
    /// While typing: the field (on the "add a key" row, a new `key=value`).
    pub input: Option<TextInput>,
    /// While typing into a region field: the chooser of known regions.
    pub region: Option<super::region::Chooser>,
    /// Changing the kind: the highlighted entry of [`TEMPLATES`].
    pub kind_pick: Option<usize>,
    /// Where long-term keys are written: the credentials file or the keychain.
    pub secrets_to: SecretsTo,
    /// Closing was asked for with changes made: the form asks before discarding.
    pub discard_asked: bool,
    /// Fields or preview.
    pub stage: Stage,
    /// A message about the whole form.
    pub message: Option<String>,
    /// Keys that must be filled (new profiles).
    pub required: Vec<String>,
    /// The profile does not exist yet: saving creates it.
    pub new: bool,
}

impl std::fmt::Debug for Form {
    /// Typed text is left out: it may be a secret being entered.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Form")
            .field("profile", &self.profile)
            .field("fields", &self.fields)
            .field("focus", &self.focus)
            .field("typing", &self.typing.as_ref().map(|_| "<redacted>"))
            .field("input", &self.input.as_ref().map(|_| "<redacted>"))
            .field("stage", &self.stage)
            .field("new", &self.new)
            .finish_non_exhaustive()
    }
}

impl Form {
    /// A form for profile `name` as the files define it: the keys of its kind,
    /// region and output, then its other keys.
    pub fn open(set: &ProfileSet, name: &str) -> Form {
        let p = set.profiles.get(name);
        let get = |k: &str| p.and_then(|p| p.get(k)).unwrap_or("").to_string();
        let kind = p.map_or(
            Kind::Incomplete {
                missing: String::new(),
            },
            classify,
        );
        let own = kind_keys(&kind);
        let shown: Vec<&str> = own.iter().chain(COMMON_KEYS).copied().collect();
        let mut fields: Vec<Field> = shown
            .iter()
            .map(|k| Field {
                key: k.to_string(),
                value: get(k),
                original: get(k),
                error: None,
                note: None,
            })
            .collect();
        if let Some(p) = p {
            for (k, v) in &p.properties {
                if !shown.contains(&&**k) && !v.value.contains('\n') {
                    fields.push(Field {
                        key: k.to_string(),
                        value: v.value.to_string(),
                        original: v.value.to_string(),
                        error: None,
                        note: None,
                    });
                }
            }
        }
        Form::with_fields(name, fields, Vec::new(), false)
    }

    /// A form for a new profile `name` shaped by `template`.
    pub fn new_profile(name: &str, template: &Template) -> Form {
        let keys = template.required.iter().chain(template.optional);
        let fields = keys
            .map(|k| Field {
                key: k.to_string(),
                value: String::new(),
                original: String::new(),
                error: None,
                note: None,
            })
            .collect();
        let required = template.required.iter().map(|k| k.to_string()).collect();
        Form::with_fields(name, fields, required, true)
    }

    fn with_fields(name: &str, fields: Vec<Field>, required: Vec<String>, new: bool) -> Form {
        Form {
            profile: name.to_string(),
            fields,
            focus: 0,
            typing: None,
            input: None,
            region: None,
            kind_pick: None,
            secrets_to: SecretsTo::CredentialsFile,
            discard_asked: false,
            stage: Stage::Fields,
            message: None,
            required,
            new,
        }
    }

    /// Whether any field differs from the files.
    pub fn changed(&self) -> bool {
        self.fields.iter().any(|f| f.value != f.original) || self.secrets_to == SecretsTo::Keychain
    }

    /// The values a field can be cycled through (empty: free text only).
    pub fn choices(&self, set: &ProfileSet, key: &str) -> Vec<String> {
        let mut c: Vec<String> = match key {
            "source_profile" => set
                .profiles
                .keys()
                .filter(|n| **n != self.profile)
                .map(|n| n.to_string())
                .collect(),
            "credential_source" => crate::profile::kind::CREDENTIAL_SOURCES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            "sso_session" => set.sso_sessions.keys().map(|n| n.to_string()).collect(),
            "output" => OUTPUTS.iter().map(|s| s.to_string()).collect(),
            _ => return Vec::new(),
        };
        c.insert(0, String::new());
        c
    }

    /// Moves the focused field to the next (`forward`) or previous choice.
    pub fn cycle(&mut self, set: &ProfileSet, forward: bool) {
        let Some(field) = self.fields.get(self.focus) else {
            return;
        };
        let choices = self.choices(set, &field.key);
        if choices.is_empty() {
            return;
        }
        let at = choices.iter().position(|c| *c == field.value).unwrap_or(0);
        let next = if forward {
            (at + 1) % choices.len()
        } else {
            (at + choices.len() - 1) % choices.len()
        };
        self.fields[self.focus].value = choices[next].clone();
        self.validate(set);
    }

    /// Checks the changed fields with the same review every CLI writer runs
    /// ([`validate::review`]); returns whether nothing refuses the save.
    pub fn validate(&mut self, set: &ProfileSet) -> bool {
        let changes: Vec<(String, String)> = self
            .fields
            .iter()
            .filter(|f| f.value != f.original)
            .map(|f| (f.key.clone(), f.value.clone()))
            .collect();
        let pairs: Vec<(&str, &str)> = changes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let findings = validate::review(set, &self.profile, &pairs);
        let mut elsewhere = Vec::new();
        for f in &mut self.fields {
            f.error = None;
            f.note = None;
        }
        for finding in findings {
            let field = self.fields.iter_mut().find(|f| f.key == finding.key);
            match (field, finding.refuses(false)) {
                (Some(f), true) => {
                    f.error.get_or_insert(finding.message);
                }
                (Some(f), false) => {
                    f.note.get_or_insert(finding.message);
                }
                (None, true) => elsewhere.push(finding.message),
                (None, false) => {}
            }
        }
        for f in &mut self.fields {
            if f.value.is_empty() && self.required.contains(&f.key) {
                f.error = Some(format!("{} is required", f.key));
            }
        }
        if !elsewhere.is_empty() {
            self.message = Some(elsewhere.join("; "));
        }
        self.fields.iter().all(|f| f.error.is_none()) && elsewhere.is_empty()
    }

    /// Adds `text`, a typed `key=value`, as a field; returns an error for the user.
    /// A secret is added by its name alone: its value is then typed, masked,
    /// into its own field (never in clear on the "add a key" line).
    pub fn add_key(&mut self, text: &str) -> Result<(), String> {
        if let Some(k) = Some(text.trim().to_ascii_lowercase()).filter(|k| is_secret(k)) {
            if self.fields.iter().any(|f| f.key == k) {
                return Err(format!("'{k}' is already in the form"));
            }
            self.fields.push(Field {
                key: k,
                value: String::new(),
                original: String::new(),
                error: None,
                note: None,
            });
            self.focus = self.fields.len() - 1;
            return Ok(());
        }
        let (k, v) = text
            .split_once('=')
            .ok_or("type key=value, e.g. s3_use_arn_region=true, or a secret's name alone")?;
        let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
        if self.fields.iter().any(|f| f.key == k) {
            return Err(format!("'{k}' is already in the form"));
        }
        if is_secret(&k) {
            return Err(format!(
                "type the secret's name alone ({k}), then its value into its own masked field"
            ));
        }
        crate::ini::edit::check_property(&k, &v).map_err(|e| e.to_string())?;
        self.fields.push(Field {
            key: k,
            value: v,
            original: String::new(),
            error: None,
            note: None,
        });
        self.focus = self.fields.len() - 1;
        Ok(())
    }

    /// Applies the changed fields to `files` through the profile engine.
    pub fn apply(&self, files: &Files) -> Result<Files, String> {
        let mut out = files.clone();
        let target = Target::Profile(&self.profile);
        if self.new {
            edit::add_profile(&mut out, &self.profile, &[]).map_err(|e| e.to_string())?;
        }
        for f in self.fields.iter().filter(|f| f.value != f.original) {
            if f.value.is_empty() {
                edit::unset(&mut out, target, &f.key, None).map_err(|e| e.to_string())?;
            } else {
                edit::set(&mut out, target, &f.key, &f.value, None).map_err(|e| e.to_string())?;
            }
        }
        Ok(out)
    }

    /// Validates and, when valid and changed, moves to the preview of `files` → edited.
    pub fn submit(&mut self, set: &ProfileSet, files: &Files) {
        if !self.validate(set) {
            self.message = Some("fix the marked fields first".to_string());
            return;
        }
        if !self.changed() && !self.new {
            self.message = Some("nothing changed".to_string());
            return;
        }
        let keychain = self.secrets_to == SecretsTo::Keychain && self.offers_keychain();
        let applied = self.apply(files).and_then(|mut edited| {
            let keys = keychain
                .then(|| keychain::to_keychain(&mut edited, files, &self.profile))
                .transpose()?;
            Ok((edited, keys))
        });
        match applied {
            Ok((edited, keys)) => {
                let diffs = [FileKind::Config, FileKind::Credentials]
                    .into_iter()
                    .map(|k| {
                        let diff = diff_lines(files.get(k).text(), edited.get(k).text(), 2);
                        (k, diff.into_iter().map(masked).collect::<Vec<_>>())
                    })
                    .filter(|(_, d)| !d.is_empty())
                    .collect();
                self.stage = Stage::Preview {
                    diffs,
                    files: Box::new(edited),
                    keychain: keys.map(Box::new),
                };
                self.message = None;
            }
            Err(e) => self.message = Some(e),
        }
    }
}

/// A diff line with any secret masked ([`mask_line`]).
fn masked(line: DiffLine) -> DiffLine {
    match line {
        DiffLine::Same(n, t) => DiffLine::Same(n, mask_line(&t)),
        DiffLine::Removed(n, t) => DiffLine::Removed(n, mask_line(&t)),
        DiffLine::Added(n, t) => DiffLine::Added(n, mask_line(&t)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;

    fn files() -> Files {
        Files {
            config: Document::parse(
                "# mine\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = base\ns3 =\n  addressing_style = path\n\n[profile other]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n",
            ),
            credentials: Document::parse(
                "[base]\naws_access_key_id = A\naws_secret_access_key = S\n",
            ),
        }
    }

    #[test]
    fn opens_with_current_values_and_edits_only_what_changed() {
        let files = files();
        let set = files.profile_set();
        let mut form = Form::open(&set, "dev");
        assert_eq!(form.fields[0].value, "arn:aws:iam::123456789012:role/Dev");
        assert!(
            !form.fields.iter().any(|f| f.key == "s3"),
            "multi-line values are not edited in a line field"
        );
        form.fields[0].value = "arn:aws:iam::123456789012:role/Admin".into();
        form.fields
            .iter_mut()
            .find(|f| f.key == "region")
            .unwrap()
            .value = "eu-west-1".into();
        form.submit(&set, &files);
        let Stage::Preview {
            files: edited,
            diffs,
            ..
        } = &form.stage
        else {
            panic!("{:?}", form.message)
        };
        assert_eq!(
            edited.config.text(),
            "# mine\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/Admin\nsource_profile = base\ns3 =\n  addressing_style = path\nregion = eu-west-1\n\n[profile other]\nregion = us-east-1\n[sso-session corp]\nsso_region = us-east-1\n"
        );
        assert_eq!(diffs.len(), 1);
        assert_eq!(edited.credentials.text(), files.credentials.text());
    }

    #[test]
    fn refuses_invalid_values_and_exclusive_sources() {
        let files = files();
        let set = files.profile_set();
        let mut form = Form::open(&set, "dev");
        form.fields[0].value = "not-an-arn".into();
        form.fields[2].value = "Environment".into();
        form.submit(&set, &files);
        assert_eq!(form.stage, Stage::Fields);
        assert!(form.fields[0].error.is_some());
        assert!(form.fields[2].error.as_deref().unwrap().contains("exclude"));
    }

    #[test]
    fn choices_cycle_and_clearing_unsets() {
        let files = files();
        let set = files.profile_set();
        let mut form = Form::open(&set, "dev");
        form.focus = 1; // source_profile: "", base, other
        form.cycle(&set, true);
        assert_eq!(form.fields[1].value, "other");
        form.cycle(&set, true);
        assert_eq!(form.fields[1].value, "");
        form.fields[0].value.clear();
        form.submit(&set, &files);
        let Stage::Preview { files: edited, .. } = &form.stage else {
            panic!("{:?}", form.message)
        };
        assert!(!edited.config.text().contains("role_arn"));
        assert!(!edited.config.text().contains("source_profile = base"));
    }

    #[test]
    fn new_profiles_need_their_required_keys_and_land_in_the_right_files() {
        let files = files();
        let set = files.profile_set();
        let keys = TEMPLATES
            .iter()
            .find(|t| t.required.contains(&"aws_access_key_id"))
            .unwrap();
        let mut form = Form::new_profile("ci", keys);
        form.submit(&set, &files);
        assert_eq!(form.stage, Stage::Fields);
        assert!(
            form.fields[0]
                .error
                .as_deref()
                .unwrap()
                .contains("required")
        );
        form.fields[0].value = "AKIAEXAMPLE0000001".into();
        form.fields[1].value = "secretsecretsecret".into();
        form.fields[2].value = "eu-west-1".into();
        form.submit(&set, &files);
        let Stage::Preview { files: edited, .. } = &form.stage else {
            panic!("{:?}", form.message)
        };
        assert!(
            edited
                .config
                .text()
                .ends_with("\n[profile ci]\nregion = eu-west-1\n")
        );
        assert!(edited.credentials.text().ends_with("\n[ci]\naws_access_key_id = AKIAEXAMPLE0000001\naws_secret_access_key = secretsecretsecret\n"));
        assert_eq!(
            edited.profile_set().profiles["ci"].get("region"),
            Some("eu-west-1")
        );
    }

    #[test]
    fn debug_leaves_out_text_being_typed() {
        let set = files().profile_set();
        let mut form = Form::open(&set, "other");
        form.typing = Some("hunter2".into());
        form.input = Some(TextInput::with_text("aws_secret_access_key=hunter3"));
        let shown = format!("{form:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("hunter3"),
            "{shown}"
        );
    }

    #[test]
    fn the_form_fits_the_kind_and_previews_mask_every_secret() {
        const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        const OTHER: &str = "otherSecretValue0123456789";
        let files = Files {
            config: Document::parse(
                "[profile s]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
            ),
            credentials: Document::parse(format!(
                "[base]\naws_access_key_id = AKIAOLD0000000000000\naws_secret_access_key = {SECRET}\n[temp]\naws_access_key_id = ASIA\naws_secret_access_key = {OTHER}\naws_session_token = tok-{OTHER}\n"
            )),
        };
        let set = files.profile_set();
        let keys = |f: &Form| f.fields.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
        let mut base = Form::open(&set, "base");
        assert_eq!(
            keys(&base),
            [
                "aws_access_key_id",
                "aws_secret_access_key",
                "region",
                "output"
            ]
        );
        assert_eq!(
            keys(&Form::open(&set, "temp"))[..4],
            [
                "aws_access_key_id",
                "aws_secret_access_key",
                "aws_session_token",
                "aws_expiration"
            ]
        );
        assert_eq!(
            keys(&Form::open(&set, "s"))[..3],
            ["sso_session", "sso_account_id", "sso_role_name"]
        );
        base.fields[0].value = "AKIANEW0000000000000".into();
        base.submit(&set, &files);
        let Stage::Preview {
            diffs,
            files: edited,
            ..
        } = &base.stage
        else {
            panic!("{:?}", base.message)
        };
        assert!(
            edited.credentials.text().contains(SECRET),
            "the file keeps it"
        );
        let shown: Vec<String> = diffs
            .iter()
            .flat_map(|(_, d)| d.iter())
            .map(|l| match l {
                DiffLine::Same(_, t) | DiffLine::Removed(_, t) | DiffLine::Added(_, t) => t.clone(),
            })
            .collect();
        let shown = shown.join("\n");
        assert!(shown.contains("AKIANEW0000000000000"), "{shown}");
        assert!(!shown.contains(SECRET) && !shown.contains(OTHER), "{shown}");
        assert!(
            shown.contains(&mask(SECRET)),
            "masked as the CLI masks: {shown}"
        );
        assert_eq!(
            mask_line("aws_session_token=abcdefghijkl"),
            "aws_session_token= ****ijkl"
        );
        assert_eq!(mask_line("region = eu-west-1"), "region = eu-west-1");
    }

    #[test]
    fn add_key_checks_the_input() {
        let set = files().profile_set();
        let mut form = Form::open(&set, "other");
        assert!(form.add_key("ca_bundle=/etc/ssl/corp.pem").is_ok());
        assert_eq!(form.fields.last().unwrap().key, "ca_bundle");
        assert!(form.add_key("aws_secret_access_key=x").is_err());
        // A secret by its name alone: an empty masked field to type it into.
        assert!(form.add_key("aws_session_token").is_ok());
        assert_eq!(form.fields.last().unwrap().key, "aws_session_token");
        assert_eq!(form.fields.last().unwrap().value, "");
        assert!(form.add_key("nokey").is_err());
    }
}
