//! The checks behind the `parse` fuzz target, as a plain function so that stable
//! Rust can run them too (`cargo test`, `cargo run --bin replay`).
//!
//! For any bytes: `Document::from_bytes` refuses non-UTF-8 with a position and
//! never panics. For UTF-8 text (split at the first NUL into config and
//! credentials; without a NUL the text is both):
//! - printing a parsed document gives back the exact text, and its lines,
//!   sections, properties and errors point inside it, in order;
//! - the normalised view, chains, kinds, `rolecall list --json` and
//!   `rolecall inspect --json` do not panic, and the JSON parses;
//! - line-level edits (insert, replace and remove a property, rename and remove a
//!   section) give documents that re-parse to themselves and did what was asked;
//! - profile-level edits on the first profile (`set`, `rename`, `rm`) did what was
//!   asked and left every other profile's values as they were.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rolecall::cli::ListArgs;
use rolecall::commands::{inspect, list};
use rolecall::ini::{Document, edit as ini_edit};
use rolecall::profile::edit::{self, Files, Target};
use rolecall::profile::location::Locations;
use rolecall::profile::{self, ProfileSet, chain, kind};
use rolecall::store::StoredFile;
use rolecall::workspace::Workspace;

/// Runs every check on one input. Panics when one fails.
pub fn check(data: &[u8]) {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(_) => {
            let err = Document::from_bytes(data.to_vec()).expect_err("not UTF-8");
            assert!(err.line >= 1 && err.column >= 1, "{err:?}");
            return;
        }
    };
    let from_bytes = Document::from_bytes(data.to_vec()).expect("UTF-8 is accepted");
    assert_eq!(from_bytes, Document::parse(text));

    let (config, credentials) = text.split_once('\0').unwrap_or((text, text));
    let config = checked_parse(config);
    let credentials = checked_parse(credentials);

    let set = profile::view(Some(&config), Some(&credentials));
    read_everything(&set, &config, &credentials);

    line_edits(&config);
    line_edits(&credentials);
    profile_edits(&set, &config, &credentials);
}

/// The parser-and-edit checks only (the `edit` target): the round trip, the
/// line edits and the profile edits, without the JSON views, so a campaign runs
/// many times more inputs a second than `check`.
pub fn check_edit(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        let err = Document::from_bytes(data.to_vec()).expect_err("not UTF-8");
        assert!(err.line >= 1 && err.column >= 1, "{err:?}");
        return;
    };
    let (config, credentials) = text.split_once('\0').unwrap_or((text, text));
    let config = checked_parse(config);
    let credentials = checked_parse(credentials);
    let set = profile::view(Some(&config), Some(&credentials));
    line_edits(&config);
    line_edits(&credentials);
    profile_edits(&set, &config, &credentials);
}

/// Parses and checks the round trip and that every index points inside the text.
fn checked_parse(text: &str) -> Document {
    let doc = Document::parse(text);
    assert_eq!(doc.to_string(), text, "round trip");
    assert_eq!(doc.text(), text);
    let lines = doc.lines();
    let mut at = 0;
    for line in lines {
        assert_eq!(line.start(), at, "lines are contiguous");
        assert!(line.start() <= line.content_end() && line.content_end() <= line.end());
        assert!(line.end() > line.start(), "no empty line records");
        at = line.end();
    }
    assert_eq!(at, text.len(), "lines cover the text");
    let mut previous_header = None;
    for section in doc.sections() {
        assert!(
            previous_header < Some(section.header()),
            "sections in order"
        );
        previous_header = Some(section.header());
        assert!(section.header() < section.end() && section.end() <= lines.len());
        let header = lines[section.header()];
        let name = section.name_bytes();
        assert!(header.start() <= name.start);
        assert!(name.end <= header.content_end());
        assert_eq!(&text[name], section.name);
        let mut previous_end = section.header() + 1;
        for p in &section.properties {
            assert!(p.line() >= previous_end && p.line() < p.end() && p.end() <= section.end());
            previous_end = p.end();
            let line = lines[p.line()];
            assert!(line.start() <= p.value_start() && p.value_start() <= line.content_end());
            if let Some(c) = p.inline_comment() {
                assert!(p.value_start() <= c.start && c.end <= line.content_end());
            }
            assert!(
                p.continuation_lines(&doc)
                    .all(|l| l > p.line() && l < p.end())
            );
            assert_eq!(&*p.key, p.key.to_ascii_lowercase());
        }
    }
    assert!(doc.errors().iter().all(|e| e.line < lines.len()));
    assert!(doc.errors().windows(2).all(|w| w[0].line <= w[1].line));
    doc
}

