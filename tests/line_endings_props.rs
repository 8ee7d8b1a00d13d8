//! Edits never change another profile's effective value, whatever the line
//! endings: files mixing CR, CR LF and LF, with or without a final newline (a
//! bare CR at the end of the file was the fuzzer's find: the newline added after
//! it made a CR LF and changed the value before it). After every edit, every
//! profile the edit is not about has exactly the values it had, as rolecall's
//! reader (which follows the SDKs' profile-parser vectors) sees them.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rolecall::ini::Document;
use rolecall::profile::ProfileSet;
use rolecall::profile::edit::{self, Files, Target};

fn ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("\n"), Just("\r\n"), Just("\r")]
}

/// A line of a config file, without its ending.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => (0..4usize).prop_map(|i| format!("[profile p{i}]")),
        1 => Just("[default]".to_string()),
        6 => ("[a-d]", "[a-z0-9-]{0,6}", prop::bool::ANY)
            .prop_map(|(k, v, cr)| format!("{k} = {v}{}", if cr { "\r" } else { "" })),
        1 => Just("  nested = 1".to_string()),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
    ]
}

/// A file: lines with mixed endings, the last one maybe without.
fn file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((line(), ending()), 0..14),
        prop_oneof![Just(""), Just("\n"), Just("\r\n"), Just("\r")],
    )
        .prop_map(|(lines, last)| {
            let mut text: String = lines.iter().map(|(l, e)| format!("{l}{e}")).collect();
            // The last line's ending replaced by `last` (possibly none).
            if let Some((l, e)) = lines.last() {
                text.truncate(text.len() - l.len() - e.len());
                text.push_str(l);
                text.push_str(last);
            }
            text
        })
}

type Values = BTreeMap<String, BTreeMap<String, String>>;

fn values(set: &ProfileSet) -> Values {
    set.profiles
        .iter()
        .map(|(name, p)| {
            let props = p
                .properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.value.to_string()))
                .collect();
            (name.to_string(), props)
        })
        .collect()
}

fn without(mut v: Values, names: &[&str]) -> Values {
    for n in names {
        v.remove(*n);
    }
    v
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize),
    Unset(usize),
    Add,
    Rename(usize),
    Remove(usize),
}

fn an_edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..8usize).prop_map(Edit::Set),
        (0..8usize).prop_map(Edit::Unset),
        Just(Edit::Add),
        (0..8usize).prop_map(Edit::Rename),
        (0..8usize).prop_map(Edit::Remove),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn edits_leave_every_other_profile_as_it_was(
        config in file(),
        credentials in file(),
        edits in prop::collection::vec(an_edit(), 1..4),
    ) {
        let mut files = Files {
            config: Document::parse(config),
            credentials: Document::parse(credentials),
        };
        for e in edits {
            let before = values(&files.profile_set());
            let names: Vec<String> = before.keys().cloned().collect();
            let pick = |i: usize| names.get(i % names.len().max(1)).cloned();
            let mut f = files.clone();
            let (ok, about): (bool, Vec<String>) = match &e {
                Edit::Set(i) => match pick(*i) {
                    Some(n) => (edit::set(&mut f, Target::Profile(&n), "region", "x-1", None).is_ok(), vec![n]),
                    None => continue,
                },
                Edit::Unset(i) => match pick(*i) {
                    Some(n) => (edit::unset(&mut f, Target::Profile(&n), "a", None).is_ok(), vec![n]),
                    None => continue,
                },
                Edit::Add => (
                    edit::add_profile(&mut f, "added", &[("region".into(), "r".into())]).is_ok(),
                    vec!["added".to_string()],
                ),
                Edit::Rename(i) => match pick(*i) {
                    Some(n) => (edit::rename_profile(&mut f, &n, "renamed", false).is_ok(), vec![n, "renamed".into()]),
                    None => continue,
                },
                Edit::Remove(i) => match pick(*i) {
                    Some(n) => (edit::remove_profile(&mut f, &n, true).is_ok(), vec![n]),
                    None => continue,
                },
            };
            if !ok {
                continue;
            }
            let about: Vec<&str> = about.iter().map(String::as_str).collect();
            let after = values(&f.profile_set());
            prop_assert_eq!(
                without(after, &about),
                without(before, &about),
                "{:?} on config {:?} / credentials {:?}",
                e,
                files.config.text(),
                files.credentials.text()
            );
            files = f;
        }
    }
}
