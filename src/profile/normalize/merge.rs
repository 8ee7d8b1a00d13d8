//! Sections merged into profiles: first within each file, then the two files.
//!
//! A file's sections become `(name, section)` entries in file order; a stable
//! sort by name brings the sections of one name together, still in file
//! order, and they fold into one (the last value of a key wins). Then the
//! credentials file's entries fold into the config file's in one pass over
//! the two sorted lists. No hash table: files list most profiles in name order
//! already, which makes each sort a single pass. A file's part depends on that
//! file alone, so `profile::view` works out the two parts on two threads.

use crate::ini::edit::is_identifier;
use crate::ini::{Document, SharedStr};
use crate::profile::{
    Diagnostic, FileKind, Origin, ProfileSet, Section, SectionMap, Severity, Value,
};

use super::{Header, SectionClass, classify_header, classify_section, suggest_name};

/// One file's profiles, sso-sessions and services, each merged within the file.
pub(crate) struct FilePart {
    /// Profiles, sso-sessions and services: sorted by name, each name once.
    sections: [Vec<(SharedStr, Section)>; 3],
    /// What the file's lines make the SDKs refuse or ignore, in line order.
    diagnostics: Vec<Diagnostic>,
}

/// The sections of `doc`, merged within the file.
pub(crate) fn file_part(doc: &Document, file: FileKind) -> FilePart {
    let mut diagnostics = Vec::new();
    for error in doc.errors() {
        if error.kind == crate::ini::syntax::SyntaxErrorKind::TooLarge {
            diagnostics.push(Diagnostic {
                sdk_refuses_file: true,
                ..Diagnostic::at(
                    Severity::Error,
                    "too-large",
                    file,
                    1,
                    format!(
                        "{}: none of its profiles are shown",
                        error.kind.sdk_message()
                    ),
                    error.kind.fix(),
                )
            });
            continue;
        }
        diagnostics.push(Diagnostic {
            sdk_refuses_file: true,
            ..Diagnostic::at(
                Severity::Error,
                "sdk-refuses-file",
                file,
                error.line + 1,
                format!(
                    "{} (the AWS SDKs refuse the whole {} file because of this line)",
                    error.kind.sdk_message(),
                    file.as_str()
                ),
                error.kind.fix(),
            )
        });
    }
    // A broken `[profile default` header is not read, so it hides nothing (as in
    // `edit::sections_of`; found by fuzz/: `set` wrote to a [default] hidden here).
    // Headers are classified again below rather than kept (24 MB at a million).
    let has_prefixed_default = doc.sections().iter().any(|s| {
        !s.broken
            && matches!(
                classify_header(file, &s.name),
                Header::Profile {
                    prefixed_default: true,
                    ..
                }
            )
    });
    let mut sections: [Vec<(SharedStr, Section)>; 3] = Default::default();
    sections[0].reserve(doc.sections().len());
    for section in doc.sections() {
        if section.broken {
            continue;
        }
        let header = classify_header(file, &section.name);
        let origin = Origin {
            file,
            line: section.header() + 1,
        };
        let (kind, name) = match header {
            Header::Profile {
                name,
                prefixed_default,
            } => {
                if has_prefixed_default && name == "default" && !prefixed_default {
                    diagnostics.push(
                        Diagnostic::at(
                            Severity::Warning,
                            "default-shadowed",
                            file,
                            origin.line,
                            "[default] is ignored by the AWS SDKs because [profile default] is also present (botocore and the AWS CLI read whichever comes last instead)",
                            "merge the two into one [default] section",
                        )
                        .for_profile("default"),
                    );
                    continue;
                }
                (0, name)
            }
            Header::SsoSession(name) => (1, name),
            Header::Services(name) => (2, name),
            Header::Ignored => {
                let SectionClass::Ignored { why, fix, foreign } =
                    classify_section(file, &section.name)
                else {
                    unreachable!("classify_section agrees with classify_header");
                };
                let severity = if foreign {
                    Severity::Info
                } else {
                    Severity::Warning
                };
                diagnostics.push(Diagnostic::at(
                    severity,
                    "section-ignored",
                    file,
                    origin.line,
                    why,
                    fix,
                ));
                continue;
            }
        };
        let mut target = Section::default();
        read_section(&mut target, doc, section, origin, &mut diagnostics);
        sections[kind].push((section.name.sub(name), target));
    }
    for list in &mut sections {
        fold_repeats(list);
    }
    FilePart {
        sections,
        diagnostics,
    }
}

