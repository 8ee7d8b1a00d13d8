//! The grammar the AWS SDKs for Rust, Java and Go share, read line by line.
//!
//! Mirrors their parser exactly (the shared test vectors pin it down): blank lines
//! and column-0 `#`/`;` comments are skipped; `[` starts a section header; a line
//! that starts with a space or tab continues the previous property (or, after
//! `key =` with an empty value, is a `name = value` sub-property); anything else is
//! `key = value`, keys lowercased. Where those SDKs stop at the first bad line,
//! this module records the error and reads on, so one bad line never hides the
//! rest of the file. It keeps line numbers, never values' meaning: prefixes,
//! name validation and merging belong to `profile::normalize`.

use std::ops::Range;

use super::document::Line;
use super::{COMMENT, WHITESPACE};

// The byte scans in this module (`is_ws`, `classify`, `strip_comment`) hard-code these.
const _: () = assert!(
    WHITESPACE.len() == 2
        && WHITESPACE[0] == ' '
        && WHITESPACE[1] == '\t'
        && COMMENT.len() == 2
        && COMMENT[0] == '#'
        && COMMENT[1] == ';',
    "the byte scans below assume WHITESPACE = [' ', '\\t'] and COMMENT = ['#', ';']"
);

/// A `[...]` header and the lines up to the next one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Line index of the header.
    pub header: usize,
    /// The name between the brackets as the SDKs keep it before normalising,
    /// e.g. `profile dev` or ` profile  dev ` (comments removed).
    pub name: String,
    /// Byte range of the text between `[` and `]` in the document.
    pub name_bytes: Range<usize>,
    /// Line index just past the section's last line (the next header, or the end).
    pub end: usize,
    /// Properties in file order, duplicates included.
    pub properties: Vec<Property>,
    /// The header could not be read (`[profile dev` without `]`); the SDKs refuse the file.
    pub broken: bool,
}

/// One `key = value` with the continuation or sub-property lines that belong to it.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    /// Line index of `key = value`.
    pub line: usize,
    /// Line index just past its last continuation or sub-property line.
    pub end: usize,
    /// The key, lowercased as the SDKs compare it.
    pub key: std::sync::Arc<str>,
    /// The value as the SDKs read it: trimmed, comments removed from the first line,
    /// continuation lines joined with `\n`.
    pub value: std::sync::Arc<str>,
    /// Byte offset where the first line's value starts (after `=` and spaces).
    pub value_start: usize,
    /// Byte range of a comment the SDKs strip from the first line but botocore keeps
    /// in the value (`key = value # note`).
    pub inline_comment: Option<Range<usize>>,
    /// Indented lines under this property (continuations or sub-properties).
    pub continuation_lines: Vec<usize>,
    /// The value is empty on the first line, so indented lines are sub-properties.
    pub has_subproperties: bool,
}

impl std::fmt::Debug for Property {
    /// Leaves the value out: it may be a secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Property")
            .field("line", &self.line)
            .field("end", &self.end)
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// Keys most files repeat on every profile, shared rather than allocated again.
const COMMON_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "region",
    "output",
    "role_arn",
    "source_profile",
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
    "sso_session",
    "sso_account_id",
    "sso_role_name",
    "sso_start_url",
    "sso_region",
    "sso_registration_scopes",
    "credential_process",
    "web_identity_token_file",
    "services",
    "endpoint_url",
];

/// A key, lowercased as the SDKs compare keys, shared when it is a common one.
fn intern_key(raw: &str) -> std::sync::Arc<str> {
    static SHARED: std::sync::LazyLock<Vec<std::sync::Arc<str>>> = std::sync::LazyLock::new(|| {
        COMMON_KEYS
            .iter()
            .map(|k| std::sync::Arc::from(*k))
            .collect()
    });
    if raw.bytes().any(|b| b.is_ascii_uppercase()) {
        return raw.to_ascii_lowercase().into();
    }
    match SHARED.iter().find(|k| ***k == *raw) {
        Some(k) => k.clone(),
        None => raw.into(),
    }
}

/// A line the SDKs for Rust, Java and Go refuse (each refuses the whole file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Line index (0-based) of the offending line.
    pub line: usize,
    /// What is wrong with it.
    pub kind: SyntaxErrorKind,
}

