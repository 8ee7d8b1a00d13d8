//! Reading and writing the user's files safely.
//!
//! A file is read once as bytes and remembered; saving re-reads it under a lock and
//! refuses to write if anything changed it in between, so rolecall never clobbers
//! an edit made elsewhere. A save keeps the previous version beside the file
//! (`NAME.rolecall.bak`, same mode), writes a temporary file in the same
//! directory, fsyncs it, renames it over the original (following a symlink to its
//! target, so dotfile managers keep their link) and fsyncs the directory. The
//! file's mode is kept; new files get 0600.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ini::{Document, NotUtf8};

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
        "{0}: the file changed on disk since rolecall read it; nothing was written. Run the command again"
    )]
    Conflict(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> StoreError + '_ {
    move |error| StoreError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// A file as read: its document and what was on disk.
#[derive(Clone)]
pub struct StoredFile {
    /// Where it is (as located; may be a symlink).
    pub path: PathBuf,
    /// The parsed text (empty when the file does not exist).
    pub doc: Document,
    /// The document as read (its text is the bytes read), or `None` if the
    /// file did not exist. Shares the parse with `doc` rather than keeping a
    /// second copy of the bytes.
    original: Option<Document>,
    /// Size and modification time when read, to notice changes cheaply.
    stamp: Option<(u64, Option<std::time::SystemTime>)>,
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
            .finish_non_exhaustive()
    }
}

impl StoredFile {
    /// A file that lives only in memory (the bundled demo); saving it is refused.
    pub fn in_memory(path: PathBuf, text: &str) -> StoredFile {
        let doc = Document::parse(text);
        StoredFile {
            path,
            original: Some(doc.clone()),
            doc,
            stamp: None,
            unreadable: None,
        }
    }

    /// Whether the file existed when read.
    pub fn exists(&self) -> bool {
        self.original.is_some()
    }
}

/// Reads a file; a missing file reads as empty.
pub fn load(path: &Path) -> Result<StoredFile, StoreError> {
    let original = match fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(path)(e)),
    };
    let original = match original {
        Some(bytes) => Some(
            Document::from_bytes(bytes).map_err(|error| StoreError::NotUtf8 {
                path: path.to_path_buf(),
                error,
            })?,
        ),
        None => None,
    };
    let doc = original.clone().unwrap_or_else(|| Document::parse(""));
    Ok(StoredFile {
        path: path.to_path_buf(),
        doc,
        original,
        stamp: stamp(path),
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
        Err(StoreError::Io { path: p, error }) if p == path => Ok(StoredFile {
            path: path.to_path_buf(),
            doc: Document::parse(""),
            original: None,
            stamp: stamp(path),
            unreadable: Some(unreadable(&show(path), &error)),
        }),
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

fn stamp(path: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
    fs::metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

impl StoredFile {
    /// Whether the file on disk looks different from what was read (size or
    /// modification time changed, or it appeared or vanished). In-memory files
    /// never change.
    pub fn changed_on_disk(&self) -> bool {
        if self.stamp.is_none() && self.original.is_some() {
            return false;
        }
        stamp(&self.path) != self.stamp
    }
}

/// The backup written beside `path` by [`save`].
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".rolecall.bak");
    path.with_file_name(name)
}

/// Writes `doc` over `file` if it differs from what was read. Returns whether it wrote.
pub fn save(file: &StoredFile, doc: &Document) -> Result<bool, StoreError> {
    if let Some(why) = &file.unreadable {
        return Err(StoreError::Unreadable(why.clone()));
    }
    let new = doc.text().as_bytes();
    let original = file.original.as_ref().map(|d| d.text().as_bytes());
    if original == Some(new) || (original.is_none() && new.is_empty()) {
        return Ok(false);
    }
    let target = resolve_symlink(&file.path);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    fs::create_dir_all(&dir).map_err(io_err(&dir))?;
    let _lock = lock(&target)?;
    let current = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_err(&target)(e)),
    };
    if current.as_deref() != original {
        return Err(StoreError::Conflict(file.path.clone()));
    }
    let mode = current_mode(&target);
    if let Some(old) = &current {
        write_atomic(&backup_path(&target), old, mode)?;
    }
    write_atomic(&target, new, mode)?;
    Ok(true)
}

fn resolve_symlink(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
        _ => path.to_path_buf(),
    }
}

/// An exclusive lock beside `target`, held until dropped, so two rolecall processes
/// never interleave their check and rename.
fn lock(target: &Path) -> Result<File, StoreError> {
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(".rolecall.lock");
    let path = target.with_file_name(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_err(&path))?;
    file.lock().map_err(io_err(&path))?;
    Ok(file)
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

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<(), StoreError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(
        ".rolecall-{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let tmp = dir.join(name);
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
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        fs::rename(&tmp, path).map_err(io_err(path))?;
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    #[cfg(not(unix))]
    let _ = mode;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_writes_keeps_a_backup_and_refuses_conflicts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, "[default]\n").unwrap();
        let file = load(&path).unwrap();
        let edited = Document::parse("[default]\nregion = x\n");
        assert!(save(&file, &edited).unwrap());
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[default]\nregion = x\n"
        );
        assert_eq!(
            fs::read_to_string(backup_path(&path)).unwrap(),
            "[default]\n"
        );
        // `file` still remembers the old bytes: the disk has moved on.
        let err = save(&file, &Document::parse("[other]\n")).unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)));
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "[default]\nregion = x\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_new_files_are_private_and_symlinks_survive() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("credentials");
        let file = load(&path).unwrap();
        assert!(!file.exists());
        save(&file, &Document::parse("[a]\n")).unwrap();
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );

        let real = dir.path().join("real");
        fs::write(&real, "[a]\n").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let file = load(&link).unwrap();
        save(&file, &Document::parse("[b]\n")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "[b]\n");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }

    #[test]
    fn notices_changes_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let missing = load(&path).unwrap();
        assert!(!missing.changed_on_disk());
        fs::write(&path, "[a]\n").unwrap();
        assert!(missing.changed_on_disk());
        let file = load(&path).unwrap();
        assert!(!file.changed_on_disk());
        fs::write(&path, "[a]\nregion = x\n").unwrap();
        assert!(file.changed_on_disk());
        assert!(!StoredFile::in_memory("x".into(), "").changed_on_disk());
    }

    #[test]
    fn debug_never_shows_the_contents() {
        let file = StoredFile::in_memory("c".into(), "[a]\naws_secret_access_key = hunter2\n");
        assert!(!format!("{file:?}").contains("hunter2"));
    }

    #[test]
    fn unchanged_documents_are_not_written_and_bad_bytes_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        fs::write(&path, b"[a]\nk = \xff\n").unwrap();
        let err = load(&path).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        fs::write(&path, "[a]\n").unwrap();
        let file = load(&path).unwrap();
        assert!(!save(&file, &Document::parse("[a]\n")).unwrap());
        assert!(!backup_path(&path).exists());
    }
}
