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

use std::sync::Arc;

use super::document::Line;
use super::shared::Buffer;
use super::{COMMENT, Key, SharedStr, WHITESPACE};

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

/// A `[...]` header and the lines up to the next one. Line numbers and
/// offsets are kept as `u32`s (a document holds at most
/// [`super::document::MAX_BYTES`]): 56 bytes a section rather than 80.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    header: u32,
    end: u32,
    name_bytes: [u32; 2],
    /// The name between the brackets as the SDKs keep it before normalising,
    /// e.g. `profile dev` or ` profile  dev ` (comments removed); a slice of
    /// the document's text.
    pub name: SharedStr,
    /// Properties in file order, duplicates included.
    pub properties: PropertySlice,
    /// The header could not be read (`[profile dev` without `]`); the SDKs refuse the file.
    pub broken: bool,
}

impl Section {
    /// Line index of the header.
    pub fn header(&self) -> usize {
        self.header as usize
    }

    /// Line index just past the section's last line (the next header, or the end).
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Byte range of the text between `[` and `]` in the document.
    pub fn name_bytes(&self) -> Range<usize> {
        self.name_bytes[0] as usize..self.name_bytes[1] as usize
    }
}

/// A section's properties: its part of one list that holds every property of
/// the document, so reading a file allocates once for all of them rather than
/// once per section. Reads as a slice.
#[derive(Clone, Default)]
pub struct PropertySlice {
    all: Option<Arc<Vec<Property>>>,
    range: [u32; 2],
}

impl std::ops::Deref for PropertySlice {
    type Target = [Property];

    fn deref(&self) -> &[Property] {
        match &self.all {
            Some(all) => &all[self.range[0] as usize..self.range[1] as usize],
            None => &[],
        }
    }
}

impl<'a> IntoIterator for &'a PropertySlice {
    type Item = &'a Property;
    type IntoIter = std::slice::Iter<'a, Property>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for PropertySlice {
    fn eq(&self, other: &PropertySlice) -> bool {
        **self == **other
    }
}

impl Eq for PropertySlice {}

impl std::fmt::Debug for PropertySlice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One `key = value` with the continuation or sub-property lines that belong
/// to it. Line numbers and offsets are `u32`s, as in [`Section`], and the
/// continuation lines are found again when asked for rather than kept: 56
/// bytes a property rather than 120.
#[derive(Clone, PartialEq, Eq)]
pub struct Property {
    line: u32,
    end: u32,
    value_start: u32,
    /// An inline comment's byte range; empty when there is none (a comment
    /// has at least its `#` or `;`).
    comment: [u32; 2],
    /// The key, lowercased as the SDKs compare it.
    pub key: Key,
    /// The value (see [`Property::value`]): a range of the document's text, or
    /// the joined lines of a continued value.
    stored: Stored,
    /// The value is empty on the first line, so indented lines are sub-properties.
    pub has_subproperties: bool,
}

/// Where a property's value is.
#[derive(Clone, PartialEq, Eq)]
enum Stored {
    /// On its one line: these bytes of the document's text. No reference
    /// count to raise and lower per property: a file's values cost nothing
    /// to read or to drop.
    Text(u32, u32),
    /// Continued over several lines, joined.
    Joined(SharedStr),
}

impl Property {
    /// Line index of `key = value`.
    pub fn line(&self) -> usize {
        self.line as usize
    }

    /// Line index just past its last continuation or sub-property line.
    pub fn end(&self) -> usize {
        self.end as usize
    }

    /// Byte offset where the first line's value starts (after `=` and spaces).
    pub fn value_start(&self) -> usize {
        self.value_start as usize
    }

    /// Byte range of a comment the SDKs strip from the first line but botocore keeps
    /// in the value (`key = value # note`).
    pub fn inline_comment(&self) -> Option<Range<usize>> {
        let [start, end] = self.comment;
        (start < end).then_some(start as usize..end as usize)
    }

    /// The indented lines under this property (continuations or
    /// sub-properties) of `doc`, the document it was read from: every
    /// indented line up to its end (blank and comment lines between them are
    /// not part of it).
    pub fn continuation_lines<'a>(
        &self,
        doc: &'a super::Document,
    ) -> impl DoubleEndedIterator<Item = usize> + 'a {
        (self.line() + 1..self.end()).filter(|&i| classify(doc.line(i)) == LineKind::Indented)
    }

    /// The value as the SDKs read it: trimmed, comments removed from the first
    /// line, continuation lines joined with `\n`. `doc` is the document this
    /// property was read from.
    pub fn value<'a>(&'a self, doc: &'a super::Document) -> &'a str {
        match &self.stored {
            Stored::Text(start, end) => &doc.text()[*start as usize..*end as usize],
            Stored::Joined(joined) => joined,
        }
    }

    /// [`Property::value`], sharing the document's text instead of copying it.
    pub fn shared_value(&self, doc: &super::Document) -> SharedStr {
        match &self.stored {
            Stored::Text(start, end) => {
                SharedStr::slice(doc.shared_text(), *start as usize..*end as usize)
            }
            Stored::Joined(joined) => joined.clone(),
        }
    }
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
    /// The text is longer than [`super::document::MAX_BYTES`]: it is kept
    /// but not read (rolecall's limit, not the SDKs').
    TooLarge,
}

