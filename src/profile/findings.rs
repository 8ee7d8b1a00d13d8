//! Every finding about the files, in one order: those kept in the
//! [`ProfileSet`] when it was read (syntax, merging, portability, the files
//! themselves) and one for each profile whose chain cannot be resolved,
//! derived from the profiles when the findings are listed.
//!
//! A chain's finding is not stored: a file of a million profiles holding only
//! `region` has a million of them (each "cannot get credentials"), and keeping
//! them cost a third of `list`'s memory while `list` shows none of them. The
//! order is the one a stable sort of all findings by line and severity gives,
//! a chain's finding after a stored one on the same line, then the findings
//! about the files.

use std::borrow::Cow;

use super::chain::{self, ChainError};
use super::{Diagnostic, FileKind, Message, Origin, ProfileSet, Section, Severity};
use crate::ini::SharedStr;

/// Where a failing chain's finding goes in the list, and which profile's it
/// is: 12 bytes, for a million of them when every finding is listed.
#[derive(Clone, Copy)]
#[repr(C, packed)]
struct Place {
    /// [`order_key`] of the finding.
    key: u64,
    /// The profile's index in `profiles`.
    index: u32,
}

/// A number that orders findings as `(origin, severity)` does: no line
/// first, then by file, line and severity. Lines are below 2^32 (a document
/// holds at most 4 GiB).
fn order_key(origin: Option<Origin>, severity: Severity) -> u64 {
    let severity = severity as u64;
    match origin {
        None => severity,
        Some(o) => {
            let file = match o.file {
                FileKind::Config => 0,
                FileKind::Credentials => 1,
            };
            (1 << 63) | (file << 62) | ((o.line as u64 & 0xFFFF_FFFF) << 2) | severity
        }
    }
}

impl ProfileSet {
    /// Every finding at least as severe as `least` (`Severity::Info`: all of
    /// them), sorted by file and line, then those about the files. Chains are
    /// resolved to find the failing ones, and each failing profile's finding
    /// is written when it is reached.
    pub fn findings(&self, least: Severity) -> impl Iterator<Item = Cow<'_, Diagnostic>> + '_ {
        let mut places: Vec<Place> = self
            .profiles
            .iter()
            .zip(0u32..)
            .filter_map(|((name, p), index)| {
                let err = chain::resolve_in(self, name, p).err()?;
                // Where it goes is looked up only for the findings wanted.
                if severity_of(&err) > least {
                    return None;
                }
                let (origin, severity) = place(self, (name, p), &err);
                Some(Place {
                    key: order_key(origin, severity),
                    index,
                })
            })
            .collect();
        // Ties in profile order, as a stable sort would leave them.
        places.sort_unstable_by_key(|p| (p.key, p.index));
        let mut chains = places.into_iter().peekable();
        let mut stored = self
            .diagnostics
            .iter()
            .filter(move |d| d.severity <= least)
            .peekable();
        std::iter::from_fn(move || {
            loop {
                let chain_first = match (stored.peek(), chains.peek()) {
                    (Some(d), Some(c)) => ({ c.key }) < order_key(d.origin, d.severity),
                    (None, Some(_)) => true,
                    (_, None) => false,
                };
                if !chain_first {
                    return stored.next().map(Cow::Borrowed);
                }
                // Placed above, so its chain fails again the same way; were
                // it not to, it is skipped rather than ending the list.
                let c = chains.next()?;
                let Some((name, p)) = self.profiles.at(c.index as usize) else {
                    continue;
                };
                if let Err(err) = chain::resolve_in(self, name, p) {
                    return Some(Cow::Owned(chain_finding(self, name, p, &err)));
                }
            }
        })
        .chain(
            self.about_files
                .iter()
                .filter(move |d| d.severity <= least)
                .map(Cow::Borrowed),
        )
    }

    /// Whether the AWS SDKs would refuse one of the files outright.
    pub fn refused_by_sdk(&self) -> bool {
        self.stored().any(|d| d.sdk_refuses_file)
    }

    /// The first finding that makes the SDKs refuse a file.
    pub fn first_refusal(&self) -> Option<&Diagnostic> {
        self.stored().find(|d| d.sdk_refuses_file)
    }

