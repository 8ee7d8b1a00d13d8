//! The `exec --mode server` endpoint under hostile local load: while 1,100
//! connections without the token keep asking (keep-alive) or never finish
//! their head (half-open), from this user and from another one (`setpriv
//! --reuid=65534`), the legitimate client is served every time: a plain HTTP
//! client and botocore's container provider. Latency under the same floods is
//! measured in benches/exec.sh, not here.

#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::{Home, PEER_TIMEOUT, peer, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
";

/// Connections each flood holds: more than the endpoint's 1,024 slots.
const FLOOD: usize = 1100;

/// A process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `target/debug/examples/endpoint_flood` (built by `cargo test` and
/// `cargo build --examples`).
fn flood_bin() -> PathBuf {
    let path = rolecall_bin()
        .parent()
        .expect("target/debug")
        .join("examples/endpoint_flood");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --examples` (scripts/test.sh does)",
        path.display()
    );
    path
}

/// Raises this test process's soft limit on open files (the plain client and
/// botocore need only a few, but the test runner may run others meanwhile).
fn raise_open_file_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit with a valid pointer to a local rlimit.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Waits until `path` exists and returns it.
fn wait_for(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The endpoint's URL and token, from a child's environment.
fn endpoint(env: &str) -> (String, String) {
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} missing:\n{env}"))
            .to_string()
    };
    (
        var("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    )
}

/// One GET with the token on a new connection, as an SDK does: its status.
fn plain_get(port: u16, token: &str) -> Result<u16, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    let req = format!(
        "GET /rolecall/credentials HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
    let mut out = String::new();
    s.read_to_string(&mut out).map_err(|e| e.to_string())?;
    if !out.contains("\"AccessKeyId\"") {
        return Err(format!("no credentials: {out:?}"));
    }
    out.get(9..12)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not HTTP: {out:?}"))
}

/// botocore's container provider fetching the credentials `n` times.
fn botocore(home: &Home, url: &str, token: &str, n: usize) -> common::Run {
    let code = format!(
        "from botocore.credentials import ContainerProvider\n\
         for _ in range({n}):\n    \
             c = ContainerProvider().load()\n    \
             print(c.method, c.get_frozen_credentials().access_key[:4], flush=True)\n"
    );
    let mut cmd = home.command(peer("PYTHON"));
    cmd.args(["-c", &code])
        .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)
        .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
    run_with_timeout(cmd, PEER_TIMEOUT)
}

/// How long each flood lasts: the checks below take 4 to 6 s.
/// Starts a flood of `mode`, as another user when `other`; returns once its
/// connections are open. It floods until its stdin is closed (`stop`).
fn flood(mode: &str, url: &str, other: bool) -> Killed {
    let bin = flood_bin();
    let n = FLOOD.to_string();
    let secs = "0".to_string();
    let mut cmd = if other {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args([mode, &n, &secs, url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = cmd.spawn().expect("start the flood");
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), format!("flooding {FLOOD}"), "{mode}");
    Killed(child)
}

#[test]
#[ignore = "needs moto and botocore: run scripts/test.sh"]
fn the_child_is_served_during_floods_from_this_user_and_another() {
    raise_open_file_limit();
    let moto = Moto::start();
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let mut cmd = home.command(rolecall_bin());
    cmd.args([
        "exec",
        "dev",
        "--mode",
        "server",
        "--",
        "sh",
        "-c",
        "env > env.tmp && mv env.tmp env.txt && exec sleep 600",
    ])
    .env("AWS_ENDPOINT_URL_STS", &moto.url)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let _rolecall = Killed(cmd.spawn().expect("start rolecall"));
    let (url, token) = endpoint(&wait_for(&home.path().join("env.txt")));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    assert_eq!(plain_get(port, &token), Ok(200));

    // Only root can run the flood as another user.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut floods = vec![("keepalive", false), ("halfopen", false)];
    if root {
        floods.extend([("keepalive", true), ("halfopen", true)]);
    } else {
        eprintln!("not root: the floods as another user (setpriv) are not run");
    }
    for (mode, other) in floods {
        let what = format!("{mode} flood{}", if other { " as uid 65534" } else { "" });
        let mut flood = flood(mode, &url, other);
        // Past the first answers and head timeouts: the flood in its steady state.
        std::thread::sleep(Duration::from_millis(1500));
        let started = Instant::now();
        for i in 0..15 {
            assert_eq!(plain_get(port, &token), Ok(200), "{what}: request {i}");
            std::thread::sleep(Duration::from_millis(100));
        }
        let run = botocore(&home, &url, &token, 3);
        assert_eq!(run.code, 0, "{what}: {}", run.all_output());
        assert_eq!(
            run.stdout,
            "container-role ASIA\n".repeat(3),
            "{what}: {}",
            run.all_output()
        );
        eprintln!("{what}: served in {:?}", started.elapsed());
        // Stop the flood: it prints its counts and ends.
        drop(flood.0.stdin.take());
        // Its counts: another user's connections never get an answer.
        let mut counts = String::new();
        flood
            .0
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut counts)
            .unwrap();
        let number = |key: &str| -> u64 {
            let words: Vec<&str> = counts.split_whitespace().collect();
            let i = words
                .iter()
                .position(|w| *w == key)
                .unwrap_or_else(|| panic!("{counts:?}"));
            words[i + 1].parse().unwrap()
        };
        eprintln!("{what}: {}", counts.trim());
        assert!(number("opened") >= FLOOD as u64, "{what}: {counts}");
        if other {
            assert_eq!(number("answers"), 0, "{what}: {counts}");
        } else if mode == "keepalive" {
            assert!(number("answers") >= FLOOD as u64, "{what}: {counts}");
        }
    }
}
