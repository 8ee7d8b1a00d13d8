//! Saving one or two files as one step, and finishing a step a crash interrupted.
//!
//! [`save_all`] locks every file in a fixed order, checks each is still what the
//! edit was computed from, writes every temporary file and backup, checks again,
//! and only then renames. Anything failing before the first rename changes no
//! file. For two files an intent record (in rolecall's lock directory: both
//! targets, their temporary files, and the SHA-1 of their old and new bytes) is
//! written before the first rename and removed after the last, so a crash
//! between the renames leaves enough to finish: [`recover`], run by the next
//! command that writes, renames what is still pending when both files are as
//! the record says, and otherwise removes the temporary files and reports,
//! changing neither file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::read::record_own;
use super::temp::{dir_of, remove_stale, sync_dir, write_temp};
use super::{StoreError, StoredFile, backup_path, current_mode, io_err};
use crate::ini::Document;

#[derive(Serialize, Deserialize)]
struct Intent {
    files: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    target: PathBuf,
    temp: PathBuf,
    /// SHA-1 of the bytes before, or `None` when the file did not exist.
    old: Option<String>,
    new: String,
}

fn sha1(bytes: &[u8]) -> String {
    crate::lock::sha1_hex(bytes)
}

fn hash_of(path: &Path) -> io::Result<Option<String>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(sha1(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

struct Prepared<'a> {
    file: &'a StoredFile,
    temp: PathBuf,
    new: String,
}

/// Saves every `(file, document)` whose document differs from what was read, as
/// one step (see the module's documentation). `after_rename(i)` runs after the
/// `i`-th rename (tests inject a crash there). Returns the paths written.
pub fn save_all(
    files: &[(&StoredFile, &Document)],
    after_rename: &mut dyn FnMut(usize) -> io::Result<()>,
) -> Result<Vec<PathBuf>, StoreError> {
    let changed: Vec<_> = files.iter().filter(|(f, d)| f.differs(d)).collect();
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    for (f, _) in &changed {
        if let Some(why) = &f.unreadable {
            return Err(StoreError::Unreadable(why.clone()));
        }
        if let Some(special) = &f.special {
            return Err(StoreError::NotRegular {
                path: f.path.clone(),
                what: special.describe().to_string(),
            });
        }
        if f.in_memory {
            return Err(StoreError::NotRegular {
                path: f.path.clone(),
                what: "in memory only".to_string(),
            });
        }
    }
    for (f, _) in &changed {
        let dir = dir_of(&f.target);
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let targets: Vec<&Path> = changed.iter().map(|(f, _)| f.target.as_path()).collect();
    let lock_err = |e: io::Error| io_err(targets[0])(e);
    let _locks = crate::lock::exclusive_all(&targets).map_err(lock_err)?;
    recover_locked(&targets)?;
    for (f, _) in &changed {
        f.check_unchanged()?;
    }
    for (f, _) in &changed {
        remove_stale(dir_of(&f.target));
    }

    let mut prepared: Vec<Prepared> = Vec::new();
    let cleanup = |prepared: &[Prepared]| {
        for p in prepared {
            let _ = fs::remove_file(&p.temp);
        }
    };
    for (f, doc) in &changed {
        let result = prepare(f, doc);
        match result {
            Ok(p) => prepared.push(p),
            Err(e) => {
                cleanup(&prepared);
                return Err(e);
            }
        }
    }
    let intent = if prepared.len() > 1 {
        match write_intent(&prepared) {
            Ok(path) => Some(path),
            Err(e) => {
                cleanup(&prepared);
                return Err(e);
            }
        }
    } else {
        None
    };
    // The last look, immediately before the renames.
    if let Err(e) = changed.iter().try_for_each(|(f, _)| f.check_unchanged()) {
        cleanup(&prepared);
        if let Some(intent) = &intent {
            let _ = fs::remove_file(intent);
        }
        return Err(e);
    }
    let mut written = Vec::new();
    for (i, p) in prepared.iter().enumerate() {
        fs::rename(&p.temp, &p.file.target).map_err(io_err(&p.file.path))?;
        written.push(p.file.path.clone());
        after_rename(i).map_err(io_err(&p.file.path))?;
    }
    for p in &prepared {
        sync_dir(dir_of(&p.file.target));
        record_own(&p.file.target);
    }
    if let Some(intent) = intent {
        let _ = fs::remove_file(intent);
    }
    Ok(written)
}

/// Writes the backup (unless it would replace a non-empty backup with an empty
/// file) and the new bytes to a temporary file.
fn prepare<'a>(file: &'a StoredFile, doc: &Document) -> Result<Prepared<'a>, StoreError> {
    let mode = current_mode(&file.target);
    if let Some(old) = &file.original {
        let backup = backup_path(&file.target);
        let keep_backup = old.text().is_empty() && fs::metadata(&backup).is_ok_and(|m| m.len() > 0);
        if !keep_backup {
            super::write_atomic(&backup, old.text().as_bytes(), mode)?;
        }
    }
    let new = doc.text().as_bytes();
    let temp = write_temp(&file.target, new, mode)?;
    Ok(Prepared {
        file,
        temp,
        new: sha1(new),
    })
}

