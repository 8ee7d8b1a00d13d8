//! Property tests for the lossless promise.
//!
//! (a) Any text, built from the config-file line grammar plus junk, reads back
//! byte for byte, and nothing that reads or edits it panics. (b) Random edit
//! sequences applied through `profile::edit` to random valid files give exactly
//! the profiles a plain map model predicts, add no syntax error and no
//! portability finding, and leave every line they are not about untouched.
//! (c) botocore, the other SDK family, reads those edited files the same way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rolecall::ini::Document;
use rolecall::profile::edit::{self, Files, ProfileEditError, Target};
use rolecall::profile::normalize::normalize;
use rolecall::profile::{FileKind, ProfileSet, Severity, portability};
use serde_json::{Value as Json, json};

// ---------------------------------------------------------------------------
// (a) Arbitrary documents from the line grammar
// ---------------------------------------------------------------------------

fn ws() -> impl Strategy<Value = String> {
    "[ \t]{0,3}"
}

fn indent() -> impl Strategy<Value = String> {
    "[ \t]{1,4}"
}

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9_./:@+%-]{1,10}",
        1 => "\\PC{1,8}",
        1 => Just(String::new()),
    ]
}

fn trailing_comment() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => ("[ \t]{0,2}", "[#;]", "\\PC{0,10}").prop_map(|(w, c, t)| format!("{w}{c}{t}")),
    ]
}

fn grammar_line() -> impl Strategy<Value = String> {
    prop_oneof![
        // headers: [profile x], [ default ], [x] # c, broken ones
        3 => (ws(), ws(), prop_oneof![Just("profile"), Just("sso-session"), Just("services"), Just("default"), Just("")],
              ws(), word(), ws(), prop::bool::weighted(0.9), trailing_comment())
            .prop_map(|(a, b, prefix, c, name, d, closed, comment)| {
                format!("{a}[{b}{prefix}{c}{name}{d}{}{comment}", if closed { "]" } else { "" })
            }),
        // key = value, with or without spaces, comments, ':' instead of '='
        5 => (word(), ws(), prop_oneof![6 => Just("="), 1 => Just(":"), 1 => Just("")], ws(), word(), trailing_comment())
            .prop_map(|(k, a, eq, b, v, c)| format!("{k}{a}{eq}{b}{v}{c}")),
        // continuation and sub-property lines
        2 => (indent(), word()).prop_map(|(i, w)| format!("{i}{w}")),
        2 => (indent(), word(), ws(), ws(), word()).prop_map(|(i, k, a, b, v)| format!("{i}{k}{a}={b}{v}")),
        // comments
        2 => ("[#;]", "\\PC{0,20}").prop_map(|(c, t)| format!("{c}{t}")),
        1 => (indent(), "[#;]", "\\PC{0,10}").prop_map(|(i, c, t)| format!("{i}{c}{t}")),
        // blank lines with spaces and tabs
        2 => "[ \t]{0,4}",
        // junk: anything but a line feed, lone carriage returns and NULs included
        1 => "[^\n]{0,30}",
        1 => "\\PC{0,30}",
    ]
}

fn grammar_document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(
            (
                grammar_line(),
                prop_oneof![3 => Just("\n"), 1 => Just("\r\n")],
            ),
            0..40,
        ),
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.05),
    )
        .prop_map(|(lines, final_newline, bom)| {
            let mut text = String::new();
            if bom {
                text.push('\u{feff}');
            }
            for (line, ending) in &lines {
                text.push_str(line);
                text.push_str(ending);
            }
            if !final_newline && let Some((_, ending)) = lines.last() {
                text.truncate(text.len() - ending.len());
            }
            text
        })
}

