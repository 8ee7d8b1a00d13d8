//! Line-level edits that keep everything else byte for byte.
//!
//! Each function takes a document and returns a new one; none of them decides
//! *which* section or property to edit (that is `profile::edit`, which knows the
//! merge rules). They refuse to write anything the two SDK families would read
//! differently: keys outside the identifier set, values with line breaks, values
//! that one family would cut at a comment character.

use super::document::Document;
use super::syntax::{LineKind, Property, Section, classify};
use super::{COMMENT, WHITESPACE};

/// Why an edit was refused. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The key has characters the SDKs drop.
    #[error(
        "'{0}' is not a valid key: use letters, digits and _ - / . % @ : + (the AWS SDKs ignore other keys)"
    )]
    InvalidKey(String),
    /// The value has a line break.
    #[error("the value for '{0}' contains a line break; the config files cannot hold one safely")]
    LineBreak(String),
    /// The value contains something one SDK family reads as a comment.
    #[error(
        "the value for '{key}' contains '{found}', which the AWS SDKs for Rust, Java and Go read as the start of a comment while botocore keeps it; remove the space before it"
    )]
    CommentLike {
        /// The key being set.
        key: String,
        /// The offending text.
        found: String,
    },
    /// The section name has characters the SDKs drop.
    #[error(
        "'{0}' is not a valid name: use letters, digits and _ - / . % @ : + (the AWS SDKs ignore other names)"
    )]
    InvalidName(String),
}

/// Whether `s` is a non-empty identifier as the SDKs define it.
pub fn is_identifier(s: &str) -> bool {
    // Bytes: every allowed character is ASCII, and no byte of a multi-byte
    // character is. A table lookup per byte: every name and key of a file
    // goes through here.
    !s.is_empty() && s.bytes().all(|c| IDENTIFIER_BYTES[usize::from(c)])
}

/// Which bytes may appear in an identifier: ASCII letters and digits and `_ - / . % @ : +`.
static IDENTIFIER_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric()
            || matches!(b, b'_' | b'-' | b'/' | b'.' | b'%' | b'@' | b':' | b'+');
        c += 1;
    }
    table
};

/// Checks a key and value before they are written; returns the lowercased key.
pub fn check_property(key: &str, value: &str) -> Result<String, EditError> {
    if !is_identifier(key) {
        return Err(EditError::InvalidKey(key.to_string()));
    }
    let key = key.to_ascii_lowercase();
    if value.contains(['\r', '\n']) {
        return Err(EditError::LineBreak(key));
    }
    if value.starts_with(COMMENT) {
        return Err(EditError::CommentLike {
            key,
            found: value[..1].to_string(),
        });
    }
    let mut prev_whitespace = false;
    for (i, c) in value.char_indices() {
        if COMMENT.contains(&c) && prev_whitespace {
            let start = value[..i].trim_end_matches(char::is_whitespace).len();
            return Err(EditError::CommentLike {
                key,
                found: value[start..=i].to_string(),
            });
        }
        prev_whitespace = c.is_whitespace();
    }
    Ok(key)
}

/// The separator style of the document (`key = value` or `key=value`), from its first property.
fn separator(doc: &Document) -> &'static str {
    let first = doc.sections().iter().flat_map(|s| &s.properties).next();
    match first {
        Some(p) if !doc.line(p.line()).contains(" =") => "=",
        _ => " = ",
    }
}

/// Lines for a property, in the document's style, ending with the document's newline.
fn property_line(doc: &Document, key: &str, value: &str) -> String {
    let sep = separator(doc);
    let sep = if value.is_empty() {
        sep.trim_end()
    } else {
        sep
    };
    format!("{key}{sep}{value}{}", doc.newline())
}

/// Comment lines among a property's indented lines (`#`/`;` in column 0, or indented),
/// each without its indentation and with its own line ending. An edit that drops the
/// property's lines keeps these, so no comment is ever lost.
fn comments_within(doc: &Document, prop: &Property) -> String {
    (prop.line() + 1..prop.end())
        // An unterminated last line gets an ending too: `replace_property` writes the
        // property after these lines (found by fuzz/: it was joined to the comment).
        .map(|i| {
            let ending = match doc.ending(i) {
                "" => doc.terminator(i),
                ending => ending,
            };
            (doc.line(i).trim_start_matches(WHITESPACE), ending)
        })
        .filter(|(text, _)| text.starts_with(COMMENT))
        .map(|(text, ending)| format!("{text}{ending}"))
        .collect()
}

