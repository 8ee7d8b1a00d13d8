//! Temporary files: random names, atomic replacement, and removing what a killed
//! rolecall left behind.
//!
//! A temporary file is `.NAME.rolecall-PID-RANDOM.tmp` beside its target: the
//! random part means a reused process id never collides with a leftover. The
//! next save in that directory removes leftovers of this pattern (and only of
//! this pattern) that are older than a few seconds, whose process is gone and
//! that no intent record still needs.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{StoreError, io_err};

/// A leftover younger than this is left alone (its writer may live in another
/// process namespace, where its id means nothing here).
const STALE_AFTER: Duration = Duration::from_secs(3);

/// The directory of `path` (`.` for a bare name).
pub(super) fn dir_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A fresh temporary name beside `target`.
fn temp_name(target: &Path) -> PathBuf {
    let mut random = [0u8; 8];
    if getrandom::fill(&mut random).is_err() {
        // No randomness: the time still separates two saves of one process.
        let nanos = crate::clock::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        random = nanos.to_le_bytes();
    }
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(format!(
        ".rolecall-{}-{:016x}.tmp",
        std::process::id(),
        u64::from_le_bytes(random)
    ));
    dir_of(target).join(name)
}

/// Writes `bytes` to a new temporary file beside `target` with `mode`, synced to
/// disk. The caller renames it or removes it.
pub(super) fn write_temp(target: &Path, bytes: &[u8], mode: u32) -> Result<PathBuf, StoreError> {
    let tmp = temp_name(target);
    let result = (|| {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(mode);
        }
        let mut f = options.open(&tmp).map_err(io_err(&tmp))?;
        #[cfg(unix)]
        {
            // The umask may have narrowed the mode given to open.
            use std::os::unix::fs::PermissionsExt;
            f.set_permissions(fs::Permissions::from_mode(mode))
                .map_err(io_err(&tmp))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Makes a rename in `dir` durable.
pub(super) fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), StoreError> {
    let dir = dir_of(path);
    if sweep_due(dir, std::time::Instant::now()) {
        remove_stale(dir);
    }
    let tmp = write_temp(path, bytes, mode)?;
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(io_err(path)(e));
    }
    sync_dir(dir);
    Ok(())
}

/// The process id in a name of rolecall's temporary pattern
/// (`.NAME.rolecall-PID-HEX.tmp`), or `None` for any other name.
pub(super) fn temp_pid(name: &str) -> Option<u32> {
    let body = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let (_, tail) = body.rsplit_once(".rolecall-")?;
    let (pid, random) = tail.split_once('-')?;
    let hex = !random.is_empty() && random.bytes().all(|b| b.is_ascii_hexdigit());
    let pid = pid.parse().ok()?;
    hex.then_some(pid)
}

/// How often one process looks for leftovers in one directory when it writes
/// there many times (a fan-out caches hundreds of credentials at once: a
/// sweep per write read the whole directory each time). A leftover is only
/// removed once older than [`STALE_AFTER`], so sweeping at most this often
/// removes it as soon, give or take this long.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// Whether a write in `dir` at `now` should sweep it first: the first write
/// there, or [`SWEEP_EVERY`] after the last sweep.
fn sweep_due(dir: &Path, now: std::time::Instant) -> bool {
    static LAST: std::sync::Mutex<Vec<(PathBuf, std::time::Instant)>> =
        std::sync::Mutex::new(Vec::new());
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    match last.iter_mut().find(|(d, _)| d == dir) {
        Some((_, at)) if now.saturating_duration_since(*at) < SWEEP_EVERY => false,
        Some((_, at)) => {
            *at = now;
            true
        }
        None => {
            last.push((dir.to_path_buf(), now));
            true
        }
    }
}

/// Whether process `pid` is still running (or might be: when unsure, yes).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: kill with signal 0 only checks that the process exists and
        // sends nothing; it reads no memory of ours.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes leftovers of rolecall's temporary pattern in `dir` whose writer is
/// gone. Never fails: a leftover that cannot be removed stays for next time.
pub(super) fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut needed: Option<Vec<PathBuf>> = None;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temp_pid) else {
            continue;
        };
        if pid == std::process::id() || alive(pid) {
            continue;
        }
        let old = entry
            .metadata()
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| crate::clock::now().duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if !old {
            continue;
        }
        let path = entry.path();
        let needed = needed.get_or_insert_with(super::pair::temps_in_intents);
        if needed.iter().any(|n| n.file_name() == path.file_name()) {
            continue;
        }
        let _ = fs::remove_file(&path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_random_and_recognised() {
        let a = temp_name(Path::new("/h/.aws/config"));
        let b = temp_name(Path::new("/h/.aws/config"));
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(name.starts_with(".config.rolecall-"), "{name}");
        assert_eq!(temp_pid(name), Some(std::process::id()));
        // The names older versions used are recognised too; nothing else is.
        assert_eq!(temp_pid(".credentials.rolecall-123-7.tmp"), Some(123));
        assert_eq!(temp_pid("config.rolecall.bak"), None);
        assert_eq!(temp_pid(".config.rolecall-12-.tmp"), None);
        assert_eq!(temp_pid(".config.other-12-ab.tmp"), None);
        assert_eq!(temp_pid("credentials"), None);
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_gone_writers_are_removed_others_kept() {
        let dir = tempfile::tempdir().unwrap();
        let age = |p: &Path, secs: u64| {
            let f = File::options().write(true).open(p).unwrap();
            f.set_modified(crate::clock::now() - Duration::from_secs(secs))
                .unwrap();
        };
        // A process that has surely exited: a child we waited for.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let stale = dir
            .path()
            .join(format!(".credentials.rolecall-{gone}-00ff.tmp"));
        let young = dir.path().join(format!(".config.rolecall-{gone}-00fe.tmp"));
        let living = dir.path().join(format!(".config.rolecall-{}-00fd.tmp", 1));
        let foreign = dir.path().join(format!(".config.other-{gone}-00fc.tmp"));
        for p in [&stale, &young, &living, &foreign] {
            fs::write(p, "secret").unwrap();
        }
        age(&stale, 60);
        age(&living, 60);
        age(&foreign, 60);
        remove_stale(dir.path());
        assert!(!stale.exists());
        assert!(young.exists(), "too young");
        assert!(living.exists(), "pid 1 is alive");
        assert!(foreign.exists(), "not rolecall's pattern");
    }

    #[test]
    fn a_directory_is_swept_on_its_first_write_then_at_most_every_second() {
        let dir = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        let t0 = std::time::Instant::now();
        assert!(sweep_due(dir.path(), t0), "first write");
        assert!(!sweep_due(dir.path(), t0 + Duration::from_millis(500)));
        assert!(sweep_due(other.path(), t0), "each directory on its own");
        assert!(sweep_due(dir.path(), t0 + SWEEP_EVERY));
        assert!(!sweep_due(dir.path(), t0 + SWEEP_EVERY));
    }
}