/// Everything that reads a document, run for its panics.
fn read_everything(doc: &Document) {
    let set = rolecall::profile::view(Some(doc), Some(doc));
    for name in set.profiles.keys() {
        let _ = rolecall::profile::chain::resolve(&set, name);
    }
    let _ = portability::check(doc, FileKind::Config);
    let _ = portability::check(doc, FileKind::Credentials);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_document_round_trips_byte_for_byte(text in grammar_document()) {
        let doc = Document::parse(text.as_str());
        prop_assert_eq!(doc.to_string(), text.as_str());
        prop_assert_eq!(Document::from_bytes(text.clone().into_bytes()).unwrap(), doc.clone());
        // The lines cover the text exactly, in order, endings included.
        let mut joined = String::new();
        for i in 0..doc.lines().len() {
            prop_assert!(!doc.line(i).contains('\n'));
            joined.push_str(doc.line(i));
            joined.push_str(doc.ending(i));
        }
        prop_assert_eq!(joined, text.as_str());
        read_everything(&doc);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edits_on_any_document_never_panic_and_stay_lossless(
        config in grammar_document(),
        credentials in grammar_document(),
        ops in prop::collection::vec(op(), 1..6),
    ) {
        let mut files = Files {
            config: Document::parse(config),
            credentials: Document::parse(credentials),
        };
        for op in &ops {
            let before = files.clone();
            if run(&mut files, op).is_err() {
                // A refused edit changes nothing.
                prop_assert_eq!(&files.config, &before.config);
                prop_assert_eq!(&files.credentials, &before.credentials);
            }
            for doc in [&files.config, &files.credentials] {
                prop_assert_eq!(&Document::parse(doc.text()), doc);
                read_everything(doc);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// (b) Random edits on random valid files, against a plain model
// ---------------------------------------------------------------------------

/// Profile names the files and the edits use: few, so edits collide often.
/// `DEFAULT` may only live in the config file (botocore reads `[DEFAULT]` in the
/// credentials file as values for every profile, so rolecall refuses to write it).
const NAMES: &[&str] = &[
    "default", "dev", "prod", "team/ops", "a.b@c", "x+1", "ops:1", "DEFAULT",
];

/// Keys for the starting files.
const KEYS: &[&str] = &[
    "region",
    "output",
    "role_arn",
    "source_profile",
    "mfa_serial",
    "credential_process",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "s3",
    "dynamodb",
    "custom_key",
];

/// Keys the edits use: the same, some in capitals (the SDKs lowercase keys).
const OP_KEYS: &[&str] = &[
    "region",
    "Region",
    "output",
    "source_profile",
    "role_arn",
    "aws_access_key_id",
    "AWS_Secret_Access_Key",
    "aws_session_token",
    "s3",
    "custom_key",
];

const SUB_KEYS: &[&str] = &[
    "max_attempts",
    "endpoint_url",
    "addressing_style",
    "signature_version",
];

const CREDENTIALS_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// A profile edit, as the `profile` commands make them.
#[derive(Clone, Debug)]
enum Op {
    Set {
        profile: String,
        key: String,
        value: String,
        file: Option<FileKind>,
    },
    Unset {
        profile: String,
        key: String,
        file: Option<FileKind>,
    },
    Add {
        name: String,
        props: Vec<(String, String)>,
    },
    Rename {
        old: String,
        new: String,
        update_references: bool,
    },
    Copy {
        from: String,
        to: String,
    },
    Remove {
        name: String,
        force: bool,
    },
}

impl Op {
    fn names(&self) -> Vec<&str> {
        match self {
            Op::Set { profile, .. } | Op::Unset { profile, .. } => vec![profile],
            Op::Add { name, .. } | Op::Remove { name, .. } => vec![name],
            Op::Rename { old, new, .. } => vec![old, new],
            Op::Copy { from, to } => vec![from, to],
        }
    }
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(String::from)
}

/// Values both SDK families read the same: no comment character after a space,
/// no leading comment character, no line break, no surrounding space.
fn safe_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z0-9][A-Za-z0-9_./:@+=#;%-]{0,10}( [A-Za-z0-9_./:@+=%-]{1,6})?",
        2 => name(),
        1 => Just(String::new()),
    ]
}

fn file_choice() -> impl Strategy<Value = Option<FileKind>> {
    prop_oneof![
        4 => Just(None),
        1 => Just(Some(FileKind::Config)),
        1 => Just(Some(FileKind::Credentials)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let key = || prop::sample::select(OP_KEYS).prop_map(String::from);
    prop_oneof![
        5 => (name(), key(), safe_value(), file_choice())
            .prop_map(|(profile, key, value, file)| Op::Set { profile, key, value, file }),
        4 => (name(), key(), file_choice())
            .prop_map(|(profile, key, file)| Op::Unset { profile, key, file }),
        2 => (name(), prop::collection::vec((key(), safe_value()), 0..4))
            .prop_map(|(name, props)| Op::Add { name, props }),
        2 => (name(), name(), any::<bool>())
            .prop_map(|(old, new, update_references)| Op::Rename { old, new, update_references }),
        2 => (name(), name()).prop_map(|(from, to)| Op::Copy { from, to }),
        1 => (name(), prop::bool::weighted(0.7)).prop_map(|(name, force)| Op::Remove { name, force }),
    ]
}

/// Runs an edit on the files; the error is reduced to its kind.
fn run(files: &mut Files, op: &Op) -> Result<(), &'static str> {
    let result = match op {
        Op::Set {
            profile,
            key,
            value,
            file,
        } => edit::set(files, Target::Profile(profile), key, value, *file).map(drop),
        Op::Unset { profile, key, file } => {
            edit::unset(files, Target::Profile(profile), key, *file).map(drop)
        }
        Op::Add { name, props } => edit::add_profile(files, name, props),
        Op::Rename {
            old,
            new,
            update_references,
        } => edit::rename_profile(files, old, new, *update_references).map(drop),
        Op::Copy { from, to } => edit::copy_profile(files, from, to),
        Op::Remove { name, force } => edit::remove_profile(files, name, *force),
    };
    result.map_err(|e| match e {
        ProfileEditError::NotFound(_) => "not found",
        ProfileEditError::Exists(_) => "exists",
        ProfileEditError::NotSet { .. } => "not set",
        ProfileEditError::HasDependents(_) => "has dependents",
        ProfileEditError::DefaultInCredentials => "DEFAULT in credentials",
        ProfileEditError::Invalid(_) => "invalid",
        ProfileEditError::SessionInCredentials => "session in credentials",
    })
}

type Profiles = BTreeMap<String, BTreeMap<String, String>>;

/// What each file holds, profile by profile, as the SDKs read it.
#[derive(Clone, Debug, Default, PartialEq)]
struct Model {
    config: Profiles,
    credentials: Profiles,
}

impl Model {
    fn file(&mut self, file: FileKind) -> &mut Profiles {
        match file {
            FileKind::Config => &mut self.config,
            FileKind::Credentials => &mut self.credentials,
        }
    }

    /// The credentials file overrides the config file, key by key.
    fn effective(&self) -> Profiles {
        let mut out = self.config.clone();
        for (name, props) in &self.credentials {
            out.entry(name.clone()).or_default().extend(props.clone());
        }
        out
    }

    fn exists(&self, name: &str) -> bool {
        self.config.contains_key(name) || self.credentials.contains_key(name)
    }

    fn dependents(&self, name: &str) -> Vec<String> {
        self.effective()
            .into_iter()
            .filter(|(n, p)| n != name && p.get("source_profile").map(String::as_str) == Some(name))
            .map(|(n, _)| n)
            .collect()
    }

    /// Applies an edit the way its documentation says; returns the profiles whose
    /// sections it may touch.
    fn apply(&mut self, op: &Op) -> Result<BTreeSet<String>, &'static str> {
        let mut touched: BTreeSet<String> = op.names().into_iter().map(String::from).collect();
        match op {
            Op::Set {
                profile,
                key,
                value,
                file,
            } => {
                let key = key.to_ascii_lowercase();
                if !self.exists(profile) {
                    return Err("not found");
                }
                let holds = |p: &Profiles| p.get(profile).is_some_and(|m| m.contains_key(&key));
                let file = file.unwrap_or(if holds(&self.credentials) {
                    FileKind::Credentials
                } else if holds(&self.config) {
                    FileKind::Config
                } else if CREDENTIALS_KEYS.contains(&key.as_str()) {
                    FileKind::Credentials
                } else {
                    FileKind::Config
                });
                if file == FileKind::Credentials
                    && profile == "DEFAULT"
                    && !self.credentials.contains_key(profile)
                {
                    return Err("DEFAULT in credentials");
                }
                self.file(file)
                    .entry(profile.clone())
                    .or_default()
                    .insert(key, value.clone());
            }
            Op::Unset { profile, key, file } => {
                let key = key.to_ascii_lowercase();
                let files = match file {
                    Some(f) => vec![*f],
                    None => vec![FileKind::Config, FileKind::Credentials],
                };
                let mut removed = 0;
                for f in files {
                    if let Some(props) = self.file(f).get_mut(profile)
                        && props.remove(&key).is_some()
                    {
                        removed += 1;
                    }
                }
                if removed == 0 {
                    return Err("not set");
                }
            }
            Op::Add { name, props } => {
                if self.exists(name) {
                    return Err("exists");
                }
                let mut config = BTreeMap::new();
                let mut credentials = BTreeMap::new();
                for (k, v) in props {
                    let k = k.to_ascii_lowercase();
                    if CREDENTIALS_KEYS.contains(&k.as_str()) {
                        credentials.insert(k, v.clone());
                    } else {
                        config.insert(k, v.clone());
                    }
                }
                if !credentials.is_empty() && name == "DEFAULT" {
                    return Err("DEFAULT in credentials");
                }
                if !config.is_empty() || props.is_empty() {
                    self.config.insert(name.clone(), config);
                }
                if !credentials.is_empty() {
                    self.credentials.insert(name.clone(), credentials);
                }
            }
            Op::Rename {
                old,
                new,
                update_references,
            } => {
                if !self.exists(old) {
                    return Err("not found");
                }
                if self.exists(new) {
                    return Err("exists");
                }
                if new == "DEFAULT" && self.credentials.contains_key(old) {
                    return Err("DEFAULT in credentials");
                }
                let deps = self.dependents(old);
                for f in [FileKind::Config, FileKind::Credentials] {
                    if let Some(props) = self.file(f).remove(old) {
                        self.file(f).insert(new.clone(), props);
                    }
                }
                if *update_references {
                    for dep in deps {
                        for f in [FileKind::Config, FileKind::Credentials] {
                            if let Some(v) = self
                                .file(f)
                                .get_mut(&dep)
                                .and_then(|p| p.get_mut("source_profile"))
                                && v == old
                            {
                                v.clone_from(new);
                            }
                        }
                        touched.insert(dep);
                    }
                }
            }
            Op::Copy { from, to } => {
                if !self.exists(from) {
                    return Err("not found");
                }
                if self.exists(to) {
                    return Err("exists");
                }
                if to == "DEFAULT" && self.credentials.contains_key(from) {
                    return Err("DEFAULT in credentials");
                }
                for f in [FileKind::Config, FileKind::Credentials] {
                    if let Some(props) = self.file(f).get(from).cloned() {
                        self.file(f).insert(to.clone(), props);
                    }
                }
            }
            Op::Remove { name, force } => {
                if !self.exists(name) {
                    return Err("not found");
                }
                if !force && !self.dependents(name).is_empty() {
                    return Err("has dependents");
                }
                self.config.remove(name);
                self.credentials.remove(name);
            }
        }
        Ok(touched)
    }
}

/// A small deterministic generator for the starting files (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    fn text(&mut self, first: &str, rest: &str, max_rest: usize) -> String {
        let first: Vec<char> = first.chars().collect();
        let rest: Vec<char> = rest.chars().collect();
        let mut s = String::new();
        s.push(first[self.below(first.len())]);
        for _ in 0..self.below(max_rest + 1) {
            s.push(rest[self.below(rest.len())]);
        }
        s
    }

    fn value(&mut self) -> String {
        if self.chance(20) {
            return self.pick(NAMES).to_string();
        }
        let mut v = self.text(ALNUM, VALUE_CHARS, 12);
        if self.chance(15) {
            v.push(' ');
            v.push_str(&self.text(ALNUM, ALNUM, 5));
        }
        v
    }

    fn comment(&mut self) -> String {
        let texts = [
            "",
            " note",
            "# ruler ##########",
            " Zürich → eu-central-2 ☕",
            " [profile commented-out]",
            " key = value ; not a key",
            "\tindented text after the mark",
        ];
        format!(
            "{}{}",
            self.pick(&["#", ";"]),
            texts[self.below(texts.len())]
        )
    }

    fn blank(&mut self) -> String {
        self.pick(&["", "", " ", "\t", "  \t "]).to_string()
    }

    /// Blank and comment lines, as found between sections and properties.
    fn filler(&mut self, percent: u64, out: &mut Vec<String>) {
        while self.chance(percent) {
            let line = if self.chance(50) {
                self.blank()
            } else {
                self.comment()
            };
            out.push(line);
        }
    }
}

const ALNUM: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const VALUE_CHARS: &str =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./:@+=#;%-";

/// Writes one property (and its indented lines) in a random style; returns the value
/// as the SDKs read it.
fn write_property(r: &mut Rng, key: &str, out: &mut Vec<String>) -> String {
    let written_key = match r.below(6) {
        0 => key.to_ascii_uppercase(),
        _ => key.to_string(),
    };
    let sep = r.pick(&[" = ", " = ", "=", " =", "= ", "\t=\t", "  =  "]);
    let tail = if r.chance(10) { "  " } else { "" };
    let sub_properties = matches!(key, "s3" | "dynamodb") && r.chance(70);
    if sub_properties {
        out.push(format!("{written_key}{}", sep.trim_end()));
        let mut value = String::new();
        for _ in 0..r.below(4) {
            r.filler(10, out);
            let sub = r.pick(SUB_KEYS);
            let sub_sep = r.pick(&[" = ", "=", " =  "]);
            let line = format!("{sub}{sub_sep}{}", r.text(ALNUM, VALUE_CHARS, 8));
            out.push(format!("{}{line}", r.pick(&[" ", "  ", "    ", "\t"])));
            value.push('\n');
            value.push_str(line.trim());
        }
        return value;
    }
    let first = if r.chance(8) {
        String::new()
    } else {
        r.value()
    };
    if first.is_empty() {
        out.push(format!("{written_key}{}", sep.trim_end()));
        return first;
    }
    out.push(format!("{written_key}{sep}{first}{tail}"));
    let mut value = first;
    if r.chance(12) {
        for _ in 0..1 + r.below(2) {
            // Column-0 comments may sit between continuation lines; blank lines may
            // not (botocore keeps them in the value, the SDKs do not).
            if r.chance(15) {
                out.push(r.comment());
            }
            let text = r.text(ALNUM, VALUE_CHARS, 10);
            out.push(format!("{}{text}", r.pick(&[" ", "  ", "\t", "    "])));
            value.push('\n');
            value.push_str(&text);
        }
    }
    value
}

/// Writes a section's properties; returns them as the SDKs read them.
fn write_body(r: &mut Rng, keys: &[&str], out: &mut Vec<String>) -> BTreeMap<String, String> {
    let mut props = BTreeMap::new();
    let mut pool: Vec<&str> = keys.to_vec();
    for _ in 0..r.below(7) {
        if pool.is_empty() {
            break;
        }
        let key = pool.remove(r.below(pool.len()));
        r.filler(12, out);
        let value = if key == "source_profile" {
            let v = r.pick(NAMES).to_string();
            out.push(format!("{key} = {v}"));
            v
        } else {
            write_property(r, key, out)
        };
        props.insert(key.to_string(), value);
    }
    props
}

/// Random valid files (both SDK families read them the same, no finding at all) and
/// the profiles they hold.
fn starting_files(seed: u64) -> (String, String, Model) {
    let mut r = Rng(seed);
    let mut model = Model::default();

    let mut config = Vec::new();
    r.filler(40, &mut config);
    enum Block<'a> {
        Profile(&'a str),
        Other(usize),
    }
    let mut blocks: Vec<Block> = NAMES
        .iter()
        .filter(|_| r.chance(45))
        .map(|n| Block::Profile(n))
        .collect();
    for other in 0..3 {
        if r.chance(30) {
            blocks.insert(r.below(blocks.len() + 1), Block::Other(other));
        }
    }
    for block in blocks {
        if !config.is_empty() {
            r.filler(50, &mut config);
        }
        match block {
            Block::Profile(name) => {
                let header = if name == "default" && r.chance(70) {
                    "default".to_string()
                } else {
                    format!("profile{}{name}", r.pick(&[" ", " ", "  ", "\t"]))
                };
                let after = r.pick(&["", "", "", "  ", " # note", ";c", "\t; x"]);
                config.push(format!("[{header}]{after}"));
                let props = write_body(&mut r, KEYS, &mut config);
                model.config.insert(name.to_string(), props);
            }
            Block::Other(0) => {
                config.push("[sso-session corp]".into());
                config.push("sso_start_url = https://corp.awsapps.com/start".into());
                config.push("sso_region = eu-west-1".into());
            }
            Block::Other(1) => {
                config.push("[services local]".into());
                config.push("s3 =".into());
                config.push("  endpoint_url = http://localhost:4566".into());
            }
            Block::Other(_) => {
                config.push("[plugins]".into());
                config.push("cli_legacy_plugin_path = /usr/lib/python3/site-packages".into());
            }
        }
    }
    r.filler(30, &mut config);

    let mut credentials = Vec::new();
    r.filler(30, &mut credentials);
    for name in NAMES.iter().filter(|n| **n != "DEFAULT") {
        if !r.chance(35) {
            continue;
        }
        if !credentials.is_empty() {
            r.filler(50, &mut credentials);
        }
        let after = r.pick(&["", "", "\t", " ; managed by hand"]);
        credentials.push(format!("[{name}]{after}"));
        let keys = [
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "region",
            "output",
        ];
        let props = write_body(&mut r, &keys, &mut credentials);
        model.credentials.insert(name.to_string(), props);
    }
    r.filler(20, &mut credentials);

    let join = |r: &mut Rng, lines: &[String]| {
        let style = r.below(3);
        let mut text = String::new();
        for line in lines {
            text.push_str(line);
            text.push_str(match style {
                0 => "\n",
                1 => "\r\n",
                _ => r.pick(&["\n", "\r\n"]),
            });
        }
        if r.chance(15) {
            while text.ends_with(['\r', '\n']) {
                text.pop();
            }
        }
        text
    };
    let config = join(&mut r, &config);
    let credentials = join(&mut r, &credentials);
    (config, credentials, model)
}

/// The profiles one file holds, as `normalize` reads them.
fn profiles_of(set: &ProfileSet) -> Profiles {
    set.profiles
        .iter()
        .map(|(n, s)| {
            let props = s
                .properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.value.to_string()))
                .collect();
            (n.to_string(), props)
        })
        .collect()
}

