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
    /// When the profile's credentials or token expire (RFC 3339, UTC), if
    /// known: the credential core's status, given by the caller.
    pub expires: Option<String>,
}

/// When a profile's credentials expire, as RFC 3339 text, from its name and
/// resolved chain: the caller's answer (`credential::status`), so this module
/// never looks at a cache.
pub type ExpiryOf<'a> = &'a dyn Fn(&str, Option<&Chain>) -> Option<String>;

/// For callers with no caches to ask: nothing is known to expire.
pub fn no_expiry(_: &str, _: Option<&Chain>) -> Option<String> {
    None
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
    let mut s = String::with_capacity(64 + chain.base.profile().len());
    push_chain_summary(&mut s, chain);
    s
}

/// The CHAIN column of `list` for a chain resolved as `resolved` (the TUI's
/// rows and `list --json` write the same text through [`push_chain_summary`]
/// and `push_failure_cell`),
/// appended to `s`: the chain's summary, or `✗` and the innermost reason it
/// failed (a chain's error wraps the source profile's; `inspect` shows the
/// whole of it and the fix).
pub fn push_chain_cell(s: &mut String, resolved: &Result<Chain, ChainError>) {
    match resolved {
        Ok(c) => push_chain_summary(s, c),
        Err(e) => push_failure_cell(s, &e.message()),
    }
}

/// [`push_chain_cell`] for a chain that failed with `message`.
fn push_failure_cell(s: &mut String, message: &str) {
    s.push_str("✗ ");
    // What follows the last ": " (a byte search: `rsplit` with a two-byte
    // pattern set up a searcher for every failed row).
    let tail =
        memchr::memmem::rfind(message.as_bytes(), b": ").map_or(message, |i| &message[i + 2..]);
    s.push_str(tail);
}

/// [`chain_summary`], appended to `s`.
fn push_chain_summary(s: &mut String, chain: &Chain) {
    let base = chain.base.profile();
    s.push_str(base);
    s.push_str(" (");
    push_base_summary(s, &chain.base);
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
}

/// The rows for every profile, sorted by name.
pub fn rows(set: &ProfileSet) -> Vec<Row> {
    set.with_chains()
        .map(|(name, p, chain)| RowRef::new(name, p, &chain, None).to_row())
        .collect()
}

/// The row of profile `name`, whose section is `p`, given its chain as
/// [`chain::resolve`] returned it (for callers that need the chain too, so it
/// is resolved once).
pub fn row(name: &str, p: &Section, resolved: &Result<Chain, ChainError>) -> Row {
    RowRef::new(name, p, resolved, None).to_row()
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
    chain_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sso_session: Option<&'a str>,
    expires: Option<String>,
}

impl<'a> RowRef<'a> {
    /// The row of profile `name`, `p`, whose chain resolved as `resolved`.
    pub fn new(
        name: &'a str,
        p: &'a Section,
        resolved: &'a Result<Chain, ChainError>,
        expires: Option<String>,
    ) -> Self {
        let mut chain_summary = String::new();
        let (chain, chain_error) = match resolved {
            Ok(c) => {
                push_chain_summary(&mut chain_summary, c);
                (c.profiles(), None)
            }
            Err(e) => {
                let message = e.message();
                push_failure_cell(&mut chain_summary, &message);
                (Vec::new(), Some(message))
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
            expires,
        }
    }

    /// [`Row::chain_summary`], borrowed.
    pub fn chain_summary(&self) -> &str {
        &self.chain_summary
    }

    /// The owned row.
    pub fn to_row(&self) -> Row {
        Row {
            name: self.name.to_string(),
            kind: self.kind.to_string(),
            region: self.region.map(str::to_string),
            chain: self.chain.iter().map(|s| s.to_string()).collect(),
            chain_summary: self.chain_summary.clone(),
            chain_error: self.chain_error.clone(),
            sso_session: self.sso_session.map(str::to_string),
            expires: self.expires.clone(),
        }
    }
}

/// Every profile's row, serialised one at a time as a JSON array of [`Row`]s.
pub struct AllRows<'a>(pub &'a ProfileSet, pub ExpiryOf<'a>);

impl serde::Serialize for AllRows<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.profiles.len()))?;
        for (name, p, chain) in self.0.with_chains() {
            let expires = (self.1)(name, chain.as_ref().ok());
            seq.serialize_element(&RowRef::new(name, p, &chain, expires))?;
        }
        seq.end()
    }
}

