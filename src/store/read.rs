//! Reading a file without ever blocking, and reading it settled before an edit.
//!
//! [`load`] opens non-blocking and looks at what it opened: a regular file is
//! read (again if its stamp moved during the read), `/dev/null` is empty, and a
//! FIFO, socket, device or directory, or a symlink loop, becomes a [`Special`]
//! with an empty document, so the other file still loads and the problem shows
//! as a finding.
//!
//! [`load_for_edit`] is for commands that write. Programs that take no lock
//! (`aws configure set` truncates the file, then writes it) leave moments when
//! the file is empty or partial. When the file was modified within the last
//! second by someone other than rolecall's own last save, it is read again 50 ms
//! later and used only once two reads agree; when it is empty while its backup
//! is not, rolecall waits up to 2 s for it to fill and then refuses. The check
//! costs nothing for a file nobody touched in the last second.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Stamp, StoreError, StoredFile, backup_path, io_err};
use crate::ini::Document;

/// What a file is when it is not a regular file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Special {
    /// `/dev/null`: reads as empty.
    DevNull,
    /// A FIFO, socket, device or directory: never read or written.
    Other(&'static str),
    /// A chain of symlinks that never ends.
    Loop,
}

impl Special {
    /// A sentence fragment: "a FIFO (named pipe)", "a symlink loop", ...
    pub fn describe(&self) -> &'static str {
        match self {
            Special::DevNull => "/dev/null",
            Special::Other(what) => what,
            Special::Loop => "a symlink loop",
        }
    }
}

/// Where a write to `path` goes: `path`, or the end of its symlink chain (also
/// when that end does not exist yet). `Err` for a loop.
pub(super) fn resolve(path: &Path) -> Result<PathBuf, Special> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let Ok(link) = fs::read_link(&at) else {
                    return Ok(at);
                };
                at = match at.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(Special::Loop)
}

/// Opens for reading without blocking on a FIFO or device.
fn open_nonblocking(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// What kind of non-regular file `meta` describes.
fn special_kind(meta: &fs::Metadata) -> Special {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        let t = meta.file_type();
        if t.is_char_device() {
            let null = fs::metadata("/dev/null").map(|m| m.rdev()).ok();
            if null == Some(meta.rdev()) {
                return Special::DevNull;
            }
            return Special::Other("a device");
        }
        if t.is_block_device() {
            return Special::Other("a device");
        }
        if t.is_fifo() {
            return Special::Other("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Special::Other("a socket");
        }
    }
    if meta.is_dir() {
        return Special::Other("a directory");
    }
    Special::Other("not a regular file")
}

enum Opened {
    Missing,
    Text(Vec<u8>, Stamp),
    Special(Special, Option<Stamp>),
}

fn open(target: &Path) -> Result<Opened, StoreError> {
    let file = match open_nonblocking(target) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Opened::Missing),
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Ok(Opened::Special(Special::Loop, None));
        }
        // A socket cannot be opened at all.
        #[cfg(unix)]
        Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
            return Ok(Opened::Special(Special::Other("a socket"), None));
        }
        Err(e) => return Err(io_err(target)(e)),
    };
    let mut file = file;
    for _ in 0..5 {
        let before = file.metadata().map_err(io_err(target))?;
        if before.is_dir() {
            return Err(io_err(target)(io::Error::from(io::ErrorKind::IsADirectory)));
        }
        if !before.is_file() {
            return Ok(Opened::Special(
                special_kind(&before),
                Some(Stamp::of(&before)),
            ));
        }
        let mut bytes = Vec::with_capacity(before.len() as usize + 1);
        (&file).read_to_end(&mut bytes).map_err(io_err(target))?;
        // Same inode: the stamp after the read says whether someone wrote meanwhile.
        let after = fs::metadata(target).map(|m| Stamp::of(&m)).ok();
        if after == Some(Stamp::of(&before)) {
            return Ok(Opened::Text(bytes, Stamp::of(&before)));
        }
        file = match open_nonblocking(target) {
            Ok(f) => f,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Opened::Missing),
            Err(e) => return Err(io_err(target)(e)),
        };
    }
    Err(StoreError::Unsettled(target.to_path_buf()))
}

/// Reads a file; a missing file reads as empty, `/dev/null` too, and any other
/// non-regular file (or a symlink loop) as empty with [`StoredFile::special`] set.
pub fn load(path: &Path) -> Result<StoredFile, StoreError> {
    let (target, opened) = match resolve(path) {
        Ok(target) => {
            let opened = open(&target)?;
            (target, opened)
        }
        Err(special) => (path.to_path_buf(), Opened::Special(special, None)),
    };
    let empty = || Document::parse("");
    let (original, stamp, special) = match opened {
        Opened::Missing => (None, None, None),
        Opened::Text(bytes, stamp) => {
            let doc = Document::from_bytes(bytes).map_err(|error| StoreError::NotUtf8 {
                path: path.to_path_buf(),
                error,
            })?;
            (Some(doc), Some(stamp), None)
        }
        Opened::Special(special, stamp) => (Some(empty()), stamp, Some(special)),
    };
    let doc = original.clone().unwrap_or_else(empty);
    Ok(StoredFile {
        path: path.to_path_buf(),
        doc,
        original,
        stamp,
        target,
        special,
        in_memory: false,
        unreadable: None,
    })
}

