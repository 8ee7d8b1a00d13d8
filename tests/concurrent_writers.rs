//! rolecall beside programs that take no lock: `aws configure set` empties the
//! config (opening it for writing truncates it) and writes it back moments later.
//! Whatever the timing, the file ends with the other writer's content, plus
//! rolecall's edit or with rolecall refusing; never with less. Killed saves
//! leave nothing behind once the next save ran. A TUI save, computed from an
//! older read, is refused and leaves the other writer's file as it is.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use common::Home;

const CONFIG: &str = "\
# Hand-written: must never be lost.
[default]
region = us-east-1

[profile dev]
region = eu-west-1
";

/// The other writer: truncates `path` now and writes `content` after `gap`.
fn truncate_then_write(path: &Path, content: &str, gap: Duration) -> std::thread::JoinHandle<()> {
    let f = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(path)
        .unwrap();
    let content = content.to_string();
    std::thread::spawn(move || {
        std::thread::sleep(gap);
        (&f).write_all(content.as_bytes()).unwrap();
    })
}

/// Whether every line of `theirs` is in `now`, in order.
fn keeps_every_line(theirs: &str, now: &str) -> bool {
    let mut lines = now.lines();
    theirs.lines().all(|want| lines.any(|line| line == want))
}

/// Races `args` against the truncating writer with gaps of 0 to 1 s, once with a
/// backup already there and once without.
fn race(args: &[&str], edit_shows: &str) {
    for gap_ms in [0, 30, 300, 1000] {
        for with_backup in [false, true] {
            let home = Home::with(Some(CONFIG), None);
            if with_backup {
                home.rolecall_ok(&["set", "default", "output", "json"]);
            }
            let theirs = format!("{}\n[profile theirs]\nregion = ap-south-1\n", home.config());
            // The repro, with a delay before rolecall starts.
            let racer =
                truncate_then_write(&home.config_path(), &theirs, Duration::from_millis(gap_ms));
            std::thread::sleep(Duration::from_millis(gap_ms.min(300) / 3));
            let run = home.rolecall(args);
            racer.join().unwrap();
            let now = home.config();
            let context =
                format!("gap {gap_ms} ms, backup {with_backup}: {run:?}\n--- file\n{now}");
            assert!(keeps_every_line(&theirs, &now), "{context}");
            match run.code {
                0 => assert!(now.contains(edit_shows), "{context}"),
                1 => assert_eq!(now, theirs, "refused: untouched; {context}"),
                _ => panic!("{context}"),
            }
            let backup = home.path().join(".aws/config.rolecall.bak");
            if let Ok(b) = fs::read_to_string(&backup) {
                assert!(!b.is_empty(), "the backup is never emptied; {context}");
            }
        }
    }
}

#[test]
fn profile_add_beside_a_truncating_writer_never_loses_the_file() {
    race(
        &["profile", "add", "zz", "region=eu-west-1"],
        "[profile zz]",
    );
}

#[test]
fn set_beside_a_truncating_writer_never_loses_the_file() {
    race(&["set", "dev", "output", "text"], "output = text");
}

#[cfg(unix)]
#[test]
fn killed_saves_leave_nothing_once_the_next_save_ran() {
    let home = Home::with(
        Some(CONFIG),
        Some("[base]\naws_access_key_id = AKIAEXAMPLE\n"),
    );
    for i in 0..40u64 {
        let mut cmd = home.command(common::rolecall_bin());
        // Saves that touch both files (the key moves between them on rename).
        let (old, new) = if i % 2 == 0 {
            ("base", "moved")
        } else {
            ("moved", "base")
        };
        cmd.args(["profile", "rename", old, new]);
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(Duration::from_micros(500 * (i % 20)));
        let _ = child.kill();
        let _ = child.wait();
    }
    // Leftovers are removed once older than a few seconds.
    std::thread::sleep(Duration::from_millis(3200));
    let run = home.rolecall(&["set", "default", "output", "json"]);
    assert!(run.code == 0, "{run:?}");
    let mut names: Vec<String> = fs::read_dir(home.path().join(".aws"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let allowed = [
        "config",
        "config.rolecall.bak",
        "credentials",
        "credentials.rolecall.bak",
    ];
    assert!(
        names.iter().all(|n| allowed.contains(&n.as_str())),
        "{names:?}"
    );
}

#[test]
fn a_tui_save_of_an_older_read_beside_a_truncating_writer_is_refused() {
    // The TUI edits what it read when the screen was drawn, often minutes
    // before: its save goes through `Workspace::save` like `set`, and any
    // change since that read, even an empty file mid-rewrite, is a conflict.
    use rolecall::profile::edit::{self, Target};
    use rolecall::profile::location::Overrides;
    use rolecall::store::StoreError;
    use rolecall::workspace::{Workspace, WorkspaceError};

    for gap_ms in [0, 30, 300] {
        let home = Home::with(Some(CONFIG), None);
        home.rolecall_ok(&["set", "default", "output", "json"]);
        let overrides = Overrides {
            config: Some(home.config_path()),
            credentials: Some(home.credentials_path()),
        };
        let ws = Workspace::open(&rolecall::env::Env::default(), &overrides).unwrap();
        let mut files = ws.files();
        edit::set(&mut files, Target::Profile("dev"), "output", "text", None).unwrap();
        let theirs = format!("{}\n[profile theirs]\nregion = ap-south-1\n", home.config());
        let racer =
            truncate_then_write(&home.config_path(), &theirs, Duration::from_millis(gap_ms));
        let result = ws.save(&files);
        racer.join().unwrap();
        let context = format!("gap {gap_ms} ms: {result:?}");
        assert!(
            matches!(
                result,
                Err(WorkspaceError::Store(StoreError::Conflict(ref p))) if *p == home.config_path()
            ),
            "{context}"
        );
        assert_eq!(home.config(), theirs, "untouched: {context}");
        let backup = fs::read_to_string(home.path().join(".aws/config.rolecall.bak")).unwrap();
        assert!(!backup.is_empty(), "the backup is never emptied; {context}");
    }
}
