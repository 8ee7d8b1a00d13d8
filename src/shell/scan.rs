//! Reading one profile without reading them all: the sections of a file whose
//! header could name it, cut out as a smaller text.
//!
//! A section starts at a line whose first byte is `[` and runs to the next such
//! line, exactly as `ini::syntax` reads it; so the grammar reads the cut-out text
//! as it reads those sections in the whole file (same keys, values, continuation
//! lines, duplicates merged in the same order). Which of the cut-out sections
//! really name the profile is left to `profile::normalize`: this module only
//! keeps every header line that contains a wanted name, a superset. The prompt
//! uses it on every shell prompt, so it searches each wanted name once through
//! the whole text (memchr's SIMD substring search) and looks only at the lines
//! it occurs on; nothing else is tokenised. Pure: texts in, text out.

use std::collections::BTreeSet;

use memchr::{memmem, memrchr};

use crate::ini::Document;
use crate::profile::{ProfileSet, normalize};

/// `text` without a leading byte-order mark (the grammar reads the first line
/// as if it were not there).
fn without_bom(text: &[u8]) -> &[u8] {
    text.strip_prefix("\u{feff}".as_bytes()).unwrap_or(text)
}

/// Adds to `starts` the offset of every header line (a line whose first byte
/// is `[`) that contains `name`: each occurrence of the name is found with a
/// SIMD search, then its line's first byte is checked.
fn add_headers_naming(bytes: &[u8], name: &str, starts: &mut BTreeSet<usize>) {
    // A name with a line break is no header's (and no profile's: the SDKs
    // accept no such name).
    if name.is_empty() || name.contains('\n') {
        return;
    }
    for hit in memmem::find_iter(bytes, name.as_bytes()) {
        let line = memrchr(b'\n', &bytes[..hit]).map_or(0, |i| i + 1);
        if bytes[line] == b'[' {
            starts.insert(line);
        }
    }
}

