//! `exec --mode server` supervises its child as a process tree: SIGTERM and
//! SIGHUP sent to rolecall, and Ctrl-C typed in its terminal (tmux), leave no
//! process of the child's group behind, grandchildren included (checked by
//! PID); SIGWINCH and SIGQUIT reach the child once; a grandchild that ignores SIGTERM is killed 10 s later; a process
//! that detached itself (`setsid`) is left alone. In a terminal the child is
//! the foreground process group: it reads the terminal (a `read` prompt
//! answers) and gets Ctrl-C once; Ctrl-Z stops rolecall with it, as its
//! shell's job, and `fg` resumes both. The credentials come from a
//! `credential_process` script, so no STS is needed.

#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Home, peer, rolecall_bin};

/// Session credentials valid for an hour.
const PROCESS: &str = r#"#!/bin/sh
expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
printf '{"Version": 1, "AccessKeyId": "ASIAPROCESS0000000001", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": "%s"}\n' "$expires"
"#;

fn home() -> Home {
    let home = Home::empty();
    let script = home.path().join("process.sh");
    std::fs::write(&script, PROCESS).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    home.write_config(format!(
        "[profile dev]\ncredential_process = {}\n",
        script.display()
    ));
    home
}

/// Whether `pid` is a live process (a zombie not yet reaped by init is not).
fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_string())
        })
        .is_some_and(|rest| !rest.starts_with('Z'))
}

/// Waits until `path` holds at least `n` PIDs.
fn pids(path: &Path, n: usize) -> Vec<i32> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let pids: Vec<i32> = text
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect();
        if pids.len() >= n {
            return pids;
        }
        assert!(Instant::now() < deadline, "{}: {text:?}", path.display());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits until none of `pids` is alive, within `limit`.
