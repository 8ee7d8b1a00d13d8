//! The document: the file's exact text, its lines, and their grammar.
//!
//! Lines end at `\n`; a `\r` right before it belongs to the line ending, so CRLF,
//! LF and mixed files keep each line's own ending. The last line may have none.
//! Nothing here ever rewrites text: [`Document::splice`] is the one way to make a
//! new document, and it copies every byte outside the replaced lines.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::shared::Buffer;
use super::syntax::{self, Section, SyntaxError, SyntaxErrorKind};

/// One line of a document, as byte offsets into its text. Offsets are kept
/// as `u32`s (12 bytes a line rather than 24): a document holds at most
/// [`MAX_BYTES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    start: u32,
    content_end: u32,
    end: u32,
}

impl Line {
    /// First byte of the line.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// End of the line's content, before its line ending.
    pub fn content_end(self) -> usize {
        self.content_end as usize
    }

    /// End of the line, after its line ending (`\n` or `\r\n`), if any.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// How many bytes its line ending has: 0, 1 (LF) or 2 (CR LF).
    fn ending_len(self) -> u32 {
        self.end - self.content_end
    }
}

/// The largest text a document is parsed from: 4 GiB less one byte, so that
/// every offset fits a `u32`. A larger text keeps every byte but has no
/// lines or sections, and one error that says why
/// ([`SyntaxErrorKind::TooLarge`]).
pub const MAX_BYTES: usize = u32::MAX as usize;

/// A parsed file. `document.to_string()` is always exactly the text it was made from.
///
/// Immutable (edits make new documents), so a clone shares the parse: the TUI
/// keeps the documents it shows beside the ones it read without a second copy.
#[derive(Clone, PartialEq, Eq)]
pub struct Document(Arc<Parsed>);

#[derive(PartialEq, Eq)]
struct Parsed {
    /// Shared with the names and values read from it ([`super::SharedStr`]).
    text: Arc<Buffer>,
    lines: Vec<Line>,
    sections: Vec<Section>,
    errors: Vec<SyntaxError>,
}

/// The file is not UTF-8; nothing was parsed and nothing will be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "line {line}, byte {column}: the file is not valid UTF-8; save it as UTF-8 (the AWS SDKs only read UTF-8)"
)]
pub struct NotUtf8 {
    /// 1-based line of the first invalid byte.
    pub line: usize,
    /// 1-based byte column of the first invalid byte.
    pub column: usize,
}

impl Document {
    /// Parses text. Never fails: problems are recorded as [`SyntaxError`]s.
    pub fn parse(text: impl Into<String>) -> Document {
        Document::parse_up_to(text.into(), MAX_BYTES)
    }

    /// [`Document::parse`], reading text of at most `limit` bytes (at most
    /// [`MAX_BYTES`]; tests use less than 4 GiB).
    fn parse_up_to(text: String, limit: usize) -> Document {
        let text = Buffer::new(text);
        if text.len() > limit.min(MAX_BYTES) {
            return Document(Arc::new(Parsed {
                text,
                lines: Vec::new(),
                sections: Vec::new(),
                errors: vec![SyntaxError {
                    line: 0,
                    kind: SyntaxErrorKind::TooLarge,
                }],
            }));
        }
        let lines = split_lines(&text);
        let (sections, errors) = syntax::analyse(&text, &lines);
        Document(Arc::new(Parsed {
            text,
            lines,
            sections,
            errors,
        }))
    }

    /// Parses bytes read from a file, refusing anything that is not UTF-8.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Document, NotUtf8> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Document::parse(text)),
            Err(err) => {
                let bytes = err.as_bytes();
                let bad = err.utf8_error().valid_up_to();
                let before = &bytes[..bad];
                let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
                let line_start = before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1);
                Err(NotUtf8 {
                    line,
                    column: bad - line_start + 1,
                })
            }
        }
    }

    /// The whole text, byte for byte as it was read or edited.
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// The whole text, shared: names and values read from it are slices of it.
    pub fn shared_text(&self) -> &Arc<Buffer> {
        &self.0.text
    }

    /// All lines, in order.
    pub fn lines(&self) -> &[Line] {
        &self.0.lines
    }

    /// The content of line `index` (0-based), without its line ending.
    pub fn line(&self, index: usize) -> &str {
        let line = self.0.lines[index];
        &self.0.text[line.start()..line.content_end()]
    }

    /// The line ending of line `index`: `"\n"`, `"\r\n"` or `""` for a last line without one.
    pub fn ending(&self, index: usize) -> &str {
        let line = self.0.lines[index];
        &self.0.text[line.content_end()..line.end()]
    }

    /// Sections in file order, duplicates included.
    pub fn sections(&self) -> &[Section] {
        &self.0.sections
    }

    /// Lines the AWS SDKs for Rust, Java and Go would refuse, in file order.
    /// The first one is the error those SDKs report for the whole file.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.0.errors
    }

    /// The line ending new lines should use: the file's most common one (LF when tied or none).
    pub fn newline(&self) -> &'static str {
        let crlf = self.0.lines.iter().filter(|l| l.ending_len() == 2).count();
        let lf = self.0.lines.iter().filter(|l| l.ending_len() == 1).count();
        if crlf > lf { "\r\n" } else { "\n" }
    }

    /// The ending to give line `index` when it is the unterminated last line and
    /// text is about to follow it: the file's newline, except after a line that
    /// ends with a bare CR, where `\n` alone would join that CR into a CR LF
    /// ending and change the line's content (a value `x\r` would become `x`).
    /// `\r\n` keeps the CR in the content for the SDKs; botocore, which reads a
    /// bare CR as a line break, sees the same lines as before.
    pub fn terminator(&self, index: usize) -> &'static str {
        if self.line(index).ends_with('\r') {
            "\r\n"
        } else {
            self.newline()
        }
    }

    /// Whether the text ends without a line ending (and is not empty).
    pub fn lacks_final_newline(&self) -> bool {
        self.0.lines.last().is_some_and(|l| l.ending_len() == 0)
    }

    /// Replaces whole lines `lines` with `replacement` (which carries its own line endings)
    /// and returns the new document. Every byte outside those lines is copied unchanged.
    pub fn splice(&self, lines: Range<usize>, replacement: &str) -> Document {
        let start = self
            .0
            .lines
            .get(lines.start)
            .map_or(self.0.text.len(), |l| l.start());
        let end = if lines.end == 0 {
            start
        } else {
            self.0.lines[lines.end - 1].end()
        };
        let mut text = String::with_capacity(self.0.text.len() + replacement.len());
        text.push_str(&self.0.text[..start]);
        text.push_str(replacement);
        text.push_str(&self.0.text[end.max(start)..]);
        Document::parse(text)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.text)
    }
}