/// The kinds of lines the SDK parsers refuse, with their own wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// `[profile dev` without the closing bracket.
    UnclosedHeader,
    /// A property before any section header.
    PropertyOutsideSection,
    /// An indented line before any section header.
    ContinuationOutsideSection,
    /// An indented line right after a header, with no property to continue.
    ContinuationWithoutProperty,
    /// A property line without `=`.
    MissingEquals,
    /// `= value` without a key.
    MissingName,
    /// A sub-property line without `=`.
    SubPropertyMissingEquals,
    /// A sub-property line `= value` without a name.
    SubPropertyMissingName,
    /// The file starts with a UTF-8 byte-order mark, which the SDKs read as text.
    ByteOrderMark,
}

impl SyntaxErrorKind {
    /// The SDKs' own message for this error.
    pub fn sdk_message(self) -> &'static str {
        match self {
            Self::UnclosedHeader => "Profile definition must end with ']'",
            Self::PropertyOutsideSection
            | Self::ContinuationOutsideSection
            | Self::ByteOrderMark => "Expected a profile definition",
            Self::ContinuationWithoutProperty => {
                "Expected a property definition, found continuation"
            }
            Self::MissingEquals => "Expected an '=' sign defining a property",
            Self::MissingName => "Property did not have a name",
            Self::SubPropertyMissingEquals => "Expected an '=' sign defining a sub-property",
            Self::SubPropertyMissingName => "Sub-property did not have a name",
        }
    }

    /// How to fix it, for a user.
    pub fn fix(self) -> &'static str {
        match self {
            Self::UnclosedHeader => "close the header with ']', e.g. [profile dev]",
            Self::PropertyOutsideSection => {
                "move the line under a section header such as [default] or [profile NAME]"
            }
            Self::ContinuationOutsideSection | Self::ContinuationWithoutProperty => {
                "remove the leading spaces, or put the line under the property it continues"
            }
            Self::MissingEquals => "write it as 'key = value' (':' is not accepted)",
            Self::MissingName => "put the key before '=', e.g. region = us-east-1",
            Self::SubPropertyMissingEquals | Self::SubPropertyMissingName => {
                "write indented lines under 'key =' as 'name = value'"
            }
            Self::ByteOrderMark => "save the file as UTF-8 without a byte-order mark (BOM)",
        }
    }
}

/// Classification of a line, in the order the SDK parser tests it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// Only spaces and tabs.
    Blank,
    /// `#` or `;` in column 0.
    Comment,
    /// Starts with `[`.
    Header,
    /// Starts with a space or tab and is not blank.
    Indented,
    /// Anything else: a `key = value` line.
    Property,
}

/// Classifies a line's content (without its line ending).
pub fn classify(content: &str) -> LineKind {
    // Byte tests: WHITESPACE and COMMENT are ASCII, and this runs for every line.
    match content.as_bytes().first() {
        _ if content.bytes().all(is_ws) => LineKind::Blank,
        Some(b'#' | b';') => LineKind::Comment,
        Some(b'[') => LineKind::Header,
        Some(b' ' | b'\t') => LineKind::Indented,
        _ => LineKind::Property,
    }
}

/// Whether a byte is one of [`WHITESPACE`].
fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// `s` without leading [`WHITESPACE`] (a byte scan: faster than a `char` pattern).
fn trim_start_ws(s: &str) -> &str {
    &s[s.bytes().take_while(|&b| is_ws(b)).count()..]
}

/// `s` without trailing [`WHITESPACE`].
fn trim_end_ws(s: &str) -> &str {
    &s[..s.len() - s.bytes().rev().take_while(|&b| is_ws(b)).count()]
}

/// Trims spaces and tabs and removes a trailing comment, as the SDKs do. Returns the
/// kept part as a byte range of `line`. In property lines a comment needs whitespace
/// before it; in headers it does not.
pub fn strip_comment(line: &str, comments_need_whitespace: bool) -> Range<usize> {
    let trimmed = trim_start_ws(line);
    let lead = line.len() - trimmed.len();
    let trimmed = trim_end_ws(trimmed);
    // The first `#` or `;` (ASCII, so always a char boundary) that is at the start,
    // or after any Unicode whitespace when comments need whitespace.
    let bytes = trimmed.as_bytes();
    let mut from = 0;
    let cut = loop {
        let Some(offset) = memchr::memchr2(b'#', b';', &bytes[from..]) else {
            break bytes.len();
        };
        let idx = from + offset;
        let after_whitespace = trimmed[..idx]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        if after_whitespace || !comments_need_whitespace {
            break idx;
        }
        from = idx + 1;
    };
    let kept = trim_end_ws(&trimmed[..cut]);
    lead..lead + kept.len()
}