/// Every profile's row as the JSON array `serde_json::to_writer_pretty` writes
/// for [`AllRows`], nested `depth` levels deep (two spaces a level), written
/// straight to `out`. serde_json escapes every string byte by byte and goes
/// through its formatter for every token: at 10,000 profiles that was a quarter
/// of `list --json`. Here a string with nothing to escape (the usual case) is
/// copied as it is, and only the others go through serde_json, so the bytes
/// are the same (a test compares them).
pub fn write_rows_json<W: std::io::Write>(
    set: &ProfileSet,
    depth: usize,
    expiry: ExpiryOf,
    out: &mut W,
) -> std::io::Result<()> {
    if set.profiles.is_empty() {
        return out.write_all(b"[]");
    }
    let pad = "  ".repeat(depth + 2);
    let (inner, outer) = (&pad[..], &pad[..2 * (depth + 1)]);
    let close = &pad[..2 * depth];
    let mut summary = String::with_capacity(128);
    let mut first = true;
    out.write_all(b"[")?;
    // Each row is put together in `row` and written in one call: many small
    // writes to a `BufWriter` cost more than the copying.
    let mut row = Vec::with_capacity(1024);
    for (name, p, resolved) in set.with_chains() {
        let row = &mut row;
        row.clear();
        row.extend_from_slice(if first { b"\n" } else { b",\n" });
        first = false;
        row.extend_from_slice(outer.as_bytes());
        row.extend_from_slice(b"{\n");
        let field = |row: &mut Vec<u8>, key: &str| {
            row.extend_from_slice(inner.as_bytes());
            row.extend_from_slice(b"\"");
            row.extend_from_slice(key.as_bytes());
            row.extend_from_slice(b"\": ");
        };
        field(row, "name");
        json_str(row, name);
        row.extend_from_slice(b",\n");
        field(row, "kind");
        json_str(row, kind::classify(p).label());
        row.extend_from_slice(b",\n");
        field(row, "region");
        json_opt(row, p.get("region"));
        row.extend_from_slice(b",\n");
        field(row, "chain");
        summary.clear();
        let error = match &resolved {
            Ok(c) => {
                row.extend_from_slice(b"[");
                let mut last: Option<&str> = None;
                for link in
                    std::iter::once(c.base.profile()).chain(c.roles.iter().map(|r| &*r.profile))
                {
                    // As `Chain::profiles`: a profile is named once however
                    // many links it has.
                    if last == Some(link) {
                        continue;
                    }
                    row.extend_from_slice(if last.is_none() { b"\n" } else { b",\n" });
                    row.extend_from_slice(inner.as_bytes());
                    row.extend_from_slice(b"  ");
                    json_str(row, link);
                    last = Some(link);
                }
                row.extend_from_slice(b"\n");
                row.extend_from_slice(inner.as_bytes());
                row.extend_from_slice(b"]");
                push_chain_summary(&mut summary, c);
                None
            }
            Err(e) => {
                let message = e.message();
                row.extend_from_slice(b"[]");
                push_failure_cell(&mut summary, &message);
                Some(message)
            }
        };
        row.extend_from_slice(b",\n");
        field(row, "chain_summary");
        json_str(row, &summary);
        if let Some(error) = error {
            row.extend_from_slice(b",\n");
            field(row, "chain_error");
            json_str(row, &error);
        }
        if let Some(session) = p.get("sso_session") {
            row.extend_from_slice(b",\n");
            field(row, "sso_session");
            json_str(row, session);
        }
        row.extend_from_slice(b",\n");
        field(row, "expires");
        json_opt(row, expiry(name, resolved.as_ref().ok()).as_deref());
        row.extend_from_slice(b"\n");
        row.extend_from_slice(outer.as_bytes());
        row.extend_from_slice(b"}");
        out.write_all(row)?;
    }
    out.write_all(b"\n")?;
    out.write_all(close.as_bytes())?;
    out.write_all(b"]")
}

