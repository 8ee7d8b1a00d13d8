//! Realistic files from `tests/corpus/` (as Granted, aws-sso-cli, aws-sso-util,
//! awsume and Leapp write them, and as people edit them by hand) read back
//! byte for byte, normalise to the profiles they hold, and survive every kind of
//! profile edit with only the lines the edit is about changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rolecall::ini::Document;
use rolecall::ini::syntax::{LineKind, classify};
use rolecall::profile::edit::{self, Files, Target};
use rolecall::profile::normalize::{SectionClass, classify_section};
use rolecall::profile::{FileKind, ProfileSet, Severity, portability};

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("cannot read corpus file {}: {e}", path.display()));
    String::from_utf8(bytes).unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"))
}

/// One corpus entry: a config file and, optionally, the credentials file beside it.
struct Corpus {
    config: &'static str,
    credentials: Option<&'static str>,
}

impl Corpus {
    fn files(&self) -> Files {
        Files {
            config: Document::parse(read(self.config)),
            credentials: Document::parse(self.credentials.map(read).unwrap_or_default()),
        }
    }

    fn label(&self) -> String {
        match self.credentials {
            Some(c) => format!("{} + {c}", self.config),
            None => self.config.to_string(),
        }
    }
}

/// A profile edit, as the `profile` commands make them.
#[derive(Clone, Debug)]
enum Edit {
    Set(&'static str, &'static str, &'static str),
    Unset(&'static str, &'static str),
    Add(&'static str, &'static [(&'static str, &'static str)]),
    Rename(&'static str, &'static str),
    Copy(&'static str, &'static str),
    Remove(&'static str),
}

fn apply(files: &mut Files, e: &Edit) {
    let result = match *e {
        Edit::Set(p, k, v) => edit::set(files, Target::Profile(p), k, v, None).map(drop),
        Edit::Unset(p, k) => edit::unset(files, Target::Profile(p), k, None).map(drop),
        Edit::Add(name, props) => {
            let props: Vec<(String, String)> = props
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            edit::add_profile(files, name, &props)
        }
        Edit::Rename(old, new) => edit::rename_profile(files, old, new, true).map(drop),
        Edit::Copy(from, to) => edit::copy_profile(files, from, to),
        Edit::Remove(name) => edit::remove_profile(files, name, true),
    };
    result.unwrap_or_else(|err| panic!("{e:?} was refused: {err}"));
}

const FILES: [FileKind; 2] = [FileKind::Config, FileKind::Credentials];

/// Sections (indexes) of `profile` in `doc`, duplicates and hidden ones included.
fn sections(doc: &Document, file: FileKind, profile: &str) -> Vec<usize> {
    edit::sections_of(doc, file, Target::Profile(profile), false)
}

/// Lines of `doc` an edit may change or drop. Everything else must survive.
fn affected_lines(before: &Files, file: FileKind, e: &Edit, written: FileKind) -> BTreeSet<usize> {
    let doc = before.get(file);
    let mut lines = BTreeSet::new();
    let mut take = |range: std::ops::Range<usize>| lines.extend(range);
    match *e {
        Edit::Set(p, k, _) if file == written => {
            let effective = edit::sections_of(doc, file, Target::Profile(p), true);
            let last = effective.iter().rev().find_map(|&si| {
                doc.sections()[si]
                    .properties
                    .iter()
                    .rev()
                    .find(|prop| &*prop.key == k)
            });
            if let Some(prop) = last {
                take(prop.line()..prop.end());
            }
        }
        Edit::Unset(p, k) => {
            for si in sections(doc, file, p) {
                for prop in doc.sections()[si]
                    .properties
                    .iter()
                    .filter(|q| &*q.key == k)
                {
                    take(prop.line()..prop.end());
                }
            }
        }
        Edit::Rename(old, new) => {
            for si in sections(doc, file, old) {
                take(doc.sections()[si].header()..doc.sections()[si].header() + 1);
            }
            // Profiles that pointed at the old name follow it.
            let set = before.profile_set();
            for (dep, _) in set.profiles.iter().filter(|(n, p)| {
                n.as_str() != old && n.as_str() != new && p.get("source_profile") == Some(old)
            }) {
                for si in sections(doc, file, dep) {
                    for prop in &doc.sections()[si].properties {
                        if &*prop.key == "source_profile" && prop.value(doc) == old {
                            take(prop.line()..prop.end());
                        }
                    }
                }
            }
        }
        Edit::Remove(name) => {
            for si in sections(doc, file, name) {
                let s = &doc.sections()[si];
                let mut start = s.header();
                while start > 0 && classify(doc.line(start - 1)) == LineKind::Blank {
                    start -= 1;
                }
                take(start..s.end());
            }
        }
        Edit::Set(..) | Edit::Add(..) | Edit::Copy(..) => {}
    }
    lines
}

/// Asserts that the lines of `before` outside `skip` appear in `after` in the same
/// order, byte for byte. A line may gain a line ending if it was the unterminated
/// last line, or lose it if it became the last line.
fn assert_lines_kept(label: &str, before: &Document, after: &Document, skip: &BTreeSet<usize>) {
    let mut next = 0;
    for i in (0..before.lines().len()).filter(|i| !skip.contains(i)) {
        let (content, ending) = (before.line(i), before.ending(i));
        let found = (next..after.lines().len()).find(|&j| {
            after.line(j) == content
                && (after.ending(j) == ending || ending.is_empty() || after.ending(j).is_empty())
        });
        match found {
            Some(j) => next = j + 1,
            None => panic!(
                "{label}: line {} {content:?} was lost or moved\n--- before ---\n{}\n--- after ---\n{}",
                i + 1,
                before.text(),
                after.text()
            ),
        }
    }
}

/// Comment texts in `doc` outside `skip`: column-0 comments, indented comment
/// lines and inline comments after values, each trimmed.
fn comments(doc: &Document, skip: &BTreeSet<usize>) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for i in (0..doc.lines().len()).filter(|i| !skip.contains(i)) {
        let trimmed = doc.line(i).trim_matches([' ', '\t']);
        if trimmed.starts_with(['#', ';']) {
            *out.entry(trimmed.to_string()).or_default() += 1;
        }
    }
    for s in doc.sections() {
        for p in &s.properties {
            if let Some(c) = &p.inline_comment()
                && !skip.contains(&p.line())
            {
                *out.entry(doc.text()[c.clone()].to_string()).or_default() += 1;
            }
        }
    }
    out
}

/// The lines of a removed section that describe it: its header, body and any comment
/// right under its last property. Comments set apart by a blank line, and comments
/// sitting on the next header, belong to the file or to the next section.
fn owned_by_section(doc: &Document, file: FileKind, name: &str) -> BTreeSet<usize> {
    let mut owned = BTreeSet::new();
    for si in sections(doc, file, name) {
        let s = &doc.sections()[si];
        let content_end = (s.header() + 1..s.end())
            .rev()
            .find(|&i| !matches!(classify(doc.line(i)), LineKind::Blank | LineKind::Comment))
            .map_or(s.header() + 1, |i| i + 1);
        let mut end = content_end;
        while end < s.end() && classify(doc.line(end)) == LineKind::Comment {
            end += 1;
        }
        if end == s.end() && s.end() < doc.lines().len() {
            end = content_end;
        }
        owned.extend(s.header()..end);
    }
    owned
}

/// Findings that matter for "did the edit make things worse": (file, code, profile).
fn findings(files: &Files) -> BTreeMap<(Option<FileKind>, &'static str, Option<String>), usize> {
    let mut diagnostics = files.profile_set().diagnostics;
    for file in FILES {
        diagnostics.extend(portability::check(files.get(file), file));
    }
    let mut out = BTreeMap::new();
    for d in diagnostics
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
    {
        *out.entry((
            d.origin.map(|o| o.file),
            d.code,
            d.profile.map(|p| p.to_string()),
        ))
        .or_default() += 1;
    }
    out
}

fn syntax_errors(doc: &Document) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for e in doc.errors() {
        *out.entry((format!("{:?}", e.kind), doc.line(e.line).to_string()))
            .or_default() += 1;
    }
    out
}

