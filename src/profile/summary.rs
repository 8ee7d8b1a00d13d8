//! One line per profile: what lists, tables and pickers show about it.
//!
//! Shared by `rolecall list` and the TUI so both describe a profile the same way.

use super::chain::{Base, Chain, ChainError};
use super::{ProfileSet, kind};

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
    match base {
        Base::AccessKey {
            session_token: Some(_),
            ..
        } => "temporary keys".into(),
        Base::AccessKey { .. } => "keys".into(),
        Base::NamedSource { source, .. } => source.to_string(),
        Base::WebIdentity { .. } => "web identity".into(),
        Base::Sso {
            sso_session: Some(s),
            ..
        } => format!("sso {s}"),
        Base::Sso { sso_start_url, .. } => format!("sso {sso_start_url}"),
        Base::LoginSession { .. } => "console login".into(),
        Base::CredentialProcess { .. } => "process".into(),
    }
}

/// The chain as one line: `base (keys) → dev → audit`.
pub fn chain_summary(chain: &Chain) -> String {
    let names = chain.profiles();
    let mut s = format!("{} ({})", names[0], base_summary(&chain.base));
    for n in &names[1..] {
        s.push_str(" → ");
        s.push_str(n);
    }
    s
}

/// The rows for every profile, sorted by name.
pub fn rows(set: &ProfileSet) -> Vec<Row> {
    set.with_chains()
        .map(|(name, _, chain)| row(set, name, &chain))
        .collect()
}

/// The row of profile `name` of `set`, given its chain as [`chain::resolve`]
/// returned it (for callers that need the chain too, so it is resolved once).
pub fn row(set: &ProfileSet, name: &str, resolved: &Result<Chain, ChainError>) -> Row {
    let p = &set.profiles[name];
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
