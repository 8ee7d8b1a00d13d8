//! Tests of reading and saving: conflicts, other writers (the truncate-then-write
//! helper), files that are not regular, one-step saves of two files.

use super::*;
use std::time::Duration;

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

/// The other writer of the issue: `aws configure set` opens the file for
/// writing (truncating it), and writes its new content `gap` later.
pub(crate) fn truncate_then_write(
    path: &Path,
    content: &str,
    gap: Duration,
) -> std::thread::JoinHandle<()> {
    let f = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .unwrap();
    let content = content.to_string();
    std::thread::spawn(move || {
        std::thread::sleep(gap);
        use std::io::Write;
        (&f).write_all(content.as_bytes()).unwrap();
    })
}

#[test]
fn an_empty_file_with_a_full_backup_is_waited_for() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[default]\n").unwrap();
    let file = load(&path).unwrap();
    save(&file, &Document::parse("[default]\nregion = x\n")).unwrap();
    // The other writer empties the file, then writes it 300 ms later.
    let other = "[default]\nregion = x\n[profile mine]\nregion = y\n";
    let racer = truncate_then_write(&path, other, Duration::from_millis(300));
    let file = load_for_edit(&path).unwrap();
    racer.join().unwrap();
    assert_eq!(file.doc.text(), other, "rolecall waited for the content");

    // An empty file that stays empty while the backup is not: refused after ~2 s.
    fs::write(&path, "").unwrap();
    let err = load_for_edit(&path).unwrap_err();
    assert!(
        matches!(err, StoreError::EmptyWhileBackupIsNot { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("another program"), "{err}");
}

#[test]
fn a_file_changed_just_now_is_read_until_two_reads_agree() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[a]\n").unwrap();
    // Written just now by someone else, and again 20 ms later.
    let racer = std::thread::spawn({
        let path = path.clone();
        move || {
            std::thread::sleep(Duration::from_millis(20));
            fs::write(&path, "[a]\n[b]\n").unwrap();
        }
    });
    let file = load_for_edit(&path).unwrap();
    racer.join().unwrap();
    assert_eq!(file.doc.text(), "[a]\n[b]\n");
    // rolecall's own last write is not waited for.
    let file2 = load(&path).unwrap();
    save(&file2, &Document::parse("[c]\n")).unwrap();
    let start = std::time::Instant::now();
    load_for_edit(&path).unwrap();
    assert!(
        start.elapsed() < Duration::from_millis(50),
        "no pause after our own save"
    );
}

#[test]
fn a_rewrite_in_place_after_the_read_is_a_conflict_even_with_the_same_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[a]\nk = 1\n").unwrap();
    let file = load(&path).unwrap();
    std::thread::sleep(Duration::from_millis(5));
    fs::write(&path, "[a]\nk = 2\n").unwrap();
    let err = save(&file, &Document::parse("[a]\nk = 3\n")).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)));
    assert_eq!(fs::read_to_string(&path).unwrap(), "[a]\nk = 2\n");
}

#[test]
fn a_full_backup_is_never_replaced_by_an_empty_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[a]\n").unwrap();
    save(&load(&path).unwrap(), &Document::parse("[b]\n")).unwrap();
    assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), "[a]\n");
    fs::write(&path, "").unwrap();
    save(&load(&path).unwrap(), &Document::parse("[c]\n")).unwrap();
    assert_eq!(fs::read_to_string(backup_path(&path)).unwrap(), "[a]\n");
}