fn assert_included<K: Ord + std::fmt::Debug>(
    label: &str,
    what: &str,
    before: &BTreeMap<K, usize>,
    after: &BTreeMap<K, usize>,
) {
    for (k, &n) in after {
        let had = before.get(k).copied().unwrap_or(0);
        assert!(
            n <= had,
            "{label}: new {what}: {k:?} ({had} before, {n} after)"
        );
    }
}

/// Runs one edit on a fresh copy of the files and checks everything it must not break.
fn check_edit(corpus: &Corpus, e: &Edit) -> Files {
    let before = corpus.files();
    let mut after = before.clone();
    apply(&mut after, e);
    let label = format!("{} / {e:?}", corpus.label());

    // Which file did a `set` write to? The one whose text changed.
    let written = if before.config != after.config {
        FileKind::Config
    } else {
        FileKind::Credentials
    };
    for file in FILES {
        let (b, a) = (before.get(file), after.get(file));
        let label = format!("{label} [{}]", file.as_str());

        assert_eq!(Document::parse(a.text()), *a, "{label}: re-parse differs");
        assert_eq!(Document::parse(a.text()).to_string(), a.text());
        assert_included(&label, "syntax error", &syntax_errors(b), &syntax_errors(a));

        let skip = affected_lines(&before, file, e, written);
        assert_lines_kept(&label, b, a, &skip);

        let exempt = match *e {
            Edit::Remove(name) => owned_by_section(b, file, name),
            _ => BTreeSet::new(),
        };
        let (cb, ca) = (comments(b, &exempt), comments(a, &BTreeSet::new()));
        for (text, &n) in &cb {
            let now = ca.get(text).copied().unwrap_or(0);
            assert!(
                now >= n,
                "{label}: comment {text:?} lost\n--- after ---\n{}",
                a.text()
            );
        }
    }

    // No new findings. A rename carries the old name's findings to the new name;
    // a copy may carry over what the source already had.
    let mut allowed = findings(&before);
    match *e {
        Edit::Rename(old, new) => {
            allowed = allowed
                .into_iter()
                .map(|((f, c, p), n)| {
                    let p = p.map(|p| if p == old { new.to_string() } else { p });
                    ((f, c, p), n)
                })
                .fold(BTreeMap::new(), |mut m, (k, n)| {
                    *m.entry(k).or_default() += n;
                    m
                });
        }
        Edit::Copy(from, to) => {
            let extra: Vec<_> = allowed
                .iter()
                .filter(|((_, _, p), _)| p.as_deref() == Some(from))
                .map(|((f, c, _), n)| ((*f, *c, Some(to.to_string())), *n))
                .collect();
            allowed.extend(extra);
        }
        _ => {}
    }
    assert_included(&label, "finding", &allowed, &findings(&after));
    after
}