/// Splits `key = value` (already comment-stripped) into trimmed key and value ranges
/// relative to `part`.
fn split_property(part: &str) -> Result<(Range<usize>, Range<usize>), bool> {
    let eq = memchr::memchr(b'=', part.as_bytes()).ok_or(false)?;
    let key = trim_range(part, 0..eq);
    if key.is_empty() {
        return Err(true);
    }
    Ok((key, trim_range(part, eq + 1..part.len())))
}

fn trim_range(s: &str, range: Range<usize>) -> Range<usize> {
    let inner = &s[range.clone()];
    let start_trimmed = trim_start_ws(inner);
    let start = range.start + (inner.len() - start_trimmed.len());
    let end = start + trim_end_ws(start_trimmed).len();
    start..end
}

enum State {
    Starting,
    InSection {
        /// Index into `properties` of the property indented lines continue.
        property: Option<usize>,
        /// The last property line was refused: its indented lines are not reported again.
        after_error: bool,
    },
}

/// Reads the grammar of a document's lines.
pub(super) fn analyse(text: &str, lines: &[Line]) -> (Vec<Section>, Vec<SyntaxError>) {
    let mut sections: Vec<Section> = Vec::new();
    let mut errors = Vec::new();
    let mut state = State::Starting;
    // The properties of the section being read, moved into it in one exact-size
    // allocation when the next header (or the end) comes: no vector growing
    // section by section.
    let mut properties: Vec<Property> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let mut content = &text[line.start..line.content_end];
        let mut line = *line;
        if index == 0
            && let Some(rest) = content.strip_prefix('\u{feff}')
        {
            // The SDKs fail on the mark itself; read the rest of the line as if it
            // were not there so the first section is not lost from view.
            errors.push(SyntaxError {
                line: 0,
                kind: SyntaxErrorKind::ByteOrderMark,
            });
            line.start += content.len() - rest.len();
            content = rest;
        }
        let error = |kind| SyntaxError { line: index, kind };
        match classify(content) {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Header => {
                if let Some(last) = sections.last_mut() {
                    last.end = index;
                    // Not `mem::take`: the scratch keeps its room, the section
                    // gets exactly what it needs.
                    last.properties = Vec::with_capacity(properties.len());
                    last.properties.append(&mut properties);
                }
                let kept = strip_comment(content, false);
                let kept_text = &content[kept.clone()];
                let broken = !kept_text.ends_with(']') || kept_text.len() < 2;
                let inner = if broken {
                    errors.push(error(SyntaxErrorKind::UnclosedHeader));
                    kept.start + 1..kept.end
                } else {
                    kept.start + 1..kept.end - 1
                };
                sections.push(Section {
                    header: index,
                    name: content[inner.clone()].to_string(),
                    name_bytes: line.start + inner.start..line.start + inner.end,
                    end: lines.len(),
                    properties: Vec::new(),
                    broken,
                });
                state = State::InSection {
                    property: None,
                    after_error: false,
                };
            }
            LineKind::Property => {
                let State::InSection { .. } = state else {
                    errors.push(error(SyntaxErrorKind::PropertyOutsideSection));
                    continue;
                };
                let kept = strip_comment(content, true);
                let part = &content[kept.clone()];
                match split_property(part) {
                    Ok((key, value)) => {
                        let comment_start = kept.end + content[kept.end..].len()
                            - trim_start_ws(&content[kept.end..]).len();
                        let rest = trim_end_ws(&content[comment_start..]);
                        let inline_comment = (!rest.is_empty()).then(|| {
                            line.start + comment_start..line.start + comment_start + rest.len()
                        });
                        let value_text = &part[value.clone()];
                        properties.push(Property {
                            line: index,
                            end: index + 1,
                            key: intern_key(&part[key]),
                            value: value_text.into(),
                            value_start: line.start + kept.start + value.start,
                            inline_comment,
                            continuation_lines: Vec::new(),
                            has_subproperties: value_text.is_empty(),
                        });
                        state = State::InSection {
                            property: Some(properties.len() - 1),
                            after_error: false,
                        };
                    }
                    Err(no_name) => {
                        errors.push(error(if no_name {
                            SyntaxErrorKind::MissingName
                        } else {
                            SyntaxErrorKind::MissingEquals
                        }));
                        state = State::InSection {
                            property: None,
                            after_error: true,
                        };
                    }
                }
            }
            LineKind::Indented => match state {
                State::Starting => errors.push(error(SyntaxErrorKind::ContinuationOutsideSection)),
                State::InSection {
                    property: None,
                    after_error,
                } => {
                    if !after_error {
                        errors.push(error(SyntaxErrorKind::ContinuationWithoutProperty));
                        state = State::InSection {
                            property: None,
                            after_error: true,
                        };
                    }
                }
                State::InSection {
                    property: Some(p), ..
                } => {
                    let property = &mut properties[p];
                    if property.has_subproperties
                        && let Err(no_name) = split_property(&content[strip_comment(content, true)])
                    {
                        errors.push(error(if no_name {
                            SyntaxErrorKind::SubPropertyMissingName
                        } else {
                            SyntaxErrorKind::SubPropertyMissingEquals
                        }));
                    }
                    let mut joined =
                        String::with_capacity(property.value.len() + content.len() + 1);
                    joined.push_str(&property.value);
                    joined.push('\n');
                    joined.push_str(trim_end_ws(trim_start_ws(content)));
                    property.value = joined.into();
                    property.continuation_lines.push(index);
                    property.end = index + 1;
                }
            },
        }
    }
    if let Some(last) = sections.last_mut() {
        last.properties = properties;
        last.properties.shrink_to_fit();
    }
    (sections, errors)
}

