//! The part of the two files that bears on one profile's credentials: the
//! sections of its profile, of every profile its `source_profile` links reach,
//! and of the sso-sessions and services sections those name, as raw text in
//! file order (duplicates, comments and the file's own bytes kept).
//!
//! aws-config parses the whole of both files for every profile it is asked
//! about; a fan-out over N profiles of a file of N profiles parsed N² sections
//! (most of its CPU at 200 profiles, seconds at 2,000). Handing aws-config
//! this extract instead gives it the same answer: every section it reads for
//! the profile is there, with the same neighbours of the same name, so its
//! merging and its `[profile x]`-over-`[x]` rule come out the same. A file
//! with a syntax error the SDKs refuse has no extract (`None`): aws-config
//! then reads the whole file and refuses it as before.

use std::collections::{HashMap, HashSet};

use zeroize::Zeroizing;

use super::normalize::{Header, classify_header};
use super::{FileKind, ProfileSet};
use crate::ini::Document;

/// Where each name's sections are in the two documents, built once for a
/// fan-out and asked once per profile.
pub struct Index<'a> {
    docs: [&'a Document; 2],
    /// (file, kind of section, name) to section indices in file order.
    sections: HashMap<(FileKind, Kind, &'a str), Vec<usize>>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Profile,
    SsoSession,
    Services,
}

/// The text of both extracts. `Debug` shows sizes only: the credentials part
/// holds secret keys, and is wiped when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Extract {
    /// From the config file.
    pub config: Zeroizing<String>,
    /// From the credentials file.
    pub credentials: Zeroizing<String>,
}

impl std::fmt::Debug for Extract {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Extract(config: {} bytes, credentials: {} bytes)",
            self.config.len(),
            self.credentials.len()
        )
    }
}