#[cfg(unix)]
#[test]
fn files_that_are_not_regular_never_block_and_are_never_written() {
    let dir = tempfile::tempdir().unwrap();
    let null = load(Path::new("/dev/null")).unwrap();
    assert_eq!(null.special(), Some(&Special::DevNull));
    assert_eq!(null.doc.text(), "");

    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let file = load(&fifo).unwrap();
    assert_eq!(file.special(), Some(&Special::Other("a FIFO (named pipe)")));
    let err = save(&file, &Document::parse("[a]\n")).unwrap_err();
    assert!(err.to_string().contains("FIFO"), "{err}");
    let err = save(&null, &Document::parse("[a]\n")).unwrap_err();
    assert!(matches!(err, StoreError::NotRegular { .. }), "{err}");

    let socket = dir.path().join("socket");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert_eq!(
        load(&socket).unwrap().special(),
        Some(&Special::Other("a socket"))
    );

    let a = dir.path().join("a");
    let b = dir.path().join("b");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let file = load(&a).unwrap();
    assert_eq!(file.special(), Some(&Special::Loop));
    assert!(save(&file, &Document::parse("[a]\n")).is_err());
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_gets_its_target_created_private_and_stays_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("dotfiles").join("aws-config");
    let link = dir.path().join("config");
    std::os::unix::fs::symlink("dotfiles/aws-config", &link).unwrap();
    let file = load(&link).unwrap();
    assert!(!file.exists());
    save(&file, &Document::parse("[a]\n")).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&real).unwrap(), "[a]\n");
    assert_eq!(
        fs::metadata(&real).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

fn pair(dir: &Path) -> (PathBuf, PathBuf) {
    let c = dir.join("config");
    let k = dir.join("credentials");
    fs::write(&c, "[profile a]\nregion = x\n").unwrap();
    fs::write(&k, "[a]\naws_access_key_id = AKIA\n").unwrap();
    (c, k)
}

#[test]
fn a_conflict_on_the_second_file_leaves_both_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (c, k) = pair(dir.path());
    let (fc, fk) = (load(&c).unwrap(), load(&k).unwrap());
    fs::write(&k, "[a]\naws_access_key_id = CHANGED\n").unwrap();
    let (nc, nk) = (
        Document::parse("[profile b]\nregion = x\n"),
        Document::parse("[b]\naws_access_key_id = AKIA\n"),
    );
    let err = save_all(&[(&fc, &nc), (&fk, &nk)], &mut |_| Ok(())).unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict(ref p) if *p == k),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&c).unwrap(), "[profile a]\nregion = x\n");
    assert_eq!(
        fs::read_to_string(&k).unwrap(),
        "[a]\naws_access_key_id = CHANGED\n"
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")),
        "{names:?}"
    );
}

#[test]
fn a_crash_between_the_renames_is_finished_by_the_next_writer() {
    let dir = tempfile::tempdir().unwrap();
    let (c, k) = pair(dir.path());
    let (fc, fk) = (load(&c).unwrap(), load(&k).unwrap());
    let new_c = "[profile b]\nregion = x\n";
    let new_k = "[b]\naws_access_key_id = AKIA\n";
    let (nc, nk) = (Document::parse(new_c), Document::parse(new_k));
    let crash = &mut |i: usize| {
        if i == 0 {
            Err(io::Error::other("killed"))
        } else {
            Ok(())
        }
    };
    assert!(save_all(&[(&fc, &nc), (&fk, &nk)], crash).is_err());
    assert_eq!(fs::read_to_string(&c).unwrap(), new_c, "first renamed");
    assert_ne!(fs::read_to_string(&k).unwrap(), new_k, "second not");

    // A command that only reads changes nothing; the next writer finishes.
    let _ = load(&k).unwrap();
    assert_ne!(fs::read_to_string(&k).unwrap(), new_k);
    let notes = recover(&[&c, &k]).unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("interrupted"), "{notes:?}");
    assert_eq!(fs::read_to_string(&c).unwrap(), new_c);
    assert_eq!(fs::read_to_string(&k).unwrap(), new_k);
    assert!(recover(&[&c, &k]).unwrap().is_empty(), "once");
    let leftovers = fs::read_dir(dir.path()).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")
    });
    assert_eq!(leftovers.count(), 0);
}

#[test]
fn an_interrupted_pair_changed_since_is_left_alone_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (c, k) = pair(dir.path());
    let (fc, fk) = (load(&c).unwrap(), load(&k).unwrap());
    let (nc, nk) = (Document::parse("[profile b]\n"), Document::parse("[b]\n"));
    let crash = &mut |_: usize| Err(io::Error::other("killed"));
    assert!(save_all(&[(&fc, &nc), (&fk, &nk)], crash).is_err());
    fs::write(&k, "[other]\n").unwrap();
    let notes = recover(&[&c, &k]).unwrap();
    assert!(notes[0].contains("changed since"), "{notes:?}");
    assert_eq!(fs::read_to_string(&k).unwrap(), "[other]\n");
    assert_eq!(fs::read_to_string(&c).unwrap(), "[profile b]\n");
    let leftovers = fs::read_dir(dir.path()).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")
    });
    assert_eq!(leftovers.count(), 0, "its temporary files are gone");
}

#[test]
fn a_document_is_as_on_disk_until_it_is_edited_or_the_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config");
    fs::write(&path, "[default]\n").unwrap();
    let mut file = load(&path).unwrap();
    assert_eq!(file.as_on_disk().unwrap().text(), "[default]\n");
    let missing = load(&dir.path().join("credentials")).unwrap();
    assert_eq!(
        missing.as_on_disk().unwrap().text(),
        "",
        "a missing file is empty"
    );
    let read = file.doc.clone();
    file.doc = Document::parse("[default]\nregion = x\n");
    assert!(file.as_on_disk().is_none(), "edited in memory");
    file.doc = read;
    fs::write(&path, "[default]\nregion = y\n").unwrap();
    assert!(file.as_on_disk().is_none(), "changed on disk");
}