    /// The findings that concern one profile, in the order of
    /// [`ProfileSet::findings`]: those naming it, those on one of its lines,
    /// what makes the SDKs refuse a file, a file that could not be read (the
    /// profile may live there), and its own chain's. (A chain that fails
    /// through this profile is the finding of the profile it starts from.)
    pub fn diagnostics_for<'a>(&'a self, name: &'a str) -> Vec<Cow<'a, Diagnostic>> {
        let entry = self.profiles.get_key_value(name);
        let lines: Vec<Origin> = entry
            .map(|(_, p)| {
                p.headers
                    .iter()
                    .copied()
                    .chain(p.properties.iter().map(|(_, v)| v.origin))
                    .collect()
            })
            .unwrap_or_default();
        let concerns = |d: &&Diagnostic| {
            d.profile.as_deref() == Some(name)
                || d.sdk_refuses_file
                || d.origin.is_some_and(|o| lines.contains(&o))
                || d.code == "unreadable-file"
        };
        let mut found: Vec<Cow<'a, Diagnostic>> = self
            .diagnostics
            .iter()
            .filter(concerns)
            .map(Cow::Borrowed)
            .collect();
        let own = entry.and_then(|(shared, p)| {
            let err = chain::resolve_in(self, shared, p).err()?;
            Some(chain_finding(self, shared, p, &err))
        });
        if let Some(own) = own {
            let key = (own.origin, own.severity);
            let at = found.partition_point(|d| (d.origin, d.severity) <= key);
            found.insert(at, Cow::Owned(own));
        }
        found.extend(self.about_files.iter().filter(concerns).map(Cow::Borrowed));
        found
    }

    /// The findings kept in the set (all but the chains').
    fn stored(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(&self.about_files)
    }
}

/// A chain that cannot be resolved, as a finding for profile `name` (whose
/// section is `section`) on the line that causes it ([`place`]).
fn chain_finding(
    set: &ProfileSet,
    name: &SharedStr,
    section: &Section,
    err: &ChainError,
) -> Diagnostic {
    let (origin, severity) = place(set, (name, section), err);
    Diagnostic {
        severity,
        code: if err.no_credentials() {
            "no-credentials"
        } else {
            "chain"
        },
        origin,
        profile: Some(name.clone()),
        message: Message::chain(name.clone(), err.clone()),
        fix: err.fix(),
        sdk_refuses_file: false,
    }
}

/// Where a chain's finding goes and how bad it is ([`severity_of`]): a
/// profile with no credentials on its header; anything else on the
/// `source_profile` that points nowhere or into a loop, else on the failing
/// profile's header. `name` and `section` are the profile whose chain failed:
/// most chains fail at their own profile, then found without a search.
fn place(
    set: &ProfileSet,
    (name, section): (&str, &Section),
    err: &ChainError,
) -> (Option<Origin>, Severity) {
    let culprit = if *err.profile == *name {
        Some(section)
    } else {
        set.profiles.get(err.profile.as_str())
    };
    let origin = match culprit {
        Some(p) if err.no_credentials() => p.origin(),
        Some(p) => p
            .properties
            .get("source_profile")
            .filter(|_| !err.path().is_empty())
            .map(|v| v.origin)
            .or_else(|| p.origin()),
        // A missing source profile: point at the reference (the last hop that names it).
        None => set
            .profiles
            .values()
            .filter_map(|p| p.properties.get("source_profile"))
            .find(|v| *v.value == *err.profile)
            .map(|v| v.origin),
    };
    (origin, severity_of(err))
}

