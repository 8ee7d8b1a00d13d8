//! The endpoint's refusals, read by the SDKs' container providers: a missing
//! token (401), a wrong one (403), an unknown path (404) and credentials that
//! could not be refreshed (503) reach botocore, the JavaScript SDK v3 and the
//! Go SDKs v1 and v2 (Debian's packages, built in GOPATH mode) as rolecall's
//! own message, not as an error about the body. The programs are in
//! tests/peers/container_errors/. The credentials come from a
//! `credential_process` script, so no STS is needed: one profile always
//! answers, another answers once with credentials that expire within seconds
//! and then fails.

#![cfg(target_os = "linux")]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Home, PEER_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

/// A credential process: session credentials valid for an hour for `ok`; for
/// `down`, credentials valid for 6 seconds the first time, then a failure.
const PROCESS: &str = r#"#!/bin/sh
if [ "$1" = down ]; then
    if [ -e "$HOME/down-used" ]; then
        echo "the test identity provider is down" >&2
        exit 1
    fi
    touch "$HOME/down-used"
    expires=$(date -u -d '+6 seconds' +%Y-%m-%dT%H:%M:%SZ)
else
    expires=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
fi
printf '{"Version": 1, "AccessKeyId": "ASIAPROCESS0000%s", "SecretAccessKey": "secret", "SessionToken": "token", "Expiration": "%s"}\n' "$(date +%s)" "$expires"
"#;

fn config(home: &Home) -> String {
    let script = home.path().join("process.sh");
    format!(
        "[profile ok]\ncredential_process = {0} ok\n\n[profile down]\ncredential_process = {0} down\n",
        script.display()
    )
}

/// A process killed when dropped.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

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

/// `rolecall exec PROFILE` in server mode with a child that sleeps; its
/// endpoint's URL and token.
fn serve(home: &Home, profile: &str) -> (Killed, String, String) {
    let env_file = format!("env-{profile}.txt");
    let mut cmd = home.command(rolecall_bin());
    cmd.args(["exec", profile, "--mode", "server", "--", "sh", "-c"])
        .arg(format!(
            "env > {env_file}.tmp && mv {env_file}.tmp {env_file} && exec sleep 600"
        ))
        .env("ROLECALL_REFRESH_MARGIN_SECONDS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let child = Killed(cmd.spawn().expect("start rolecall"));
    let env = wait_for(&home.path().join(&env_file));
    let var = |name: &str| {
        env.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("{name} missing:\n{env}"))
            .to_string()
    };
    (
        child,
        var("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        var("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    )
}

/// A tool from `ROLECALL_TEST_<name>` that must be a directory.
fn peer_dir(name: &str, what: &str) -> PathBuf {
    let var = format!("ROLECALL_TEST_{name}");
    let path = std::env::var_os(&var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            panic!("{var} is not set: run `bash scripts/test.sh`, which installs {what}")
        });
    assert!(
        path.is_dir(),
        "{var}={} is not a directory: run `bash scripts/test.sh`, which installs {what}",
        path.display()
    );
    path
}

fn peers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/container_errors")
}

/// The four clients, each a command to which the endpoint's variables are added.
struct Clients {
    go: Vec<(&'static str, PathBuf)>,
    node: PathBuf,
    node_modules: PathBuf,
    python: PathBuf,
}

impl Clients {
    /// Builds the Go programs (GOPATH mode, offline, with Debian's SDKs).
    fn build(out: &Path) -> Clients {
        let go = peer("GO");
        let gopath = peer_dir(
            "GOPATH",
            "Debian's golang-github-aws-aws-sdk-go-dev and -v2-dev (/usr/share/gocode)",
        );
        let cache = rolecall_bin().parent().unwrap().join("go-cache");
        let mut programs = Vec::new();
        for (name, file) in [("Go SDK v1", "go1.go"), ("Go SDK v2", "go2.go")] {
            let bin = out.join(file.trim_end_matches(".go"));
            let mut cmd = Command::new(&go);
            cmd.arg("build")
                .arg("-o")
                .arg(&bin)
                .arg(peers_dir().join(file))
                .env("GOPATH", &gopath)
                .env("GO111MODULE", "off")
                .env("GOFLAGS", "")
                .env("GOCACHE", &cache)
                .env("HOME", out);
            let run = run_with_timeout(cmd, PEER_TIMEOUT);
            assert_eq!(run.code, 0, "go build {file}: {}", run.all_output());
            programs.push((name, bin));
        }
        Clients {
            go: programs,
            node: peer("NODE"),
            node_modules: peer_dir(
                "NODE_MODULES",
                "@aws-sdk/credential-providers with npm (target/sdk-js/node_modules)",
            ),
            python: peer("PYTHON"),
        }
    }