fn write_intent(prepared: &[Prepared]) -> Result<PathBuf, StoreError> {
    let intent = Intent {
        files: prepared
            .iter()
            .map(|p| Entry {
                target: p.file.target.clone(),
                temp: p.temp.clone(),
                old: p.file.original.as_ref().map(|d| sha1(d.text().as_bytes())),
                new: p.new.clone(),
            })
            .collect(),
    };
    let first = &prepared[0].file.target;
    let path = crate::lock::record_path(first, "intent").map_err(io_err(first))?;
    let json = serde_json::to_vec(&intent).map_err(|e| io_err(&path)(io::Error::other(e)))?;
    super::write_atomic(&path, &json, 0o600)?;
    Ok(path)
}

/// Every temporary file an intent record still needs (leftover cleanup spares them).
pub(super) fn temps_in_intents() -> Vec<PathBuf> {
    let Ok(dir) = crate::lock::dir() else {
        return Vec::new();
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.ends_with(".intent"))
        })
        .filter_map(|e| fs::read(e.path()).ok())
        .filter_map(|bytes| serde_json::from_slice::<Intent>(&bytes).ok())
        .flat_map(|i| i.files.into_iter().map(|f| f.temp))
        .collect()
}

/// Finishes or abandons a two-file save that a crash interrupted, for the files
/// at `paths` (as located; symlinks are followed). Takes their locks. Returns a
/// sentence for the user about what it did, if anything.
pub fn recover(paths: &[&Path]) -> Result<Vec<String>, StoreError> {
    let mut targets = Vec::new();
    for path in paths {
        if let Ok(t) = super::read::resolve(path) {
            targets.push(t);
        }
    }
    let any = targets
        .iter()
        .any(|t| crate::lock::record_path(t, "intent").is_ok_and(|p| p.exists()));
    if !any {
        return Ok(Vec::new());
    }
    let refs: Vec<&Path> = targets.iter().map(PathBuf::as_path).collect();
    let _locks = crate::lock::exclusive_all(&refs).map_err(|e| io_err(refs[0])(e))?;
    recover_locked(&refs)
}

/// [`recover`], with the locks held.
fn recover_locked(targets: &[&Path]) -> Result<Vec<String>, StoreError> {
    let mut notes = Vec::new();
    for target in targets {
        let Ok(path) = crate::lock::record_path(target, "intent") else {
            continue;
        };
        let Ok(bytes) = fs::read(&path) else {
            continue;
        };
        if let Ok(intent) = serde_json::from_slice::<Intent>(&bytes) {
            notes.push(finish(&intent)?);
        }
        let _ = fs::remove_file(&path);
    }
    Ok(notes)
}

fn finish(intent: &Intent) -> Result<String, StoreError> {
    let shown: Vec<String> = intent
        .files
        .iter()
        .map(|f| f.target.display().to_string())
        .collect();
    let shown = shown.join(" and ");
    let mut pending = Vec::new();
    let mut moved = Vec::new();
    for f in &intent.files {
        let now = hash_of(&f.target).map_err(io_err(&f.target))?;
        let temp = hash_of(&f.temp).map_err(io_err(&f.temp))?;
        if now.as_deref() == Some(f.new.as_str()) && temp.is_none() {
            continue;
        }
        if now == f.old && temp.as_deref() == Some(f.new.as_str()) {
            pending.push(f);
        } else {
            moved.push(f.target.display().to_string());
        }
    }
    if moved.is_empty() {
        for f in &pending {
            fs::rename(&f.temp, &f.target).map_err(io_err(&f.target))?;
            sync_dir(dir_of(&f.target));
        }
        return Ok(format!(
            "finished a save of {shown} that was interrupted (both files now hold it)"
        ));
    }
    for f in &intent.files {
        let _ = fs::remove_file(&f.temp);
    }
    Ok(format!(
        "a save of {shown} was interrupted, and {} changed since, so rolecall left both as they are; check them (the versions before that save are in the .rolecall.bak files)",
        moved.join(" and ")
    ))
}