fn workspace(config: &Document, credentials: &Document) -> Workspace {
    let (c, k) = (
        PathBuf::from("/fuzz/config"),
        PathBuf::from("/fuzz/credentials"),
    );
    Workspace {
        config: StoredFile::in_memory(c.clone(), config.text()),
        credentials: StoredFile::in_memory(k.clone(), credentials.text()),
        locations: Locations {
            config: c,
            credentials: k,
            profile: "default".to_string(),
        },
        demo: false,
        // An empty environment: no home, no caches read.
        env: rolecall::env::Env::default(),
        paths: rolecall::paths::Paths::default(),
    }
}

/// Everything `list` and `inspect` compute; none of it may panic.
fn read_everything(set: &ProfileSet, config: &Document, credentials: &Document) {
    for (name, p) in &set.profiles {
        let _ = kind::classify(p);
        if let Ok(c) = chain::resolve(set, name) {
            assert!(!c.profiles().is_empty());
            let _ = rolecall::profile::summary::chain_summary(&c);
        }
    }
    assert_eq!(list::rows(set).len(), set.profiles.len());
    let ws = workspace(config, credentials);
    let mut out = Vec::new();
    list::run(&ws, &ListArgs { json: true }, &mut out).expect("list --json");
    let json: serde_json::Value = serde_json::from_slice(&out).expect("list --json is JSON");
    assert_eq!(
        json["profiles"].as_array().map(Vec::len),
        Some(set.profiles.len())
    );
    let _ = inspect::model_json(&ws, set, false).to_string();
    if let Some(name) = set.profiles.keys().next() {
        let _ = inspect::profile_json(&ws, set, name, false).expect("profile exists");
    }
}

/// An edited document must be what parsing its text gives.
fn reparses(doc: &Document) {
    assert_eq!(&Document::parse(doc.text()), doc, "edit result re-parses");
}

fn line_edits(doc: &Document) {
    let n = doc.sections().len();
    if n == 0 {
        let added = ini_edit::append_section(doc, "fuzz", &["k = v".to_string()]);
        reparses(&added);
        assert_eq!(added.sections().len(), 1);
        return;
    }
    if let Ok(d) = ini_edit::insert_property(doc, 0, "fuzz_key", "fuzz-value") {
        reparses(&d);
        assert_eq!(d.sections().len(), n);
        assert!(
            d.sections()[0]
                .properties
                .iter()
                .any(|p| &*p.key == "fuzz_key")
        );
    }
    if let Some(si) = doc.sections().iter().position(|s| !s.properties.is_empty()) {
        if let Ok(d) = ini_edit::replace_property(doc, si, 0, "fuzz-value") {
            reparses(&d);
            assert_eq!(d.sections().len(), n);
            let p = &d.sections()[si].properties[0];
            assert_eq!(p.key, doc.sections()[si].properties[0].key);
            assert_eq!(p.value(&d), "fuzz-value");
        }
        let d = ini_edit::remove_property(doc, si, 0);
        reparses(&d);
        assert_eq!(d.sections().len(), n);
    }
    let d = ini_edit::rename_section(doc, 0, "profile fuzz-renamed");
    reparses(&d);
    assert_eq!(d.sections().len(), n);
    let d = ini_edit::remove_section(doc, 0);
    reparses(&d);
    assert_eq!(d.sections().len(), n - 1);
    let d = ini_edit::append_section(doc, "profile fuzz-new", &["k = v".to_string()]);
    reparses(&d);
    assert_eq!(d.sections().len(), n + 1);
}

