//! rolecall's own cache of temporary credentials.
//!
//! One file per profile and chain shape under `$XDG_CACHE_HOME/rolecall/credentials/`
//! (else `~/.cache/rolecall/credentials/`: `paths::Paths::credential_cache`,
//! file names from `credential::key`), mode 0600, in the AWS CLI's cache
//! format (`{"Credentials": {"AccessKeyId", "SecretAccessKey", "SessionToken",
//! "Expiration"}}`). The file name hashes the files' paths, the profile and the
//! shape of its chain, so editing a profile's role never serves the old role's
//! credentials. Credentials are reused until a margin before they expire.
//! Fetching happens under an exclusive lock on a sidecar file, so ten processes
//! starting at once cause one fetch: the first fetches and writes, the others
//! wait, then find the fresh file.

use std::fs::{self, File, OpenOptions};
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::expiry::{format_rfc3339, parse_timestamp};
use super::obtain::fresh_enough;
use super::secret::Credentials;

/// Default reuse margin: credentials are fetched again 15 minutes before they expire.
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(15 * 60);

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    #[serde(rename = "Credentials")]
    credentials: EntryCredentials,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct EntryCredentials {
    #[serde(rename = "AccessKeyId")]
    access_key_id: String,
    #[serde(rename = "SecretAccessKey")]
    secret_access_key: String,
    #[serde(rename = "SessionToken", skip_serializing_if = "Option::is_none")]
    session_token: Option<String>,
    #[serde(rename = "Expiration")]
    expiration: String,
}

/// Reads a cache entry if it exists, parses, and is valid `margin` past `now`.
pub fn read(path: &Path, now: SystemTime, margin: Duration) -> Option<Credentials> {
    let text = zeroize::Zeroizing::new(fs::read_to_string(path).ok()?);
    let entry: Entry = serde_json::from_str(&text).ok()?;
    let c = entry.credentials;
    let expires = parse_timestamp(&c.expiration)?;
    let creds = Credentials::new(
        &c.access_key_id,
        &c.secret_access_key,
        c.session_token.as_deref(),
        Some(expires),
    );
    drop(zeroize::Zeroizing::new(c.secret_access_key));
    fresh_enough(creds.expires, now, margin).then_some(creds)
}

/// Writes credentials that expire (long-term keys are never cached).
pub fn write(path: &Path, creds: &Credentials) -> std::io::Result<()> {
    let Some(expires) = creds.expires else {
        return Ok(());
    };
    let entry = Entry {
        credentials: EntryCredentials {
            access_key_id: creds.access_key_id.clone(),
            secret_access_key: creds.secret_access_key().to_string(),
            session_token: creds.session_token().map(str::to_string),
            expiration: format_rfc3339(expires),
        },
    };
    let text =
        zeroize::Zeroizing::new(serde_json::to_string(&entry).map_err(std::io::Error::other)?);
    drop(zeroize::Zeroizing::new(entry.credentials.secret_access_key));
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    crate::store::write_atomic(path, text.as_bytes(), 0o600).map_err(std::io::Error::other)
}

/// Creates `dir` and its parents, the new ones mode 0700.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        fs::create_dir_all(dir)
    }
}

/// Holds the fetch lock for one cache entry until dropped.
pub struct FetchLock(#[allow(dead_code)] File);

/// Takes the exclusive fetch lock for `path` (waits while another process holds it).
pub fn lock(path: &Path) -> std::io::Result<FetchLock> {
    if let Some(dir) = path.parent() {
        create_private_dir(dir)?;
    }
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_file_name(name))?;
    file.lock()?;
    Ok(FetchLock(file))
}

/// Cached credentials when fresh, else `fetch()` under the lock (re-checking the
/// cache once the lock is held), saving what it returns. `refresh` skips the cache.
pub fn get_or_fetch<E>(
    path: &Path,
    now: impl Fn() -> SystemTime,
    margin: Duration,
    refresh: bool,
    fetch: impl FnOnce() -> Result<Credentials, E>,
) -> Result<Credentials, E> {
    if !refresh && let Some(c) = read(path, now(), margin) {
        return Ok(c);
    }
    // Without a lock (e.g. a read-only cache dir) fetching still works, uncached.
    let guard = lock(path).ok();
    if !refresh
        && guard.is_some()
        && let Some(c) = read(path, now(), margin)
    {
        return Ok(c);
    }
    let creds = fetch()?;
    if guard.is_some() {
        let _ = write(path, &creds);
    }
    Ok(creds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};
    use std::time::UNIX_EPOCH;

    fn at(s: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(s)
    }

    #[test]
    fn reuses_until_the_margin_and_never_caches_long_term_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.json");
        let temp = Credentials::new("ASIA1", "s", Some("t"), Some(at(10_000)));
        write(&path, &temp).unwrap();
        assert_eq!(
            read(&path, at(10_000 - 901), DEFAULT_MARGIN),
            Some(temp.clone())
        );
        assert_eq!(read(&path, at(10_000 - 899), DEFAULT_MARGIN), None);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
        }
        let other = dir.path().join("long.json");
        write(&other, &Credentials::new("AKIA1", "s", None, None)).unwrap();
        assert!(!other.exists());
    }

    #[test]
    fn parallel_callers_share_one_fetch() {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join("shared.json"));
        let fetches = Arc::new(AtomicUsize::new(0));
        let barrier = Arc::new(Barrier::new(8));
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let (path, fetches, barrier) = (path.clone(), fetches.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    get_or_fetch(
                        &path,
                        || at(1_000),
                        DEFAULT_MARGIN,
                        false,
                        || {
                            fetches.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(Duration::from_millis(50));
                            Ok::<_, ()>(Credentials::new(
                                "ASIA1",
                                "s",
                                Some("t"),
                                Some(at(100_000)),
                            ))
                        },
                    )
                    .unwrap()
                })
            })
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap().access_key_id, "ASIA1");
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn refresh_fetches_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write(
            &path,
            &Credentials::new("OLD", "s", Some("t"), Some(at(100_000))),
        )
        .unwrap();
        let got = get_or_fetch(
            &path,
            || at(1),
            DEFAULT_MARGIN,
            true,
            || Ok::<_, ()>(Credentials::new("NEW", "s", Some("t"), Some(at(100_000)))),
        )
        .unwrap();
        assert_eq!(got.access_key_id, "NEW");
        assert_eq!(
            read(&path, at(1), DEFAULT_MARGIN).unwrap().access_key_id,
            "NEW"
        );
    }
}