/// Sections by name, values without their origins.
fn plain(sections: &rolecall::profile::SectionMap) -> BTreeMap<&str, BTreeMap<&str, &str>> {
    sections
        .iter()
        .map(|(n, s)| {
            let props = s
                .properties
                .iter()
                .map(|(k, v)| (&**k, &*v.value))
                .collect();
            (n.as_str(), props)
        })
        .collect()
}

fn value<'a>(set: &'a ProfileSet, profile: &str, key: &str) -> Option<&'a str> {
    set.profiles.get(profile).and_then(|p| p.get(key))
}

/// What every corpus file must hold, and the edits to try on it.
struct Expect {
    profiles: &'static [&'static str],
    values: &'static [(&'static str, &'static str, &'static str)],
    sso_sessions: &'static [&'static str],
    services: &'static [&'static str],
    /// Lines that other tools rely on: exactly one of each, before and after every edit.
    markers: &'static [&'static str],
    edits: &'static [Edit],
}

fn check_corpus(corpus: Corpus, expect: Expect) {
    let files = corpus.files();
    let label = corpus.label();
    for (doc, name) in [
        (&files.config, Some(corpus.config)),
        (&files.credentials, corpus.credentials),
    ] {
        if let Some(name) = name {
            assert_eq!(doc.to_string(), read(name), "{name} does not round-trip");
        }
    }

    let set = files.profile_set();
    let names: Vec<&str> = set.profiles.keys().map(|n| n.as_str()).collect();
    let mut want: Vec<&str> = expect.profiles.to_vec();
    want.sort_unstable();
    assert_eq!(names, want, "{label}: profiles");
    for &(p, k, v) in expect.values {
        assert_eq!(value(&set, p, k), Some(v), "{label}: {p}.{k}");
    }
    let sessions: Vec<&str> = set.sso_sessions.keys().map(|n| n.as_str()).collect();
    assert_eq!(sessions, expect.sso_sessions, "{label}: sso-sessions");
    let services: Vec<&str> = set.services.keys().map(|n| n.as_str()).collect();
    assert_eq!(services, expect.services, "{label}: services");

    let count = |f: &Files, marker: &str| {
        FILES
            .iter()
            .flat_map(|&k| (0..f.get(k).lines().len()).map(move |i| (k, i)))
            .filter(|&(k, i)| f.get(k).line(i) == marker)
            .count()
    };
    for m in expect.markers {
        assert_eq!(count(&files, m), 1, "{label}: marker {m:?}");
    }
    for e in expect.edits {
        let after = check_edit(&corpus, e);
        for m in expect.markers {
            assert_eq!(
                count(&after, m),
                1,
                "{label} / {e:?}: marker {m:?} not kept exactly once\n{}",
                after.config.text()
            );
        }
        check_effect(&files, &after, e);
    }
}