/// The two files' parts merged: the credentials file's values win.
pub(crate) fn combine(config: Option<FilePart>, credentials: Option<FilePart>) -> ProfileSet {
    let mut set = ProfileSet::default();
    let mut lists: [Vec<(SharedStr, Section)>; 3] = Default::default();
    for part in [config, credentials].into_iter().flatten() {
        set.diagnostics.extend(part.diagnostics);
        for (list, later) in lists.iter_mut().zip(part.sections) {
            *list = merge_sorted(std::mem::take(list), later);
        }
    }
    let [profiles, sso_sessions, services] = lists;
    set.profiles = SectionMap::from_sorted(profiles);
    set.sso_sessions = SectionMap::from_sorted(sso_sessions);
    set.services = SectionMap::from_sorted(services);
    set
}

/// Sorts `list` by name, stably, and folds the sections of each name into the
/// first of them, in file order.
fn fold_repeats(list: &mut Vec<(SharedStr, Section)>) {
    sort_by_name(list);
    // `dedup_by` passes the later entry first and the one kept second.
    list.dedup_by(|later, kept| {
        if later.0 != kept.0 {
            return false;
        }
        absorb(&mut kept.1, std::mem::take(&mut later.1));
        true
    });
}

/// Sorts `list` by name, stably. The positions are sorted and the entries
/// then moved once each: sorting the entries themselves moved each one many
/// times and needed room for half of them again (36 MB at a million).
fn sort_by_name(list: &mut [(SharedStr, Section)]) {
    if list.is_sorted_by(|a, b| a.0 <= b.0) {
        return;
    }
    let mut order: Vec<usize> = (0..list.len()).collect();
    // Equal names in file order, as a stable sort would leave them.
    order.sort_unstable_by(|&a, &b| list[a].0.cmp(&list[b].0).then(a.cmp(&b)));
    // `order[i]` is the entry that belongs at `i`: follow each cycle once.
    for start in 0..order.len() {
        let mut at = start;
        while order[at] != start {
            let from = order[at];
            list.swap(at, from);
            order[at] = at;
            at = from;
        }
        order[at] = at;
    }
}

