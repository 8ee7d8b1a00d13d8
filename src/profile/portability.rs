//! Where botocore (and so the AWS CLI and boto3) reads a file differently from the
//! AWS SDKs for Rust, Java and Go, and how to make both agree.
//!
//! botocore uses Python's configparser: duplicate sections or keys make it refuse
//! the whole file, it keeps `# comments` after values as part of the value, drops
//! indented comment lines the SDKs append to the value, splits keys at `:`, and
//! takes header names as written. Every finding is a warning with a fix.

use crate::ini::{Document, WHITESPACE};

use super::normalize::{Header, classify_header};
use super::{Diagnostic, FileKind, Severity};
use rustc_hash::FxHashMap;

/// Portability findings for one file.
pub fn check(doc: &Document, file: FileKind) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let warn = |code, line: usize, message: String, fix: &'static str| {
        Diagnostic::at(Severity::Warning, code, file, line + 1, message, fix)
    };
    if doc.text().starts_with('\u{feff}') {
        out.push(warn(
            "byte-order-mark",
            0,
            "the file starts with a byte-order mark: botocore refuses it and the AWS SDKs misread the first line".into(),
            "save the file as UTF-8 without BOM",
        ));
    }
    // Most files have no carriage return but in line endings: one scan finds out.
    let bytes = doc.text().as_bytes();
    let stray_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
    for (i, _) in doc.lines().iter().enumerate().filter(|_| stray_cr) {
        if doc.line(i).contains('\r') {
            out.push(warn(
                "carriage-return",
                i,
                "a carriage return inside the line: botocore splits the line there, the AWS SDKs do not".into(),
                "remove the stray carriage return (convert the file to plain LF or CRLF line endings)",
            ));
        }
    }
    for section in doc.sections() {
        if section.name.trim_matches(WHITESPACE) == "DEFAULT" {
            out.push(warn(
                "default-section",
                section.header,
                "[DEFAULT] is special to botocore: its keys apply to every profile there, while the AWS SDKs read a profile named DEFAULT".into(),
                "rename the section, e.g. [default] for the default profile",
            ));
        }
    }
    // Sections by (kind, name), borrowed from the document. `[default]` and
    // `[profile default]` are kept apart (kind ""): `normalize` reports those two.
    let mut seen: FxHashMap<(&str, &str), usize> =
        FxHashMap::with_capacity_and_hasher(doc.sections().len(), Default::default());
    for section in doc.sections() {
        if section.broken {
            continue;
        }
        let identity = match classify_header(file, &section.name) {
            Header::Profile { name, .. } => Some(("profile", name)),
            Header::SsoSession(name) => Some(("sso-session", name)),
            Header::Services(name) => Some(("services", name)),
            Header::Ignored => None,
        };
        let attach = |d: Diagnostic| match &identity {
            Some(("profile", name)) => d.for_profile(name),
            _ => d,
        };
        if let Some((kind, name)) = identity {
            let key = if file == FileKind::Config && kind == "profile" && name == "default" {
                ("", section.name.trim_matches(WHITESPACE))
            } else {
                (kind, name)
            };
            if let Some(first) = seen.insert(key, section.header) {
                out.push(attach(warn(
                    "duplicate-section",
                    section.header,
                    format!(
                        "[{}] is defined again here (first at line {}): the AWS SDKs merge the two, but botocore and the AWS CLI refuse the whole file or keep only the last",
                        section.name.trim_matches(WHITESPACE),
                        first + 1
                    ),
                    "merge the two sections into one",
                )));
            }
        }
        if section.name.starts_with(WHITESPACE) || section.name.ends_with(WHITESPACE) {
            out.push(attach(warn(
                "header-spacing",
                section.header,
                format!("spaces inside the brackets of [{}]: botocore reads a different name than the AWS SDKs", section.name),
                "remove the spaces right after '[' and before ']'",
            )));
        }
        // The previous line with the same key. Most sections have a handful of
        // keys: a backwards scan is cheaper than building a map for each.
        let mut keys: FxHashMap<&str, usize> = FxHashMap::default();
        let small = section.properties.len() <= 32;
        for (index, prop) in section.properties.iter().enumerate() {
            let previous = if small {
                section.properties[..index]
                    .iter()
                    .rev()
                    .find(|p| p.key == prop.key)
                    .map(|p| p.line)
            } else {
                keys.insert(&*prop.key, prop.line)
            };
            if let Some(first) = previous {
                out.push(attach(warn(
                    "duplicate-key",
                    prop.line,
                    format!(
                        "'{}' is set again here (first at line {}): the AWS SDKs use the last one, but botocore and the AWS CLI refuse the whole file",
                        prop.key,
                        first + 1
                    ),
                    "delete the line that is not wanted",
                )));
            }
            if let Some(comment) = &prop.inline_comment {
                out.push(attach(warn(
                    "inline-comment",
                    prop.line,
                    format!(
                        "'{}' is followed by a comment: the AWS SDKs drop '{}', botocore keeps it as part of the value",
                        prop.key,
                        &doc.text()[comment.clone()]
                    ),
                    "move the comment to a line of its own above the property",
                )));
            }
            if prop.key.contains(':') {
                out.push(attach(warn(
                    "colon-in-key",
                    prop.line,
                    format!("key '{}' contains ':': botocore splits the line there, the AWS SDKs do not", prop.key),
                    "rename the key without ':'",
                )));
            }
            for &line in &prop.continuation_lines {
                if doc
                    .line(line)
                    .trim_start_matches(WHITESPACE)
                    .starts_with(['#', ';'])
                {
                    out.push(attach(warn(
                        "indented-comment",
                        line,
                        format!(
                            "this indented comment is part of the value of '{}' for the AWS SDKs, while botocore drops it",
                            prop.key
                        ),
                        "move the comment to column 0 or above the property",
                    )));
                }
            }
            if !prop.has_subproperties
                && let Some(&last) = prop.continuation_lines.last()
                && let Some(blank) =
                    (prop.line + 1..last).find(|&i| doc.line(i).trim_matches(WHITESPACE).is_empty())
            {
                out.push(attach(warn(
                    "blank-in-value",
                    blank,
                    format!(
                        "a blank line inside the continued value of '{}': botocore keeps it as an empty line, the AWS SDKs skip it",
                        prop.key
                    ),
                    "remove the blank line",
                )));
            }
        }
    }
    for error in doc.errors() {
        if doc.line(error.line).contains(':') && !doc.line(error.line).contains('=') {
            out.push(warn(
                "colon-separator",
                error.line,
                "':' separates key and value here: botocore accepts it, the AWS SDKs refuse the file".into(),
                "use '=' instead of ':'",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str, file: FileKind) -> Vec<(&'static str, usize)> {
        check(&Document::parse(text), file)
            .into_iter()
            .map(|d| (d.code, d.origin.unwrap().line))
            .collect()
    }

    #[test]
    fn finds_each_difference() {
        let text = "[profile a]\nx = 1 # c\nx = 2\na:b = 1\ns3 =\n  # note\n  k = v\n[profile  a]\nkey: v\n[ profile b ]\n";
        assert_eq!(
            codes(text, FileKind::Config),
            vec![
                ("inline-comment", 2),
                ("duplicate-key", 3),
                ("colon-in-key", 4),
                ("indented-comment", 6),
                ("duplicate-section", 8),
                ("header-spacing", 10),
                ("colon-separator", 9),
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_is_flagged_and_the_first_section_still_read() {
        let doc = Document::parse("\u{feff}[profile a]\nx = 1\n");
        assert_eq!(doc.sections()[0].name, "profile a");
        assert_eq!(doc.sections()[0].properties[0].value(&doc), "1");
        assert_eq!(
            codes("\u{feff}[profile a]\nx = 1\n", FileKind::Config),
            vec![("byte-order-mark", 1)]
        );
    }

    #[test]
    fn default_and_profile_default_are_not_duplicates_here() {
        assert!(codes("[default]\n[profile default]\n", FileKind::Config).is_empty());
        assert_eq!(
            codes("[default]\n[default]\n", FileKind::Config),
            vec![("duplicate-section", 2)]
        );
    }

    #[test]
    fn blank_lines_in_values_stray_carriage_returns_and_upper_default() {
        assert_eq!(
            codes(
                "[a]\nk = v\n  x\n\n  y\ns3 =\n  a = 1\n\n  b = 2\n",
                FileKind::Config
            ),
            vec![("blank-in-value", 4)]
        );
        assert_eq!(
            codes("[a]\nk = v\rw\n", FileKind::Config),
            vec![("carriage-return", 2)]
        );
        assert_eq!(
            codes("[DEFAULT]\nk = v\n", FileKind::Credentials),
            vec![("default-section", 1)]
        );
    }

    #[test]
    fn a_clean_file_has_no_findings() {
        assert!(codes("[default]\nregion = us-east-1\n\n[profile dev]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n", FileKind::Config).is_empty());
    }
}
