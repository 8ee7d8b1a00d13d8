//! Reading and writing the user's files safely, beside other programs that write them.
//!
//! A file is read once as bytes and remembered with its stamp (device, inode,
//! size, modification time in nanoseconds). Saving takes rolecall's lock on it
//! ([`crate::lock`]), checks that the file still is what the edit was computed
//! from, keeps the previous version beside it (`NAME.rolecall.bak`, same mode;
//! a non-empty backup is never replaced by an empty one), writes a temporary
//! file with a random name in the same directory and fsyncs it, checks the file
//! once more immediately before renaming over it (following a symlink, even a
//! dangling one, to its target, so dotfile managers keep their link), and
//! fsyncs the directory. Two files saved together are one step ([`save_all`]):
//! an intent record written before the first rename lets the next writing
//! command finish an interrupted pair ([`recover`]).
//!
//! What is not a regular file is never opened blocking: `/dev/null` reads as
//! empty, a FIFO, socket or device is reported (and never written), a symlink
//! loop likewise. Before an edit, [`load_for_edit`] waits out another program
//! that is rewriting the file right now (see `read`).

mod pair;
mod read;
mod temp;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::ini::{Document, NotUtf8};

pub use pair::{recover, save_all};
pub use read::{Special, load, load_for_edit, load_or_note, read_regular, unreadable};
pub use temp::write_atomic;

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An I/O error, with the path.
    // The inner errors are shown in the message, so they are not `source`s too:
    // `{:#}` would print them twice.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: io::Error,
    },
    /// The file could not be read, so it is not written either.
    #[error("{0}; nothing was written to it")]
    Unreadable(String),
    /// Not UTF-8.
    #[error("{path}: {error}; rolecall will not change it")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// Where.
        error: NotUtf8,
    },
    /// Changed on disk since it was read.
    #[error(
        "{0}: the file changed on disk since rolecall read it (another program wrote it); nothing was written. Run the command again"
    )]
    Conflict(PathBuf),
    /// Not a regular file (or a symlink loop): never written.
    #[error("{path} is {what}; rolecall will not write to it. Point rolecall at a regular file")]
    NotRegular {
        /// The file.
        path: PathBuf,
        /// What it is instead.
        what: String,
    },
    /// Empty while its backup is not: most likely another program is rewriting it.
    #[error(
        "{path} is empty while its backup {backup} is not: another program (such as `aws configure set`) is probably rewriting it; nothing was written. Run the command again in a moment (if you emptied the file on purpose, remove the backup first)"
    )]
    EmptyWhileBackupIsNot {
        /// The file.
        path: PathBuf,
        /// Its backup.
        backup: PathBuf,
    },
    /// Kept changing while rolecall waited to read it.
    #[error(
        "{0} kept changing for 2 seconds (another program is writing it); nothing was written. Run the command again when it is done"
    )]
    Unsettled(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What identifies one version of a file cheaply: device, inode, size and
/// modification time to the nanosecond. Any write by any program changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime_ns: i128,
}

impl Stamp {
    fn of(meta: &fs::Metadata) -> Stamp {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stamp {
                dev: meta.dev(),
                ino: meta.ino(),
                len: meta.len(),
                mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            }
        }
        #[cfg(not(unix))]
        {
            let mtime_ns = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128);
            Stamp {
                dev: 0,
                ino: 0,
                len: meta.len(),
                mtime_ns,
            }
        }
    }

    /// The stamp of the file at `path` now, or `None` when there is none.
    fn now(path: &Path) -> Option<Stamp> {
        fs::metadata(path).ok().map(|m| Stamp::of(&m))
    }

    /// As a line for the last-write record.
    fn to_line(self) -> String {
        format!("{} {} {} {}", self.dev, self.ino, self.len, self.mtime_ns)
    }
}

/// A file as read: its document and what was on disk.
#[derive(Clone)]
pub struct StoredFile {
    /// Where it is (as located; may be a symlink).
    pub path: PathBuf,
    /// The parsed text (empty when the file does not exist or is not a regular file).
    pub doc: Document,
    /// The document as read (its text is the bytes read), or `None` if the
    /// file did not exist. Shares the parse with `doc` rather than keeping a
    /// second copy of the bytes.
    original: Option<Document>,
    /// The file's stamp when read (`None`: missing, or in memory).
    stamp: Option<Stamp>,
    /// Where writes go: `path` with symlinks followed (a dangling link's target).
    target: PathBuf,
    /// Not a regular file: what it is instead.
    special: Option<Special>,
    /// Lives only in memory (the bundled demo).
    in_memory: bool,
    /// Why the file could not be read (then `doc` is empty and nothing is
    /// written to it): a finding for readers, a refusal for writers.
    pub unreadable: Option<String>,
}