/// `earlier` and `later`, both sorted by name with each name once, as one
/// sorted list; a section in both gets `later`'s values on top.
fn merge_sorted(
    earlier: Vec<(SharedStr, Section)>,
    later: Vec<(SharedStr, Section)>,
) -> Vec<(SharedStr, Section)> {
    if earlier.is_empty() {
        return later;
    }
    if later.is_empty() {
        return earlier;
    }
    let mut out = Vec::with_capacity(earlier.len() + later.len());
    let mut earlier = earlier.into_iter().peekable();
    let mut later = later.into_iter().peekable();
    loop {
        let order = match (earlier.peek(), later.peek()) {
            (Some(a), Some(b)) => a.0.cmp(&b.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => break,
        };
        match order {
            std::cmp::Ordering::Less => out.extend(earlier.next()),
            std::cmp::Ordering::Greater => out.extend(later.next()),
            std::cmp::Ordering::Equal => {
                let (mut kept, (_, on_top)) = (
                    earlier.next().expect("peeked"),
                    later.next().expect("peeked"),
                );
                absorb(&mut kept.1, on_top);
                out.push(kept);
            }
        }
    }
    out
}

/// Folds `later` (a section of the same name, read after `kept`) into `kept`.
fn absorb(kept: &mut Section, later: Section) {
    kept.headers.extend(later.headers);
    kept.properties.extend(later.properties);
}

/// Reads one section's properties into `target`; keys the SDKs ignore become
/// findings instead.
fn read_section(
    target: &mut Section,
    doc: &Document,
    section: &crate::ini::Section,
    origin: Origin,
    diagnostics: &mut Vec<Diagnostic>,
) {
    target.headers.push(origin);
    target.properties.reserve(section.properties.len());
    for prop in &section.properties {
        let at = Origin {
            file: origin.file,
            line: prop.line() + 1,
        };
        if !prop.key.is_common() && !is_identifier(&prop.key) {
            diagnostics.push(Diagnostic::at(
                Severity::Warning,
                "key-ignored",
                at.file,
                at.line,
                format!(
                    "key '{}' is ignored by the AWS SDKs: keys may only contain letters, digits and _ - / . % @ : +",
                    prop.key
                ),
                format!("rename it, e.g. {}", suggest_name(&prop.key)),
            ));
            continue;
        }
        target.properties.insert(
            prop.key.clone(),
            Value {
                value: prop.shared_value(doc),
                origin: at,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[(SharedStr, Section)]) -> Vec<&str> {
        list.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn sorting_by_name_is_stable_and_moves_every_entry_once_into_place() {
        // Every permutation of five names, two of them equal: the same order
        // as a stable sort of the entries themselves.
        let names = ["c", "a", "b", "a", "d"];
        let mut order: Vec<usize> = (0..names.len()).collect();
        let mut seen = 0;
        permutations(&mut order, 0, &mut |perm| {
            let mut list: Vec<(SharedStr, Section)> = perm
                .iter()
                .map(|&i| {
                    let mut s = Section::default();
                    s.headers.push(Origin {
                        file: FileKind::Config,
                        line: i,
                    });
                    (SharedStr::from(names[i]), s)
                })
                .collect();
            let mut expected = list.clone();
            expected.sort_by(|a, b| a.0.cmp(&b.0));
            sort_by_name(&mut list);
            assert_eq!(list, expected, "{perm:?}");
            seen += 1;
        });
        assert_eq!(seen, 120);
    }

    fn permutations(v: &mut Vec<usize>, k: usize, f: &mut dyn FnMut(&[usize])) {
        if k == v.len() {
            return f(v);
        }
        for i in k..v.len() {
            v.swap(k, i);
            permutations(v, k + 1, f);
            v.swap(k, i);
        }
    }

    #[test]
    fn repeated_sections_fold_in_file_order() {
        let doc = Document::parse(
            "[profile b]\nregion = 1\nk = a\n[profile a]\nx = 1\n[profile b]\nregion = 2\n[sso-session s]\nsso_region = r\n[profile b]\nk = c\n",
        );
        let part = file_part(&doc, FileKind::Config);
        assert_eq!(names(&part.sections[0]), ["a", "b"]);
        assert_eq!(names(&part.sections[1]), ["s"]);
        let b = &part.sections[0][1].1;
        assert_eq!((b.get("region"), b.get("k")), (Some("2"), Some("c")));
        let lines: Vec<usize> = b.headers.iter().map(|o| o.line).collect();
        assert_eq!(lines, [1, 6, 10]);
    }

    #[test]
    fn the_credentials_file_wins_and_both_lists_stay_sorted() {
        let config = Document::parse("[profile a]\nregion = c\n[profile c]\nx = 1\n");
        let credentials = Document::parse("[b]\nx = 2\n[a]\nregion = k\n[d]\n");
        let set = combine(
            Some(file_part(&config, FileKind::Config)),
            Some(file_part(&credentials, FileKind::Credentials)),
        );
        let names: Vec<&str> = set.profiles.keys().map(|k| k.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d"]);
        let a = &set.profiles["a"];
        assert_eq!(a.get("region"), Some("k"));
        assert_eq!(
            a.properties.get("region").map(|v| v.origin.file),
            Some(FileKind::Credentials)
        );
        let files: Vec<FileKind> = a.headers.iter().map(|o| o.file).collect();
        assert_eq!(files, [FileKind::Config, FileKind::Credentials]);
    }
}
