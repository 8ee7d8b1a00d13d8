//! The merged, normalised view of both files: profiles, sso-sessions, services.
//!
//! Every value remembers where it came from ([`Origin`]) so the user can be told
//! "~/.aws/config:12". `Debug` never prints secret values.

use std::fmt;

use serde::Serialize;
use smallvec::SmallVec;

use super::Diagnostic;
use super::section_map::SectionMap;
use crate::ini::{Key, SharedStr};

/// Which of the two shared files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// `~/.aws/config`: `[profile NAME]`, `[default]`, `[sso-session NAME]`, `[services NAME]`.
    Config,
    /// `~/.aws/credentials`: `[NAME]` only.
    Credentials,
}

impl FileKind {
    /// `config` or `credentials`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// Where a value or section was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// The file.
    pub file: FileKind,
    /// 1-based line number.
    pub line: usize,
}

/// One effective property value.
#[derive(Clone, PartialEq, Eq)]
pub struct Value {
    /// The value as the SDKs read it (shared with the parsed document, not copied).
    pub value: SharedStr,
    /// Where the winning definition is.
    pub origin: Origin,
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Value(<{} bytes> at {:?})",
            self.value.len(),
            self.origin
        )
    }
}

/// Effective properties by lowercased key, sorted by key. A small sorted vector:
/// a profile has a handful of keys, and ten thousand of them must load fast and
/// fit in little memory (a map per profile cost twice the memory and time).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties(Vec<(Key, Value)>);

impl Properties {
    fn find(&self, key: &Key) -> Result<usize, usize> {
        // `Key`'s order: two common keys compare by position, without
        // comparing bytes.
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    /// The value of `key`. A linear scan: with a handful of keys it beats a
    /// binary search. A common key (most lookups) is compared by its position
    /// in `ini::key::COMMON_KEYS`, without comparing bytes.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match Key::position_of(key) {
            Some(position) => self.0.iter().find(|(k, _)| k.common() == Some(position)),
            None => self
                .0
                .iter()
                .find(|(k, _)| k.common().is_none() && k.as_str() == key),
        }
        .map(|(_, v)| v)
    }

    /// Whether `key` is set.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Makes room for exactly `more` keys more: `Vec::reserve` would make
    /// room for at least four, and most profiles have one to three keys (at
    /// a million profiles that was 170 bytes each).
    pub fn reserve(&mut self, more: usize) {
        self.0.reserve_exact(more);
    }

    /// Sets `key`, replacing an earlier value (the last definition wins).
    pub fn insert(&mut self, key: Key, value: Value) {
        match self.find(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }

    /// Sets every key of `later` (the last definition wins).
    pub fn extend(&mut self, later: Properties) {
        self.0.reserve(later.0.len());
        for (key, value) in later.0 {
            self.insert(key, value);
        }
    }

    /// Keys and values in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Key, &Value)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Key> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    /// How many keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a Properties {
    type Item = (&'a Key, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Key, Value)>,
        fn(&'a (Key, Value)) -> (&'a Key, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Properties {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Properties {
        let mut p = Properties::default();
        for (k, v) in iter {
            p.insert(k.into(), v);
        }
        p
    }
}

/// A profile, sso-session or services section after merging duplicates and files.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Section {
    /// Effective properties by lowercased key.
    pub properties: Properties,
    /// Where its headers are, in file order (config first). Almost always one:
    /// kept inline.
    pub headers: SmallVec<[Origin; 1]>,
}

impl Section {
    /// The effective value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(|v| &*v.value)
    }

    /// The effective value of `key`, shared (no copy).
    pub fn shared(&self, key: &str) -> Option<SharedStr> {
        self.properties.get(key).map(|v| v.value.clone())
    }

    /// Where the section is first defined.
    pub fn origin(&self) -> Option<Origin> {
        self.headers.first().copied()
    }
}

/// Everything the two files define, as the SDKs see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfileSet {
    /// Profiles by name (names shared with the documents; look up with a `&str`).
    pub profiles: SectionMap,
    /// `[sso-session NAME]` sections by name.
    pub sso_sessions: SectionMap,
    /// `[services NAME]` sections by name.
    pub services: SectionMap,
    /// What is wrong or non-portable in the files' content, sorted by file
    /// and line. Findings about chains are not kept here: they are derived
    /// from the profiles when listed ([`ProfileSet::findings`]).
    pub diagnostics: Vec<Diagnostic>,
    /// Findings about the files themselves (one could not be read, is not a
    /// regular file, ...), listed after all the others.
    pub about_files: Vec<Diagnostic>,
}

impl ProfileSet {
    /// Every profile with its chain, resolved as it is reached (nothing is
    /// kept: a list shows each chain once).
    pub fn with_chains(
        &self,
    ) -> impl Iterator<
        Item = (
            &SharedStr,
            &Section,
            Result<super::chain::Chain, super::chain::ChainError>,
        ),
    > {
        self.with_chains_at()
            .map(|(_, name, p, chain)| (name, p, chain))
    }

    /// [`ProfileSet::with_chains`], with each profile's index in `profiles`.
    pub fn with_chains_at(
        &self,
    ) -> impl Iterator<
        Item = (
            usize,
            &SharedStr,
            &Section,
            Result<super::chain::Chain, super::chain::ChainError>,
        ),
    > {
        // Shown in the order people count names in (`acct-3` before `acct-29`).
        self.profiles.natural_order().map(move |i| {
            let (name, p) = self.profiles.at(i).expect("an index of the map");
            (i, name, p, super::chain::resolve_in(self, name, p))
        })
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Section> {
        self.profiles.get(name)
    }
}
