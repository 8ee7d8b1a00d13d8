//! When each profile was last used from rolecall, for the TUI's "recent" order.
//!
//! A small state file, `$XDG_STATE_HOME/rolecall/recent.json` (else
//! `~/.local/state/rolecall/recent.json`), holding one JSON object that maps a
//! profile name to an RFC 3339 time: `{"dev": "2026-11-22T09:37:16Z"}`. It is
//! rolecall's own cache, not the user's: an unreadable file reads as empty and
//! the next use rewrites it (atomically, mode 0600). [`Recent::parse`] and
//! [`Recent::to_json`] are pure; [`load`] and [`record`] do the file work.
//! Uses are recorded when a profile runs a command, has its export line
//! copied or is switched to by the shell function (`rc`); the time is passed in.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::SystemTime;

use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::paths::Paths;
use crate::store::{self, StoreError};

/// Profile name → when it was last used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recent {
    used: BTreeMap<String, SystemTime>,
}

impl Recent {
    /// Reads the JSON text; entries whose time cannot be read are skipped.
    pub fn parse(text: &str) -> Result<Recent, String> {
        let map: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(text).map_err(|e| e.to_string())?;
        let used = map
            .into_iter()
            .filter_map(|(name, v)| Some((name, parse_timestamp(v.as_str()?)?)))
            .collect();
        Ok(Recent { used })
    }

    /// The JSON text, one profile per line, sorted by name.
    pub fn to_json(&self) -> String {
        let map: BTreeMap<&str, String> = self
            .used
            .iter()
            .map(|(k, t)| (k.as_str(), format_rfc3339(*t)))
            .collect();
        let mut text = serde_json::to_string_pretty(&map).unwrap_or_else(|_| "{}".to_string());
        text.push('\n');
        text
    }

    /// Notes that `profile` was used at `at`.
    pub fn record(&mut self, profile: &str, at: SystemTime) {
        self.used.insert(profile.to_string(), at);
    }

    /// When `profile` was last used, if ever.
    pub fn last_used(&self, profile: &str) -> Option<SystemTime> {
        self.used.get(profile).copied()
    }
}

/// Reads the state file; a missing or unreadable one is empty (with a message
/// for the latter).
pub fn load(path: &Path, paths: &Paths) -> (Recent, Option<String>) {
    match std::fs::read_to_string(path) {
        Ok(text) => match Recent::parse(&text) {
            Ok(recent) => (recent, None),
            Err(e) => (
                Recent::default(),
                Some(format!(
                    "{}: {e}; recent use starts afresh",
                    paths.show(path)
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Recent::default(), None),
        Err(e) => (
            Recent::default(),
            Some(format!("{}: {e}", paths.show(path))),
        ),
    }
}

/// Records a use in the file at `path`, re-reading it first so uses recorded by
/// another rolecall meanwhile are kept. Returns the file's new contents.
pub fn record(path: &Path, profile: &str, at: SystemTime) -> Result<Recent, StoreError> {
    let (mut recent, _) = load(path, &Paths::default());
    recent.record(profile, at);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|error| StoreError::Io {
            path: dir.to_path_buf(),
            error,
        })?;
    }
    store::write_atomic(path, recent.to_json().as_bytes(), store::current_mode(path))?;
    Ok(recent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn round_trips_and_skips_unreadable_times() {
        let r = Recent::parse(
            r#"{"dev": "2026-11-22T09:37:16Z", "ops": "2026-11-22 10:00:00+01:00", "bad": "soon", "n": 3}"#,
        )
        .unwrap();
        assert_eq!(
            r.last_used("ops").map(format_rfc3339).as_deref(),
            Some("2026-11-22T09:00:00Z")
        );
        assert_eq!(r.last_used("bad"), None);
        assert_eq!(
            r.to_json(),
            "{\n  \"dev\": \"2026-11-22T09:37:16Z\",\n  \"ops\": \"2026-11-22T09:00:00Z\"\n}\n"
        );
        assert_eq!(Recent::parse(&r.to_json()).unwrap(), r);
        assert!(Recent::parse("[1]").is_err());
    }

    #[test]
    fn record_rereads_the_file_and_writes_it_privately() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rolecall").join("recent.json");
        let t = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        record(&path, "dev", t).unwrap();
        // Another rolecall records meanwhile: both uses survive.
        std::fs::write(
            &path,
            r#"{"dev": "2027-01-15T08:00:00Z", "ops": "2027-01-15T08:00:00Z"}"#,
        )
        .unwrap();
        let r = record(&path, "ci", t).unwrap();
        assert!(r.last_used("ops").is_some() && r.last_used("ci") == Some(t));
        assert_eq!(load(&path, &Paths::default()).0, r);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not json").unwrap();
        let (empty, problem) = load(&path, &Paths::default());
        assert_eq!(empty, Recent::default());
        assert!(problem.unwrap().contains("starts afresh"));
    }
}