/// Replaces property `(section, index)` with `key = value`, dropping its continuation
/// lines. A comment that the SDKs would strip from the old line, and comment lines
/// among the dropped ones, move to lines of their own just above, so no comment is
/// lost and none stays inline or indented.
pub fn replace_property(
    doc: &Document,
    section: usize,
    index: usize,
    value: &str,
) -> Result<Document, EditError> {
    let prop = &doc.sections()[section].properties[index];
    check_property(&prop.key, value)?;
    let line = doc.lines()[prop.line()];
    let head = &doc.text()[line.start()..prop.value_start()];
    let head = if value.is_empty() {
        head.trim_end_matches(WHITESPACE).to_string()
    } else if head.ends_with(WHITESPACE) {
        head.to_string()
    } else if head.trim_end_matches('=').ends_with(WHITESPACE) {
        format!("{head} ")
    } else {
        head.to_string()
    };
    let own_ending = match doc.ending(prop.line()) {
        "" => doc.newline(),
        ending => ending,
    };
    let mut out = String::new();
    if let Some(comment) = &prop.inline_comment() {
        out.push_str(&doc.text()[comment.clone()]);
        out.push_str(own_ending);
    }
    out.push_str(&comments_within(doc, prop));
    out.push_str(&head);
    out.push_str(value);
    // The last replaced line decides whether the text goes on after this property.
    if !doc.ending(prop.end() - 1).is_empty() {
        out.push_str(own_ending);
    }
    Ok(doc.splice(prop.line()..prop.end(), &out))
}

/// Adds `key = value` to a section, after its last property and that property's
/// indented lines (or right after the header when it has none).
pub fn insert_property(
    doc: &Document,
    section: usize,
    key: &str,
    value: &str,
) -> Result<Document, EditError> {
    let key = check_property(key, value)?;
    let s = &doc.sections()[section];
    let after = match s.properties.last() {
        Some(p) => p.end() - 1,
        // Indented lines under a header continue no property (the SDKs refuse the
        // file for them). Go below them: above, they would join the new value.
        None => (s.header() + 1..s.end())
            .take_while(|&i| {
                matches!(
                    classify(doc.line(i)),
                    LineKind::Indented | LineKind::Blank | LineKind::Comment
                )
            })
            .filter(|&i| classify(doc.line(i)) == LineKind::Indented)
            .last()
            .unwrap_or(s.header()),
    };
    Ok(insert_after(doc, after, &property_line(doc, &key, value)))
}

/// Inserts `lines` (each ending with the document's newline) after line `after`,
/// giving that line an ending first if it is the last and had none; the text keeps
/// its lack of a final newline in that case.
fn insert_after(doc: &Document, after: usize, lines: &str) -> Document {
    if doc.ending(after).is_empty() {
        let nl = doc.newline();
        let body = lines.strip_suffix(nl).unwrap_or(lines);
        let replacement = format!("{}{}{body}", doc.line(after), doc.terminator(after));
        doc.splice(after..after + 1, &replacement)
    } else {
        doc.splice(after + 1..after + 1, lines)
    }
}

/// Removes property `(section, index)` with its indented lines. Comment lines among
/// them stay, moved to column 0.
pub fn remove_property(doc: &Document, section: usize, index: usize) -> Document {
    let prop = &doc.sections()[section].properties[index];
    let kept = comments_within(doc, prop);
    if kept.is_empty() {
        return remove_lines(doc, prop.line(), prop.end());
    }
    // The kept comments end where the property ended: without a line ending if it
    // was the unterminated last line.
    let kept = if doc.ending(prop.end() - 1).is_empty() {
        kept.trim_end_matches(['\r', '\n'])
    } else {
        &kept
    };
    doc.splice(prop.line()..prop.end(), kept)
}

