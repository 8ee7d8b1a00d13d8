//! [`SectionMap`]: profiles, sso-sessions or services by name.
//!
//! A vector sorted by name, searched by bisection. It is built once per load
//! (from lists `normalize` has sorted) and then only read: at 10,000
//! profiles a B-tree cost about 1,000 node allocations to build and free and
//! twice the string comparisons per lookup (a chain looks up every
//! `source_profile`). The methods are named as `BTreeMap`'s.

use std::ops::Index;

use crate::ini::SharedStr;

use super::Section;

/// Sections by name, in name order; names are unique.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SectionMap(Vec<(SharedStr, Section)>);

impl SectionMap {
    /// From sections already sorted by name, each name once.
    pub(crate) fn from_sorted(sections: Vec<(SharedStr, Section)>) -> SectionMap {
        debug_assert!(sections.windows(2).all(|w| w[0].0 < w[1].0));
        SectionMap(sections)
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(n, _)| n.as_str().cmp(name))
    }

    /// The section called `name`.
    pub fn get(&self, name: &str) -> Option<&Section> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    /// The section called `name`, with its name as stored.
    pub fn get_key_value(&self, name: &str) -> Option<(&SharedStr, &Section)> {
        self.find(name).ok().map(|i| (&self.0[i].0, &self.0[i].1))
    }

    /// Whether there is a section called `name`.
    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Adds or replaces the section called `name`; returns the one replaced.
    pub fn insert(&mut self, name: impl Into<SharedStr>, section: Section) -> Option<Section> {
        let name = name.into();
        match self.find(&name) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, section)),
            Err(i) => {
                self.0.insert(i, (name, section));
                None
            }
        }
    }

    /// Names and sections in name order.
    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(|(n, s)| (n, s))
    }

    /// Names in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &SharedStr> + ExactSizeIterator {
        self.0.iter().map(|(n, _)| n)
    }

    /// Sections in name order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Section> + ExactSizeIterator {
        self.0.iter().map(|(_, s)| s)
    }

    /// The entry at `index` in name order (byte order).
    pub fn at(&self, index: usize) -> Option<(&SharedStr, &Section)> {
        self.0.get(index).map(|(k, v)| (k, v))
    }

    /// Indexes of the entries in the order people count names in
    /// ([`crate::fuzzy::natural_cmp`]: `acct-3` before `acct-29`), for display.
    /// Kept as `u32`s (a document holds at most 4 GiB, so fewer sections).
    pub fn natural_order(&self) -> impl ExactSizeIterator<Item = usize> + use<> {
        let mut order: Vec<u32> = (0..self.0.len() as u32).collect();
        let name = |i: u32| -> &str { &self.0[i as usize].0 };
        let sorted = order
            .windows(2)
            .all(|w| crate::fuzzy::natural_cmp(name(w[0]), name(w[1])).is_le());
        if !sorted {
            order.sort_by(|&a, &b| crate::fuzzy::natural_cmp(name(a), name(b)));
        }
        order.into_iter().map(|i| i as usize)
    }

    /// How many sections.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The iterator of [`SectionMap::iter`].
pub type Iter<'a> = std::iter::Map<
    std::slice::Iter<'a, (SharedStr, Section)>,
    fn(&'a (SharedStr, Section)) -> (&'a SharedStr, &'a Section),
>;

impl<'a> IntoIterator for &'a SectionMap {
    type Item = (&'a SharedStr, &'a Section);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl Index<&str> for SectionMap {
    type Output = Section;

    /// The section called `name`; panics when there is none, as `BTreeMap` does.
    fn index(&self, name: &str) -> &Section {
        self.get(name)
            .unwrap_or_else(|| panic!("no section named {name:?}"))
    }
}

impl<K: Into<SharedStr>> FromIterator<(K, Section)> for SectionMap {
    /// The last section of a repeated name wins, as with `BTreeMap`.
    fn from_iter<I: IntoIterator<Item = (K, Section)>>(iter: I) -> SectionMap {
        let mut map = SectionMap::default();
        for (name, section) in iter {
            map.insert(name, section);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{FileKind, Origin};

    fn at(line: usize) -> Section {
        Section {
            headers: [Origin {
                file: FileKind::Config,
                line,
            }]
            .into_iter()
            .collect(),
            ..Section::default()
        }
    }

    #[test]
    fn finds_by_name_in_name_order() {
        let map: SectionMap = [("dev", at(1)), ("admin", at(2)), ("prod", at(3))]
            .into_iter()
            .collect();
        assert_eq!(
            map.keys().map(|k| k.as_str()).collect::<Vec<_>>(),
            ["admin", "dev", "prod"]
        );
        assert_eq!(
            map.get("dev").and_then(Section::origin).map(|o| o.line),
            Some(1)
        );
        assert_eq!(map["prod"].origin().map(|o| o.line), Some(3));
        assert!(map.get("de").is_none() && !map.contains_key("zz"));
        assert_eq!(
            map.get_key_value("admin").map(|(k, _)| k.as_str()),
            Some("admin")
        );
        assert_eq!(map.len(), 3);
    }

    #[test]
    fn insert_keeps_the_order_and_replaces() {
        let mut map: SectionMap = [("b", at(1)), ("a", at(2)), ("b", at(3))]
            .into_iter()
            .collect();
        assert_eq!(map.len(), 2);
        assert_eq!(map["b"].origin().map(|o| o.line), Some(3));
        assert!(map.insert("c", at(4)).is_none());
        assert!(map.insert("a", at(5)).is_some());
        let lines: Vec<_> = map
            .values()
            .filter_map(|s| s.origin())
            .map(|o| o.line)
            .collect();
        assert_eq!(lines, [5, 3, 4]);
    }
}