/// Findings that mean a tool reads the files differently: SDK errors, ignored sections
/// and keys, and everything `portability` flags (not the notes about other tools'
/// sections such as `[plugins]`).
fn findings(files: &Files) -> Vec<String> {
    let mut diagnostics = files.profile_set().diagnostics;
    for file in [FileKind::Config, FileKind::Credentials] {
        diagnostics.extend(portability::check(files.get(file), file));
    }
    diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .map(|d| format!("{:?}: {} {}", d.origin, d.code, d.message))
        .collect()
}

/// Lines of `doc` outside the sections of `touched` profiles, and not blank.
fn untouched_lines(doc: &Document, file: FileKind, touched: &BTreeSet<String>) -> Vec<usize> {
    let mut skip = BTreeSet::new();
    for name in touched {
        for si in edit::sections_of(doc, file, Target::Profile(name), false) {
            let s = &doc.sections()[si];
            skip.extend(s.header()..s.end());
        }
    }
    (0..doc.lines().len())
        .filter(|i| !skip.contains(i) && !doc.line(*i).trim_matches([' ', '\t']).is_empty())
        .collect()
}

/// Whether `lines` of `before` appear in `after` in order, byte for byte (a line may
/// gain or lose its ending only where the file's end moved).
fn kept_in_order(before: &Document, lines: &[usize], after: &Document) -> Result<(), String> {
    let mut next = 0;
    for &i in lines {
        let (content, ending) = (before.line(i), before.ending(i));
        let found = (next..after.lines().len()).find(|&j| {
            after.line(j) == content
                && (after.ending(j) == ending || ending.is_empty() || after.ending(j).is_empty())
        });
        match found {
            Some(j) => next = j + 1,
            None => return Err(format!("line {} {content:?} was lost or moved", i + 1)),
        }
    }
    Ok(())
}

