//! One line per profile: what lists, tables and pickers show about it.
//!
//! Shared by `rolecall list` and the TUI so both describe a profile the same way.

use super::chain::{Base, Chain, ChainError};
use super::{ProfileSet, Section, kind};

/// One row of the list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The profile.
    pub name: String,
    /// Its kind.
    pub kind: String,
    /// `region`, if set.
    pub region: Option<String>,
    /// Profiles from the chain's base to this one.
    pub chain: Vec<String>,
    /// A short description of the chain, or why it cannot be resolved.
    pub chain_summary: String,
    /// Why the chain cannot be resolved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chain_error: Option<String>,
    /// `sso_session`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sso_session: Option<String>,
}

/// A short description of where a chain's credentials start.
pub fn base_summary(base: &Base) -> String {
    let mut s = String::new();
    push_base_summary(&mut s, base);
    s
}

/// [`base_summary`], appended to `s` (no `format!`: it runs for every profile).
fn push_base_summary(s: &mut String, base: &Base) {
    let (text, detail) = match base {
        Base::AccessKey {
            session_token: Some(_),
            ..
        } => ("temporary keys", ""),
        Base::AccessKey { .. } => ("keys", ""),
        Base::NamedSource { source, .. } => (&**source, ""),
        Base::WebIdentity { .. } => ("web identity", ""),
        Base::Sso {
            sso_session: Some(session),
            ..
        } => ("sso ", &**session),
        Base::Sso { sso_start_url, .. } => ("sso ", &**sso_start_url),
        Base::LoginSession { .. } => ("console login", ""),
        Base::CredentialProcess { .. } => ("process", ""),
    };
    s.push_str(text);
    s.push_str(detail);
}

/// The chain as one line: `base (keys) → dev → audit`.
pub fn chain_summary(chain: &Chain) -> String {
    let base = chain.base.profile();
    let mut s = String::with_capacity(64 + base.len());
    s.push_str(base);
    s.push_str(" (");
    push_base_summary(&mut s, &chain.base);
    s.push(')');
    let mut last = base;
    for role in &chain.roles {
        // As `Chain::profiles`: a profile is named once however many links it has.
        if *role.profile != *last {
            s.push_str(" → ");
            s.push_str(&role.profile);
            last = &role.profile;
        }
    }
    s
}

/// The rows for every profile, sorted by name.
pub fn rows(set: &ProfileSet) -> Vec<Row> {
    set.with_chains()
        .map(|(name, p, chain)| row_of(name, p, &chain))
        .collect()
}

/// The row of profile `name` of `set`, given its chain as [`chain::resolve`]
/// returned it (for callers that need the chain too, so it is resolved once).
pub fn row(set: &ProfileSet, name: &str, resolved: &Result<Chain, ChainError>) -> Row {
    row_of(name, &set.profiles[name], resolved)
}

/// [`row`] of a profile already looked up.
fn row_of(name: &str, p: &Section, resolved: &Result<Chain, ChainError>) -> Row {
    let (chain, chain_summary, chain_error) = match resolved {
        Ok(c) => (
            c.profiles().iter().map(|s| s.to_string()).collect(),
            chain_summary(c),
            None,
        ),
        Err(e) => {
            // The table shows the innermost reason (a chain's error wraps the
            // source profile's); `inspect` shows the whole of it and the fix.
            let short = e.message.rsplit(": ").next().unwrap_or(&e.message);
            (Vec::new(), format!("✗ {short}"), Some(e.message.clone()))
        }
    };
    Row {
        name: name.to_string(),
        kind: kind::classify(p).label().to_string(),
        region: p.get("region").map(str::to_string),
        chain,
        chain_summary,
        chain_error,
        sso_session: p.get("sso_session").map(str::to_string),
    }
}
