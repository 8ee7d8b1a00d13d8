//! `doctor`: which credential source each AWS SDK family will use here, and
//! everything in the environment and the files that makes that surprising.
//!
//! Pure, but for [`gather`], which reads what [`diagnose`] is given for a
//! workspace: the environment, the parsed files, the shared caches' expiry times,
//! botocore's old boto2 files and the time are passed in as data
//! ([`Input`]); [`diagnose`] returns a [`Report`] — one [`Verdict`] per SDK
//! family (the source that wins, why, and whether it refreshes by itself,
//! following [`order`]) and the [`findings`], each with its fix. It never
//! fetches credentials and never prints a secret: only variable names, key
//! ids and expiry times appear.

pub mod findings;
pub mod gather;
pub mod order;

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Serialize;

use crate::credential::cache::Caches;
use crate::profile::{Diagnostic, ProfileSet, Severity};

pub use order::{Family, Refresh, Verdict, Winner};

/// The environment variables doctor looks at (`AWS_*`, `BOTO_*`), empty ones
/// treated as unset, as the SDKs treat them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Environment {
    vars: BTreeMap<String, String>,
}

impl Environment {
    /// From name/value pairs (other names are ignored).
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Environment {
        let vars = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .filter(|(k, v): &(String, String)| {
                (k.starts_with("AWS_") || k.starts_with("BOTO_")) && !v.is_empty()
            })
            .collect();
        Environment { vars }
    }

    /// A variable's value, if set and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether a variable is set and not empty.
    pub fn has(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
}

/// One of botocore's boto2 configuration files (`/etc/boto.cfg`, `~/.boto`,
/// or `$BOTO_CONFIG`) and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BotoFile {
    /// Its path, as shown.
    pub path: String,
    /// Its contents.
    pub text: String,
}

impl BotoFile {
    /// Whether botocore's `BotoProvider` finds keys in it: `aws_access_key_id`
    /// and `aws_secret_access_key` in its `[Credentials]` section.
    pub fn has_keys(&self) -> bool {
        let mut in_section = false;
        let (mut id, mut secret) = (false, false);
        for line in self.text.lines() {
            let line = line.trim();
            if line.starts_with('[') {
                in_section = line == "[Credentials]";
            } else if in_section && let Some((k, _)) = line.split_once(['=', ':']) {
                match k.trim() {
                    "aws_access_key_id" => id = true,
                    "aws_secret_access_key" => secret = true,
                    _ => {}
                }
            }
        }
        id && secret
    }
}

/// Everything doctor judges.
pub struct Input<'a> {
    /// The environment.
    pub env: &'a Environment,
    /// Both files, merged, with their findings (`profile::view`).
    pub set: &'a ProfileSet,
    /// The profile the user means to use (`doctor PROFILE`): judged as if
    /// `AWS_PROFILE` named it. `None`: the environment's own choice.
    pub wanted: Option<&'a str>,
    /// Expiry times in the shared SSO and CLI caches.
    pub caches: &'a Caches,
    /// botocore's boto2 files that exist.
    pub boto_files: &'a [BotoFile],
    /// Now.
    pub now: SystemTime,
}

/// What doctor found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The profile judged: the argument, else `AWS_PROFILE`, else `default`.
    pub profile: String,
    /// One verdict per SDK family.
    pub families: Vec<Verdict>,
    /// Every finding, errors first.
    pub findings: Vec<Diagnostic>,
}

impl Report {
    /// Whether something is wrong (an error finding): doctor then exits 1.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Judges `input`.
pub fn diagnose(input: &Input) -> Report {
    let profile = input
        .wanted
        .map(str::to_string)
        .or_else(|| input.env.get("AWS_PROFILE").map(str::to_string))
        .unwrap_or_else(|| "default".to_string());
    let families: Vec<Verdict> = Family::ALL
        .iter()
        .map(|&f| order::verdict(f, input))
        .collect();
    let mut findings = findings::collect(input, &profile, &families);
    findings.sort_by_key(|d| d.severity);
    Report {
        profile,
        families,
        findings,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ini::Document;

    /// A profile set from two file texts.
    pub fn files(config: &str, credentials: &str) -> ProfileSet {
        crate::profile::view(
            Some(&Document::parse(config)),
            Some(&Document::parse(credentials)),
        )
    }

    /// Runs doctor on prepared data at a fixed time.
    pub fn run(env: &[(&str, &str)], set: &ProfileSet, wanted: Option<&str>) -> Report {
        let env = Environment::from_pairs(env.iter().copied());
        diagnose(&Input {
            env: &env,
            set,
            wanted,
            caches: &Caches::default(),
            boto_files: &[],
            now: std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_800_000_000),
        })
    }

    #[test]
    fn empty_variables_count_as_unset_and_boto_files_need_both_keys() {
        let env =
            Environment::from_pairs([("AWS_PROFILE", ""), ("HOME", "/h"), ("AWS_REGION", "x")]);
        assert!(!env.has("AWS_PROFILE") && !env.has("HOME") && env.has("AWS_REGION"));
        let boto = |text: &str| BotoFile {
            path: "~/.boto".into(),
            text: text.into(),
        };
        assert!(
            boto("[Credentials]\naws_access_key_id = A\naws_secret_access_key: S\n").has_keys()
        );
        assert!(!boto("[Boto]\naws_access_key_id = A\naws_secret_access_key = S\n").has_keys());
        assert!(!boto("[Credentials]\naws_access_key_id = A\n").has_keys());
    }

    #[test]
    fn a_clean_setup_has_no_findings_and_exits_zero() {
        let set = files(
            "[profile dev]\nregion = eu-west-1\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n",
            "[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n",
        );
        let report = run(&[("AWS_PROFILE", "dev")], &set, None);
        assert_eq!(report.profile, "dev");
        assert!(!report.has_errors(), "{:#?}", report.findings);
        assert!(
            report.findings.iter().all(|f| f.severity == Severity::Info),
            "{:#?}",
            report.findings
        );
        for v in &report.families {
            assert_eq!(v.winner, Winner::Profile("dev".into()), "{v:?}");
            assert_eq!(v.refresh, Refresh::Refreshes);
        }
    }
}