impl<'a> Index<'a> {
    /// Indexes both documents, or `None` when either has a syntax error (the
    /// SDKs refuse such a file whole; no extract may hide that).
    pub fn new(config: &'a Document, credentials: &'a Document) -> Option<Index<'a>> {
        if !config.errors().is_empty() || !credentials.errors().is_empty() {
            return None;
        }
        let mut sections: HashMap<_, Vec<usize>> = HashMap::new();
        for (file, doc) in [
            (FileKind::Config, config),
            (FileKind::Credentials, credentials),
        ] {
            for (i, s) in doc.sections().iter().enumerate() {
                let key = match classify_header(file, s.name.as_str()) {
                    Header::Profile { name, .. } => (Kind::Profile, name),
                    Header::SsoSession(name) => (Kind::SsoSession, name),
                    Header::Services(name) => (Kind::Services, name),
                    Header::Ignored => continue,
                };
                sections.entry((file, key.0, key.1)).or_default().push(i);
            }
        }
        Some(Index {
            docs: [config, credentials],
            sections,
        })
    }

    /// The sections `profile`'s credentials can depend on, as `set` (read
    /// from the same documents) links them; `None` for a profile the files do
    /// not define (aws-config's error names it only when it sees the rest).
    pub fn extract(&self, set: &ProfileSet, profile: &str) -> Option<Extract> {
        set.profile(profile)?;
        let mut wanted: HashSet<(Kind, String)> = HashSet::new();
        let mut queue = vec![profile.to_string()];
        while let Some(name) = queue.pop() {
            if !wanted.insert((Kind::Profile, name.clone())) {
                continue;
            }
            let Some(p) = set.profile(&name) else {
                continue;
            };
            if let Some(next) = p.get("source_profile") {
                queue.push(next.trim().to_string());
            }
            for (key, kind) in [
                ("sso_session", Kind::SsoSession),
                ("services", Kind::Services),
            ] {
                if let Some(v) = p.get(key) {
                    wanted.insert((kind, v.trim().to_string()));
                }
            }
        }
        let mut parts = [Zeroizing::new(String::new()), Zeroizing::new(String::new())];
        for (at, file) in [FileKind::Config, FileKind::Credentials]
            .into_iter()
            .enumerate()
        {
            let doc = self.docs[at];
            let mut chosen: Vec<usize> = wanted
                .iter()
                .filter_map(|(kind, name)| self.sections.get(&(file, *kind, name.as_str())))
                .flatten()
                .copied()
                .collect();
            chosen.sort_unstable();
            let lines = doc.lines();
            for i in chosen {
                let s = &doc.sections()[i];
                let (first, last) = (&lines[s.header()], &lines[s.end() - 1]);
                parts[at].push_str(&doc.text()[first.start()..last.end()]);
                // A last line without an ending gets a newline, so the next
                // section starts on a line of its own.
                if last.end() == last.content_end() {
                    parts[at].push('\n');
                }
            }
        }
        let [config, credentials] = parts;
        Some(Extract {
            config,
            credentials,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::normalize::normalize;

    const CONFIG: &str = "# top comment\n[default]\nregion = us-east-1\n\n[profile dev]\nrole_arn = arn:aws:iam::1:role/dev\nsource_profile = base\nservices = local\n[profile other]\nregion = eu-west-1\n[dev]\nregion = ignored-bare\n[profile base]\n# base's comment\nregion = eu-central-1\ns3 =\n  addressing_style = path\n[sso-session corp]\nsso_region = eu-west-1\n[services local]\nsts =\n  endpoint_url = http://localhost:1\n[profile dev]\nduration_seconds = 900\n[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n[sso-session other]\nsso_region = x\n[profile last]\nregion = no-final-newline";
    const CREDENTIALS: &str = "[base]\r\naws_access_key_id = AKIDBASE\r\naws_secret_access_key = s\r\n[other]\r\naws_access_key_id = AKIDOTHER\r\naws_secret_access_key = o\r\n";

    fn extract(config: &str, credentials: &str, profile: &str) -> Option<Extract> {
        let (c, k) = (Document::parse(config), Document::parse(credentials));
        let set = normalize(Some(&c), Some(&k));
        Index::new(&c, &k).and_then(|i| i.extract(&set, profile))
    }

    #[test]
    fn a_chain_brings_its_sections_in_file_order_with_their_own_bytes() {
        let e = extract(CONFIG, CREDENTIALS, "dev").unwrap();
        assert_eq!(
            e.config.as_str(),
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/dev\nsource_profile = base\nservices = local\n[profile base]\n# base's comment\nregion = eu-central-1\ns3 =\n  addressing_style = path\n[services local]\nsts =\n  endpoint_url = http://localhost:1\n[profile dev]\nduration_seconds = 900\n"
        );
        // `[dev]` in the config file is no profile for the SDKs: left out.
        assert_eq!(
            e.credentials.as_str(),
            "[base]\r\naws_access_key_id = AKIDBASE\r\naws_secret_access_key = s\r\n"
        );
        let sso = extract(CONFIG, CREDENTIALS, "sso").unwrap();
        assert!(
            sso.config
                .contains("[sso-session corp]\nsso_region = eu-west-1\n")
        );
        assert!(!sso.config.contains("other"), "{}", sso.config.as_str());
        assert!(sso.credentials.is_empty());
        let last = extract(CONFIG, CREDENTIALS, "last").unwrap();
        assert_eq!(
            last.config.as_str(),
            "[profile last]\nregion = no-final-newline\n"
        );
        let default = extract(CONFIG, CREDENTIALS, "default").unwrap();
        assert_eq!(default.config.as_str(), "[default]\nregion = us-east-1\n\n");
    }

    #[test]
    fn a_file_the_sdks_refuse_has_no_extract_and_debug_shows_no_secret() {
        assert!(extract("[profile a\nregion = x\n", "", "a").is_none());
        assert!(extract("[profile a]\n", "key = outside\n[a]\n", "a").is_none());
        let e = extract(CONFIG, CREDENTIALS, "dev").unwrap();
        let shown = format!("{e:?}");
        assert!(
            !shown.contains("AKIDBASE") && shown.contains("bytes"),
            "{shown}"
        );
    }

    /// What aws-config reads for `profile` from these files: its region and,
    /// for keys and credential_process, its access key id (or the error).
    fn aws_config_reads(
        files: aws_runtime::env_config::file::EnvConfigFiles,
        profile: &str,
    ) -> String {
        use aws_config::meta::region::ProvideRegion;
        use aws_credential_types::provider::ProvideCredentials;
        crate::credential::obtain::block_on(async {
            let region = aws_config::profile::ProfileFileRegionProvider::builder()
                .profile_name(profile)
                .profile_files(files.clone())
                .build()
                .region()
                .await;
            let conf = aws_config::provider_config::ProviderConfig::default()
                .with_http_client(crate::credential::obtain::http_client())
                .with_behavior_version(Some(aws_config::BehaviorVersion::latest()));
            let creds = aws_config::profile::ProfileFileCredentialsProvider::builder()
                .configure(&conf)
                .profile_name(profile)
                .profile_files(files)
                .build()
                .provide_credentials()
                .await;
            format!(
                "{region:?} {:?}",
                creds.map(|c| c.access_key_id().to_string()).map_err(|e| {
                    aws_smithy_types::error::display::DisplayErrorContext(e).to_string()
                })
            )
        })
    }

    #[test]
    fn aws_config_reads_the_same_from_the_extract_as_from_the_whole_files() {
        use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
        let config = format!(
            "{CONFIG}\n[profile proc]\ncredential_process = echo '{{\"Version\":1,\"AccessKeyId\":\"AKIDPROC\",\"SecretAccessKey\":\"x\"}}'\nsource_profile = other\n[profile keys]\naws_access_key_id = AKIDKEYS\naws_secret_access_key = k\nregion = ap-south-1\n[keys]\nregion = bare\n[profile keys]\nregion = later-wins\n[profile loop]\nsource_profile = loop2\n[profile loop2]\nsource_profile = loop\n[profile nothing]\nsource_profile = missing\n"
        );
        let mut seen = Vec::new();
        // Every kind of link that needs no network (a role would call STS).
        for profile in [
            "default",
            "other",
            "base",
            "sso",
            "last",
            "proc",
            "keys",
            "loop",
            "nothing",
            "undefined",
        ] {
            let whole = EnvConfigFiles::builder()
                .with_contents(EnvConfigFileKind::Config, config.clone())
                .with_contents(EnvConfigFileKind::Credentials, CREDENTIALS)
                .build();
            let Some(e) = extract(&config, CREDENTIALS, profile) else {
                assert_eq!(
                    profile, "undefined",
                    "only an undefined profile has no extract"
                );
                continue;
            };
            let part = EnvConfigFiles::builder()
                .with_contents(EnvConfigFileKind::Config, e.config.as_str())
                .with_contents(EnvConfigFileKind::Credentials, e.credentials.as_str())
                .build();
            let read = aws_config_reads(whole, profile);
            assert_eq!(aws_config_reads(part, profile), read, "profile {profile}");
            seen.push(read);
        }
        // The comparison is of real answers, not of two identical failures.
        for expected in [
            "Some(Region(\"later-wins\")) Ok(\"AKIDKEYS\")",
            "Some(Region(\"eu-central-1\")) Ok(\"AKIDBASE\")",
            "Ok(\"AKIDPROC\")",
        ] {
            assert!(
                seen.iter().any(|r| r.contains(expected)),
                "{expected} in {seen:?}"
            );
        }
    }
}
