//! Merging both files into one [`ProfileSet`], as the SDKs' shared test vectors say.
//!
//! Per file: a header's name is trimmed and split at its first space or tab into a
//! prefix and a name. The config file takes `[profile NAME]`, `[default]`,
//! `[sso-session NAME]` and `[services NAME]`; the credentials file takes `[NAME]`
//! only. Names and keys outside the identifier set are ignored; duplicate sections
//! merge and the last value of a key wins; `[profile default]` hides `[default]` in
//! the config file; the credentials file overrides the config file. Whatever is
//! ignored or refused becomes a [`Diagnostic`] with its line and a fix.

use crate::ini::edit::is_identifier;
use crate::ini::{Document, WHITESPACE};

use super::{FileKind, ProfileSet};

pub(crate) mod merge;

/// What a section header means in a given file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionClass {
    /// A profile; `prefixed_default` for `[profile default]`.
    Profile {
        /// The profile's name.
        name: String,
        /// `[profile default]` in the config file.
        prefixed_default: bool,
    },
    /// `[sso-session NAME]`.
    SsoSession(String),
    /// `[services NAME]`.
    Services(String),
    /// Ignored by the SDKs.
    Ignored {
        /// Why, in a sentence.
        why: String,
        /// How to fix it.
        fix: String,
        /// A section of another tool (e.g. `[plugins]`): nothing to fix.
        foreign: bool,
    },
}

/// Sections of other tools that live in the config file on purpose.
const FOREIGN_UNPREFIXED: &[&str] = &["plugins", "preview", "toolkit", "cli"];

