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
        .map(|(name, p, chain)| RowRef::new(name, p, &chain).to_row())
        .collect()
}

/// The row of profile `name` of `set`, given its chain as [`chain::resolve`]
/// returned it (for callers that need the chain too, so it is resolved once).
pub fn row(set: &ProfileSet, name: &str, resolved: &Result<Chain, ChainError>) -> Row {
    RowRef::new(name, &set.profiles[name], resolved).to_row()
}

/// A [`Row`] borrowed from the profile set, serialised exactly as a `Row`:
/// what `list --json` writes for each profile without copying the set first
/// (at 10,000 profiles the copies were a sixth of the command's work and a
/// seventh of its memory).
#[derive(serde::Serialize)]
pub struct RowRef<'a> {
    name: &'a str,
    kind: &'static str,
    region: Option<&'a str>,
    chain: Vec<&'a str>,
    chain_summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    chain_error: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sso_session: Option<&'a str>,
}

impl<'a> RowRef<'a> {
    /// The row of profile `name`, `p`, whose chain resolved as `resolved`.
    pub fn new(name: &'a str, p: &'a Section, resolved: &'a Result<Chain, ChainError>) -> Self {
        let (chain, chain_summary, chain_error) = match resolved {
            Ok(c) => (c.profiles(), chain_summary(c), None),
            Err(e) => {
                // The table shows the innermost reason (a chain's error wraps the
                // source profile's); `inspect` shows the whole of it and the fix.
                let short = e.message.rsplit(": ").next().unwrap_or(&e.message);
                (Vec::new(), format!("✗ {short}"), Some(&*e.message))
            }
        };
        RowRef {
            name,
            kind: kind::classify(p).label(),
            region: p.get("region"),
            chain,
            chain_summary,
            chain_error,
            sso_session: p.get("sso_session"),
        }
    }

    /// The owned row.
    pub fn to_row(&self) -> Row {
        Row {
            name: self.name.to_string(),
            kind: self.kind.to_string(),
            region: self.region.map(str::to_string),
            chain: self.chain.iter().map(|s| s.to_string()).collect(),
            chain_summary: self.chain_summary.clone(),
            chain_error: self.chain_error.map(str::to_string),
            sso_session: self.sso_session.map(str::to_string),
        }
    }
}

/// Every profile's row, serialised one at a time as a JSON array of [`Row`]s.
pub struct AllRows<'a>(pub &'a ProfileSet);

impl serde::Serialize for AllRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.profiles.len()))?;
        for (name, p, chain) in self.0.with_chains() {
            seq.serialize_element(&RowRef::new(name, p, &chain))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_rows_serialise_as_the_owned_ones() {
        let config = crate::ini::Document::parse(
            "[profile a]\nregion = r\nrole_arn = x\nsource_profile = b\n[profile b]\nsso_session = s\nsso_account_id = 1\nsso_role_name = n\n[sso-session s]\nsso_region = r\nsso_start_url = u\n[profile c]\nrole_arn = x\nsource_profile = gone\n[profile d]\nregion = q\n",
        );
        let set = crate::profile::view(Some(&config), None);
        let owned = serde_json::to_string_pretty(&rows(&set)).unwrap();
        let borrowed = serde_json::to_string_pretty(&AllRows(&set)).unwrap();
        assert_eq!(owned, borrowed);
        assert!(owned.contains("chain_error") && owned.contains("sso_session"));
    }
}