/// `s` as a JSON string, as serde_json writes it.
pub(crate) fn json_str(out: &mut Vec<u8>, s: &str) {
    if needs_escape(s.as_bytes()) {
        serde_json::to_writer(out, s).expect("a string always serialises to a Vec");
        return;
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

fn json_opt(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => json_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// Whether serde_json would escape any byte of `bytes`: a control character,
/// `"` or `\\`. Tests 8 bytes at a time in a `u64` (the classic "has a zero
/// byte" and "has a byte less than n" tricks), padding the tail with `a`.
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |x: u64| {
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        // A byte below 0x20 (exact when no byte has its high bit set;
        // otherwise `!x` clears that byte's flag, which is what a byte
        // from 0x80 up needs).
        let control = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        control | zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\'))) != 0
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        if word(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut tail = [b'a'; 8];
    tail[..rest.len()].copy_from_slice(rest);
    word(u64::from_le_bytes(tail))
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
        let borrowed = serde_json::to_string_pretty(&AllRows(&set, &no_expiry)).unwrap();
        assert_eq!(owned, borrowed);
        assert!(owned.contains("chain_error") && owned.contains("sso_session"));
    }

    #[test]
    fn hand_written_rows_are_serde_jsons() {
        let config = crate::ini::Document::parse(
            "[profile a]\nregion = r\"q\\\t\nrole_arn = x\nsource_profile = b\n[profile b]\nsso_session = s\u{e9}\u{1}\nsso_account_id = 1\nsso_role_name = n\n[sso-session s\u{e9}\u{1}]\nsso_region = r\nsso_start_url = u\n[profile c]\nrole_arn = x\nsource_profile = gone\n[profile d]\nregion = q\n[profile e]\nrole_arn = x\nsource_profile = e\n[profile longer-than-sixteen-bytes\"x]\nregion = abcdefghijklmnopqrstu\\vwxyz\n",
        );
        let set = crate::profile::view(Some(&config), None);
        for depth in [0, 1, 3] {
            let mut written = Vec::new();
            let expiry = |name: &str, chain: Option<&Chain>| {
                (name == "a" && chain.is_some()).then(|| "2026-11-22T09:37:16Z".to_string())
            };
            write_rows_json(&set, depth, &expiry, &mut written).unwrap();
            let expected = serde_json::to_string_pretty(&AllRows(&set, &expiry))
                .unwrap()
                .replace('\n', &format!("\n{}", "  ".repeat(depth)));
            assert_eq!(String::from_utf8(written).unwrap(), expected);
        }
        let empty = crate::profile::view(None, None);
        let mut written = Vec::new();
        write_rows_json(&empty, 2, &no_expiry, &mut written).unwrap();
        assert_eq!(written, b"[]");
        assert!(needs_escape(b"0123456789abcdef\x7f\x1f") && !needs_escape("é\x7f".as_bytes()));
        // Every byte value at every position of short and long strings.
        for len in [1, 7, 8, 9, 17] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = b;
                    let expected = b < 0x20 || b == b'"' || b == b'\\';
                    assert_eq!(needs_escape(&bytes), expected, "{b:#x} at {at} of {len}");
                    // Beside bytes from 0x80 up.
                    bytes
                        .iter_mut()
                        .filter(|c| **c == b'x')
                        .for_each(|c| *c = 0xc3);
                    assert_eq!(
                        needs_escape(&bytes),
                        expected,
                        "{b:#x} at {at} of {len}, high"
                    );
                }
            }
        }
    }
}
