//! What doctor reports as wrong or worth knowing, each with its fix:
//! [`env`] judges the environment (variables that shadow the profile, the two
//! profile variables read differently, temporary or half-set keys), [`files`]
//! the profile meant and the files (temporary keys and missing session tokens,
//! expired caches, MFA, broken chains, the files' own findings, portability
//! included, and what happens when nothing has credentials).
//!
//! Errors are what will make the profile the user means fail or be silently
//! replaced; the files' findings about other profiles' chains are warnings.

mod env;
mod files;

use std::collections::BTreeSet;

use crate::profile::chain;
use crate::profile::{Diagnostic, Severity};

use super::Input;
use super::order::Verdict;

fn finding(
    severity: Severity,
    code: &'static str,
    profile: Option<&str>,
    message: String,
    fix: String,
) -> Diagnostic {
    Diagnostic {
        profile: profile.map(Into::into),
        ..Diagnostic::new(severity, code, message, fix)
    }
}

/// Every finding for `input`, `profile` being the one the user means.
pub fn collect(input: &Input, profile: &str, families: &[Verdict]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    env::environment(input, &mut out);
    env::profile_variables(input, profile, &mut out);
    let chain_profiles = chain_members(input, profile);
    files::selected_profile(input, profile, &mut out);
    files::keys_in_files(input, &chain_profiles, &mut out);
    files::mfa(input, profile, &mut out);
    files::environment_source(input, profile, &mut out);
    files::file_findings(input, &chain_profiles, &mut out);
    files::fallbacks(input, families, &mut out);
    out
}

/// Whether the user named a profile (argument or a profile variable).
fn named(input: &Input) -> Option<String> {
    input
        .wanted
        .map(str::to_string)
        .or_else(|| input.env.get("AWS_PROFILE").map(str::to_string))
        .or_else(|| input.env.get("AWS_DEFAULT_PROFILE").map(str::to_string))
}

/// The profiles `profile`'s chain runs through (just `profile` when it does
/// not resolve).
fn chain_members(input: &Input, profile: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::from([profile.to_string()]);
    if let Ok(c) = chain::resolve(input.set, profile) {
        names.insert(c.base.profile().to_string());
        names.extend(c.roles.iter().map(|r| r.profile.to_string()));
    }
    names
}

#[cfg(test)]
mod testutil {
    pub use super::super::tests::{files, run};
    use crate::profile::{Diagnostic, Severity};

    pub fn codes(r: &super::super::Report) -> Vec<(&'static str, Severity)> {
        r.findings.iter().map(|f| (f.code, f.severity)).collect()
    }

    pub fn has<'a>(r: &'a super::super::Report, code: &str) -> &'a Diagnostic {
        let d = r
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:#?}", r.findings));
        assert!(!d.fix.is_empty(), "{code} has no fix");
        d
    }

    pub const KEYS: &str = "[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n";
    pub const ROLE: &str =
        "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n";
}
