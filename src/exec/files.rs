//! The config and credentials files a `server`-mode child reads instead of the
//! user's.
//!
//! An SDK looks at the selected profile before the container endpoint, so a
//! `[default]` profile with keys, SSO or a `credential_process` in the user's
//! files would win over rolecall's endpoint. The child gets two generated files
//! instead: the config holds the profile's settings that are not about
//! credentials (region, endpoints, retries, …) under `[default]`, with the
//! `[services]` section it names; the credentials file holds nothing. Which keys
//! are copied is an allow-list, so a key no SDK knows yet never carries a secret
//! along. [`child_config`] only builds text; [`ChildFiles::write`] puts both
//! files in a private temporary directory (0700, files 0600) that is removed
//! when the value is dropped.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::profile::ProfileSet;

/// Profile settings a child keeps: none of them selects or holds credentials.
pub const KEPT_SETTINGS: &[&str] = &[
    "region",
    "output",
    "endpoint_url",
    "ignore_configured_endpoint_urls",
    "services",
    "use_fips_endpoint",
    "use_dualstack_endpoint",
    "ca_bundle",
    "retry_mode",
    "max_attempts",
    "defaults_mode",
    "s3",
    "sts_regional_endpoints",
    "parameter_validation",
    "tcp_keepalive",
    "disable_request_compression",
    "request_min_compression_size_bytes",
    "request_checksum_calculation",
    "response_checksum_validation",
    "account_id_endpoint_mode",
    "auth_scheme_preference",
    "sigv4a_signing_region_set",
    "sdk_ua_app_id",
    "api_versions",
    "cli_pager",
    "cli_timestamp_format",
    "cli_binary_format",
    "cli_follow_urlparam",
    "cli_auto_prompt",
    "cli_history",
];

/// The generated credentials file: no profile, no key.
pub const CHILD_CREDENTIALS: &str = "# Written by `rolecall exec --mode server`: credentials come from the\n# endpoint in AWS_CONTAINER_CREDENTIALS_FULL_URI, never from this file.\n";

/// Writes `key = value`, sub-properties and continuation lines indented.
fn property(out: &mut String, key: &str, value: &str) {
    let mut lines = value.split('\n');
    let first = lines.next().unwrap_or_default();
    if first.is_empty() {
        out.push_str(&format!("{key} =\n"));
    } else {
        out.push_str(&format!("{key} = {first}\n"));
    }
    for line in lines {
        out.push_str(&format!("  {line}\n"));
    }
}

/// The config file for a child of `profile`: its kept settings under
/// `[default]`, and the `[services NAME]` section it refers to.
pub fn child_config(set: &ProfileSet, profile: &str) -> String {
    let mut out = String::from(
        "# Written by `rolecall exec --mode server`: the profile's settings without its\n# credentials, which come from the endpoint in AWS_CONTAINER_CREDENTIALS_FULL_URI.\n[default]\n",
    );
    let Some(p) = set.profile(profile) else {
        return out;
    };
    for (key, value) in &p.properties {
        if KEPT_SETTINGS.contains(&&**key) {
            property(&mut out, key, &value.value);
        }
    }
    if let Some((name, services)) = p
        .get("services")
        .and_then(|name| Some((name, set.services.get(name)?)))
    {
        out.push_str(&format!("\n[services {name}]\n"));
        for (key, value) in &services.properties {
            property(&mut out, key, &value.value);
        }
    }
    out
}

/// The two generated files, removed with their directory when dropped.
#[derive(Debug)]
pub struct ChildFiles {
    dir: tempfile::TempDir,
    /// For `AWS_CONFIG_FILE`.
    pub config: PathBuf,
    /// For `AWS_SHARED_CREDENTIALS_FILE`.
    pub credentials: PathBuf,
}

impl ChildFiles {
    /// Writes `config` and an empty credentials file into a new private
    /// directory under `base` (`$XDG_RUNTIME_DIR`, else the system's
    /// temporary directory: [`crate::paths::Paths::runtime_dir`]).
    pub fn write(base: &Path, config: &str) -> io::Result<ChildFiles> {
        let mut builder = tempfile::Builder::new();
        builder.prefix("rolecall-exec-");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(base)?;
        let config_path = dir.path().join("config");
        let credentials_path = dir.path().join("credentials");
        write_private(&config_path, config)?;
        write_private(&credentials_path, CHILD_CREDENTIALS)?;
        Ok(ChildFiles {
            dir,
            config: config_path,
            credentials: credentials_path,
        })
    }

    /// The private directory holding both files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

/// Writes a new private file. No fsync: these files live as long as the
/// child, are read through the page cache, and are removed at exit; a sync per
/// file cost a fan-out over 200 profiles seconds on a disk-backed /tmp.
fn write_private(path: &Path, text: &str) -> io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;

    fn set(config: &str, credentials: &str) -> ProfileSet {
        let config = Document::parse(config);
        let credentials = Document::parse(credentials);
        crate::profile::normalize::normalize(Some(&config), Some(&credentials))
    }

    #[test]
    fn keeps_settings_and_services_and_drops_every_credential() {
        let set = set(
            "[profile dev]\nrole_arn = arn:aws:iam::1:role/dev\nsource_profile = base\nregion = eu-west-1\nsso_session = acme\ncredential_process = /bin/false\nservices = local\ns3 =\n  addressing_style = path\n[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000\n[services other]\nsqs =\n  endpoint_url = http://x\n",
            "[dev]\naws_access_key_id = AKIA1\naws_secret_access_key = s3cr3t\n",
        );
        let text = child_config(&set, "dev");
        assert_eq!(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>()
                .join("\n"),
            "[default]\nregion = eu-west-1\ns3 =\n  addressing_style = path\nservices = local\n\n[services local]\ndynamodb =\n  endpoint_url = http://localhost:8000"
        );
        for secret in ["AKIA1", "s3cr3t", "role_arn", "credential_process", "sso"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        // What the SDKs read back: one profile, `default`, with the region.
        let back = crate::profile::normalize::normalize(Some(&Document::parse(&text)), None);
        assert_eq!(back.profiles.len(), 1);
        assert_eq!(
            back.profile("default").unwrap().get("region"),
            Some("eu-west-1")
        );
        // Nothing wrong in the file (the profile has no credentials, as meant).
        assert!(back.diagnostics.is_empty(), "{:?}", back.diagnostics);
    }

    #[test]
    fn files_are_private_and_go_away() {
        let files = ChildFiles::write(&std::env::temp_dir(), "[default]\nregion = x\n").unwrap();
        let dir = files.dir().to_path_buf();
        assert_eq!(
            std::fs::read_to_string(&files.config).unwrap(),
            "[default]\nregion = x\n"
        );
        assert_eq!(
            std::fs::read_to_string(&files.credentials).unwrap(),
            CHILD_CREDENTIALS
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&files.config), 0o600);
            assert_eq!(mode(&files.credentials), 0o600);
        }
        drop(files);
        assert!(!dir.exists());
    }
}
