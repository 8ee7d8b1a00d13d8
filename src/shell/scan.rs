//! Reading one profile without reading them all: the sections of a file whose
//! header could name it, cut out as a smaller text.
//!
//! A section starts at a line whose first byte is `[` and runs to the next such
//! line, exactly as `ini::syntax` reads it; so the grammar reads the cut-out text
//! as it reads those sections in the whole file (same keys, values, continuation
//! lines, duplicates merged in the same order). Which of the cut-out sections
//! really name the profile is left to `profile::normalize`: this module only
//! keeps every header line that contains a wanted name, a superset. The prompt
//! uses it on every shell prompt, so it is a byte search (`"\n["`) with no
//! allocation per section. Pure: texts in, text out.

use crate::ini::Document;
use crate::profile::{ProfileSet, normalize};

/// The byte offsets where the file's sections start (the `[` of each header).
fn header_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let first = text.starts_with('[').then_some(0);
    first
        .into_iter()
        .chain(text.match_indices("\n[").map(|(i, _)| i + 1))
}

/// `text` without a leading byte-order mark (the grammar reads the first line
/// as if it were not there).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The sections of `text` whose header line contains one of `names`, in file
/// order, each with all its lines.
pub fn sections_naming(text: &str, names: &[&str]) -> String {
    let text = without_bom(text);
    let mut out = String::new();
    let mut starts = header_starts(text).peekable();
    while let Some(start) = starts.next() {
        let end = starts.peek().copied().unwrap_or(text.len());
        let header_end = text[start..end].find('\n').map_or(end, |i| start + i);
        let header = &text[start..header_end];
        if names.iter().any(|n| header.contains(n)) {
            out.push_str(&text[start..end]);
        }
    }
    out
}

/// The header lines of `text` alone (enough to know which profiles exist).
pub fn header_lines(text: &str) -> String {
    let text = without_bom(text);
    let mut out = String::new();
    for start in header_starts(text) {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        out.push_str(&text[start..end]);
        out.push('\n');
    }
    out
}

/// The profiles, sso-sessions and services named `names` (and any others whose
/// header happens to contain one of them), merged from both files as the SDKs
/// merge them.
pub fn profiles_named(config: &str, credentials: &str, names: &[&str]) -> ProfileSet {
    let config = Document::parse(sections_naming(config, names));
    let credentials = Document::parse(sections_naming(credentials, names));
    normalize::normalize(Some(&config), Some(&credentials))
}

/// `profile` and every profile and sso-session its chain leads to
/// (`source_profile`, `sso_session`), read from the two files' texts: what it
/// takes to resolve that one profile's chain.
pub fn profile_closure(config: &str, credentials: &str, profile: &str) -> ProfileSet {
    let mut names: Vec<String> = vec![profile.to_string()];
    loop {
        let wanted: Vec<&str> = names.iter().map(String::as_str).collect();
        let set = profiles_named(config, credentials, &wanted);
        let mut more = Vec::new();
        for p in set.profiles.values() {
            for key in ["source_profile", "sso_session"] {
                if let Some(v) = p.get(key)
                    && !names.iter().any(|n| n == v)
                    && !more.iter().any(|n: &String| n == v)
                {
                    more.push(v.to_string());
                }
            }
        }
        if more.is_empty() {
            return set;
        }
        names.extend(more);
    }
}

/// Every profile name in the two files, sorted, read from the header lines only.
pub fn profile_names(config: &str, credentials: &str) -> Vec<String> {
    let config = Document::parse(header_lines(config));
    let credentials = Document::parse(header_lines(credentials));
    let set = normalize::normalize(Some(&config), Some(&credentials));
    set.profiles.keys().cloned().collect()
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
            sections_naming(CONFIG, &["dev"]),
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/D\nsource_profile = base\n# a comment\n\
             [profile dev-old] # not dev\nregion = x\n\
             [profile dev]\nregion = eu-west-1\n[profile  dev ]\nmfa_serial = m"
        );
        assert_eq!(sections_naming(CONFIG, &["nothing"]), "");
        assert_eq!(sections_naming("[a]\nk = v", &["a"]), "[a]\nk = v");
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
        assert!(!whole.profiles.is_empty());
        for name in whole.profiles.keys() {
            let part = profile_closure(config, credentials, name);
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
        agrees_with_the_whole_files(CONFIG, CREDENTIALS);
        agrees_with_the_whole_files(
            include_str!("../../assets/demo/config"),
            include_str!("../../assets/demo/credentials"),
        );
        let part = profile_closure(CONFIG, CREDENTIALS, "dev");
        assert!(part.profiles.contains_key("base"));
        assert!(!part.profiles.contains_key("other"));
        let part = profile_closure(CONFIG, CREDENTIALS, "sso");
        assert!(part.sso_sessions.contains_key("corp"));
    }

    #[test]
    fn names_come_from_the_headers() {
        assert_eq!(
            profile_names(CONFIG, CREDENTIALS),
            ["base", "default", "dev", "dev-old", "other", "sso"]
        );
    }
}