/// Removes lines `start..end`; when that leaves the text ending without a newline it
/// keeps the earlier style.
/// Removes lines `start..end`. When the removed block held the unterminated last
/// line, the new last line loses its ending so the file still ends the way it
/// did, but only when that ending is the newline an append would put back, the
/// most common one of the file as it is then: a line ending otherwise (a CR LF
/// in a file of LFs) keeps it, since it could never be restored. (The newline
/// is counted after the removal: the removed lines may have been most of one
/// kind, and an append after them must give the line its own ending back.)
fn remove_lines(doc: &Document, start: usize, end: usize) -> Document {
    if end == doc.lines().len() && start > 0 && doc.ending(end - 1).is_empty() {
        let keep = doc.line(start - 1).to_string();
        let unterminated = doc.splice(start - 1..end, &keep);
        if doc.ending(start - 1) == unterminated.newline() {
            return unterminated;
        }
    }
    doc.splice(start..end, "")
}

/// Renames a section: only the text between its brackets changes.
pub fn rename_section(doc: &Document, section: usize, new_name: &str) -> Document {
    let s = &doc.sections()[section];
    let line = doc.lines()[s.header()];
    let text = doc.text();
    let content = format!(
        "{}{}{}{}",
        &text[line.start()..s.name_bytes().start],
        new_name,
        &text[s.name_bytes().end..line.content_end()],
        &text[line.content_end()..line.end()]
    );
    doc.splice(s.header()..s.header() + 1, &content)
}

/// The lines a section owns for deletion: its header, its body, comments right under
/// its last line (a commented-out key) and the blank lines after them. It does not own
/// a comment block that sits directly on the next header (it describes that section),
/// nor comments set apart by a blank line: those belong to the file, such as the
/// `# BEGIN_AWS_SSO_CLI` / `# END_AWS_SSO_CLI` markers other tools rely on.
pub fn section_span(doc: &Document, section: &Section) -> (usize, usize) {
    let kind = |i: usize| classify(doc.line(i));
    let content_end = (section.header() + 1..section.end())
        .rev()
        .find(|&i| !matches!(kind(i), LineKind::Blank | LineKind::Comment))
        .map_or(section.header() + 1, |i| i + 1);
    let mut end = content_end;
    while end < section.end() && kind(end) == LineKind::Comment {
        end += 1;
    }
    if end == section.end() && end < doc.lines().len() {
        end = content_end;
    }
    while end < section.end() && kind(end) == LineKind::Blank {
        end += 1;
    }
    (section.header(), end)
}

/// Removes a section (see [`section_span`]). Removing the last section also removes
/// the blank lines that separated it from what came before.
pub fn remove_section(doc: &Document, section: usize) -> Document {
    let s = &doc.sections()[section];
    let (mut start, end) = section_span(doc, s);
    if end == doc.lines().len() {
        while start > 0 && doc.line(start - 1).trim_matches(WHITESPACE).is_empty() {
            start -= 1;
        }
    }
    remove_lines(doc, start, end)
}

/// Appends a section: one blank line before it (unless the file is empty or already
/// ends with a blank line), then `[header]` and `body` lines (each without ending).
pub fn append_section(doc: &Document, header: &str, body: &[String]) -> Document {
    append_sections(doc, &[(header.to_string(), body.to_vec())])
}

/// Appends several sections at once (one parse for all), each as
/// [`append_section`] would, with one blank line between them.
pub fn append_sections(doc: &Document, sections: &[(String, Vec<String>)]) -> Document {
    let nl = doc.newline();
    let mut out = String::new();
    let n = doc.lines().len();
    let mut needs_blank = n > 0 && !doc.line(n - 1).trim_matches(WHITESPACE).is_empty();
    if n > 0 && doc.lacks_final_newline() {
        out.push_str(doc.terminator(n - 1));
    }
    for (header, body) in sections {
        if needs_blank {
            out.push_str(nl);
        }
        out.push('[');
        out.push_str(header);
        out.push(']');
        out.push_str(nl);
        for line in body {
            out.push_str(line);
            out.push_str(nl);
        }
        needs_blank = true;
    }
    let mut text = doc.text().to_string();
    text.push_str(&out);
    Document::parse(text)
}

/// The body lines of a new section holding `properties`, in the document's style.
pub fn property_lines(doc: &Document, properties: &[(String, String)]) -> Vec<String> {
    properties
        .iter()
        .map(|(k, v)| {
            let line = property_line(doc, k, v);
            line.trim_end_matches(['\r', '\n']).to_string()
        })
        .collect()
}