/// The edit did what it says, seen through `normalize`.
fn check_effect(before: &Files, after: &Files, e: &Edit) {
    let (b, a) = (before.profile_set(), after.profile_set());
    let props = |s: &ProfileSet, p: &str| -> BTreeMap<String, String> {
        s.profiles[p]
            .properties
            .iter()
            .map(|(k, v)| (k.to_string(), v.value.to_string()))
            .collect()
    };
    match *e {
        Edit::Set(p, k, v) => {
            assert_eq!(value(&a, p, k), Some(v), "{e:?}");
            let mut want = props(&b, p);
            want.insert(k.to_string(), v.to_string());
            assert_eq!(props(&a, p), want, "{e:?}");
        }
        Edit::Unset(p, k) => {
            assert_eq!(value(&a, p, k), None, "{e:?}");
            let mut want = props(&b, p);
            want.remove(k);
            assert_eq!(props(&a, p), want, "{e:?}");
        }
        Edit::Add(name, kv) => {
            let want: BTreeMap<String, String> = kv
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                .collect();
            assert_eq!(props(&a, name), want, "{e:?}");
        }
        Edit::Rename(old, new) => {
            assert!(!a.profiles.contains_key(old), "{e:?}");
            assert_eq!(props(&a, new), props(&b, old), "{e:?}");
            for (n, p) in &b.profiles {
                if n != old && p.get("source_profile") == Some(old) {
                    assert_eq!(value(&a, n, "source_profile"), Some(new), "{e:?}: {n}");
                }
            }
        }
        Edit::Copy(from, to) => {
            let (copy, source) = (props(&a, to), props(&b, from));
            let merged = FILES
                .iter()
                .any(|&f| sections(before.get(f), f, from).len() > 1);
            for (k, v) in &source {
                match copy.get(k) {
                    Some(c) => assert_eq!(c, v, "{e:?}: {k}"),
                    // Merged duplicates are copied as their single-line values only.
                    None => assert!(merged && v.contains('\n'), "{e:?}: {k} not copied"),
                }
            }
            assert!(copy.keys().all(|k| source.contains_key(k)), "{e:?}");
            assert_eq!(props(&a, from), props(&b, from), "{e:?}");
        }
        Edit::Remove(name) => {
            assert!(!a.profiles.contains_key(name), "{e:?}");
        }
    }
    // Profiles the edit is not about are untouched.
    let about = |n: &str| match *e {
        Edit::Set(p, ..) | Edit::Unset(p, _) | Edit::Add(p, _) | Edit::Remove(p) => n == p,
        Edit::Rename(old, new) => {
            n == old
                || n == new
                || b.profiles.get(n).and_then(|p| p.get("source_profile")) == Some(old)
        }
        Edit::Copy(_, to) => n == to,
    };
    for n in b.profiles.keys().chain(a.profiles.keys()) {
        if !about(n) {
            assert_eq!(props(&a, n), props(&b, n), "{e:?} changed profile {n}");
        }
    }
    assert_eq!(plain(&a.sso_sessions), plain(&b.sso_sessions), "{e:?}");
    assert_eq!(plain(&a.services), plain(&b.services), "{e:?}");
}