/// Every profile's effective values, without where they came from.
fn values(set: &ProfileSet) -> BTreeMap<String, BTreeMap<String, String>> {
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

fn without(
    mut all: BTreeMap<String, BTreeMap<String, String>>,
    names: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    for name in names {
        all.remove(*name);
    }
    all
}

fn profile_edits(set: &ProfileSet, config: &Document, credentials: &Document) {
    let Some(name) = set.profiles.keys().next() else {
        return;
    };
    let files = Files {
        config: config.clone(),
        credentials: credentials.clone(),
    };
    let before = values(&files.profile_set());
    let after = |f: &Files| {
        reparses(&f.config);
        reparses(&f.credentials);
        f.profile_set()
    };

    let mut f = files.clone();
    if let Ok(outcome) = edit::set(&mut f, Target::Profile(name), "region", "fuzz-region", None) {
        let set = after(&f);
        if outcome.shadowed_by.is_none() {
            assert_eq!(set.profiles[name].get("region"), Some("fuzz-region"));
        }
        assert_eq!(
            without(values(&set), &[name]),
            without(before.clone(), &[name])
        );
    }

    // Renaming `default` when `[profile default]` hides a `[default]` renames both,
    // so the hidden section's keys join the profile (a known limit, reported as the
    // `default-shadowed` warning): only the count check is skipped then.
    let hidden_default =
        name == "default" && set.diagnostics.iter().any(|d| d.code == "default-shadowed");
    let mut f = files.clone();
    if edit::rename_profile(&mut f, name, "fuzz-renamed", false).is_ok() {
        let set = after(&f);
        assert!(!set.profiles.contains_key(name.as_str()), "old name gone");
        if !hidden_default {
            assert_eq!(
                set.profiles["fuzz-renamed"].properties.len(),
                before[name.as_str()].len()
            );
        }
        let renamed = without(values(&set), &["fuzz-renamed"]);
        assert_eq!(renamed, without(before.clone(), &[name]));
    }

    // A new profile (the fuzz crash behind `a_bare_cr_at_the_end_stays_in_its_line`:
    // the line ending added before it turned another profile's `x\r` into `x`).
    let mut f = files.clone();
    let props = [("region".to_string(), "fuzz-region".to_string())];
    if edit::add_profile(&mut f, "fuzz-added", &props).is_ok() {
        let set = after(&f);
        assert_eq!(
            set.profiles["fuzz-added"].get("region"),
            Some("fuzz-region")
        );
        assert_eq!(without(values(&set), &["fuzz-added"]), before);
    }

    let mut f = files;
    if edit::remove_profile(&mut f, name, true).is_ok() {
        let set = after(&f);
        assert!(!set.profiles.contains_key(name.as_str()), "profile removed");
        assert_eq!(values(&set), without(before, &[name]));
    }
}

#[cfg(test)]
mod tests {
    //! A stable-Rust smoke run: the seeds, the bundled demo, and deterministic
    //! mutations of them, through `check`.

    use super::check;

    fn seeds() -> Vec<Vec<u8>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds/parse");
        let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
            .expect("seeds/parse")
            .map(|e| std::fs::read(e.unwrap().path()).unwrap())
            .collect();
        out.push(rolecall::workspace::DEMO_CONFIG.as_bytes().to_vec());
        out.push(
            format!(
                "{}\0{}",
                rolecall::workspace::DEMO_CONFIG,
                rolecall::workspace::DEMO_CREDENTIALS
            )
            .into_bytes(),
        );
        out
    }

    #[test]
    fn seeds_pass() {
        for seed in seeds() {
            check(&seed);
            super::check_edit(&seed);
        }
    }

    /// xorshift64*: deterministic, no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    const TOKENS: &[&str] = &[
        "[",
        "]",
        "=",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "#",
        ";",
        "\u{feff}",
        "\0",
        "[profile ",
        "[default]",
        "[sso-session ",
        "[services ",
        "profile",
        "default",
        "source_profile = ",
        "role_arn = ",
        "credential_source = ",
        "sso_session = ",
        "s3 =\n  ",
        "\n  k = v",
        "é",
        "\u{a0}",
        "\u{2028}",
        "\u{85}",
    ];

    fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
        let mut out = input.to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(out.len() + 1);
            match rng.below(5) {
                0 => {
                    let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                    out.splice(at..at, t.iter().copied());
                }
                1 if at < out.len() => {
                    let end = (at + 1 + rng.below(16)).min(out.len());
                    out.drain(at..end);
                }
                2 if at < out.len() => out[at] = rng.next() as u8,
                3 => out.truncate(at),
                _ => {
                    // Duplicate a slice somewhere else: repeated sections and keys.
                    let from = rng.below(out.len() + 1);
                    let end = (from + rng.below(64)).min(out.len());
                    let piece = out[from..end].to_vec();
                    out.splice(at..at, piece);
                }
            }
        }
        out
    }

    #[test]
    fn mutated_seeds_pass() {
        let iterations: usize = std::env::var("FUZZ_SMOKE_ITERATIONS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3_000);
        let seeds = seeds();
        let mut rng = Rng(0x5eed_f0ca_f00d);
        for i in 0..iterations {
            let input = mutate(&mut rng, &seeds[i % seeds.len()]);
            if std::panic::catch_unwind(|| check(&input)).is_err() {
                // Kept where cargo-fuzz keeps its crashes, for `cargo run --bin replay`.
                let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/artifacts/parse");
                std::fs::create_dir_all(dir).unwrap();
                let path = format!("{dir}/smoke-{i}");
                std::fs::write(&path, &input).unwrap();
                panic!("iteration {i}: the input saved as {path} breaks a check");
            }
        }
    }
}
