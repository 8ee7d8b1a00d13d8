//! Profiles as the AWS SDKs see them, worked out from the files alone.
//!
//! [`location`] finds the two files; [`normalize`] merges their sections into a
//! [`ProfileSet`] exactly as the SDKs' shared test vectors specify, keeping the
//! file and line every value came from; [`kind`] and [`chain`] say what each
//! profile is and which profiles its credentials come through; [`portability`]
//! flags what botocore (the AWS CLI, boto3) would read differently; [`edit`]
//! changes profiles through the lossless `ini` layer. Nothing here touches the
//! network or the terminal, and obtaining credentials is `credential`'s job.

pub mod chain;
pub mod diagnostic;
pub mod edit;
pub mod extract;
mod keys;
pub mod kind;
pub mod known_keys;
pub mod location;
pub mod model;
pub mod normalize;
pub mod portability;
pub mod region;
pub mod section_map;
pub mod summary;
pub mod validate;

pub use diagnostic::{Diagnostic, Message, Severity};

pub use kind::Kind;
pub use model::{FileKind, Origin, ProfileSet, Properties, Section, Value};
use normalize::merge;
pub use section_map::SectionMap;

use crate::ini::SharedStr;

/// Keys whose values are secrets: masked on screen and kept in the credentials file.
pub const SECRET_KEYS: &[&str] = &[
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Keys that belong in the credentials file when rolecall chooses the file.
pub const CREDENTIALS_FILE_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "aws_security_token",
];

/// Whether a key's value is a secret.
pub fn is_secret(key: &str) -> bool {
    SECRET_KEYS.contains(&key)
}

/// A secret as it may be shown: its last four characters at most.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 8 {
        return "****".to_string();
    }
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("****{tail}")
}

/// The merged view of both files with every finding: SDK errors, ignored
/// sections and keys, and portability warnings, sorted by file and line.
pub fn view(
    config: Option<&crate::ini::Document>,
    credentials: Option<&crate::ini::Document>,
) -> ProfileSet {
    let files = [config, credentials];
    // Large files: the portability checks (which read only the documents) run
    // on a second thread while the merge and the chains run on this one. The
    // findings are added in the same order either way.
    let bytes: usize = files.iter().flatten().map(|d| d.text().len()).sum();
    view_on(config, credentials, bytes > PARALLEL_BYTES)
}

/// [`view`], with work on a second thread or not.
fn view_on(
    config: Option<&crate::ini::Document>,
    credentials: Option<&crate::ini::Document>,
    parallel: bool,
) -> ProfileSet {
    let files = [
        (config, FileKind::Config),
        (credentials, FileKind::Credentials),
    ];
    let portability = || -> Vec<Diagnostic> {
        files
            .iter()
            .filter_map(|(doc, file)| doc.map(|doc| portability::check(doc, *file)))
            .flatten()
            .collect()
    };
    // Large files: a second thread reads the credentials file's sections and
    // checks portability (which reads only the documents) while this one reads
    // the config file's; the two parts are then combined. Each thread shares
    // only its own file's text, so they never count references to the same
    // one. The results are the same either way.
    let (mut set, findings) = if parallel {
        std::thread::scope(|s| {
            let second = s.spawn(|| {
                let part = credentials.map(|doc| merge::file_part(doc, FileKind::Credentials));
                (part, portability())
            });
            let first = config.map(|doc| merge::file_part(doc, FileKind::Config));
            let (second, findings) = second.join().expect("reading the credentials file");
            (merge::combine(first, second), findings)
        })
    } else {
        (normalize::normalize(config, credentials), portability())
    };
    // One thread: chains share the documents' text with the set, and two
    // threads counting references to the same text were slower than one.
    let chains = chain::resolve_all(&set);
    // Every profile without credentials has a finding: the list is sized
    // once and filled in place (a vector of them beside it, and the room
    // doubling, were a fifth of the peak memory at a million profiles).
    let mut diagnostics = std::mem::take(&mut set.diagnostics);
    diagnostics.reserve_exact(findings.len() + chains.iter().filter(|c| c.is_err()).count());
    diagnostics.extend(findings);
    diagnostics.extend(
        set.profiles
            .keys()
            .zip(&chains)
            .filter_map(|(name, c)| c.as_ref().err().map(|e| chain_finding(&set, name, e))),
    );
    set.diagnostics = diagnostics;
    set.chains = chains;
    set.diagnostics.sort_by_key(|d| (d.origin, d.severity));
    set
}