/// One random case: starting files, the edits, and the state after them.
struct Case {
    start: Files,
    ops: Vec<Op>,
    end: Files,
    model: Model,
}

/// Runs the edits on both the files and the model and checks, after each edit, that
/// they agree. Returns the end state, or what went wrong.
fn run_case(seed: u64, ops: Vec<Op>) -> Result<Case, String> {
    let (config, credentials, mut model) = starting_files(seed);
    let start = Files {
        config: Document::parse(config),
        credentials: Document::parse(credentials),
    };
    let show = |files: &Files| {
        format!(
            "--- config ---\n{}\n--- credentials ---\n{}",
            files.config.text(),
            files.credentials.text()
        )
    };
    // The generator only makes files both SDK families read the same way.
    let initial = findings(&start);
    if !initial.is_empty() {
        return Err(format!(
            "starting files have findings {initial:?}\n{}",
            show(&start)
        ));
    }
    let check_model = |files: &Files, model: &Model, when: &str| -> Result<(), String> {
        let config = profiles_of(&normalize(Some(&files.config), None));
        let credentials = profiles_of(&normalize(None, Some(&files.credentials)));
        let effective = profiles_of(&files.profile_set());
        if config != model.config
            || credentials != model.credentials
            || effective != model.effective()
        {
            return Err(format!(
                "{when}: the files hold\n  config {config:?}\n  credentials {credentials:?}\nthe model says\n  config {:?}\n  credentials {:?}\n{}",
                model.config,
                model.credentials,
                show(files)
            ));
        }
        Ok(())
    };
    check_model(&start, &model, "at the start")?;

    let mut files = start.clone();
    let mut touched = BTreeSet::new();
    for (n, op) in ops.iter().enumerate() {
        let before = files.clone();
        let real = run(&mut files, op);
        let expected = model.apply(op);
        let when = format!("after edit {n} {op:?}");
        match (&real, &expected) {
            (Ok(()), Ok(t)) => touched.extend(t.iter().cloned()),
            (Err(a), Err(b)) if a == b => {
                if files.config != before.config || files.credentials != before.credentials {
                    return Err(format!("{when}: refused but changed the files"));
                }
            }
            _ => {
                return Err(format!(
                    "{when}: rolecall gave {real:?}, the model {expected:?}\n{}",
                    show(&before)
                ));
            }
        }
        check_model(&files, &model, &when)?;
        let found = findings(&files);
        if !found.is_empty() {
            return Err(format!("{when}: new findings {found:?}\n{}", show(&files)));
        }
    }
    for file in [FileKind::Config, FileKind::Credentials] {
        let (b, a) = (start.get(file), files.get(file));
        if Document::parse(a.text()) != *a {
            return Err(format!("{} does not re-parse to itself", file.as_str()));
        }
        kept_in_order(b, &untouched_lines(b, file, &touched), a).map_err(|e| {
            format!(
                "{}: {e} (edits {ops:?})\n--- before ---\n{}\n--- after ---\n{}",
                file.as_str(),
                b.text(),
                a.text()
            )
        })?;
    }
    Ok(Case {
        start,
        ops,
        end: files,
        model,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_edits_match_the_model_and_touch_only_their_lines(
        seed in any::<u64>(),
        ops in prop::collection::vec(op(), 0..10),
    ) {
        if let Err(e) = run_case(seed, ops) {
            return Err(TestCaseError::fail(e));
        }
    }
}

#[test]
fn the_starting_files_vary() {
    // The generator makes every shape it is meant to: CRLF, no final newline,
    // sub-properties, continuations, comments, tabs, odd headers, capital keys.
    let mut seen = BTreeSet::new();
    for seed in 0..300 {
        let (config, credentials, _) = starting_files(seed);
        for text in [&config, &credentials] {
            let checks = [
                ("crlf", text.contains("\r\n")),
                ("lf", text.contains('\n') && !text.contains("\r\n")),
                (
                    "no final newline",
                    !text.is_empty() && !text.ends_with('\n'),
                ),
                (
                    "sub-property",
                    text.contains("=\n  ") || text.contains("=\r\n  "),
                ),
                (
                    "continuation",
                    text.lines()
                        .any(|l| l.starts_with([' ', '\t']) && !l.contains('=')),
                ),
                ("comment", text.lines().any(|l| l.starts_with(['#', ';']))),
                ("tab", text.contains('\t')),
                (
                    "header comment",
                    text.contains("] #") || text.contains("];"),
                ),
                (
                    "capital key",
                    text.contains("REGION") || text.contains("AWS_"),
                ),
                ("profile default", text.contains("[profile default]")),
                ("unicode", text.contains('☕')),
            ];
            seen.extend(checks.iter().filter(|(_, hit)| *hit).map(|(name, _)| *name));
        }
    }
    assert_eq!(seen.len(), 11, "only saw {seen:?}");
}

// ---------------------------------------------------------------------------
// (c) botocore reads the edited files as the model says
// ---------------------------------------------------------------------------

const NO_PYTHON: &str =
    "ROLECALL_TEST_PYTHON is not set: run scripts/test.sh, which installs botocore";

const BOTOCORE_SCRIPT: &str = r#"
import json, os, sys
import botocore.configloader
import botocore.session

out = []
for case in sys.argv[1:]:
    config = os.path.join(case, "config")
    credentials = os.path.join(case, "credentials")
    os.environ["AWS_CONFIG_FILE"] = config
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = credentials
    try:
        session = botocore.session.Session()
        out.append({
            "merged": session.full_config["profiles"],
            "config": botocore.configloader.load_config(config)["profiles"],
            "credentials": botocore.configloader.raw_config_parse(credentials),
        })
    except Exception as e:
        out.append({"error": "%s: %s" % (type(e).__name__, e)})
json.dump(out, sys.stdout)
"#;

fn python() -> PathBuf {
    let Some(path) = std::env::var_os("ROLECALL_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        panic!("{NO_PYTHON}");
    };
    let path = PathBuf::from(path);
    if !path.is_file() {
        panic!("{NO_PYTHON} ({} does not exist)", path.display());
    }
    path
}

/// A value as botocore returns it: an indented block under `key =` is a map.
fn botocore_value(value: &str) -> Json {
    match value.strip_prefix('\n') {
        Some(block) => Json::Object(
            block
                .lines()
                .map(|line| {
                    let (k, v) = line.split_once('=').expect("sub-property has '='");
                    (k.trim().to_string(), Json::String(v.trim().to_string()))
                })
                .collect(),
        ),
        None => Json::String(value.to_string()),
    }
}

fn botocore_profiles(profiles: &Profiles) -> BTreeMap<String, BTreeMap<String, Json>> {
    profiles
        .iter()
        .map(|(n, props)| {
            let props = props
                .iter()
                .map(|(k, v)| (k.clone(), botocore_value(v)))
                .collect();
            (n.to_string(), props)
        })
        .collect()
}

/// What botocore must print for a case: each file on its own, and the credentials
/// merged over the config key by key (`Session.full_config`).
fn botocore_expected(model: &Model) -> Json {
    let config = botocore_profiles(&model.config);
    let credentials = botocore_profiles(&model.credentials);
    let mut merged = config.clone();
    for (n, props) in &credentials {
        merged.entry(n.clone()).or_default().extend(props.clone());
    }
    json!({ "merged": merged, "config": config, "credentials": credentials })
}

#[test]
#[ignore = "needs botocore: run scripts/test.sh"]
fn botocore_reads_the_edited_files_like_the_model() {
    let python = python();
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = (any::<u64>(), prop::collection::vec(op(), 3..12));
    let mut cases = Vec::new();
    let mut dirs = Vec::new();
    for n in 0..40 {
        let (seed, ops) = strategy.new_tree(&mut runner).unwrap().current();
        let case = run_case(seed, ops).unwrap_or_else(|e| panic!("case {n}: {e}"));
        let case_dir = dir.path().join(format!("case-{n:02}"));
        std::fs::create_dir(&case_dir).unwrap();
        std::fs::write(case_dir.join("config"), case.end.config.text()).unwrap();
        std::fs::write(case_dir.join("credentials"), case.end.credentials.text()).unwrap();
        dirs.push(case_dir);
        cases.push(case);
    }
    // The cases must exercise something: most end with profiles in both files.
    let both = cases
        .iter()
        .filter(|c| !c.model.config.is_empty() && !c.model.credentials.is_empty())
        .count();
    assert!(both >= 10, "only {both} cases have both files populated");

    let output = botocore(&python, dir.path(), &dirs);
    let results: Vec<Json> = serde_json::from_str(&output).expect("botocore printed JSON");
    assert_eq!(results.len(), cases.len());
    for (n, (case, got)) in cases.iter().zip(&results).enumerate() {
        let want = botocore_expected(&case.model);
        assert_eq!(
            got,
            &want,
            "case {n}: botocore reads the files differently\nedits: {:?}\n--- start config ---\n{}\n--- start credentials ---\n{}\n--- config ---\n{}\n--- credentials ---\n{}",
            case.ops,
            case.start.config.text(),
            case.start.credentials.text(),
            case.end.config.text(),
            case.end.credentials.text()
        );
    }
}

fn botocore(python: &Path, home: &Path, dirs: &[PathBuf]) -> String {
    let mut command = Command::new(python);
    command.arg("-c").arg(BOTOCORE_SCRIPT).args(dirs);
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("AWS_") {
            command.env_remove(&key);
        }
    }
    let output = command
        .env("HOME", home)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", python.display()));
    assert!(
        output.status.success(),
        "{} failed: {}\n(is botocore installed? scripts/test.sh installs it)",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Found by the property test above (seed 2208462396557939181): the last
/// section of a file without a final newline removed, then a profile added.
/// The removal took the newline of the line before it (LF, the file's most
/// common ending then), and the append gave it back as CR LF (the most common
/// one once the section's LF lines were gone): a line nobody edited changed.
#[test]
fn removing_the_last_section_then_adding_keeps_the_line_before_byte_for_byte() {
    let ops = vec![
        Op::Remove {
            name: "DEFAULT".into(),
            force: false,
        },
        Op::Add {
            name: "a.b@c".into(),
            props: vec![],
        },
    ];
    if let Err(e) = run_case(2208462396557939181, ops) {
        panic!("{e}");
    }
}