#[cfg(test)]
mod tests {
    use super::super::Document;
    use super::*;

    fn first_error(text: &str) -> Option<SyntaxErrorKind> {
        Document::parse(text).errors().first().map(|e| e.kind)
    }

    #[test]
    fn strips_comments_like_the_sdks() {
        let cut = |s: &str, ws| s[strip_comment(s, ws)].to_string();
        assert_eq!(
            cut("name = value # Comment with # sign", true),
            "name = value"
        );
        assert_eq!(
            cut("name = value#Comment # sign", true),
            "name = value#Comment"
        );
        assert_eq!(cut("name = value#Comment # sign", false), "name = value");
        assert_eq!(cut("  [profile a] ; c", false), "[profile a]");
    }

    #[test]
    fn reads_sections_properties_and_continuations() {
        let doc = Document::parse(
            "# top\n[profile a] # c\nName = v1 ; note\ns3 =\n  max = 1\n\n  style = path\n[default]\nk=v\n",
        );
        assert!(doc.errors().is_empty());
        let s = doc.sections();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "profile a");
        assert_eq!(s[0].header, 1);
        assert_eq!(s[0].end, 7);
        let p = &s[0].properties;
        assert_eq!(&*p[0].key, "name");
        assert_eq!(&*p[0].value, "v1");
        assert_eq!(&doc.text()[p[0].inline_comment.clone().unwrap()], "; note");
        assert_eq!(&*p[1].value, "\nmax = 1\nstyle = path");
        assert!(p[1].has_subproperties);
        assert_eq!(p[1].continuation_lines, vec![4, 6]);
        assert_eq!(p[1].end, 7);
        assert_eq!(&*s[1].properties[0].value, "v");
    }

    #[test]
    fn value_start_points_at_the_value() {
        let doc = Document::parse("[a]\nkey  =\t value # c\n");
        let p = &doc.sections()[0].properties[0];
        assert_eq!(&doc.text()[p.value_start..p.value_start + 5], "value");
    }

    #[test]
    fn reports_the_sdk_errors_and_reads_on() {
        assert_eq!(
            first_error("[profile foo"),
            Some(SyntaxErrorKind::UnclosedHeader)
        );
        assert_eq!(
            first_error("name = value"),
            Some(SyntaxErrorKind::PropertyOutsideSection)
        );
        assert_eq!(
            first_error("[a]\nkey : v"),
            Some(SyntaxErrorKind::MissingEquals)
        );
        assert_eq!(first_error("[a]\n= v"), Some(SyntaxErrorKind::MissingName));
        assert_eq!(
            first_error("[a]\n x"),
            Some(SyntaxErrorKind::ContinuationWithoutProperty)
        );
        assert_eq!(
            first_error(" x"),
            Some(SyntaxErrorKind::ContinuationOutsideSection)
        );
        assert_eq!(
            first_error("[a]\ns3 =\n bad"),
            Some(SyntaxErrorKind::SubPropertyMissingEquals)
        );
        let doc = Document::parse("[a\nx = 1\n[b]\ny = 2\n");
        assert_eq!(doc.errors().len(), 1);
        assert_eq!(&*doc.sections()[1].properties[0].value, "2");
    }

    #[test]
    fn a_refused_line_does_not_cascade() {
        let doc = Document::parse("[a]\nkey : v\n  more\n  more\nok = 1\n");
        assert_eq!(doc.errors().len(), 1);
        assert_eq!(&*doc.sections()[0].properties[0].key, "ok");
    }
}