/// Like [`load`], but a file that exists and cannot be read (no permission,
/// a directory) comes back empty with the reason in `unreadable`, so readers
/// can go on with the other file; other errors stay errors.
/// `show` writes a path for people (`~/.aws/credentials`).
pub fn load_or_note(
    path: &Path,
    show: &(dyn Fn(&Path) -> String + Sync),
) -> Result<StoredFile, StoreError> {
    match load(path) {
        Err(StoreError::Io { path: p, error })
            if p == path || resolve(path).ok().as_ref() == Some(&p) =>
        {
            Ok(StoredFile {
                path: path.to_path_buf(),
                doc: Document::parse(""),
                original: None,
                stamp: Stamp::now(path),
                target: resolve(path).unwrap_or_else(|_| path.to_path_buf()),
                special: None,
                in_memory: false,
                unreadable: Some(unreadable(&show(path), &error)),
            })
        }
        other => other,
    }
}

/// One sentence for a file that cannot be read, `shown` being its path for people.
pub fn unreadable(shown: &str, error: &io::Error) -> String {
    match error.kind() {
        io::ErrorKind::PermissionDenied => format!(
            "permission denied reading {shown}: it belongs to another user or its mode forbids reading (fix: `chmod 600 {shown}` as its owner)"
        ),
        io::ErrorKind::IsADirectory => format!(
            "{shown} is a directory, not a file (fix: move it away, or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE elsewhere)"
        ),
        _ => format!("{shown} cannot be read: {error}"),
    }
}

/// The bytes of `path` when it is a regular file (through symlinks), without
/// ever blocking: `None` for a missing file, a FIFO, socket, device or loop.
/// For readers that only want the text, such as the prompt on every shell prompt.
pub fn read_regular(path: &Path) -> Option<Vec<u8>> {
    match open(&resolve(path).ok()?).ok()? {
        Opened::Text(bytes, _) => Some(bytes),
        Opened::Special(Special::DevNull, _) => Some(Vec::new()),
        Opened::Missing | Opened::Special(..) => None,
    }
}

/// How long a modification counts as "just now", and the pause between two reads.
const RECENT: Duration = Duration::from_secs(1);
const PAUSE: Duration = Duration::from_millis(50);
/// At most this many pauses: about 2 s.
const PAUSES: u32 = 40;

/// [`load`], for a command about to write the file: waits while another program
/// is rewriting it (see the module's documentation).
pub fn load_for_edit(path: &Path) -> Result<StoredFile, StoreError> {
    let mut file = load(path)?;
    for _ in 0..PAUSES {
        if file.special.is_some() {
            return Ok(file);
        }
        let empty = file.original.as_ref().is_some_and(|d| d.text().is_empty());
        let backup_full = empty && backup_is_full(&file.target);
        let recent = file
            .stamp
            .is_some_and(|s| is_recent(s) && !is_own(&file.target, s));
        if !recent && !backup_full {
            return Ok(file);
        }
        std::thread::sleep(PAUSE);
        if Stamp::now(&file.target) != file.stamp {
            file = load(path)?;
            continue;
        }
        if !empty {
            // Two reads 50 ms apart agree.
            return Ok(file);
        }
    }
    let empty = file.original.as_ref().is_some_and(|d| d.text().is_empty());
    if empty && backup_is_full(&file.target) {
        return Err(StoreError::EmptyWhileBackupIsNot {
            backup: backup_path(&file.path),
            path: file.path,
        });
    }
    Err(StoreError::Unsettled(file.path))
}

fn backup_is_full(target: &Path) -> bool {
    fs::metadata(backup_path(target)).is_ok_and(|m| m.len() > 0)
}

fn is_recent(stamp: Stamp) -> bool {
    let now = crate::clock::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128);
    now - stamp.mtime_ns < RECENT.as_nanos() as i128
}

/// Whether `stamp` is the one rolecall's own last save of `target` left.
fn is_own(target: &Path, stamp: Stamp) -> bool {
    crate::lock::record_path(target, "stamp")
        .ok()
        .and_then(|p| fs::read_to_string(p).ok())
        .is_some_and(|line| line.trim() == stamp.to_line())
}

/// Remembers the stamp of what rolecall just wrote to `target`, so the next
/// command does not wait for a change that was its own.
pub(super) fn record_own(target: &Path) {
    let Some(stamp) = Stamp::now(target) else {
        return;
    };
    if let Ok(path) = crate::lock::record_path(target, "stamp")
        && let Ok(file) = crate::lock::open_private(&path)
    {
        use std::io::Write;
        let _ = file.set_len(0);
        let _ = (&file).write_all(stamp.to_line().as_bytes());
    }
}
