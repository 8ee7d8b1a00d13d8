//! `exec --mode server` against moto's STS on 127.0.0.1: the endpoint wins over
//! everything the child inherits or finds in the user's files, the environment
//! each mode hands the child, children that run across several refreshes
//! (boto3, and the Rust SDK through `examples/whoami.rs`), the endpoint's
//! refusals on raw TCP, exit statuses and signals, and long-term keys served
//! as a GetSessionToken session.

mod common;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::{Home, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[default]
region = us-west-2
credential_process = /bin/false

[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1
";

/// Keys for `base`, and keys in `[default]` that must never reach a child.
const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000

[default]
aws_access_key_id = AKIADEFAULT000000001
aws_secret_access_key = default-secret-key-00000000000000000000
";

/// moto's AssumeRole sessions last an hour (aws-config does not pass the
/// profile's `duration_seconds`); a margin 6 seconds short of that makes
/// rolecall refresh about every 7 seconds (the margin plus a second of slack).
const FAST_MARGIN: (&str, &str) = ("ROLECALL_REFRESH_MARGIN_SECONDS", "3594");

/// What a refresh prints on stderr.
const REFRESHED: &str = "rolecall: refreshed credentials for profile 'dev'";

fn home() -> Home {
    Home::with(Some(CONFIG), Some(CREDENTIALS))
}

fn command(home: &Home, moto: &Moto, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = home.command(rolecall_bin());
    cmd.args(args).env("AWS_ENDPOINT_URL_STS", &moto.url);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn rolecall(home: &Home, moto: &Moto, args: &[&str], env: &[(&str, &str)]) -> Run {
    run_with_timeout(command(home, moto, args, env), ROLECALL_TIMEOUT)
}

fn python() -> String {
    peer("PYTHON").display().to_string()
}

/// Everything an SDK would otherwise pick before the container endpoint.
const INHERITED: &[(&str, &str)] = &[
    ("AWS_PROFILE", "default"),
    ("AWS_DEFAULT_PROFILE", "default"),
    ("AWS_ACCESS_KEY_ID", "AKIASHADOW0000000000"),
    ("AWS_SECRET_ACCESS_KEY", "shadow-secret"),
    ("AWS_SESSION_TOKEN", "shadow-token"),
    ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent/token"),
    ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/other"),
    ("AWS_ROLE_SESSION_NAME", "other"),
    (
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "/v2/credentials/x",
    ),
    (
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "http://169.254.170.23/v1/credentials",
    ),
    ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "old-token"),
    (
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
        "/nonexistent/auth",
    ),
    ("ROLECALL_RESOLVING", "elsewhere"),
];

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn the_endpoint_wins_over_everything_the_child_inherits() {
    let moto = Moto::start();
    let home = home();
    // No --mode: an assumed role is served by default.
    let code = "import boto3, os; print(boto3.client('sts').get_caller_identity()['Arn']); print(os.environ['AWS_CONTAINER_CREDENTIALS_FULL_URI'])";
    let run = rolecall(
        &home,
        &moto,
        &["exec", "dev", "--", &python(), "-c", code],
        INHERITED,
    );
    run.success();
    let mut lines = run.stdout.lines();
    assert!(
        lines
            .next()
            .is_some_and(|l| l.contains(":assumed-role/dev/")),
        "{}",
        run.all_output()
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("http://127.0.0.1:")),
        "{}",
        run.all_output()
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

/// What a variable should be in a child.
#[derive(Clone, Copy, Debug)]
enum Want {
    Absent,
    Present,
    Is(&'static str),
    Starts(&'static str),
}

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn the_childs_environment_in_each_mode() {
    use Want::*;
    let moto = Moto::start();
    let home = home();
    let moto_url: &'static str = Box::leak(moto.url.clone().into_boxed_str());
    // variable, then env / profile / server mode.
    let table: &[(&str, [Want; 3])] = &[
        ("AWS_ACCESS_KEY_ID", [Starts("ASIA"), Absent, Absent]),
        ("AWS_SECRET_ACCESS_KEY", [Present, Absent, Absent]),
        ("AWS_SESSION_TOKEN", [Present, Absent, Absent]),
        ("AWS_CREDENTIAL_EXPIRATION", [Present, Absent, Absent]),
        ("AWS_PROFILE", [Absent, Is("dev"), Absent]),
        ("AWS_DEFAULT_PROFILE", [Absent, Is("dev"), Absent]),
        ("AWS_REGION", [Is("eu-west-1"); 3]),
        ("AWS_DEFAULT_REGION", [Is("eu-west-1"); 3]),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", [Absent; 3]),
        ("AWS_ROLE_ARN", [Absent; 3]),
        ("AWS_ROLE_SESSION_NAME", [Absent; 3]),
        ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", [Absent; 3]),
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            [Absent, Absent, Starts("http://127.0.0.1:")],
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            [Absent, Absent, Present],
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", [Absent; 3]),
        // The files are where the child looks anyway, except in server mode.
        ("AWS_CONFIG_FILE", [Absent, Absent, Present]),
        ("AWS_SHARED_CREDENTIALS_FILE", [Absent, Absent, Present]),
        ("ROLECALL_PROFILE", [Is("dev"); 3]),
        ("ROLECALL_RESOLVING", [Absent; 3]),
        ("AWS_ENDPOINT_URL_STS", [Is(moto_url); 3]),
    ];
    for (column, mode) in ["env", "profile", "server"].into_iter().enumerate() {
        let run = rolecall(
            &home,
            &moto,
            &["exec", "dev", "--mode", mode, "--", "env"],
            INHERITED,
        );
        run.success();
        let env: BTreeMap<&str, &str> = run
            .stdout
            .lines()
            .filter_map(|l| l.split_once('='))
            .collect();
        for (var, wants) in table {
            let got = env.get(var).copied();
            let ok = match wants[column] {
                Absent => got.is_none(),
                Present => got.is_some_and(|v| !v.is_empty()),
                Is(v) => got == Some(v),
                Starts(p) => got.is_some_and(|v| v.starts_with(p)),
            };
            assert!(
                ok,
                "{mode} mode: {var} should be {:?}, is {got:?}",
                wants[column]
            );
        }
        if mode == "server" {
            let token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"];
            assert!(token.len() >= 32 && token != "old-token", "{token}");
            let config = PathBuf::from(env["AWS_CONFIG_FILE"]);
            assert!(!config.starts_with(home.path()), "{}", config.display());
            // Removed with its directory when the child exited.
            assert!(!config.exists() && !config.parent().unwrap().exists());
        }
    }
}

/// Lines of a Python child that calls GetCallerIdentity every half second for
/// `seconds`, printing `ARN ACCESS_KEY_ID` each time.
fn boto3_loop(seconds: u32) -> String {
    format!(
        r#"
import time, boto3, botocore.credentials as bc
# botocore asks a container endpoint again 15 minutes before the credentials
# expire (10 minutes: it must); moto's sessions last an hour. Shifted so that
# it asks on every call once a session is 4 seconds old (and must at 10 s),
# so the child sees each of rolecall's refreshes as it happens.
bc.RefreshableCredentials._advisory_refresh_timeout = 3596
bc.RefreshableCredentials._mandatory_refresh_timeout = 3590
session = boto3.Session()
sts = session.client("sts")
creds = session.get_credentials()
end = time.time() + {seconds}
while time.time() < end:
    arn = sts.get_caller_identity()["Arn"]
    print(arn, creds.get_frozen_credentials().access_key, flush=True)
    time.sleep(0.5)
"#
    )
}

fn distinct_keys(stdout: &str) -> usize {
    let mut keys: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    keys.dedup();
    keys.len()
}

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn a_boto3_child_keeps_working_across_refreshes() {
    let moto = Moto::start();
    let home = home();
    let started = Instant::now();
    let run = rolecall(
        &home,
        &moto,
        &[
            "exec",
            "dev",
            "--mode",
            "server",
            "--",
            &python(),
            "-c",
            &boto3_loop(20),
        ],
        &[FAST_MARGIN],
    );
    run.success();
    let calls: Vec<&str> = run.stdout.lines().collect();
    // About 40 on an idle machine; fewer when it is loaded.
    assert!(calls.len() >= 15, "{}", run.all_output());
    for line in &calls {
        assert!(
            line.contains(":assumed-role/dev/"),
            "{line}\n{}",
            run.all_output()
        );
    }
    // The child used the first session and each of at least two refreshed ones.
    assert!(distinct_keys(&run.stdout) >= 3, "{}", run.all_output());
    assert!(run.stderr.matches(REFRESHED).count() >= 2, "{}", run.stderr);
    assert!(!run.stdout.contains("rolecall:"), "{}", run.stdout);
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// `target/debug/examples/whoami`, which `cargo test` (without
/// `--all-targets`, which builds examples as test harnesses) and `cargo build
/// --examples` build beside the binary.
fn whoami() -> PathBuf {
    let path = rolecall_bin()
        .parent()
        .expect("target/debug")
        .join("examples")
        .join("whoami");
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --examples` first (scripts/test.sh does), or plain `cargo test`, which builds the examples",
        path.display()
    );
    path
}

/// The Rust SDK's lazy identity cache keeps container credentials until 5 to
/// 10 seconds before they expire: with moto's hour-long sessions, the client
/// itself never asks again within a test. So whoami's client runs across a
/// refresh on the credentials it first got (still valid: the old session is not
/// revoked), while its direct calls to the credentials chain, which go to the
/// endpoint each time through aws-config's container provider, see the
/// refreshed session.
#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn a_rust_sdk_child_keeps_working_across_a_refresh() {
    let moto = Moto::start();
    let home = home();
    let bin = whoami().display().to_string();
    let run = rolecall(
        &home,
        &moto,
        &["exec", "dev", "--mode", "server", "--", &bin, "12", "1000"],
        &[FAST_MARGIN],
    );
    run.success();
    let calls: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(calls.len(), 12, "{}", run.all_output());
    for line in &calls {
        assert!(
            line.contains(":assumed-role/dev/"),
            "{line}\n{}",
            run.all_output()
        );
    }
    assert!(distinct_keys(&run.stdout) >= 2, "{}", run.all_output());
    assert!(run.stderr.contains(REFRESHED), "{}", run.stderr);
}

/// A `rolecall exec` running in the background.
struct Background {
    child: Child,
}

impl Background {
    fn start(mut cmd: Command) -> Background {
        cmd.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        Background {
            child: cmd.spawn().expect("start rolecall"),
        }
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: kill(2) on our own child, not yet reaped.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// Its exit status, within 30 seconds.
    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().expect("rolecall exits, it is not killed");
            }
            assert!(Instant::now() < deadline, "rolecall did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `path` exists (the child writes it whole, then renames it).
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

/// Sends `raw` on a new connection and reads until the server closes it.
fn http(port: u16, raw: &[u8]) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out)
        .expect("the server closes the connection");
    String::from_utf8_lossy(&out).into_owned()
}

fn get(host: &str, auth: Option<&str>, close: bool) -> String {
    let mut req = format!("GET /rolecall/credentials HTTP/1.1\r\nHost: {host}\r\n");
    if let Some(token) = auth {
        req.push_str(&format!("Authorization: {token}\r\n"));
    }
    if close {
        req.push_str("Connection: close\r\n");
    }
    req.push_str("\r\n");
    req
}

fn status(response: &str) -> u16 {
    response
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {response:?}"))
}

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn the_endpoint_refuses_wrong_tokens_and_foreign_hosts() {
    let moto = Moto::start();
    let home = home();
    let script = "env > env.tmp && mv env.tmp env.txt && exec sleep 60";
    let mut bg = Background::start(command(
        &home,
        &moto,
        &["exec", "dev", "--mode", "server", "--", "sh", "-c", script],
        &[],
    ));
    let env = wait_for(&home.path().join("env.txt"));
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} not in the child's environment:\n{env}"))
            .to_string()
    };
    let url = var("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    let token = var("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{url}"));
    let local = format!("127.0.0.1:{port}");

    let ok = http(port, get(&local, Some(&token), true).as_bytes());
    assert_eq!(status(&ok), 200, "{ok}");
    let json: serde_json::Value =
        serde_json::from_str(ok.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    for field in ["AccessKeyId", "SecretAccessKey", "Token", "Expiration"] {
        assert!(
            json[field].as_str().is_some_and(|v| !v.is_empty()),
            "{json}"
        );
    }
    assert!(json["Expiration"].as_str().unwrap().ends_with('Z'));
    assert!(json["AccessKeyId"].as_str().unwrap().starts_with("ASIA"));

    let wrong = http(port, get(&local, Some("0123456789abcdef"), true).as_bytes());
    assert!(matches!(status(&wrong), 401 | 403), "{wrong}");
    assert!(!wrong.contains("AccessKeyId"));
    let missing = http(port, get(&local, None, true).as_bytes());
    assert!(matches!(status(&missing), 401 | 403), "{missing}");
    // Refusals are JSON in the ECS agent's shape, and close the connection
    // even when the client asked to keep it.
    for (answer, code) in [
        (&missing, "MissingAuthorizationToken"),
        (&wrong, "AccessDenied"),
    ] {
        let body: serde_json::Value =
            serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["code"], code, "{answer}");
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("rolecall"))
        );
    }
    let kept = http(port, get(&local, None, false).as_bytes());
    assert!(kept.contains("Connection: close"), "{kept}");
    // Bare line feeds are read like CRLF.
    let lf = get(&local, Some(&token), true).replace("\r\n", "\n");
    let lf = http(port, lf.as_bytes());
    assert_eq!(status(&lf), 200, "{lf}");
    let foreign = http(port, get("evil.example", Some(&token), true).as_bytes());
    assert_eq!(status(&foreign), 403, "{foreign}");
    let rebound = http(
        port,
        get(&format!("attacker.example:{port}"), Some(&token), true).as_bytes(),
    );
    assert_eq!(status(&rebound), 403, "{rebound}");
    for host in ["localhost", &format!("localhost:{port}"), "[::1]"] {
        let r = http(port, get(host, Some(&token), true).as_bytes());
        assert_eq!(status(&r), 200, "{host}: {r}");
    }
    // Two requests on one kept-alive connection.
    let two = format!(
        "{}{}",
        get(&local, Some(&token), false),
        get(&local, Some(&token), true)
    );
    assert_eq!(
        http(port, two.as_bytes())
            .matches("HTTP/1.1 200 OK")
            .count(),
        2
    );
    // Garbage and an endless head are refused, and the endpoint goes on serving.
    let garbage = http(
        port,
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
    );
    assert_eq!(status(&garbage), 400, "{garbage}");
    let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(20_000));
    let huge = http(port, huge.as_bytes());
    assert_eq!(status(&huge), 431, "{huge}");
    let again = http(port, get(&local, Some(&token), true).as_bytes());
    assert_eq!(status(&again), 200, "{again}");

    // The generated files are private while the child runs.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for name in ["AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"] {
            let path = PathBuf::from(var(name));
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains("AKIA") && !text.contains("secret"), "{text}");
        }
    }

    // SIGTERM goes on to `sleep`, which dies of it: 128 + 15.
    bg.signal(libc::SIGTERM);
    assert_eq!(bg.wait(), 143);
    assert!(!Path::new(&var("AWS_CONFIG_FILE")).exists());
}

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn exit_statuses_and_signals_pass_through() {
    let moto = Moto::start();
    let home = home();
    let run = rolecall(
        &home,
        &moto,
        &[
            "exec", "dev", "--mode", "server", "--", "sh", "-c", "exit 7",
        ],
        &[],
    );
    assert_eq!(run.code, 7, "{}", run.all_output());

    // A child that handles SIGTERM: it gets it, and its own status is rolecall's.
    let script =
        "trap 'echo TERM > got.txt; exit 5' TERM; echo > ready.txt; while :; do sleep 0.1; done";
    let mut bg = Background::start(command(
        &home,
        &moto,
        &["exec", "dev", "--mode", "server", "--", "sh", "-c", script],
        &[],
    ));
    wait_for(&home.path().join("ready.txt"));
    bg.signal(libc::SIGTERM);
    assert_eq!(bg.wait(), 5);
    assert_eq!(wait_for(&home.path().join("got.txt")), "TERM\n");

    // Not from a terminal, SIGINT is passed on too: `sleep` dies of it, 128 + 2.
    let script = "echo > ready2.txt; exec sleep 60";
    let mut bg = Background::start(command(
        &home,
        &moto,
        &["exec", "dev", "--mode", "server", "--", "sh", "-c", script],
        &[],
    ));
    wait_for(&home.path().join("ready2.txt"));
    bg.signal(libc::SIGINT);
    assert_eq!(bg.wait(), 130);

    let run = rolecall(
        &home,
        &moto,
        &[
            "exec",
            "dev",
            "--mode",
            "server",
            "--",
            "/nonexistent/program",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stderr.contains("cannot run /nonexistent/program"),
        "{}",
        run.stderr
    );
}

#[test]
#[ignore = "needs botocore and boto3: run scripts/test.sh"]
fn long_term_keys_are_served_as_a_session() {
    let moto = Moto::start();
    let home = home();
    let code = "import boto3; c = boto3.Session().get_credentials(); f = c.get_frozen_credentials(); print(f.access_key, bool(f.token), c.method); print(boto3.client('sts').get_caller_identity()['Account'])";
    let run = rolecall(
        &home,
        &moto,
        &[
            "exec",
            "base",
            "--mode",
            "server",
            "--",
            &python(),
            "-c",
            code,
        ],
        &[("AWS_DEFAULT_REGION", "us-east-1")],
    );
    run.success();
    let mut fields = run.stdout.split_whitespace();
    let key = fields.next().unwrap_or_default();
    assert!(
        !key.is_empty() && key != "AKIAEXAMPLE000000001",
        "{}",
        run.all_output()
    );
    assert_eq!(fields.next(), Some("True"), "{}", run.all_output());
    assert_eq!(
        fields.next(),
        Some("container-role"),
        "{}",
        run.all_output()
    );
    assert_eq!(fields.next(), Some("123456789012"), "{}", run.all_output());
    // Without --mode, long-term keys go in the environment as they are.
    let run = rolecall(
        &home,
        &moto,
        &[
            "exec",
            "base",
            "--",
            "sh",
            "-c",
            "echo ${AWS_CONTAINER_CREDENTIALS_FULL_URI-none} $AWS_ACCESS_KEY_ID",
        ],
        &[],
    );
    run.success();
    assert_eq!(run.stdout, "none AKIAEXAMPLE000000001\n");
}