/// How bad a chain's failure is: a profile with no credentials at all is
/// worth knowing; anything else is an error.
fn severity_of(err: &ChainError) -> Severity {
    if err.no_credentials() {
        Severity::Info
    } else {
        Severity::Error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::view;

    /// The findings as they used to be kept: every stored one and every
    /// chain's, stably sorted by line and severity, then those about the files.
    fn sorted_all_at_once(set: &ProfileSet) -> Vec<Diagnostic> {
        let mut all = set.diagnostics.clone();
        for (name, p) in set.profiles.iter() {
            if let Err(err) = chain::resolve_in(set, name, p) {
                all.push(chain_finding(set, name, p, &err));
            }
        }
        all.sort_by_key(|d| (d.origin, d.severity));
        all.extend(set.about_files.iter().cloned());
        all
    }

    fn mixed() -> ProfileSet {
        let config = Document::parse(
            "[default]\nregion = us-east-1 # note\n[profile a]\nrole_arn = x\nsource_profile = gone\n\
             [profile c]\nrole_arn = x\nsource_profile = d\n[profile d]\nrole_arn = y\nsource_profile = c\n\
             [profile only-region]\nregion = r\nregion = s\n[profile keys]\naws_access_key_id = A\n\
             [profile role]\nrole_arn = z\nsource_profile = only-region\n[foo]\n[profile ok]\ncredential_process = x\n",
        );
        let credentials =
            Document::parse("[keys]\naws_secret_access_key = S\n[half]\naws_access_key_id = A\n");
        let mut set = view(Some(&config), Some(&credentials));
        set.about_files.push(Diagnostic::new(
            Severity::Warning,
            "unreadable-file",
            "about the file",
            "fix",
        ));
        set
    }

    #[test]
    fn the_order_key_orders_as_line_then_severity() {
        assert_eq!(std::mem::size_of::<Place>(), 12);
        let mut all = vec![(None, Severity::Info), (None, Severity::Error)];
        for file in [FileKind::Credentials, FileKind::Config] {
            for line in [u32::MAX as usize, 1, 70_000, 2, 1 << 31] {
                for severity in [Severity::Info, Severity::Warning, Severity::Error] {
                    all.push((Some(Origin { file, line }), severity));
                }
            }
        }
        let mut by_tuple = all.clone();
        by_tuple.sort();
        let mut by_key = all;
        by_key.sort_by_key(|&(o, s)| order_key(o, s));
        assert_eq!(by_key, by_tuple);
    }

    #[test]
    fn merged_in_the_order_one_sort_of_them_all_gives() {
        let set = mixed();
        let expected = sorted_all_at_once(&set);
        let got: Vec<Diagnostic> = set.findings(Severity::Info).map(Cow::into_owned).collect();
        assert_eq!(got, expected);
        assert!(got.iter().any(|d| d.code == "chain"), "{got:?}");
        assert!(got.iter().any(|d| d.code == "no-credentials"), "{got:?}");
        assert!(
            got.iter()
                .any(|d| d.code != "chain" && d.code != "no-credentials")
        );
        // Fewer severities: the same order, the rest left out.
        let errors: Vec<Diagnostic> = set
            .findings(Severity::Warning)
            .map(Cow::into_owned)
            .collect();
        let kept: Vec<Diagnostic> = expected
            .into_iter()
            .filter(|d| d.severity <= Severity::Warning)
            .collect();
        assert_eq!(errors, kept);
    }

    #[test]
    fn a_profiles_findings_include_its_own_chain_in_order() {
        let set = mixed();
        let all = sorted_all_at_once(&set);
        for name in ["a", "c", "only-region", "keys", "half", "ok", "role"] {
            let got: Vec<Diagnostic> = set
                .diagnostics_for(name)
                .into_iter()
                .map(Cow::into_owned)
                .collect();
            let others_chain =
                |d: &Diagnostic| matches!(&d.message, Message::Chain(c) if c.0.as_str() != name);
            // As the full list, less other profiles' chains.
            let expected: Vec<&Diagnostic> = all
                .iter()
                .filter(|d| got.contains(d) && !others_chain(d))
                .collect();
            assert_eq!(got.iter().collect::<Vec<_>>(), expected, "{name}");
            let chain_fails = set
                .profiles
                .get_key_value(name)
                .is_some_and(|(n, p)| chain::resolve_in(&set, n, p).is_err());
            assert_eq!(
                got.iter().any(|d| d.profile.as_deref() == Some(name)
                    && matches!(d.message, Message::Chain(_))),
                chain_fails,
                "{name}"
            );
            assert_eq!(got.last().map(|d| d.code), Some("unreadable-file"));
        }
        assert!(set.refused_by_sdk() == set.first_refusal().is_some());
    }
}