    /// Each client's output for the endpoint at `url` with `token` (none
    /// when `None`).
    fn run_all(&self, home: &Home, url: &str, token: Option<&str>) -> Vec<(&'static str, Run)> {
        let mut commands: Vec<(&'static str, Command)> = Vec::new();
        let mut py = home.command(&self.python);
        py.arg(peers_dir().join("python_botocore.py"));
        commands.push(("botocore", py));
        let mut js = home.command(&self.node);
        js.arg(peers_dir().join("js.js"))
            .env("NODE_PATH", &self.node_modules);
        commands.push(("JS SDK v3", js));
        for (name, bin) in &self.go {
            commands.push((name, home.command(bin)));
        }
        commands
            .into_iter()
            .map(|(name, mut cmd)| {
                cmd.env("AWS_CONTAINER_CREDENTIALS_FULL_URI", url);
                match token {
                    Some(t) => cmd.env("AWS_CONTAINER_AUTHORIZATION_TOKEN", t),
                    None => cmd.env_remove("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
                };
                (name, run_with_timeout(cmd, PEER_TIMEOUT))
            })
            .collect()
    }
}

fn status_of(url: &str, token: &str) -> u16 {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (authority, path) = rest.split_at(rest.find('/').unwrap());
    let mut s = std::net::TcpStream::connect(authority).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0)
}

#[test]
#[ignore = "needs node, go and botocore: run scripts/test.sh"]
fn four_sdk_families_show_rolecalls_error_messages() {
    let home = Home::empty();
    std::fs::write(home.path().join("process.sh"), PROCESS).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            home.path().join("process.sh"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    home.write_config(config(&home));
    let out = tempfile::tempdir().unwrap();
    let clients = Clients::build(out.path());

    // `down` first: its credentials expire while the others are checked.
    let (_down, down_url, down_token) = serve(&home, "down");
    let (_ok, url, token) = serve(&home, "ok");
    let wrong_path = url.replace("/rolecall/credentials", "/other");
    let cases = [
        ("missing token", url.as_str(), None, "needs the token"),
        (
            "wrong token",
            url.as_str(),
            Some("0123456789abcdef"),
            "refused this request",
        ),
        (
            "unknown path",
            wrong_path.as_str(),
            Some(token.as_str()),
            "serves only /rolecall/credentials",
        ),
    ];
    for (case, url, token, message) in cases {
        for (client, run) in clients.run_all(&home, url, token) {
            eprintln!("{case}, {client}: {}", run.stdout.trim());
            assert_ne!(run.code, 0, "{case}, {client}: {}", run.all_output());
            assert!(
                run.stdout.contains(message),
                "{case}, {client} does not show rolecall's message: {}",
                run.all_output()
            );
        }
    }

    // `down` serves 503 once its credentials expired and the refresh failed.
    let deadline = Instant::now() + Duration::from_secs(30);
    while status_of(&down_url, &down_token) != 503 {
        assert!(Instant::now() < deadline, "no 503 from the expired profile");
        std::thread::sleep(Duration::from_millis(200));
    }
    let cause = "rolecall could not refresh the credentials of profile 'down': ";
    for (client, run) in clients.run_all(&home, &down_url, Some(&down_token)) {
        eprintln!("503, {client}: {}", run.stdout.trim());
        assert_ne!(run.code, 0, "503, {client}: {}", run.all_output());
        if client == "JS SDK v3" {
            // It reads the body of 4xx answers only.
            assert!(run.stdout.contains("status: 503"), "{}", run.all_output());
            continue;
        }
        assert!(
            run.stdout.contains(cause) && run.stdout.contains("the test identity provider is down"),
            "503, {client} does not show rolecall's message: {}",
            run.all_output()
        );
        // A sentence, not an SDK error's Debug output.
        assert!(!run.stdout.contains("Error {"), "{}", run.stdout);
    }
}