/// What a section header names, borrowed from its text: [`SectionClass`]
/// without the allocations, for the code that reads every header of a large
/// file. `Ignored` carries no explanation; [`classify_section`] writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Header<'a> {
    /// A profile; `prefixed_default` for `[profile default]`.
    Profile {
        /// The profile's name.
        name: &'a str,
        /// `[profile default]` in the config file.
        prefixed_default: bool,
    },
    /// `[sso-session NAME]`.
    SsoSession(&'a str),
    /// `[services NAME]`.
    Services(&'a str),
    /// Ignored by the SDKs.
    Ignored,
}

/// `s` without leading and trailing [`WHITESPACE`] (a byte scan).
fn trim_ws(s: &str) -> &str {
    let b = s.as_bytes();
    let is_ws = |c: &u8| *c == b' ' || *c == b'\t';
    let start = b.iter().position(|c| !is_ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !is_ws(c)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// A trimmed header split at its first space or tab into prefix and name.
fn split_header(trimmed: &str) -> (&str, &str) {
    match trimmed.bytes().position(|c| c == b' ' || c == b'\t') {
        Some(i) => (&trimmed[..i], trim_ws(&trimmed[i + 1..])),
        None => ("", trimmed),
    }
}

/// Classifies a header's raw name (the text between the brackets) in `file`,
/// borrowing the name: the same answer as [`classify_section`].
pub fn classify_header(file: FileKind, raw: &str) -> Header<'_> {
    let (prefix, name) = split_header(trim_ws(raw));
    match file {
        FileKind::Config => match (prefix, name) {
            ("profile", n) if is_identifier(n) => Header::Profile {
                name: n,
                prefixed_default: n == "default",
            },
            ("", "default") => Header::Profile {
                name: "default",
                prefixed_default: false,
            },
            ("sso-session", n) if is_identifier(n) => Header::SsoSession(n),
            ("services", n) if is_identifier(n) => Header::Services(n),
            _ => Header::Ignored,
        },
        FileKind::Credentials => match prefix {
            "" if is_identifier(name) => Header::Profile {
                name,
                prefixed_default: false,
            },
            _ => Header::Ignored,
        },
    }
}

/// Classifies a header's raw name (the text between the brackets) in `file`.
pub fn classify_section(file: FileKind, raw: &str) -> SectionClass {
    match classify_header(file, raw) {
        Header::Profile {
            name,
            prefixed_default,
        } => SectionClass::Profile {
            name: name.to_string(),
            prefixed_default,
        },
        Header::SsoSession(name) => SectionClass::SsoSession(name.to_string()),
        Header::Services(name) => SectionClass::Services(name.to_string()),
        Header::Ignored => explain_ignored(file, raw),
    }
}

/// Why a header that [`classify_header`] ignores is ignored, and the fix.
fn explain_ignored(file: FileKind, raw: &str) -> SectionClass {
    let trimmed = raw.trim_matches(WHITESPACE);
    let (prefix, name) = match trimmed.split_once(WHITESPACE) {
        Some((prefix, rest)) => (prefix, rest.trim_matches(WHITESPACE)),
        None => ("", trimmed),
    };
    let invalid = |what: &str| SectionClass::Ignored {
        why: format!(
            "{what} '{name}' is ignored by the AWS SDKs: names may only contain letters, digits and _ - / . % @ : +"
        ),
        fix: format!(
            "rename it, e.g. [{}{}]",
            if prefix.is_empty() {
                String::new()
            } else {
                format!("{prefix} ")
            },
            suggest_name(name)
        ),
        foreign: false,
    };
    match file {
        FileKind::Config => match (prefix, name) {
            ("profile", n) if !n.is_empty() => {
                if is_identifier(n) {
                    SectionClass::Profile {
                        name: n.to_string(),
                        prefixed_default: n == "default",
                    }
                } else {
                    invalid("profile name")
                }
            }
            ("", "default") => SectionClass::Profile {
                name: "default".to_string(),
                prefixed_default: false,
            },
            ("sso-session", n) if !n.is_empty() => {
                if is_identifier(n) {
                    SectionClass::SsoSession(n.to_string())
                } else {
                    invalid("sso-session name")
                }
            }
            ("services", n) if !n.is_empty() => {
                if is_identifier(n) {
                    SectionClass::Services(n.to_string())
                } else {
                    invalid("services name")
                }
            }
            ("", n) => SectionClass::Ignored {
                why: format!("[{n}] is not a profile: in the config file profiles are written [profile {n}]"),
                fix: format!("rename the header to [profile {n}] if it is meant as a profile"),
                foreign: FOREIGN_UNPREFIXED.contains(&n),
            },
            (p, _) => SectionClass::Ignored {
                why: format!("[{trimmed}] is not a section the AWS SDKs read ('{p}' is not a known prefix)"),
                fix: "nothing, if another tool wrote it; otherwise use [profile NAME] or [sso-session NAME]".to_string(),
                foreign: true,
            },
        },
        FileKind::Credentials => match prefix {
            "" if is_identifier(name) => SectionClass::Profile {
                name: name.to_string(),
                prefixed_default: false,
            },
            "" => invalid("profile name"),
            _ => SectionClass::Ignored {
                why: format!("[{trimmed}] is ignored: sections in the credentials file have no prefix"),
                fix: format!("rename the header to [{}]", if prefix == "profile" { name } else { trimmed }),
                foreign: false,
            },
        },
    }
}

/// A valid name close to `name`, for suggestions.
pub fn suggest_name(name: &str) -> String {
    let s: String = name
        .trim_matches(|c| c == '"' || c == '\'')
        .chars()
        .map(|c| {
            if is_identifier(&c.to_string()) {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "name".to_string() } else { s }
}

/// Merges the config and credentials documents (either may be absent).
pub fn normalize(config: Option<&Document>, credentials: Option<&Document>) -> ProfileSet {
    merge::combine(
        config.map(|doc| merge::file_part(doc, FileKind::Config)),
        credentials.map(|doc| merge::file_part(doc, FileKind::Credentials)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Origin;

    #[test]
    fn classifies_headers_like_the_sdks() {
        use SectionClass::*;
        let p = |n: &str| Profile {
            name: n.into(),
            prefixed_default: false,
        };
        assert_eq!(
            classify_section(FileKind::Config, "profile\tfoo "),
            p("foo")
        );
        assert_eq!(
            classify_section(FileKind::Config, "  default "),
            p("default")
        );
        assert_eq!(
            classify_section(FileKind::Config, "sso-session s"),
            SsoSession("s".into())
        );
        assert!(matches!(
            classify_section(FileKind::Config, "profilefoo"),
            Ignored { .. }
        ));
        assert!(matches!(
            classify_section(FileKind::Config, "foo"),
            Ignored { foreign: false, .. }
        ));
        assert!(matches!(
            classify_section(FileKind::Config, "plugins"),
            Ignored { foreign: true, .. }
        ));
        assert!(matches!(
            classify_section(FileKind::Credentials, "profile foo"),
            Ignored { .. }
        ));
        assert_eq!(
            classify_section(FileKind::Credentials, "sso-sessionfoo"),
            p("sso-sessionfoo")
        );
    }

    #[test]
    fn values_remember_their_line_and_file() {
        let config = Document::parse("[profile a]\nregion = x\n");
        let creds = Document::parse("\n[a]\nregion = y\n");
        let set = normalize(Some(&config), Some(&creds));
        let v = set.profiles["a"].properties.get("region").unwrap();
        assert_eq!(&*v.value, "y");
        assert_eq!(
            v.origin,
            Origin {
                file: FileKind::Credentials,
                line: 3
            }
        );
        assert_eq!(set.profiles["a"].headers.len(), 2);
    }

    #[test]
    fn ignored_sections_and_keys_are_reported_with_a_fix() {
        let config =
            Document::parse("[profile in valid]\nx = 1\n[foo]\n[profile ok]\nbad key = 1\n");
        let set = normalize(Some(&config), None);
        let codes: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| (d.code, d.origin.unwrap().line))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("section-ignored", 1),
                ("section-ignored", 3),
                ("key-ignored", 5)
            ]
        );
        assert!(set.diagnostics[1].fix.contains("[profile foo]"));
    }

    #[test]
    fn a_broken_profile_default_header_hides_nothing() {
        let config = Document::parse("[default]\nregion = a\n[profile default\nregion = b\n");
        let set = normalize(Some(&config), None);
        assert_eq!(set.profiles["default"].get("region"), Some("a"));
        assert!(set.diagnostics.iter().all(|d| d.code != "default-shadowed"));
    }

    #[test]
    fn syntax_errors_mark_the_file_refused_but_the_rest_is_read() {
        let config = Document::parse("[profile a\nx = 1\n[profile b]\nregion = r\n");
        let set = normalize(Some(&config), None);
        assert!(set.refused_by_sdk());
        assert_eq!(set.profiles["b"].get("region"), Some("r"));
    }
}