#[test]
fn granted() {
    check_corpus(
        Corpus {
            config: "granted.config",
            credentials: None,
        },
        Expect {
            profiles: &[
                "default",
                "acme-sandbox",
                "acme-prod/AWSReadOnlyAccess",
                "acme-staging/AWSAdministratorAccess",
                "platform.shared-services/ViewOnlyAccess",
                "platform.network/NetworkAdmin",
            ],
            values: &[
                ("default", "region", "eu-west-2"),
                ("acme-sandbox", "sso_session", "acme"),
                ("acme-sandbox", "granted_color", "green"),
                (
                    "acme-prod/AWSReadOnlyAccess",
                    "credential_process",
                    "granted credential-process --profile acme-prod/AWSReadOnlyAccess",
                ),
                (
                    "acme-prod/AWSReadOnlyAccess",
                    "granted_sso_account_id",
                    "123456789012",
                ),
                (
                    "acme-staging/AWSAdministratorAccess",
                    "credential_process",
                    "granted credential-process --auto-login --profile acme-staging/AWSAdministratorAccess",
                ),
                (
                    "platform.network/NetworkAdmin",
                    "source_profile",
                    "platform.shared-services/ViewOnlyAccess",
                ),
            ],
            sso_sessions: &["acme"],
            services: &[],
            markers: &[
                "[granted_registry_start platform]",
                "[granted_registry_end platform]",
                "# Auto-generated by Granted (https://granted.dev). DO NOT EDIT.",
            ],
            edits: &[
                Edit::Set("acme-sandbox", "region", "us-west-2"),
                Edit::Set("acme-prod/AWSReadOnlyAccess", "region", "eu-west-2"),
                Edit::Unset("acme-sandbox", "granted_color"),
                Edit::Add(
                    "granted-new",
                    &[
                        ("region", "us-east-1"),
                        ("aws_access_key_id", "AKIAEXAMPLENEW000001"),
                    ],
                ),
                Edit::Rename(
                    "platform.shared-services/ViewOnlyAccess",
                    "platform.shared/ViewOnly",
                ),
                Edit::Copy(
                    "platform.network/NetworkAdmin",
                    "platform.network/NetworkAdmin-copy",
                ),
                Edit::Remove("platform.network/NetworkAdmin"),
                Edit::Remove("acme-staging/AWSAdministratorAccess"),
            ],
        },
    );
}

#[test]
fn granted_aligned_value_keeps_its_column() {
    let mut files = Corpus {
        config: "granted.config",
        credentials: None,
    }
    .files();
    edit::set(
        &mut files,
        Target::Profile("acme-sandbox"),
        "region",
        "us-west-2",
        None,
    )
    .unwrap();
    assert!(
        files
            .config
            .text()
            .contains("\nregion         = us-west-2\n")
    );
}

