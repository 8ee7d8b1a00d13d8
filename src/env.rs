//! The process environment, read once.
//!
//! `main` takes a snapshot of the variables ([`Env::real`]) and passes it down;
//! tests build one from a slice ([`Env::from_slice`]). Nothing below `main`
//! reads `std::env` itself, so a module whose contract says "pure" stays pure
//! and two parts of one command never see two different environments. (The
//! AWS SDK crates read the process environment on their own; that is theirs.)
//! The values can hold secrets (`AWS_SECRET_ACCESS_KEY`), so `Debug` shows the
//! names only.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A snapshot of environment variables (names and values that are UTF-8).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: Arc<BTreeMap<String, String>>,
}

impl Env {
    /// This process's environment, now. Called once, by `main`.
    pub fn real() -> Env {
        Env::from_pairs(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// An environment holding exactly `pairs`, for tests.
    pub fn from_slice(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
    }

    /// An environment holding exactly `pairs`.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (String, String)>) -> Env {
        Env {
            vars: Arc::new(pairs.into_iter().collect()),
        }
    }

    /// A variable's value, if set (possibly empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// A variable's value, if set and not empty: how the AWS SDKs treat most
    /// of their variables.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// A variable's value as an owned string, if set: the shape of the
    /// `&dyn Fn(&str) -> Option<String>` lookups pure functions take.
    pub fn var(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// Whether a variable is set (even to the empty string).
    pub fn has(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// Every variable, in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// This environment with `name` set to `value` (or removed with `None`).
    pub fn with(&self, name: &str, value: Option<&str>) -> Env {
        let mut vars = (*self.vars).clone();
        match value {
            Some(v) => vars.insert(name.to_string(), v.to_string()),
            None => vars.remove(name),
        };
        Env {
            vars: Arc::new(vars),
        }
    }
}

impl std::fmt::Debug for Env {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Env")
            .field("names", &self.vars.keys().collect::<Vec<_>>())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_changes() {
        let env = Env::from_slice(&[("A", "1"), ("EMPTY", "")]);
        assert_eq!(env.get("A"), Some("1"));
        assert_eq!(env.get("EMPTY"), Some(""));
        assert_eq!(env.non_empty("EMPTY"), None);
        assert!(env.has("EMPTY") && !env.has("B"));
        let changed = env.with("B", Some("2")).with("A", None);
        assert_eq!(changed.get("B"), Some("2"));
        assert_eq!(changed.get("A"), None);
        assert_eq!(env.get("A"), Some("1"), "the original is unchanged");
    }

    #[test]
    fn debug_shows_names_only() {
        let env = Env::from_slice(&[("AWS_SECRET_ACCESS_KEY", "hunter2secret")]);
        let shown = format!("{env:?}");
        assert!(shown.contains("AWS_SECRET_ACCESS_KEY"), "{shown}");
        assert!(!shown.contains("hunter2secret"), "{shown}");
    }
}