impl SyntaxErrorKind {
    /// The SDKs' own message for this error.
    pub fn sdk_message(self) -> &'static str {
        match self {
            Self::UnclosedHeader => "Profile definition must end with ']'",
            Self::PropertyOutsideSection
            | Self::ContinuationOutsideSection
            | Self::ByteOrderMark => "Expected a profile definition",
            Self::TooLarge => "The file is larger than 4 GiB, more than rolecall reads",
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
            Self::TooLarge => "move what is not AWS configuration out of the file",
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

/// A `key = value` line read in one pass: the key and value (trimmed) and an
/// inline comment, as byte ranges of the line; `Err` as [`split_property`].
struct PropertyLine {
    key: Range<usize>,
    value: Range<usize>,
    comment: Option<Range<usize>>,
}

/// Reads a property line (its first byte is neither whitespace nor `#`, `;`
/// or `[`) in one pass over its bytes. The same result as [`strip_comment`]
/// (comments need whitespace before them), then [`split_property`], then the
/// comment's range: that composition made five passes over each line.
fn read_property(line: &str) -> Result<PropertyLine, bool> {
    let b = line.as_bytes();
    let mut eq = None;
    let mut cut = b.len();
    let mut from = 0;
    // Vectorised searches from one interesting byte to the next: `=`, `#` and
    // `;` until the `=`, then only the comment characters.
    loop {
        let found = match eq {
            None => memchr::memchr3(b'=', b'#', b';', &b[from..]),
            Some(_) => memchr::memchr2(b'#', b';', &b[from..]),
        };
        let Some(offset) = found else { break };
        let i = from + offset;
        if b[i] == b'=' {
            eq = Some(i);
        } else if i > 0 && follows_whitespace(line, i) {
            cut = i;
            break;
        }
        from = i + 1;
    }
    let kept_end = cut - trailing_ws(&b[..cut]);
    let eq = eq.filter(|&e| e < kept_end).ok_or(false)?;
    let key = trim_range(line, 0..eq);
    if key.is_empty() {
        return Err(true);
    }
    let value = trim_range(line, eq + 1..kept_end);
    let comment_start = kept_end + b[kept_end..].iter().take_while(|&&c| is_ws(c)).count();
    let comment_end = b.len() - trailing_ws(&b[comment_start..]);
    Ok(PropertyLine {
        key,
        value,
        comment: (comment_start < comment_end).then_some(comment_start..comment_end),
    })
}

/// Whether the character before byte `i` of `line` is whitespace (Unicode's,
/// as the SDKs test it).
fn follows_whitespace(line: &str, i: usize) -> bool {
    match line.as_bytes()[i - 1] {
        b'\t'..=b'\r' | b' ' => true,
        c if c.is_ascii() => false,
        _ => line[..i]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace),
    }
}

/// How many spaces and tabs end `b`.
fn trailing_ws(b: &[u8]) -> usize {
    b.iter().rev().take_while(|&&c| is_ws(c)).count()
}

fn trim_range(s: &str, range: Range<usize>) -> Range<usize> {
    // On bytes: spaces and tabs are ASCII, so the ends stay character boundaries.
    let b = &s.as_bytes()[range.clone()];
    let lead = b.iter().take_while(|&&c| is_ws(c)).count();
    let trail = b[lead..].iter().rev().take_while(|&&c| is_ws(c)).count();
    range.start + lead..range.end - trail
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
pub(super) fn analyse(shared: &Arc<Buffer>, lines: &[Line]) -> (Vec<Section>, Vec<SyntaxError>) {
    let text = shared.as_str();
    // Sized once: growing these vectors copied them over and over (a tenth of
    // the parse at 10,000 profiles). Headers are the lines that start with
    // `[` (a hint: a byte-order mark hides the first); the other lines are at
    // most as many properties.
    let headers =
        text.starts_with('[') as usize + memchr::memmem::find_iter(text.as_bytes(), b"\n[").count();
    let mut sections: Vec<Section> = Vec::with_capacity(headers);
    let mut errors = Vec::new();
    let mut state = State::Starting;
    // Every property of the document, in order; each section's range is
    // known when the next header (or the end) comes, and the sections get
    // their slices of the one list at the end. The text is at most
    // `MAX_BYTES` long, so every line number and offset fits a `u32`.
    let mut properties: Vec<Property> = Vec::with_capacity(lines.len() - headers.min(lines.len()));
    let at = |n: usize| n as u32;
    for (index, line) in lines.iter().enumerate() {
        let mut content = &text[line.start()..line.content_end()];
        let mut start = line.start();
        if index == 0
            && let Some(rest) = content.strip_prefix('\u{feff}')
        {
            // The SDKs fail on the mark itself; read the rest of the line as if it
            // were not there so the first section is not lost from view.
            errors.push(SyntaxError {
                line: 0,
                kind: SyntaxErrorKind::ByteOrderMark,
            });
            start += content.len() - rest.len();
            content = rest;
        }
        let error = |kind| SyntaxError { line: index, kind };
        match classify(content) {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Header => {
                if let Some(last) = sections.last_mut() {
                    last.end = at(index);
                    last.properties.range[1] = at(properties.len());
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
                let name = start + inner.start..start + inner.end;
                sections.push(Section {
                    header: at(index),
                    end: at(lines.len()),
                    name_bytes: [at(name.start), at(name.end)],
                    name: SharedStr::slice(shared, name),
                    properties: PropertySlice {
                        all: None,
                        range: [at(properties.len()); 2],
                    },
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
                match read_property(content) {
                    Ok(PropertyLine {
                        key,
                        value,
                        comment,
                    }) => {
                        let comment =
                            comment.map_or([0, 0], |c| [at(start + c.start), at(start + c.end)]);
                        let value_start = start + value.start;
                        properties.push(Property {
                            line: at(index),
                            end: at(index + 1),
                            value_start: at(value_start),
                            comment,
                            key: Key::new(&content[key]),
                            stored: Stored::Text(at(value_start), at(value_start + value.len())),
                            has_subproperties: value.is_empty(),
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
                    let before = match &property.stored {
                        Stored::Text(start, end) => &text[*start as usize..*end as usize],
                        Stored::Joined(joined) => joined.as_str(),
                    };
                    let mut joined = String::with_capacity(before.len() + content.len() + 1);
                    joined.push_str(before);
                    joined.push('\n');
                    joined.push_str(trim_end_ws(trim_start_ws(content)));
                    property.stored = Stored::Joined(joined.into());
                    property.end = at(index + 1);
                }
            },
        }
    }
    if let Some(last) = sections.last_mut() {
        last.properties.range[1] = at(properties.len());
    }
    if !properties.is_empty() {
        let all = Arc::new(properties);
        for section in &mut sections {
            let [from, to] = section.properties.range;
            section.properties = if from < to {
                PropertySlice {
                    all: Some(Arc::clone(&all)),
                    range: [from, to],
                }
            } else {
                PropertySlice::default()
            };
        }
    }
    (sections, errors)
}

#[cfg(test)]
mod tests {
    use super::super::Document;
    use super::*;

    /// The sizes docs/PERFORMANCE.md's memory figures rest on (a million
    /// sections hold a million of each).
    #[test]
    fn records_stay_small() {
        assert_eq!(std::mem::size_of::<Section>(), 56);
        assert_eq!(std::mem::size_of::<Property>(), 56);
        assert_eq!(std::mem::size_of::<super::super::document::Line>(), 12);
    }

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
        assert_eq!(p[0].value(&doc), "v1");
        assert_eq!(&doc.text()[p[0].inline_comment().unwrap()], "; note");
        assert_eq!(p[1].value(&doc), "\nmax = 1\nstyle = path");
        assert!(p[1].has_subproperties);
        assert_eq!(p[1].continuation_lines(&doc).collect::<Vec<_>>(), [4, 6]);
        assert_eq!(p[1].end(), 7);
        assert_eq!(s[1].properties[0].value(&doc), "v");
    }

    /// The one-pass reader agrees with the composition it replaced (strip the
    /// comment, split at `=`, find the comment) on every line of up to five
    /// characters over an alphabet of the characters that matter.
    #[test]
    fn read_property_agrees_with_strip_then_split() {
        let alphabet = ['k', '=', '#', ';', ' ', '\t', '\u{b}', 'é', '\u{3000}'];
        let mut lines = vec![String::new()];
        let mut checked = 0;
        for _ in 0..5 {
            let mut longer = Vec::new();
            for line in &lines {
                for c in alphabet {
                    let mut next = line.clone();
                    next.push(c);
                    longer.push(next);
                }
            }
            for line in &longer {
                if matches!(classify(line), LineKind::Property) {
                    checked += 1;
                    let kept = strip_comment(line, true);
                    let want = split_property(&line[kept.clone()]).map(|(k, v)| {
                        let start = kept.end + line[kept.end..].len()
                            - trim_start_ws(&line[kept.end..]).len();
                        let rest = trim_end_ws(&line[start..]);
                        (k, v, (!rest.is_empty()).then(|| start..start + rest.len()))
                    });
                    let got = read_property(line).map(|p| (p.key, p.value, p.comment));
                    assert_eq!(got, want, "{line:?}");
                }
            }
            lines = longer;
        }
        assert!(checked > 30_000, "{checked}");
    }

    #[test]
    fn value_start_points_at_the_value() {
        let doc = Document::parse("[a]\nkey  =\t value # c\n");
        let p = &doc.sections()[0].properties[0];
        assert_eq!(&doc.text()[p.value_start()..p.value_start() + 5], "value");
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
        assert_eq!(doc.sections()[1].properties[0].value(&doc), "2");
    }

    #[test]
    fn a_refused_line_does_not_cascade() {
        let doc = Document::parse("[a]\nkey : v\n  more\n  more\nok = 1\n");
        assert_eq!(doc.errors().len(), 1);
        assert_eq!(&*doc.sections()[0].properties[0].key, "ok");
    }
}