impl std::fmt::Debug for StoredFile {
    /// Shows the path and size only: the bytes may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredFile")
            .field("path", &self.path)
            .field("bytes", &self.original.as_ref().map(|d| d.text().len()))
            .field("special", &self.special)
            .finish_non_exhaustive()
    }
}

impl StoredFile {
    /// A file that lives only in memory (the bundled demo); saving it is refused.
    pub fn in_memory(path: PathBuf, text: &str) -> StoredFile {
        let doc = Document::parse(text);
        StoredFile {
            target: path.clone(),
            path,
            original: Some(doc.clone()),
            doc,
            stamp: None,
            special: None,
            in_memory: true,
            unreadable: None,
        }
    }

    /// Whether the file existed when read.
    pub fn exists(&self) -> bool {
        self.original.is_some()
    }

    /// What the file is when it is not a regular file (or a symlink loop).
    pub fn special(&self) -> Option<&Special> {
        self.special.as_ref()
    }

    /// Whether the file on disk looks different from what was read (its stamp
    /// changed, or it appeared or vanished). In-memory files never change.
    pub fn changed_on_disk(&self) -> bool {
        !self.in_memory && Stamp::now(&self.target) != self.stamp
    }

    /// The document, when it is exactly the file on disk: read from a regular
    /// file (or the file is missing), not edited since, and the file's stamp
    /// unchanged. A check of the stamp, not of the bytes.
    pub fn as_on_disk(&self) -> Option<&Document> {
        let same = self.special.is_none()
            && self.unreadable.is_none()
            && !self.differs(&self.doc)
            && !self.changed_on_disk();
        same.then_some(&self.doc)
    }

    /// Whether `doc` differs from what was read.
    fn differs(&self, doc: &Document) -> bool {
        let new = doc.text().as_bytes();
        let original = self.original.as_ref().map(|d| d.text().as_bytes());
        !(original == Some(new) || (original.is_none() && new.is_empty()))
    }

    /// Refuses (without waiting) when the file on disk is not exactly what was read:
    /// its stamp, then its bytes.
    fn check_unchanged(&self) -> Result<(), StoreError> {
        let conflict = || StoreError::Conflict(self.path.clone());
        let now = Stamp::now(&self.target);
        if now != self.stamp {
            return Err(conflict());
        }
        let Some(original) = &self.original else {
            return Ok(());
        };
        match fs::read(&self.target) {
            Ok(bytes) if bytes == original.text().as_bytes() => Ok(()),
            Ok(_) => Err(conflict()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Err(conflict()),
            Err(e) => Err(io_err(&self.target)(e)),
        }
    }
}

/// The backup written beside `path` by [`save`].
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".rolecall.bak");
    path.with_file_name(name)
}

/// Overwrites the backup [`save`] left beside `path`, if there is one, with
/// `path`'s current text, so no copy of what the save removed (keys moved to
/// the keychain) stays behind. `path` is as saved (a symlink is followed).
pub fn scrub_backup(path: &Path) -> Result<(), StoreError> {
    let target = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let backup = backup_path(&target);
    if !backup.exists() {
        return Ok(());
    }
    let text = fs::read(&target).map_err(io_err(&target))?;
    temp::write_atomic(&backup, &text, current_mode(&target))
}

/// Writes `doc` over `file` if it differs from what was read. Returns whether it wrote.
pub fn save(file: &StoredFile, doc: &Document) -> Result<bool, StoreError> {
    Ok(!save_all(&[(file, doc)], &mut |_| Ok(()))?.is_empty())
}

/// The permission bits of `path`, or 0600 when it does not exist (new files are private).
#[cfg(unix)]
pub fn current_mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).map_or(0o600, |m| m.permissions().mode() & 0o7777)
}

/// The permission bits of `path` (0600 off Unix, where they mean nothing).
#[cfg(not(unix))]
pub fn current_mode(_path: &Path) -> u32 {
    0o600
}

#[cfg(test)]
mod tests;