impl fmt::Debug for Document {
    /// Shows the shape only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("bytes", &self.0.text.len())
            .field("lines", &self.0.lines.len())
            .field("sections", &self.0.sections.len())
            .field("errors", &self.0.errors)
            .finish()
    }
}

/// The lines of `text` (at most [`MAX_BYTES`] long, so offsets fit).
fn split_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    // Counted first (a vectorised scan), so the vector is allocated once; one
    // iterator over the whole text then finds the ends without a search set up
    // per line.
    let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', bytes) {
        let content_end = if nl > start && bytes[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        lines.push(Line {
            start: start as u32,
            content_end: content_end as u32,
            end: (nl + 1) as u32,
        });
        start = nl + 1;
    }
    if start < bytes.len() {
        lines.push(Line {
            start: start as u32,
            content_end: bytes.len() as u32,
            end: bytes.len() as u32,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_line_ending_style() {
        let text = "[default]\r\nregion = x\nout = y\r\n\r\nlast";
        let doc = Document::parse(text);
        assert_eq!(doc.to_string(), text);
        assert_eq!(doc.lines().len(), 5);
        assert_eq!(doc.ending(0), "\r\n");
        assert_eq!(doc.ending(1), "\n");
        assert_eq!(doc.line(3), "");
        assert_eq!(doc.ending(4), "");
        assert!(doc.lacks_final_newline());
        assert_eq!(doc.newline(), "\r\n");
    }

    #[test]
    fn lone_carriage_return_stays_in_the_line() {
        let doc = Document::parse("a = b\rc\n");
        assert_eq!(doc.line(0), "a = b\rc");
        assert_eq!(doc.lines().len(), 1);
    }

    #[test]
    fn empty_text_has_no_lines() {
        let doc = Document::parse("");
        assert!(doc.lines().is_empty());
        assert!(!doc.lacks_final_newline());
        assert_eq!(doc.newline(), "\n");
    }

    #[test]
    fn non_utf8_names_line_and_column() {
        let err = Document::from_bytes(b"[default]\nregion = \xff\n".to_vec()).unwrap_err();
        assert_eq!(
            err,
            NotUtf8 {
                line: 2,
                column: 10
            }
        );
        assert!(err.to_string().contains("not valid UTF-8"));
    }

    #[test]
    fn splice_copies_everything_outside_the_lines() {
        let doc = Document::parse("a\nb\nc");
        assert_eq!(doc.splice(1..2, "B\n").text(), "a\nB\nc");
        assert_eq!(doc.splice(3..3, "\nd").text(), "a\nb\nc\nd");
        assert_eq!(doc.splice(0..0, "z\n").text(), "z\na\nb\nc");
        assert_eq!(doc.splice(0..3, "").text(), "");
    }

    #[test]
    fn text_over_the_limit_is_kept_whole_and_not_read() {
        let text = "[default]\nregion = x\n";
        let doc = Document::parse_up_to(text.to_string(), text.len() - 1);
        assert_eq!(doc.to_string(), text);
        assert!(doc.lines().is_empty() && doc.sections().is_empty());
        assert_eq!(doc.errors()[0].kind, SyntaxErrorKind::TooLarge);
        let set = crate::profile::view(Some(&doc), None);
        assert!(set.profiles.is_empty() && set.refused_by_sdk());
        let finding = set.first_refusal().unwrap();
        assert_eq!(finding.code, "too-large");
        assert!(finding.message.to_string().contains("larger than 4 GiB"));
        // At the limit, it is read.
        let doc = Document::parse_up_to(text.to_string(), text.len());
        assert_eq!(doc.sections().len(), 1);
    }

    #[test]
    fn debug_does_not_show_values() {
        let doc = Document::parse("[default]\naws_secret_access_key = hunter2\n");
        assert!(!format!("{doc:?}").contains("hunter2"));
    }
}
