//! Exclusive locks across rolecall processes, one naming scheme for all of them.
//!
//! A lock on a file (the AWS config, a cache entry) is taken on a lock file of its
//! own in rolecall's cache directory (`$XDG_CACHE_HOME/rolecall/locks/`, mode
//! 0700, set by `main` through [`use_dir`]), named by a hash of the file's canonical path, so nothing is ever
//! created beside the user's files. Lock files are opened with `O_NOFOLLOW` and
//! mode 0600 and are never removed: removing a lock file another process holds
//! would let a third lock a new file of the same name while the second still
//! works. Locks are advisory (`flock`): they order rolecall processes, not other
//! tools. Several files are locked in one fixed order (by lock name), so two
//! processes locking the same pair never wait on each other.
//!
//! This module also holds the small records a save keeps beside its locks (the
//! intent record of a two-file save, the stamp of the last write), named the
//! same way.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Holds an exclusive lock until dropped.
#[derive(Debug)]
pub struct Lock(#[allow(dead_code)] File);

static DIR: OnceLock<PathBuf> = OnceLock::new();

/// Sets the lock directory, once, before any lock is taken: `main` gives
/// `$XDG_CACHE_HOME/rolecall/locks` (`~/.cache/rolecall/locks`) from
/// [`crate::paths::Paths`]. Later calls change nothing.
pub fn use_dir(dir: PathBuf) {
    let _ = DIR.set(dir);
}

/// rolecall's lock directory: the one [`use_dir`] set, else (a library user or
/// a test that set none) a private directory in the system's temporary one.
pub fn dir() -> io::Result<&'static Path> {
    Ok(DIR.get_or_init(|| {
        #[cfg(unix)]
        // SAFETY: getuid has no preconditions and cannot fail.
        let user = unsafe { libc::getuid() };
        #[cfg(not(unix))]
        let user = 0;
        std::env::temp_dir().join(format!("rolecall-locks-{user}"))
    }))
}

/// The lock directory, created (mode 0700) when missing.
fn ready_dir() -> io::Result<&'static Path> {
    let dir = dir()?;
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)?;
    Ok(dir)
}

/// `path` made absolute with its directory's symlinks resolved, so every name a
/// file is reached by gives the same lock. A file that does not exist yet keeps
/// its name under its resolved directory.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => std::fs::canonicalize(dir)
            .map(|d| d.join(name))
            .unwrap_or(absolute.clone()),
        _ => absolute,
    }
}

/// The name of the records about `target` in the lock directory: a hash of its
/// canonical path, then `suffix` (`lock`, `intent`, `stamp`).
pub fn record_path(target: &Path, suffix: &str) -> io::Result<PathBuf> {
    let key = canonical(target);
    let hash = sha1_hex(key.as_os_str().as_encoded_bytes());
    Ok(ready_dir()?.join(format!("{}.{suffix}", &hash[..32])))
}

/// Lowercase hex SHA-1 of `bytes` (names here; a save's intent record too).
pub fn sha1_hex(bytes: &[u8]) -> String {
    use sha1::Digest;
    use std::fmt::Write;
    let mut hex = String::with_capacity(40);
    for b in sha1::Sha1::digest(bytes) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// Opens (creating, mode 0600) a file in the lock directory without following a
/// symlink at its name.
pub fn open_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true).read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// Takes the exclusive lock on `target` (waits while another process holds it).
pub fn exclusive(target: &Path) -> io::Result<Lock> {
    let path = record_path(target, "lock")?;
    let file = open_private(&path).map_err(|e| describe(&path, e))?;
    file.lock().map_err(|e| describe(&path, e))?;
    Ok(Lock(file))
}

/// Takes the locks on all `targets` in one fixed order (their lock names), the
/// same file once.
pub fn exclusive_all(targets: &[&Path]) -> io::Result<Vec<Lock>> {
    let mut names: Vec<(PathBuf, &Path)> = targets
        .iter()
        .map(|t| Ok((record_path(t, "lock")?, *t)))
        .collect::<io::Result<_>>()?;
    names.sort();
    names.dedup_by(|a, b| a.0 == b.0);
    names.iter().map(|(_, t)| exclusive(t)).collect()
}

fn describe(path: &Path, e: io::Error) -> io::Error {
    let hint = if e.raw_os_error() == Some(libc_eloop()) {
        " (it is a symlink; rolecall does not follow links at its lock files: remove it)"
    } else {
        ""
    };
    io::Error::new(
        e.kind(),
        format!("cannot lock {}: {e}{hint}", path.display()),
    )
}

#[cfg(unix)]
fn libc_eloop() -> i32 {
    libc::ELOOP
}

#[cfg(not(unix))]
fn libc_eloop() -> i32 {
    -1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_per_file_whatever_the_path_it_is_reached_by() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config");
        let dotted = dir.path().join(".").join("config");
        assert_eq!(
            record_path(&file, "lock").unwrap(),
            record_path(&dotted, "lock").unwrap()
        );
        assert_ne!(
            record_path(&file, "lock").unwrap(),
            record_path(&dir.path().join("credentials"), "lock").unwrap()
        );
        let lock = record_path(&file, "lock").unwrap();
        assert!(lock.starts_with(dir_for_test()));
        assert!(!lock.starts_with(dir.path()), "never beside the file");
    }

    fn dir_for_test() -> &'static Path {
        dir().unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn lock_files_are_private_and_never_follow_a_symlink() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config");
        let lock = exclusive(&target).unwrap();
        let path = record_path(&target, "lock").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        drop(lock);
        assert!(path.exists(), "lock files stay");

        // A symlink planted at another file's lock name is not followed.
        let other = dir.path().join("credentials");
        let planted = record_path(&other, "lock").unwrap();
        let victim = dir.path().join("victim");
        let _ = std::fs::remove_file(&planted);
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let err = exclusive(&other).unwrap_err();
        assert!(err.to_string().contains("symlink"), "{err}");
        assert!(!victim.exists(), "the link's target was not created");
        std::fs::remove_file(&planted).unwrap();
    }

    #[test]
    fn locks_exclude_each_other_across_open_files() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("config");
        let held = exclusive_all(&[&target, &target]).unwrap();
        assert_eq!(held.len(), 1, "the same file once");
        let path = record_path(&target, "lock").unwrap();
        let other = open_private(&path).unwrap();
        assert!(matches!(
            other.try_lock(),
            Err(std::fs::TryLockError::WouldBlock)
        ));
        drop(held);
        other.try_lock().unwrap();
    }
}