/// The sections starting at `starts`, in file order, each up to the next
/// header line. Only this text is checked for UTF-8 (bytes that are not become
/// U+FFFD; rolecall's other commands refuse such a file and say where).
fn cut(bytes: &[u8], starts: &BTreeSet<usize>) -> String {
    let mut out = Vec::new();
    for &start in starts {
        let end = memmem::find(&bytes[start + 1..], b"\n[").map_or(bytes.len(), |i| start + i + 2);
        out.extend_from_slice(&bytes[start..end]);
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The sections of `text` whose header line contains one of `names`, in file
/// order, each with all its lines.
pub fn sections_naming(text: &[u8], names: &[&str]) -> String {
    let text = without_bom(text);
    let mut starts = BTreeSet::new();
    for name in names {
        add_headers_naming(text, name, &mut starts);
    }
    cut(text, &starts)
}

/// The header lines of `text` alone (enough to know which profiles exist).
pub fn header_lines(text: &[u8]) -> String {
    let text = without_bom(text);
    let mut out = Vec::new();
    let first = text.starts_with(b"[").then_some(0);
    let rest = memmem::find_iter(text, b"\n[").map(|i| i + 1);
    for start in first.into_iter().chain(rest) {
        let end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |i| start + i);
        out.extend_from_slice(&text[start..end]);
        out.push(b'\n');
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `profile` and every profile and sso-session its chain leads to
/// (`source_profile`, `sso_session`), read from the two files' texts: what it
/// takes to resolve that one profile's chain. Each name is searched for once.
pub fn profile_closure(config: &[u8], credentials: &[u8], profile: &str) -> ProfileSet {
    let texts = [without_bom(config), without_bom(credentials)];
    let mut starts = [BTreeSet::new(), BTreeSet::new()];
    let mut searched: Vec<String> = Vec::new();
    let mut pending = vec![profile.to_string()];
    loop {
        for name in pending.drain(..) {
            for (text, starts) in texts.iter().zip(starts.iter_mut()) {
                add_headers_naming(text, &name, starts);
            }
            searched.push(name);
        }
        let config = Document::parse(cut(texts[0], &starts[0]));
        let credentials = Document::parse(cut(texts[1], &starts[1]));
        let set = normalize::normalize(Some(&config), Some(&credentials));
        for p in set.profiles.values() {
            for key in ["source_profile", "sso_session"] {
                if let Some(v) = p.get(key)
                    && !searched.iter().any(|n| n == v)
                    && !pending.iter().any(|n| n == v)
                {
                    pending.push(v.to_string());
                }
            }
        }
        if pending.is_empty() {
            return set;
        }
    }
}

/// Every profile name in the two files, in natural order (`acct-3` before
/// `acct-29`), read from the header lines only.
pub fn profile_names(config: &[u8], credentials: &[u8]) -> Vec<String> {
    let config = Document::parse(header_lines(config));
    let credentials = Document::parse(header_lines(credentials));
    let set = normalize::normalize(Some(&config), Some(&credentials));
    set.profiles
        .natural_order()
        .filter_map(|i| set.profiles.at(i).map(|(n, _)| n.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::chain;

    const CONFIG: &str = "\u{feff}[default]\nregion = us-east-1\n\
        [profile dev]\nrole_arn = arn:aws:iam::1:role/D\nsource_profile = base\n\
        # a comment\n[profile dev-old] # not dev\nregion = x\n\
        [profile other]\nregion = y\n s3 =\n[profile dev]\nregion = eu-west-1\n\
        [sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n\
        [profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n\
        [profile  dev ]\nmfa_serial = m";
    const CREDENTIALS: &str = "[base]\r\naws_access_key_id = A\r\naws_secret_access_key = S\r\n[dev]\r\noutput = json\r\n";

    #[test]
    fn cuts_out_whole_sections_whose_header_names_it() {
        assert_eq!(
            sections_naming(CONFIG.as_bytes(), &["dev"]),
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/D\nsource_profile = base\n# a comment\n\
             [profile dev-old] # not dev\nregion = x\n\
             [profile dev]\nregion = eu-west-1\n[profile  dev ]\nmfa_serial = m"
        );
        assert_eq!(sections_naming(CONFIG.as_bytes(), &["nothing"]), "");
        assert_eq!(sections_naming(b"[a]\nk = v", &["a"]), "[a]\nk = v");
    }

    /// Values alone (lines differ: the cut-out text is shorter).
    fn values(set: &ProfileSet, name: &str) -> Option<Vec<(String, String)>> {
        let p = set.profiles.get(name)?;
        Some(
            p.properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.value.to_string()))
                .collect(),
        )
    }

    fn agrees_with_the_whole_files(config: &str, credentials: &str) {
        let whole = normalize::normalize(
            Some(&Document::parse(config)),
            Some(&Document::parse(credentials)),
        );
        for name in whole.profiles.keys() {
            let part = profile_closure(config.as_bytes(), credentials.as_bytes(), name);
            assert_eq!(values(&part, name), values(&whole, name), "{name}");
            assert_eq!(
                chain::resolve(&part, name),
                chain::resolve(&whole, name),
                "{name}"
            );
        }
    }

    #[test]
    fn the_closure_reads_each_profile_as_the_whole_files_do() {
        assert!(
            normalize::normalize(Some(&Document::parse(CONFIG)), None)
                .profiles
                .len()
                > 4
        );
        agrees_with_the_whole_files(CONFIG, CREDENTIALS);
        agrees_with_the_whole_files(
            include_str!("../../assets/demo/config"),
            include_str!("../../assets/demo/credentials"),
        );
        let part = profile_closure(CONFIG.as_bytes(), CREDENTIALS.as_bytes(), "dev");
        assert!(part.profiles.contains_key("base"));
        assert!(!part.profiles.contains_key("other"));
        let part = profile_closure(CONFIG.as_bytes(), CREDENTIALS.as_bytes(), "sso");
        assert!(part.sso_sessions.contains_key("corp"));
    }

    /// Lines from which random files are drawn: headers of every shape the
    /// grammar knows (comments, spacing, broken, default twice), properties,
    /// continuation and sub-property lines, comments, blank lines, CRLF.
    const LINES: &[&str] = &[
        "[profile a]",
        "[profile b] # b",
        "[ profile  a ]",
        "[profile ab]",
        "[profile a",
        "[default]",
        "[profile default]",
        "[sso-session s]",
        "[a]",
        "[b]",
        "[x a]",
        "region = r1",
        "region = r2 ; c",
        "source_profile = a",
        "source_profile = b",
        "source_profile = default",
        "role_arn = arn:aws:iam::1:role/R",
        "sso_session = s",
        "sso_start_url = https://x",
        "sso_region = us-east-1",
        "sso_account_id = 1",
        "sso_role_name = R",
        "aws_access_key_id = A",
        "aws_secret_access_key = S",
        "s3 =",
        "  max = 1",
        "\tmore",
        "# [profile a]",
        "; comment",
        "",
        "key : bad",
        "a = [profile b]",
        "region = r3\r",
    ];

    fn text(picks: &[usize]) -> String {
        picks.iter().map(|&i| format!("{}\n", LINES[i])).collect()
    }

    proptest::proptest! {
        #[test]
        fn random_files_read_the_same_cut_out_or_whole(
            config in proptest::collection::vec(0..LINES.len(), 0..40),
            credentials in proptest::collection::vec(0..LINES.len(), 0..20),
        ) {
            agrees_with_the_whole_files(&text(&config), &text(&credentials));
        }
    }

    #[test]
    fn names_come_from_the_headers() {
        assert_eq!(
            profile_names(CONFIG.as_bytes(), CREDENTIALS.as_bytes()),
            ["base", "default", "dev", "dev-old", "other", "sso"]
        );
    }
}
