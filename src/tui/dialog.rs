//! Small dialogs: a one-line prompt for a name, a confirmation that lists what an
//! action affects, and the picker of kinds for a new profile. Destructive actions
//! go through [`Confirm`] as data: the dialog carries the [`Action`] it confirms.

use crate::profile::edit::{self, Files};

/// What a name prompt is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PromptFor {
    /// The name of a new profile.
    New,
    /// The name of a copy of this profile.
    CopyOf(String),
    /// The new name of this profile.
    Rename(String),
}

/// A one-line text prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// What the text is for.
    pub purpose: PromptFor,
    /// The name being typed.
    pub text: crate::tui::input::TextInput,
    /// Why the text was refused.
    pub error: Option<String>,
}

impl Prompt {
    /// The dialog's title.
    pub fn title(&self) -> String {
        match &self.purpose {
            PromptFor::New => " New profile: name ".to_string(),
            PromptFor::CopyOf(n) => format!(" Copy {n} as "),
            PromptFor::Rename(n) => format!(" Rename {n} to "),
        }
    }
}

/// A change to the files that needs a yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Remove a profile (even if others depend on it).
    Delete(String),
    /// Rename a profile.
    Rename {
        /// Current name.
        old: String,
        /// New name.
        new: String,
        /// Also repoint other profiles' `source_profile`.
        update_references: bool,
    },
    /// Copy a profile.
    Copy {
        /// Source.
        from: String,
        /// New name.
        to: String,
    },
}

impl Action {
    /// Applies the action to documents, through the profile engine.
    pub fn apply(&self, files: &Files) -> Result<Files, String> {
        let mut out = files.clone();
        let result = match self {
            Action::Delete(name) => edit::remove_profile(&mut out, name, true),
            Action::Rename {
                old,
                new,
                update_references,
            } => edit::rename_profile(&mut out, old, new, *update_references).map(|_| ()),
            Action::Copy { from, to } => edit::copy_profile(&mut out, from, to),
        };
        result.map(|()| out).map_err(|e| e.to_string())
    }
}

/// A yes/no question about an action, with what it affects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Confirm {
    /// What `y` does.
    pub yes: Action,
    /// What `n` does instead of cancelling, if anything.
    pub no: Option<Action>,
    /// The question and what it affects, one line each.
    pub lines: Vec<String>,
}

/// The confirmation for deleting `name`: it names the files that hold the
/// profile (`paths`: the config and credentials files as shown) and lists the
/// profiles that depend on it.
pub fn confirm_delete(files: &Files, name: &str, paths: &(String, String)) -> Confirm {
    let deps = edit::dependents(files, name);
    let set = files.profile_set();
    let mut held: Vec<&str> = Vec::new();
    for origin in set
        .profiles
        .get(name)
        .map(|p| &p.headers[..])
        .unwrap_or_default()
    {
        let path = match origin.file {
            crate::profile::FileKind::Config => paths.0.as_str(),
            crate::profile::FileKind::Credentials => paths.1.as_str(),
        };
        if !held.contains(&path) {
            held.push(path);
        }
    }
    let from = match held.as_slice() {
        [] => String::new(),
        [one] => format!(" from {one}"),
        [first, second, ..] => format!(" from {first} and {second}"),
    };
    let mut lines = vec![format!(
        "Delete profile {name}{from}? A backup is kept; u undoes."
    )];
    if !deps.is_empty() {
        lines.push(String::new());
        lines.push("These profiles use it as source_profile and will stop working:".to_string());
        lines.extend(deps.iter().map(|d| format!("  {d}")));
    }
    lines.push(String::new());
    lines.push("y delete · Esc cancel".to_string());
    Confirm {
        yes: Action::Delete(name.to_string()),
        no: None,
        lines,
    }
}

/// The confirmation for renaming, offering to update dependents when there are any.
pub fn confirm_rename(files: &Files, old: &str, new: &str) -> Confirm {
    let deps = edit::dependents(files, old);
    let rename = |update_references| Action::Rename {
        old: old.to_string(),
        new: new.to_string(),
        update_references,
    };
    if deps.is_empty() {
        return Confirm {
            yes: rename(false),
            no: None,
            lines: vec![
                format!("Rename {old} to {new}?"),
                String::new(),
                "y rename · Esc cancel".to_string(),
            ],
        };
    }
    let mut lines = vec![format!(
        "Rename {old} to {new}. These profiles name {old} as source_profile:"
    )];
    lines.extend(deps.iter().map(|d| format!("  {d}")));
    lines.push(String::new());
    lines.push(format!(
        "y rename and point them at {new} · n rename only · Esc cancel"
    ));
    Confirm {
        yes: rename(true),
        no: Some(rename(false)),
        lines,
    }
}

/// Checks a name typed into a prompt against the profiles that exist.
pub fn check_new_name(files: &Files, name: &str) -> Result<(), String> {
    if !crate::ini::edit::is_identifier(name) {
        return Err("use letters, digits and _ - / . % @ : + only".to_string());
    }
    if files.profile_set().profiles.contains_key(name) {
        return Err(format!("a profile named {name} exists already"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;

    fn files() -> Files {
        Files {
            config: Document::parse(
                "[profile base]\nregion = r\n\n[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n",
            ),
            credentials: Document::parse(
                "[base]\naws_access_key_id = A\naws_secret_access_key = S\n",
            ),
        }
    }

    #[test]
    fn delete_lists_dependents_and_removes_both_files_sections() {
        let f = files();
        let paths = (
            "~/.aws/config".to_string(),
            "~/.aws/credentials".to_string(),
        );
        let c = confirm_delete(&f, "base", &paths);
        assert!(
            c.lines[0]
                .starts_with("Delete profile base from ~/.aws/config and ~/.aws/credentials?"),
            "{}",
            c.lines[0]
        );
        assert!(c.lines.iter().any(|l| l.trim() == "dev"));
        let only = confirm_delete(&f, "dev", &paths);
        assert!(
            only.lines[0].starts_with("Delete profile dev from ~/.aws/config?"),
            "the file that holds it, not both: {}",
            only.lines[0]
        );
        let out = c.yes.apply(&f).unwrap();
        assert!(!out.config.text().contains("[profile base]"));
        assert!(!out.credentials.text().contains("[base]"));
    }

    #[test]
    fn rename_offers_to_update_references() {
        let f = files();
        let c = confirm_rename(&f, "base", "root");
        let updated = c.yes.apply(&f).unwrap();
        assert!(updated.config.text().contains("source_profile = root"));
        let only = c.no.unwrap().apply(&f).unwrap();
        assert!(only.config.text().contains("source_profile = base"));
        assert!(only.credentials.text().contains("[root]"));
    }

    #[test]
    fn names_are_checked() {
        let f = files();
        assert!(check_new_name(&f, "dev").is_err());
        assert!(check_new_name(&f, "has space").is_err());
        assert!(check_new_name(&f, "prod").is_ok());
    }
}