fn all_gone(pids: &[i32], limit: Duration) {
    let deadline = Instant::now() + limit;
    while pids.iter().any(|&p| alive(p)) {
        assert!(
            Instant::now() < deadline,
            "left behind: {:?}",
            pids.iter().filter(|&&p| alive(p)).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Kills processes this test started and detached, whatever happened.
struct Reap(Vec<i32>);

impl Drop for Reap {
    fn drop(&mut self) {
        for &pid in &self.0 {
            // SAFETY: kill(2) on a PID this test recorded.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// A child tree: `sh` (its PID first in `pids.txt`), a background `sleep`,
/// a nested `sh` with its own `sleep`, and a detached (setsid) `sleep` whose
/// PID goes to `detached.txt`. Optionally a grandchild that ignores SIGTERM.
fn tree(ignoring: bool) -> String {
    let stubborn = if ignoring {
        "(trap '' TERM HUP; exec sleep 600) & echo $! >> pids.txt;"
    } else {
        ""
    };
    format!(
        "echo $$ > pids.txt; sleep 600 & echo $! >> pids.txt; \
         sh -c 'echo $$ >> pids.txt; sleep 600 & echo $! >> pids.txt; wait' & \
         {stubborn} setsid sleep 600 & echo $! > detached.txt; wait"
    )
}

fn start(home: &Home, script: &str) -> Child {
    let mut cmd = home.command(rolecall_bin());
    cmd.args(["exec", "dev", "--mode", "server", "--", "sh", "-c", script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd.spawn().expect("start rolecall")
}

fn wait(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("rolecall did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_and_sighup_end_the_whole_tree_but_not_a_detached_process() {
    for (signal, ignoring) in [(libc::SIGHUP, false), (libc::SIGTERM, true)] {
        let home = home();
        let mut rolecall = start(&home, &tree(ignoring));
        let want = if ignoring { 5 } else { 4 };
        let tree = pids(&home.path().join("pids.txt"), want);
        let detached = pids(&home.path().join("detached.txt"), 1);
        let _reap = Reap(tree.iter().chain(&detached).copied().collect());
        std::thread::sleep(Duration::from_millis(200));
        // SAFETY: kill(2) on our own child, not yet reaped.
        assert_eq!(unsafe { libc::kill(rolecall.id() as i32, signal) }, 0);
        let started = Instant::now();
        let status = wait(&mut rolecall, Duration::from_secs(30));
        let took = started.elapsed();
        // The child's own status: sh killed by the signal.
        assert_eq!(status.code(), Some(128 + signal), "signal {signal}");
        all_gone(&tree, Duration::from_secs(2));
        if ignoring {
            // The grandchild ignoring SIGTERM got SIGKILL 10 s later.
            assert!(took >= Duration::from_secs(9), "{took:?}");
        } else {
            assert!(took < Duration::from_secs(5), "{took:?}");
        }
        assert!(alive(detached[0]), "the detached sleep was left alone");
    }
}

#[test]
fn sigwinch_and_sigquit_reach_the_child_without_a_terminal() {
    // Without a terminal no kernel sends the child SIGWINCH, so rolecall
    // passes on what it gets; SIGQUIT goes to the group like SIGTERM.
    let home = home();
    let script = "trap 'echo winch >> got.txt' WINCH; \
                  trap 'echo quit >> got.txt; exit 3' QUIT; \
                  echo $$ > pids.txt; while :; do sleep 0.05; done";
    let mut rolecall = start(&home, script);
    let tree = pids(&home.path().join("pids.txt"), 1);
    let _reap = Reap(tree.clone());
    let got = home.path().join("got.txt");
    let lines = || std::fs::read_to_string(&got).unwrap_or_default();
    let wait_for = |want: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !lines().contains(want) {
            assert!(
                Instant::now() < deadline,
                "{want:?} never came: {:?}",
                lines()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    std::thread::sleep(Duration::from_millis(200));
    // SAFETY: kill(2) on our own child, not yet reaped.
    assert_eq!(
        unsafe { libc::kill(rolecall.id() as i32, libc::SIGWINCH) },
        0
    );
    wait_for("winch");
    assert!(
        rolecall.try_wait().unwrap().is_none(),
        "SIGWINCH ends nothing"
    );
    // SAFETY: as above.
    assert_eq!(
        unsafe { libc::kill(rolecall.id() as i32, libc::SIGQUIT) },
        0
    );
    let status = wait(&mut rolecall, Duration::from_secs(30));
    assert_eq!(
        lines(),
        "winch\nquit\n",
        "each signal reached the child once"
    );
    assert_eq!(status.code(), Some(3), "the child's own exit status");
    all_gone(&tree, Duration::from_secs(2));
}

/// Quotes `s` for `sh`.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A private tmux server with one pane running a command.
struct Tmux {
    tmux: PathBuf,
    socket: PathBuf,
}

impl Tmux {
    fn start(home: &Home, command: &str) -> Tmux {
        let t = Tmux {
            tmux: peer("TMUX"),
            socket: home.path().join("tmux.sock"),
        };
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "tree",
            "-x",
            "100",
            "-y",
            "20",
            "sh",
            "-c",
            command,
        ]);
        t
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(&self.tmux)
            .env_remove("TMUX")
            .arg("-f")
            .arg("/dev/null")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("run tmux");
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "tree"])
    }

    fn wait_screen(&self, want: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.screen().contains(want) {
            assert!(
                Instant::now() < deadline,
                "{want:?} never shown:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new(&self.tmux)
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

/// Fields 5 (process group) and 8 (the terminal's foreground group) of
/// /proc/PID/stat, as the child's shell writes them.
const GROUPS: &str = "set -- $(sed 's/.*) //' /proc/$$/stat); echo \"$$ $3 $6\" > groups.txt";

#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn in_a_terminal_the_child_reads_it_and_ctrl_c_reaches_the_tree_once() {
    let home = home();
    let child = format!(
        "{GROUPS}; printf 'name? '; read name; echo \"hello $name\" > read.txt; \
         trap 'echo INT >> ints.txt' INT; echo $$ > pids.txt; \
         sleep 600 & echo $! >> pids.txt; echo waiting; wait; echo done; exit 7"
    );
    let command = format!(
        "cd {home} && HOME={home} AWS_EC2_METADATA_DISABLED=true {bin} exec dev --mode server -- sh -c {child}; \
         echo \"exit=$?\" > {home}/exit.txt; exec sleep 600",
        home = sh_quote(&home.path().display().to_string()),
        bin = sh_quote(&rolecall_bin().display().to_string()),
        child = sh_quote(&child),
    );
    let tmux = Tmux::start(&home, &command);
    tmux.wait_screen("name?");
    let groups = std::fs::read_to_string(home.path().join("groups.txt")).unwrap();
    let ids: Vec<i32> = groups
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(ids[0], ids[1], "the child leads its group: {groups}");
    assert_eq!(
        ids[1], ids[2],
        "the child's group has the terminal: {groups}"
    );
    tmux.run(&["send-keys", "-t", "tree", "-l", "world"]);
    tmux.run(&["send-keys", "-t", "tree", "Enter"]);
    tmux.wait_screen("waiting");
    assert_eq!(
        std::fs::read_to_string(home.path().join("read.txt")).unwrap(),
        "hello world\n"
    );
    let tree = pids(&home.path().join("pids.txt"), 2);
    let _reap = Reap(tree.clone());
    tmux.run(&["send-keys", "-t", "tree", "C-c"]);
    // The shell's trap ran once; `wait` returned and the child exited 7. Its
    // background sleep ignores SIGINT (as in any non-interactive shell) and
    // is killed 10 s after the child exited.
    let exit = home.path().join("exit.txt");
    let deadline = Instant::now() + Duration::from_secs(30);
    while !exit.exists() {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&exit).unwrap(), "exit=7\n");
    assert_eq!(
        std::fs::read_to_string(home.path().join("ints.txt")).unwrap(),
        "INT\n",
        "Ctrl-C reached the child once"
    );
    all_gone(&tree, Duration::from_secs(2));
}

#[test]
#[ignore = "needs tmux: run scripts/test.sh"]
fn a_command_that_cannot_start_leaves_the_terminal_to_the_shell() {
    let home = home();
    // After rolecall, the pane's shell reads the terminal: it can only if
    // rolecall gave the foreground back.
    let command = format!(
        "cd {home} && HOME={home} {bin} exec dev --mode server -- /nonexistent/program; \
         echo \"exit=$?\"; printf 'again? '; read answer; echo \"read=$answer\" > after.txt; exec sleep 600",
        home = sh_quote(&home.path().display().to_string()),
        bin = sh_quote(&rolecall_bin().display().to_string()),
    );
    let tmux = Tmux::start(&home, &command);
    tmux.wait_screen("again?");
    assert!(
        tmux.screen().contains("cannot run /nonexistent/program"),
        "{}",
        tmux.screen()
    );
    assert!(tmux.screen().contains("exit=1"), "{}", tmux.screen());
    tmux.run(&["send-keys", "-t", "tree", "-l", "yes"]);
    tmux.run(&["send-keys", "-t", "tree", "Enter"]);
    let after = home.path().join("after.txt");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !after.exists() {
        assert!(Instant::now() < deadline, "{}", tmux.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(std::fs::read_to_string(&after).unwrap(), "read=yes\n");
}

#[test]
#[ignore = "needs tmux and bash: run scripts/test.sh"]
fn ctrl_z_stops_rolecall_with_its_child_and_fg_resumes_both() {
    let home = home();
    let bash = peer("BASH").display().to_string();
    // An interactive bash with job control in the pane.
    let command = format!(
        "cd {home} && exec env -i HOME={home} PATH=/usr/bin:/bin TERM=xterm PS1='$ ' {bash} --norc --noprofile -i",
        home = sh_quote(&home.path().display().to_string()),
        bash = sh_quote(&bash),
    );
    let tmux = Tmux::start(&home, &command);
    tmux.wait_screen("$");
    let line = format!(
        "{} exec dev --mode server -- sh -c 'printf \"ready> \"; read x; echo \"got $x\"'",
        sh_quote(&rolecall_bin().display().to_string())
    );
    tmux.run(&["send-keys", "-t", "tree", "-l", &line]);
    tmux.run(&["send-keys", "-t", "tree", "Enter"]);
    tmux.wait_screen("ready>");
    tmux.run(&["send-keys", "-t", "tree", "C-z"]);
    // bash sees its job stop: rolecall stopped with the child.
    tmux.wait_screen("Stopped");
    tmux.run(&["send-keys", "-t", "tree", "-l", "fg"]);
    tmux.run(&["send-keys", "-t", "tree", "Enter"]);
    std::thread::sleep(Duration::from_millis(500));
    tmux.run(&["send-keys", "-t", "tree", "-l", "back"]);
    tmux.run(&["send-keys", "-t", "tree", "Enter"]);
    tmux.wait_screen("got back");
}
