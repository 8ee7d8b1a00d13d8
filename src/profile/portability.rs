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
                section.header(),
                "[DEFAULT] is special to botocore: its keys apply to every profile there, while the AWS SDKs read a profile named DEFAULT".into(),
                "rename the section, e.g. [default] for the default profile",
            ));
        }
    }
    let mut redefined = redefinitions(doc, file).into_iter().peekable();
    for (index, section) in doc.sections().iter().enumerate() {
        if section.broken {
            continue;
        }
        let attach = |d: Diagnostic| match classify_header(file, &section.name) {
            Header::Profile { name, .. } => d.for_profile(name),
            _ => d,
        };
        if let Some((_, previous)) = redefined.next_if(|&(i, _)| i == index) {
            out.push(attach(warn(
                "duplicate-section",
                section.header(),
                format!(
                    "[{}] is defined again here (first at line {}): the AWS SDKs merge the two, but botocore and the AWS CLI refuse the whole file or keep only the last",
                    section.name.trim_matches(WHITESPACE),
                    previous + 1
                ),
                "merge the two sections into one",
            )));
        }
        if section.name.starts_with(WHITESPACE) || section.name.ends_with(WHITESPACE) {
            out.push(attach(warn(
                "header-spacing",
                section.header(),
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
                    .map(|p| p.line())
            } else {
                keys.insert(&*prop.key, prop.line())
            };
            if let Some(first) = previous {
                out.push(attach(warn(
                    "duplicate-key",
                    prop.line(),
                    format!(
                        "'{}' is set again here (first at line {}): the AWS SDKs use the last one, but botocore and the AWS CLI refuse the whole file",
                        prop.key,
                        first + 1
                    ),
                    "delete the line that is not wanted",
                )));
            }
            if let Some(comment) = &prop.inline_comment() {
                out.push(attach(warn(
                    "inline-comment",
                    prop.line(),
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
                    prop.line(),
                    format!("key '{}' contains ':': botocore splits the line there, the AWS SDKs do not", prop.key),
                    "rename the key without ':'",
                )));
            }
            for line in prop.continuation_lines(doc) {
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
                && let Some(last) = prop.continuation_lines(doc).next_back()
                && let Some(blank) = (prop.line() + 1..last)
                    .find(|&i| doc.line(i).trim_matches(WHITESPACE).is_empty())
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
    // (A text too large to read has an error but no lines.)
    for error in doc.errors().iter().filter(|e| e.line < doc.lines().len()) {
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

/// The sections (by index) that repeat an earlier section of the same file,
/// each with the header line of the definition before it, in file order.
/// `[default]` and `[profile default]` are kept apart: `normalize` reports
/// those two.
///
/// Found by sorting a hash of each section's identity rather than with a map
/// of the names: a million sections made a map of 86 MB, the hashes take 16
/// bytes a section. Sections whose hashes are equal are compared by name.
fn redefinitions(doc: &Document, file: FileKind) -> Vec<(usize, usize)> {
    use std::hash::BuildHasher;
    let sections = doc.sections();
    let identity = |index: usize| -> Option<(&str, &str)> {
        let section = &sections[index];
        if section.broken {
            return None;
        }
        let (kind, name) = match classify_header(file, &section.name) {
            Header::Profile { name, .. } => ("profile", name),
            Header::SsoSession(name) => ("sso-session", name),
            Header::Services(name) => ("services", name),
            Header::Ignored => return None,
        };
        Some(
            if file == FileKind::Config && kind == "profile" && name == "default" {
                ("", section.name.trim_matches(WHITESPACE))
            } else {
                (kind, name)
            },
        )
    };
    let hasher = rustc_hash::FxBuildHasher;
    let mut hashed: Vec<(u64, usize)> = (0..sections.len())
        .filter_map(|i| {
            let key = identity(i)?;
            Some((hasher.hash_one(key), i))
        })
        .collect();
    hashed.sort_unstable();
    let mut found = Vec::new();
    for run in hashed
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
    {
        // In file order; each one after the first of its name points at the
        // one before it.
        for (at, &(_, i)) in run.iter().enumerate() {
            let before = run[..at]
                .iter()
                .rev()
                .find(|&&(_, j)| identity(j) == identity(i));
            if let Some(&(_, j)) = before {
                found.push((i, sections[j].header()));
            }
        }
    }
    found.sort_unstable();
    found
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
    fn each_redefinition_points_at_the_one_before_it() {
        let text = "[profile a]\n[sso-session a]\n[profile b]\n[profile a]\n[profile  a]\n[services a]\n[sso-session a]\n[profile a]\n";
        let found = check(&Document::parse(text), FileKind::Config);
        let dups: Vec<(usize, String)> = found
            .iter()
            .filter(|d| d.code == "duplicate-section")
            .map(|d| (d.origin.unwrap().line, d.message.to_string()))
            .collect();
        let at: Vec<(usize, bool)> = dups
            .iter()
            .map(|(line, m)| (*line, m.contains("first at line")))
            .collect();
        assert_eq!(at, [(4, true), (5, true), (7, true), (8, true)]);
        for (line, before) in [(4, 1), (5, 4), (7, 2), (8, 5)] {
            let (_, m) = dups.iter().find(|(l, _)| *l == line).unwrap();
            assert!(
                m.contains(&format!("first at line {before})")),
                "{line}: {m}"
            );
        }
        assert!(
            found
                .iter()
                .filter(|d| d.code == "duplicate-section" && d.origin.unwrap().line != 7)
                .all(|d| d.profile.as_deref() == Some("a"))
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
