//! What the shell function remembers between switches, so `rc -` and
//! `rc --clear` can put the environment back exactly.
//!
//! The state lives in the shell itself, in a variable that is not exported
//! (`__rolecall_state`), as JSON: `original` holds each variable rolecall ever
//! touched in this shell as it was before the first switch (`null`: unset), and
//! `previous` the same variables as they were before the last switch. A switch
//! always starts from `original`, so nothing one profile set (a region, a file
//! variable, keys) survives into the next. The shell hands the state to
//! `rolecall switch` for one run in `ROLECALL_SHELL_STATE`. Pure: the current
//! environment is a lookup passed in; what comes out is the environment wanted
//! ([`Vars`]) and the next state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::exec::env::EnvDelta;

/// Variable name → its value, or `None` for unset.
pub type Vars = BTreeMap<String, Option<String>>;

/// The shell's memory of what rolecall changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Each touched variable before the first switch.
    pub original: Vars,
    /// The touched variables before the last switch (`rc -` goes back there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Vars>,
}

impl State {
    /// Reads the state; empty text is the empty state.
    pub fn parse(text: &str) -> Result<State, String> {
        if text.trim().is_empty() {
            return Ok(State::default());
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    /// The state as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The environment as it was before rolecall touched it: `original` for
    /// the variables it touched, the current environment for the rest.
    pub fn baseline(&self, env: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
        match self.original.get(name) {
            Some(v) => v.clone(),
            None => env(name),
        }
    }

    fn snapshot(&self, env: &dyn Fn(&str) -> Option<String>) -> Vars {
        self.original.keys().map(|k| (k.clone(), env(k))).collect()
    }
}

/// Switching to what `delta` describes: the environment wanted and the next state.
pub fn switch(
    state: &State,
    delta: &EnvDelta,
    env: &dyn Fn(&str) -> Option<String>,
) -> (Vars, State) {
    let mut next = state.clone();
    let names = delta.remove.iter().chain(delta.set.iter().map(|(k, _)| k));
    for name in names {
        next.original
            .entry(name.clone())
            .or_insert_with(|| env(name));
    }
    next.previous = Some(next.snapshot(env));
    let mut target = next.original.clone();
    for name in &delta.remove {
        target.insert(name.clone(), None);
    }
    for (name, value) in &delta.set {
        target.insert(name.clone(), Some(value.clone()));
    }
    (target, next)
}

/// `rc -`: the environment before the last switch (and the current one becomes
/// the previous, so `rc -` twice comes back here).
pub fn back(state: &State, env: &dyn Fn(&str) -> Option<String>) -> Result<(Vars, State), String> {
    let Some(previous) = &state.previous else {
        return Err(
            "there is no previous profile in this shell yet: `rc -` goes back after a switch"
                .to_string(),
        );
    };
    let target = state
        .original
        .iter()
        .map(|(k, original)| {
            (
                k.clone(),
                previous.get(k).cloned().unwrap_or(original.clone()),
            )
        })
        .collect();
    let next = State {
        original: state.original.clone(),
        previous: Some(state.snapshot(env)),
    };
    Ok((target, next))
}

/// `rc --clear`: every variable rolecall touched as it was before the first switch.
pub fn clear(state: &State) -> Vars {
    state.original.clone()
}

/// `target` as a delta: what to set and what to unset.
pub fn to_delta(target: &Vars) -> EnvDelta {
    EnvDelta {
        set: target
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.clone()?)))
            .collect(),
        remove: target
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A shell: its variables, changed by applying targets.
    #[derive(Default)]
    struct Shell(HashMap<String, String>);

    impl Shell {
        fn get(&self, k: &str) -> Option<String> {
            self.0.get(k).cloned()
        }
        fn apply(&mut self, target: &Vars) {
            for (k, v) in target {
                match v {
                    Some(v) => self.0.insert(k.clone(), v.clone()),
                    None => self.0.remove(k),
                };
            }
        }
        fn switch(&mut self, state: &State, delta: &EnvDelta) -> State {
            let (target, next) = switch(state, delta, &|k| self.get(k));
            self.apply(&target);
            next
        }
    }

    fn delta(set: &[(&str, &str)], remove: &[&str]) -> EnvDelta {
        EnvDelta {
            set: set
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            remove: remove.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn switch_back_and_clear_restore_exactly() {
        let mut sh = Shell::default();
        sh.0.insert("AWS_ACCESS_KEY_ID".into(), "mine".into());
        sh.0.insert("AWS_PAGER".into(), "".into());
        let dev = delta(
            &[("AWS_PROFILE", "dev"), ("AWS_REGION", "eu-west-1")],
            &["AWS_ACCESS_KEY_ID"],
        );
        let prod = delta(&[("AWS_PROFILE", "prod")], &["AWS_ACCESS_KEY_ID"]);
        let s = sh.switch(&State::default(), &dev);
        assert_eq!(sh.get("AWS_PROFILE").as_deref(), Some("dev"));
        assert_eq!(sh.get("AWS_ACCESS_KEY_ID"), None);
        let s = sh.switch(&s, &prod);
        // dev's region does not leak into prod.
        assert_eq!(sh.get("AWS_REGION"), None);
        assert_eq!(sh.get("AWS_PROFILE").as_deref(), Some("prod"));
        // Through JSON, as the shell keeps it.
        let s = State::parse(&s.to_json()).unwrap();
        let (target, s) = back(&s, &|k| sh.get(k)).unwrap();
        sh.apply(&target);
        assert_eq!(sh.get("AWS_PROFILE").as_deref(), Some("dev"));
        assert_eq!(sh.get("AWS_REGION").as_deref(), Some("eu-west-1"));
        let (target, s) = back(&s, &|k| sh.get(k)).unwrap();
        sh.apply(&target);
        assert_eq!(sh.get("AWS_PROFILE").as_deref(), Some("prod"));
        sh.apply(&clear(&s));
        assert_eq!(sh.get("AWS_PROFILE"), None);
        assert_eq!(sh.get("AWS_ACCESS_KEY_ID").as_deref(), Some("mine"));
        assert_eq!(sh.get("AWS_PAGER").as_deref(), Some(""));
    }

    #[test]
    fn back_after_the_first_switch_is_the_start_and_needs_a_switch() {
        let mut sh = Shell::default();
        assert!(
            back(&State::default(), &|_| None)
                .unwrap_err()
                .contains("after a switch")
        );
        let s = sh.switch(&State::default(), &delta(&[("AWS_PROFILE", "dev")], &[]));
        let (target, _) = back(&s, &|k| sh.get(k)).unwrap();
        assert_eq!(target.get("AWS_PROFILE"), Some(&None));
        assert_eq!(State::parse("").unwrap(), State::default());
        assert!(State::parse("{").is_err());
    }

    #[test]
    fn baseline_sees_through_what_rolecall_set() {
        let mut sh = Shell::default();
        sh.0.insert("AWS_CONFIG_FILE".into(), "/mine".into());
        let s = sh.switch(
            &State::default(),
            &delta(&[("AWS_CONFIG_FILE", "/other")], &[]),
        );
        assert_eq!(sh.get("AWS_CONFIG_FILE").as_deref(), Some("/other"));
        assert_eq!(
            s.baseline(&|k| sh.get(k), "AWS_CONFIG_FILE").as_deref(),
            Some("/mine")
        );
        let d = to_delta(&clear(&s));
        assert_eq!(
            d.set,
            vec![("AWS_CONFIG_FILE".to_string(), "/mine".to_string())]
        );
    }
}