/// From this many bytes of text, [`view`] works on two threads.
const PARALLEL_BYTES: usize = 64 * 1024;

/// A chain that cannot be resolved, as a finding on the line that causes it: the
/// `source_profile` that points nowhere or into a loop, else the profile's header.
fn chain_finding(set: &ProfileSet, name: &SharedStr, err: &chain::ChainError) -> Diagnostic {
    let culprit = set.profiles.get(err.profile.as_str());
    let origin = match culprit {
        Some(p) if err.no_credentials() => p.origin(),
        Some(p) => p
            .properties
            .get("source_profile")
            .filter(|_| !err.path().is_empty())
            .map(|v| v.origin)
            .or_else(|| p.origin()),
        // A missing source profile: point at the reference (the last hop that names it).
        None => set
            .profiles
            .values()
            .filter_map(|p| p.properties.get("source_profile"))
            .find(|v| *v.value == *err.profile)
            .map(|v| v.origin),
    };
    let (severity, code) = if err.no_credentials() {
        (Severity::Info, "no-credentials")
    } else {
        (Severity::Error, "chain")
    };
    Diagnostic {
        severity,
        code,
        origin,
        profile: Some(name.clone()),
        message: Message::chain(name.clone(), err.clone()),
        fix: err.fix(),
        sdk_refuses_file: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mask_shows_at_most_four_characters() {
        assert_eq!(mask("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "****EKEY");
        assert_eq!(mask("short"), "****");
        assert!(is_secret("aws_session_token"));
        assert!(!is_secret("aws_access_key_id"));
    }

    #[test]
    fn the_second_thread_changes_nothing() {
        let mut config = String::new();
        let mut credentials = String::new();
        for i in 0..400 {
            config.push_str(&format!(
                "[profile p{i}]\nregion = r # note\nrole_arn = x\nsource_profile = p{}\n[profile p{i}]\nx = 1\n",
                (i + 7) % 450
            ));
            credentials.push_str(&format!("[p{i}]\naws_access_key_id = a\nk = 1\nk = 2\n"));
        }
        config.push_str("[foo]\n[profile bad name]\n");
        let (config, credentials) = (
            crate::ini::Document::parse(config),
            crate::ini::Document::parse(credentials),
        );
        let one = view_on(Some(&config), Some(&credentials), false);
        let two = view_on(Some(&config), Some(&credentials), true);
        assert!(one.diagnostics.len() > 1000, "{}", one.diagnostics.len());
        assert_eq!(one, two);
    }

    #[test]
    fn chain_problems_point_at_the_line_that_causes_them() {
        let config = crate::ini::Document::parse(
            "[profile a]\nrole_arn = x\nsource_profile = gone\n[profile c]\nrole_arn = x\nsource_profile = d\n[profile d]\nrole_arn = y\nsource_profile = c\n[default]\nregion = r\n",
        );
        let set = view(Some(&config), None);
        let find = |p: &str| {
            set.diagnostics
                .iter()
                .find(|d| d.profile.as_deref() == Some(p))
                .unwrap()
        };
        assert_eq!(
            (find("a").code, find("a").origin.unwrap().line),
            ("chain", 3)
        );
        assert!(find("a").fix.contains("[profile gone]"));
        assert_eq!(
            (find("c").code, find("c").origin.unwrap().line),
            ("chain", 6)
        );
        assert!(find("c").message.to_string().contains("c -> d -> c"));
        assert_eq!(
            (
                find("default").severity,
                find("default").origin.unwrap().line
            ),
            (Severity::Info, 10)
        );
    }
}