/// The headers (`profile dev`, `default`, or `""` for the lines before the first
/// section) whose text differs between `a` and `b`: what an edit, or another
/// program's write, touched. Trailing blank lines do not count (appending a
/// section adds one to the section before it).
pub fn changed_sections(a: &Document, b: &Document) -> std::collections::BTreeSet<String> {
    use std::collections::BTreeMap;
    fn parts(d: &Document) -> BTreeMap<&str, Vec<&str>> {
        let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let text = |lines: std::ops::Range<usize>| -> &str {
            let Some(last) = lines.end.checked_sub(1).filter(|_| !lines.is_empty()) else {
                return "";
            };
            let start = d.lines()[lines.start].start();
            d.text()[start..d.lines()[last].end()].trim_end_matches([' ', '\t', '\r', '\n'])
        };
        let first = d.sections().first().map_or(d.lines().len(), |s| s.header());
        map.entry("").or_default().push(text(0..first));
        for s in d.sections() {
            map.entry(&s.name)
                .or_default()
                .push(text(s.header()..s.end()));
        }
        map
    }
    let (pa, pb) = (parts(a), parts(b));
    pa.keys()
        .chain(pb.keys())
        .filter(|k| pa.get(*k) != pb.get(*k))
        .map(|k| k.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(s: &str) -> Document {
        Document::parse(s)
    }

    #[test]
    fn append_sections_at_once_matches_one_by_one() {
        for text in ["", "[a]\nx = 1", "[a]\r\nx = 1\r\n\r\n", "# c\n"] {
            let d = doc(text);
            let s = |h: &str| (h.to_string(), vec![format!("k = {h}")]);
            let both = append_sections(&d, &[s("p"), s("q")]);
            let one = append_section(&append_section(&d, "p", &s("p").1), "q", &s("q").1);
            assert_eq!(both.text(), one.text(), "{text:?}");
        }
    }

    #[test]
    fn replace_keeps_key_spacing_and_moves_inline_comment_up() {
        let d = doc("[a]\nRegion  =  us-east-1 # prod\nx = 1\n");
        let d = replace_property(&d, 0, 0, "eu-west-1").unwrap();
        assert_eq!(d.text(), "[a]\n# prod\nRegion  =  eu-west-1\nx = 1\n");
    }

    #[test]
    fn replace_drops_continuation_lines_only() {
        let d = doc("[a]\ns3 =\n  max = 1\n  y = 2\nnext = 1\n");
        let d = replace_property(&d, 0, 0, "plain").unwrap();
        assert_eq!(d.text(), "[a]\ns3 = plain\nnext = 1\n");
    }

    #[test]
    fn replace_last_line_without_newline() {
        let d = doc("[a]\nk=v");
        assert_eq!(replace_property(&d, 0, 0, "w").unwrap().text(), "[a]\nk=w");
        let d = doc("[a]\nk = v\n  cont");
        assert_eq!(
            replace_property(&d, 0, 0, "w").unwrap().text(),
            "[a]\nk = w"
        );
    }

    #[test]
    fn insert_goes_after_the_last_property_and_its_indented_lines() {
        let d = doc("[a]\nx = 1\ns3 =\n  max = 1\n\n  style = path\n# trailing\n\n[b]\n");
        let d = insert_property(&d, 0, "region", "us-east-1").unwrap();
        assert_eq!(
            d.text(),
            "[a]\nx = 1\ns3 =\n  max = 1\n\n  style = path\nregion = us-east-1\n# trailing\n\n[b]\n"
        );
    }

    #[test]
    fn replace_keeps_a_last_indented_comment_on_its_own_line() {
        let d = doc("[a]\ns3 =\n  max = 1\n  # note");
        let d = replace_property(&d, 0, 0, "x").unwrap();
        assert_eq!(d.text(), "[a]\n# note\ns3 = x");
        assert_eq!(d.sections()[0].properties[0].value(&d), "x");
        let d = doc("[a]\ns3 =\n  # note");
        assert_eq!(remove_property(&d, 0, 0).text(), "[a]\n# note");
    }

    #[test]
    fn insert_goes_below_indented_lines_that_continue_nothing() {
        // Found by fuzz/: above `  orphan` the new value became "us-east-1\norphan".
        let d = doc("[a]\n  orphan\n# note\n[b]\n");
        let d = insert_property(&d, 0, "region", "us-east-1").unwrap();
        assert_eq!(d.text(), "[a]\n  orphan\nregion = us-east-1\n# note\n[b]\n");
        assert_eq!(d.sections()[0].properties[0].value(&d), "us-east-1");
        let d = doc("[a]\n# note\n[b]\n");
        let d = insert_property(&d, 0, "region", "x").unwrap();
        assert_eq!(d.text(), "[a]\nregion = x\n# note\n[b]\n");
    }

    #[test]
    fn insert_follows_the_file_style() {
        let d = doc("[a]\r\nx=1\r\n[b]\r\n");
        let d = insert_property(&d, 1, "Y", "2").unwrap();
        assert_eq!(d.text(), "[a]\r\nx=1\r\n[b]\r\ny=2\r\n");
        let d = doc("[a]\nx = 1");
        assert_eq!(
            insert_property(&d, 0, "y", "2").unwrap().text(),
            "[a]\nx = 1\ny = 2"
        );
    }

    #[test]
    fn refuses_what_the_families_read_differently() {
        let d = doc("[a]\n");
        assert!(matches!(
            insert_property(&d, 0, "in valid", "x"),
            Err(EditError::InvalidKey(_))
        ));
        assert!(matches!(
            insert_property(&d, 0, "k", "a\nb"),
            Err(EditError::LineBreak(_))
        ));
        assert!(matches!(
            insert_property(&d, 0, "k", "a\rb"),
            Err(EditError::LineBreak(_))
        ));
        assert!(matches!(
            insert_property(&d, 0, "k", "a #b"),
            Err(EditError::CommentLike { .. })
        ));
        assert!(matches!(
            insert_property(&d, 0, "k", ";b"),
            Err(EditError::CommentLike { .. })
        ));
        assert!(insert_property(&d, 0, "k", "a#b;c").is_ok());
    }

    #[test]
    fn remove_property_takes_its_indented_lines() {
        let d = doc("[a]\ns3 =\n  max = 1\nx = 1\n");
        assert_eq!(remove_property(&d, 0, 0).text(), "[a]\nx = 1\n");
        // The file still ends without a newline.
        let d = doc("[a]\nx = 1\ny = 2");
        assert_eq!(remove_property(&d, 0, 1).text(), "[a]\nx = 1");
        let d = doc("[a]\r\nx = 1\r\ny = 2");
        assert_eq!(remove_property(&d, 0, 1).text(), "[a]\r\nx = 1");
    }

    #[test]
    fn rename_changes_only_the_name() {
        let d = doc("[profile  old] # keep\r\nx = 1\r\n");
        let s = d.sections()[0].clone();
        let renamed = rename_section(&d, 0, "profile new");
        assert_eq!(s.name, "profile  old");
        assert_eq!(renamed.text(), "[profile new] # keep\r\nx = 1\r\n");
    }

    #[test]
    fn remove_section_leaves_neighbours_and_their_comments() {
        let d = doc("[a]\nx = 1\n\n[b]\ny = 2\n\n# about c\n[c]\nz = 3\n");
        assert_eq!(
            remove_section(&d, 1).text(),
            "[a]\nx = 1\n\n# about c\n[c]\nz = 3\n"
        );
        assert_eq!(
            remove_section(&d, 2).text(),
            "[a]\nx = 1\n\n[b]\ny = 2\n\n# about c\n"
        );
        let d = doc("[a]\nx = 1\n\n[b]\ny = 2");
        assert_eq!(remove_section(&d, 1).text(), "[a]\nx = 1");
        // Removing the last section then appending one keeps the CR LF of the line
        // before in a file of LFs (found by tests/roundtrip_props.rs).
        let d = doc("[a]\nx = 1\r\n[b]\ny = 2\nz = 3");
        let d = append_section(&remove_section(&d, 1), "c", &["z = 3".to_string()]);
        assert_eq!(d.text(), "[a]\nx = 1\r\n\n[c]\nz = 3\n");
    }

    #[test]
    fn comments_among_indented_lines_survive_replace_and_remove() {
        let d = doc("[a]\ns3 =\n  max = 1\n# tuned\n  ; why\n  style = path\nx = 1\n");
        assert_eq!(
            replace_property(&d, 0, 0, "plain").unwrap().text(),
            "[a]\n# tuned\n; why\ns3 = plain\nx = 1\n"
        );
        assert_eq!(
            remove_property(&d, 0, 0).text(),
            "[a]\n# tuned\n; why\nx = 1\n"
        );
        let d = doc("[a]\ns3 =\n# c\n  max = 1");
        assert_eq!(remove_property(&d, 0, 0).text(), "[a]\n# c");
    }

    #[test]
    fn free_standing_comments_after_a_section_are_not_its_own() {
        let text = "[profile a]\nx = 1\n\n# END_AWS_SSO_CLI\n\n[profile b]\ny = 2\n# old = 3\n\n# vim: ft=dosini\n";
        let d = doc(text);
        assert_eq!(section_span(&d, &d.sections()[0]), (0, 3));
        assert_eq!(
            remove_section(&d, 0).text(),
            "# END_AWS_SSO_CLI\n\n[profile b]\ny = 2\n# old = 3\n\n# vim: ft=dosini\n"
        );
        assert_eq!(section_span(&d, &d.sections()[1]), (5, 9));
        assert_eq!(
            remove_section(&d, 1).text(),
            "[profile a]\nx = 1\n\n# END_AWS_SSO_CLI\n\n# vim: ft=dosini\n"
        );
    }

    /// Found by fuzzing: a newline added after a bare CR at the end of the file
    /// made a CR LF and so changed another profile's value (`us-east-1\r` became
    /// `us-east-1`).
    #[test]
    fn a_bare_cr_at_the_end_stays_in_its_line() {
        let region = |d: &Document| d.sections()[0].properties[0].value(d).to_string();
        let d = doc("[default]\nregion = us-east-1\r");
        assert_eq!(region(&d), "us-east-1\r");
        let appended = append_section(&d, "profile b", &["region = x".to_string()]);
        assert_eq!(region(&appended), "us-east-1\r");
        assert_eq!(
            appended.text(),
            "[default]\nregion = us-east-1\r\r\n\n[profile b]\nregion = x\n"
        );
        let inserted = insert_property(&d, 0, "output", "json").unwrap();
        assert_eq!(region(&inserted), "us-east-1\r");
        assert_eq!(
            inserted.sections()[0].properties[1].value(&inserted),
            "json"
        );
        let d = doc("[a]\ns3 =\n  # note\r");
        let replaced = replace_property(&d, 0, 0, "x").unwrap();
        assert_eq!(replaced.text(), "[a]\n# note\r\r\ns3 = x");
    }

    #[test]
    fn changed_sections_names_what_differs() {
        let a = doc("# top\n[default]\nregion = x\n[profile b]\nk = 1");
        let appended = append_section(&a, "profile c", &["k = 2".to_string()]);
        let names: Vec<String> = changed_sections(&a, &appended).into_iter().collect();
        assert_eq!(names, ["profile c"]);
        let edited = replace_property(&a, 0, 0, "y").unwrap();
        let names: Vec<String> = changed_sections(&a, &edited).into_iter().collect();
        assert_eq!(names, ["default"]);
        assert!(changed_sections(&a, &a).is_empty());
        let top = doc("# other\n[default]\nregion = x\n[profile b]\nk = 1");
        let names: Vec<String> = changed_sections(&a, &top).into_iter().collect();
        assert_eq!(names, [""]);
    }

    #[test]
    fn append_section_adds_one_blank_line() {
        let body = vec!["k = v".to_string()];
        assert_eq!(
            append_section(&doc(""), "default", &body).text(),
            "[default]\nk = v\n"
        );
        assert_eq!(
            append_section(&doc("[a]\nx = 1"), "b", &body).text(),
            "[a]\nx = 1\n\n[b]\nk = v\n"
        );
        assert_eq!(
            append_section(&doc("[a]\n\n"), "b", &body).text(),
            "[a]\n\n[b]\nk = v\n"
        );
        assert_eq!(
            append_section(&doc("[a]\r\n"), "b", &[]).text(),
            "[a]\r\n\r\n[b]\r\n"
        );
    }
}