#[test]
fn aws_sso_cli() {
    check_corpus(
        Corpus {
            config: "aws-sso-cli.config",
            credentials: None,
        },
        Expect {
            profiles: &[
                "default",
                "personal",
                "111122223333:AdministratorAccess",
                "111122223333:ReadOnly",
                "444455556666:DeveloperAccess",
                "deploy",
            ],
            values: &[
                ("default", "cli_pager", ""),
                (
                    "111122223333:ReadOnly",
                    "credential_process",
                    "/opt/homebrew/bin/aws-sso -u open -S \"Default\" process --arn arn:aws:iam::111122223333:role/ReadOnly",
                ),
                (
                    "111122223333:AdministratorAccess",
                    "sso_auto_populated",
                    "true",
                ),
                ("444455556666:DeveloperAccess", "output", "json"),
                ("deploy", "source_profile", "444455556666:DeveloperAccess"),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &["# BEGIN_AWS_SSO_CLI", "# END_AWS_SSO_CLI"],
            edits: &[
                Edit::Set("111122223333:ReadOnly", "region", "eu-west-1"),
                Edit::Set("444455556666:DeveloperAccess", "region", "us-east-2"),
                Edit::Unset("default", "cli_pager"),
                Edit::Add("scratch", &[]),
                Edit::Rename("444455556666:DeveloperAccess", "444455556666:Developer"),
                Edit::Copy("444455556666:DeveloperAccess", "dev-copy"),
                Edit::Copy("personal", "personal-2"),
                Edit::Remove("444455556666:DeveloperAccess"),
                Edit::Remove("personal"),
                Edit::Remove("deploy"),
            ],
        },
    );
}

#[test]
fn aws_sso_util() {
    check_corpus(
        Corpus {
            config: "aws-sso-util.config",
            credentials: None,
        },
        Expect {
            profiles: &[
                "default",
                "identity.AdministratorAccess",
                "log-archive.ReadOnlyAccess",
                "log-archive.ReadOnlyAccess.euw1",
                "tools",
            ],
            values: &[
                (
                    "default",
                    "credential_process",
                    "aws-sso-util credential-process --profile identity.AdministratorAccess",
                ),
                (
                    "log-archive.ReadOnlyAccess",
                    "sso_account_name",
                    "Log Archive",
                ),
                ("log-archive.ReadOnlyAccess.euw1", "region", "eu-west-1"),
                ("identity.AdministratorAccess", "sso_auto_populated", "true"),
                (
                    "tools",
                    "s3",
                    "\nmax_concurrent_requests = 20\nmultipart_threshold = 64MB",
                ),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &[],
            edits: &[
                Edit::Set(
                    "log-archive.ReadOnlyAccess",
                    "sso_account_name",
                    "Log-Archive",
                ),
                Edit::Set("tools", "output", "table"),
                Edit::Set("tools", "s3", "plain"),
                Edit::Unset("tools", "s3"),
                Edit::Add(
                    "util-extra",
                    &[("Region", "ca-central-1"), ("output", "json")],
                ),
                Edit::Rename("identity.AdministratorAccess", "identity.Admin"),
                Edit::Copy("tools", "tools-2"),
                Edit::Remove("tools"),
                Edit::Remove("default"),
            ],
        },
    );
}

#[test]
fn awsume() {
    check_corpus(
        Corpus {
            config: "awsume.config",
            credentials: Some("awsume.credentials"),
        },
        Expect {
            profiles: &[
                "default",
                "ops",
                "ops-admin",
                "partner-audit",
                "autoawsume-ops-admin",
                "partner",
            ],
            values: &[
                ("default", "output", "yaml"),
                ("ops", "aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"),
                (
                    "ops",
                    "mfa_serial",
                    "arn:aws:iam::135792468024:mfa/jane.doe",
                ),
                ("ops-admin", "source_profile", "ops"),
                ("partner-audit", "external_id", "7f3e-partner-2026"),
                ("autoawsume-ops-admin", "manager", "awsume"),
                ("autoawsume-ops-admin", "expiration", "2026-11-22 11:32:08"),
                ("partner", "awsumepy_command", "partner-audit -o partner"),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &[],
            edits: &[
                Edit::Set("ops", "aws_secret_access_key", "bmV3LXNlY3JldC1leGFtcGxl"),
                Edit::Set("ops", "region", "us-west-1"),
                Edit::Set("partner", "expiration", "2026-11-22 12:00:00"),
                Edit::Unset("autoawsume-ops-admin", "aws_session_token"),
                Edit::Unset("ops", "region"),
                Edit::Add(
                    "ci-bot",
                    &[
                        ("aws_access_key_id", "AKIACIBOTEXAMPLE0001"),
                        ("aws_secret_access_key", "Y2ktYm90LXNlY3JldA"),
                        ("region", "us-east-2"),
                    ],
                ),
                Edit::Rename("ops", "operations"),
                Edit::Copy("ops", "ops-backup"),
                Edit::Remove("ops"),
                Edit::Remove("partner"),
            ],
        },
    );
}

#[test]
fn leapp() {
    check_corpus(
        Corpus {
            config: "leapp.config",
            credentials: Some("leapp.credentials"),
        },
        Expect {
            profiles: &[
                "default",
                "leapp-staging",
                "leapp-prod-readonly",
                "leapp-legacy",
                "leapp-iam-user",
            ],
            values: &[
                // [profile default] hides [default] for the SDKs.
                ("default", "region", "eu-west-1"),
                (
                    "default",
                    "credential_process",
                    "leapp session generate 3c1d5e9f-7a2b-4c6d-8e0f-1a2b3c4d5e6f",
                ),
                (
                    "leapp-staging",
                    "credential_process",
                    "leapp session generate 9b8a7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
                ),
                (
                    "leapp-legacy",
                    "aws_session_token",
                    "IQoJb3JpZ2luX2VjELEAPPEXAMPLETOKEN==",
                ),
                ("leapp-iam-user", "region", "us-east-1"),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &[],
            edits: &[
                Edit::Set("default", "region", "eu-south-1"),
                Edit::Set("default", "output", "json"),
                Edit::Set("leapp-legacy", "region", "eu-west-3"),
                Edit::Unset("leapp-staging", "region"),
                Edit::Add(
                    "leapp-new",
                    &[(
                        "credential_process",
                        "leapp session generate 11111111-2222-4333-8444-555555555555",
                    )],
                ),
                Edit::Rename("leapp-staging", "leapp-stage"),
                Edit::Copy("leapp-iam-user", "leapp-iam-user-2"),
                Edit::Copy("default", "default-copy"),
                Edit::Remove("leapp-prod-readonly"),
                Edit::Remove("leapp-iam-user"),
            ],
        },
    );
}

#[test]
fn leapp_writes_without_spaces_like_the_file() {
    let mut files = Corpus {
        config: "leapp.config",
        credentials: Some("leapp.credentials"),
    }
    .files();
    edit::set(
        &mut files,
        Target::Profile("leapp-staging"),
        "output",
        "json",
        None,
    )
    .unwrap();
    assert!(
        files
            .config
            .text()
            .contains("\nregion=eu-central-1\noutput=json\n")
    );
}

#[test]
fn hand_written() {
    check_corpus(
        Corpus {
            config: "hand-written.config",
            credentials: None,
        },
        Expect {
            profiles: &["default", "dev", "prod", "prod-admin", "ci"],
            values: &[
                ("default", "output", "json"),
                ("default", "cli_pager", ""),
                ("default", "cli_auto_prompt", "on-partial"),
                (
                    "default",
                    "s3",
                    "\nmax_concurrent_requests = 10\nmultipart_chunksize = 16MB\naddressing_style = path",
                ),
                // The two [profile dev] sections merge; the later region wins.
                ("dev", "region", "eu-west-1"),
                ("dev", "output", "table"),
                ("dev", "sso_account_id", "111111111111"),
                (
                    "dev",
                    "dynamodb",
                    "\nendpoint_url = http://localhost:8000\nmax_attempts = 2",
                ),
                ("prod", "sso_session", "corp"),
                // Inline comment: the SDKs drop it (botocore keeps it, hence a finding).
                ("prod", "region", "eu-north-1"),
                (
                    "prod-admin",
                    "policy_arns",
                    "arn:aws:iam::aws:policy/ReadOnlyAccess,\n# support access added in 2024\narn:aws:iam::aws:policy/AWSSupportAccess",
                ),
                (
                    "ci",
                    "credential_process",
                    "/usr/local/bin/vault-aws --role ci --ttl 1h",
                ),
            ],
            sso_sessions: &["corp"],
            services: &["localstack"],
            markers: &["[plugins]", "# vim: set ft=dosini:"],
            edits: &[
                Edit::Set("prod", "region", "eu-central-1"),
                Edit::Set("default", "s3", "inline"),
                Edit::Set("default", "region", "eu-west-1"),
                Edit::Set("dev", "role_session_name", "me"),
                Edit::Set("default", "cli_history", "enabled"),
                Edit::Unset("default", "s3"),
                Edit::Unset("dev", "region"),
                Edit::Add("new-one", &[("region", "us-east-1")]),
                Edit::Rename("prod", "production"),
                Edit::Rename("dev", "development"),
                Edit::Copy("prod-admin", "prod-admin-2"),
                Edit::Copy("dev", "dev-2"),
                Edit::Remove("ci"),
                Edit::Remove("dev"),
                Edit::Remove("prod"),
            ],
        },
    );
}

#[test]
fn windows_crlf() {
    check_corpus(
        Corpus {
            config: "windows-crlf.config",
            credentials: Some("windows-crlf.credentials"),
        },
        Expect {
            profiles: &["default", "build", "legacy-sso"],
            values: &[
                ("default", "region", "ap-southeast-2"),
                ("default", "aws_access_key_id", "AKIAWINDOWSEXAMPLE01"),
                ("build", "source_profile", "default"),
                ("legacy-sso", "sso_role_name", "Viewer"),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &[],
            edits: &[
                Edit::Set("build", "region", "ap-southeast-4"),
                Edit::Set("default", "aws_session_token", "dG9rZW4"),
                Edit::Unset("legacy-sso", "sso_region"),
                Edit::Add(
                    "win-new",
                    &[
                        ("aws_access_key_id", "AKIAWINNEW0000000001"),
                        ("output", "text"),
                    ],
                ),
                Edit::Rename("default", "main"),
                Edit::Copy("build", "build-2"),
                Edit::Remove("legacy-sso"),
                Edit::Remove("default"),
            ],
        },
    );
}

#[test]
fn crlf_edits_write_crlf() {
    let mut files = Corpus {
        config: "windows-crlf.config",
        credentials: Some("windows-crlf.credentials"),
    }
    .files();
    let props = vec![("region".to_string(), "x".to_string())];
    edit::add_profile(&mut files, "w", &props).unwrap();
    edit::set(&mut files, Target::Profile("build"), "output", "json", None).unwrap();
    edit::set(
        &mut files,
        Target::Profile("default"),
        "aws_session_token",
        "t",
        None,
    )
    .unwrap();
    for doc in [&files.config, &files.credentials] {
        let text = doc.text();
        assert_eq!(
            text.matches('\n').count(),
            text.matches("\r\n").count(),
            "{text:?}"
        );
    }
}

#[test]
fn no_final_newline() {
    check_corpus(
        Corpus {
            config: "no-final-newline.config",
            credentials: Some("no-final-newline.credentials"),
        },
        Expect {
            profiles: &["scratch", "tail"],
            values: &[
                ("scratch", "output", "text"),
                ("scratch", "aws_secret_access_key", "c2NyYXRjaC1zZWNyZXQ"),
                ("tail", "role_arn", "arn:aws:iam::121212121212:role/Tail"),
            ],
            sso_sessions: &[],
            services: &[],
            markers: &[],
            edits: &[
                Edit::Set("tail", "role_arn", "arn:aws:iam::121212121212:role/Other"),
                Edit::Set("tail", "region", "sa-east-1"),
                Edit::Set("scratch", "aws_secret_access_key", "bmV3"),
                Edit::Set("scratch", "aws_session_token", "dG9r"),
                Edit::Unset("tail", "role_arn"),
                Edit::Unset("scratch", "aws_secret_access_key"),
                Edit::Add("more", &[("aws_access_key_id", "AKIAMORE")]),
                Edit::Rename("tail", "end"),
                Edit::Copy("tail", "tail-2"),
                Edit::Remove("tail"),
                Edit::Remove("scratch"),
            ],
        },
    );
}

#[test]
fn no_final_newline_is_kept_by_in_place_edits() {
    let files = Corpus {
        config: "no-final-newline.config",
        credentials: Some("no-final-newline.credentials"),
    }
    .files();
    let mut f = files.clone();
    edit::set(&mut f, Target::Profile("tail"), "region", "x", None).unwrap();
    assert!(f.config.text().ends_with("role/Tail\nregion = x"));
    let mut f = files.clone();
    edit::unset(&mut f, Target::Profile("tail"), "role_arn", None).unwrap();
    assert!(f.config.text().ends_with("source_profile = scratch"));
    let mut f = files;
    edit::remove_profile(&mut f, "tail", false).unwrap();
    assert_eq!(
        f.config.text(),
        "[profile scratch]\nregion = sa-east-1\noutput = text"
    );
}

#[test]
fn every_corpus_file_is_covered() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let covered = [
        "aws-sso-cli.config",
        "aws-sso-util.config",
        "awsume.config",
        "awsume.credentials",
        "granted.config",
        "hand-written.config",
        "leapp.config",
        "leapp.credentials",
        "no-final-newline.config",
        "no-final-newline.credentials",
        "windows-crlf.config",
        "windows-crlf.credentials",
    ];
    assert_eq!(names, covered, "add a test for every file in tests/corpus");
    for name in &names {
        let text = read(name);
        assert_eq!(Document::parse(text.as_str()).to_string(), text, "{name}");
        // A corpus file is something a tool reads: the SDKs accept all of it.
        assert!(Document::parse(text.as_str()).errors().is_empty(), "{name}");
    }
    // The CRLF files really are CRLF (git must not have normalised them).
    let crlf = read("windows-crlf.config");
    assert_eq!(crlf.matches('\n').count(), crlf.matches("\r\n").count());
    assert!(crlf.contains("\r\n"));
    assert!(!read("no-final-newline.config").ends_with('\n'));
}

#[test]
fn hand_written_findings_are_the_expected_ones() {
    let files = Corpus {
        config: "hand-written.config",
        credentials: None,
    }
    .files();
    let doc = &files.config;
    let line_of = |text: &str| {
        1 + (0..doc.lines().len())
            .find(|&i| doc.line(i) == text)
            .unwrap_or_else(|| panic!("no line {text:?}"))
    };
    let mut found: Vec<(&str, usize, Severity)> = files
        .profile_set()
        .diagnostics
        .into_iter()
        .chain(portability::check(doc, FileKind::Config))
        .map(|d| (d.code, d.origin.unwrap().line, d.severity))
        .collect();
    found.sort();
    let mut want = vec![
        (
            "duplicate-section",
            line_of("[profile dev]"),
            Severity::Warning,
        ),
        (
            "indented-comment",
            line_of("  # support access added in 2024"),
            Severity::Warning,
        ),
        (
            "inline-comment",
            line_of("region = eu-north-1 # stockholm"),
            Severity::Warning,
        ),
        // [plugins] belongs to the AWS CLI: a note, nothing to fix.
        ("section-ignored", line_of("[plugins]"), Severity::Info),
    ];
    want.sort();
    assert_eq!(found, want);
    let classes: Vec<SectionClass> = doc
        .sections()
        .iter()
        .map(|s| classify_section(FileKind::Config, &s.name))
        .collect();
    assert!(classes.contains(&SectionClass::Services("localstack".into())));
}
