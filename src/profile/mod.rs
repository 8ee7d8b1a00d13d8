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
mod findings;
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
    // Chains are resolved when listed, and so are their findings
    // (`findings`): keeping a chain and a finding per profile was half the
    // memory at a million profiles.
    set.diagnostics.extend(findings);
    set.diagnostics.sort_by_key(|d| (d.origin, d.severity));
    set
}

/// From this many bytes of text, [`view`] works on two threads.
const PARALLEL_BYTES: usize = 64 * 1024;

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
        let all = |set: &ProfileSet| -> Vec<Diagnostic> {
            set.findings(Severity::Info)
                .map(|d| d.into_owned())
                .collect()
        };
        assert!(all(&one).len() > 1000, "{}", all(&one).len());
        assert_eq!(one, two);
        assert_eq!(all(&one), all(&two));
    }

    #[test]
    fn chain_problems_point_at_the_line_that_causes_them() {
        let config = crate::ini::Document::parse(
            "[profile a]\nrole_arn = x\nsource_profile = gone\n[profile c]\nrole_arn = x\nsource_profile = d\n[profile d]\nrole_arn = y\nsource_profile = c\n[default]\nregion = r\n",
        );
        let set = view(Some(&config), None);
        let all: Vec<Diagnostic> = set
            .findings(Severity::Info)
            .map(|d| d.into_owned())
            .collect();
        let find = |p: &str| {
            all.iter()
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
