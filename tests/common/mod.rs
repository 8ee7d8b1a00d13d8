//! Helpers shared by the integration tests: a throwaway home directory holding
//! `~/.aws/config` and `~/.aws/credentials`, the `rolecall` binary run against it
//! with a clean environment, and the real tools (botocore, AWS CLI v1 and v2,
//! tmux) that `scripts/test.sh` installs.
//!
//! A missing peer is a failing test, never a silent skip: [`peer`] panics with the
//! command that installs it.

#![allow(dead_code)] // each test crate uses its own subset

pub mod moto;
pub mod sso;

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one `rolecall` run may take before the test fails.
pub const ROLECALL_TIMEOUT: Duration = Duration::from_secs(60);
/// How long one botocore or AWS CLI run may take (a loaded 2-core machine is slow).
pub const PEER_TIMEOUT: Duration = Duration::from_secs(120);

/// The `rolecall` binary cargo built for these tests.
pub fn rolecall_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rolecall"))
}

/// A real tool the tests drive, from `ROLECALL_TEST_<NAME>`: `PYTHON` (a venv's
/// python with botocore, boto3 and moto), `AWS_V1` (AWS CLI v1), `AWS_V2` (AWS CLI
/// v2), `TMUX` (tmux, the pseudo-terminal of the TUI tests) or `BASH`, `ZSH`,
/// `FISH` (the shells of the shell-integration tests). Panics when the
/// variable is unset or the file is missing.
pub fn peer(name: &str) -> PathBuf {
    let var = format!("ROLECALL_TEST_{name}");
    let what = match name {
        "PYTHON" => "a Python venv with botocore, boto3 and moto (target/venv)",
        "AWS_V1" => "AWS CLI v1 from PyPI (target/venv/bin/aws)",
        "AWS_V2" => "AWS CLI v2, Debian's awscli package (/usr/bin/aws)",
        "TMUX" => "tmux, Debian's tmux package (/usr/bin/tmux)",
        "BASH" => "bash, Debian's bash package (/usr/bin/bash)",
        "ZSH" => "zsh, Debian's zsh package (/usr/bin/zsh)",
        "FISH" => "fish, Debian's fish package (/usr/bin/fish)",
        "KEYCTL" => "keyctl, Debian's keyutils package (/usr/bin/keyctl)",
        _ => "a test peer",
    };
    let hint = format!(
        "run `bash scripts/test.sh`, which installs {what} and sets {var} (see scripts/test.sh)"
    );
    let Some(value) = std::env::var_os(&var).filter(|v| !v.is_empty()) else {
        panic!("{var} is not set: {hint}");
    };
    let path = PathBuf::from(value);
    if !path.is_file() {
        panic!("{var}={} does not exist: {hint}", path.display());
    }
    path
}

/// What a finished process did.
#[derive(Debug)]
pub struct Run {
    /// Its exit status (`-1` when killed by a signal).
    pub code: i32,
    /// Standard output, as text.
    pub stdout: String,
    /// Standard error, as text.
    pub stderr: String,
}

impl Run {
    /// Panics unless the exit status is `code`, showing both outputs.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit status {code}, got {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }

    /// Panics unless it exited 0.
    #[track_caller]
    pub fn success(&self) -> &Run {
        self.expect_code(0)
    }

    /// Standard output and standard error together.
    pub fn all_output(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n--- stderr\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `cmd` (stdin closed) and waits at most `timeout`, killing it after that.
pub fn run_with_timeout(mut cmd: Command, timeout: Duration) -> Run {
    let shown = format!("{cmd:?}");
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {shown}: {e}"));
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("piped stdout")));
    let err = drain(Box::new(child.stderr.take().expect("piped stderr")));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for child") {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{shown} did not finish within {timeout:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let text = |h: std::thread::JoinHandle<Vec<u8>>| {
        String::from_utf8_lossy(&h.join().expect("reader thread")).into_owned()
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: text(out),
        stderr: text(err),
    }
}

/// A temporary home directory with `.aws/config` and `.aws/credentials`.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    /// An empty home: no `.aws` directory at all.
    pub fn empty() -> Home {
        Home {
            dir: tempfile::Builder::new()
                .prefix("rolecall-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// A home whose files hold the given text (`None`: the file does not exist).
    pub fn with(config: Option<&str>, credentials: Option<&str>) -> Home {
        let home = Home::empty();
        if let Some(text) = config {
            home.write_config(text);
        }
        if let Some(text) = credentials {
            home.write_credentials(text);
        }
        home
    }

    /// The home directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `~/.aws/config`.
    pub fn config_path(&self) -> PathBuf {
        self.path().join(".aws").join("config")
    }

    /// `~/.aws/credentials`.
    pub fn credentials_path(&self) -> PathBuf {
        self.path().join(".aws").join("credentials")
    }

    /// Replaces the config file's bytes.
    pub fn write_config(&self, text: impl AsRef<[u8]>) {
        write(&self.config_path(), text.as_ref());
    }

    /// Replaces the credentials file's bytes.
    pub fn write_credentials(&self, text: impl AsRef<[u8]>) {
        write(&self.credentials_path(), text.as_ref());
    }

    /// The config file's text (panics if it is missing).
    pub fn config(&self) -> String {
        read(&self.config_path())
    }

    /// The credentials file's text (panics if it is missing).
    pub fn credentials(&self) -> String {
        read(&self.credentials_path())
    }

    /// `rolecall ARGS` with `HOME` here and no `AWS_*` variables.
    pub fn rolecall<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let mut cmd = self.command(rolecall_bin());
        cmd.args(args);
        run_with_timeout(cmd, ROLECALL_TIMEOUT)
    }

    /// `rolecall ARGS`, which must exit 0.
    #[track_caller]
    pub fn rolecall_ok<S: AsRef<OsStr>>(&self, args: &[S]) -> Run {
        let run = self.rolecall(args);
        run.success();
        run
    }

    /// A command for `program` with a clean environment: `HOME` is this home,
    /// every `AWS_*`, `BOTO_*` and `PYTHON*` variable is removed, the instance
    /// metadata service is disabled and the pager is off. The files are found at
    /// their default place, `~/.aws/`.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut cmd = Command::new(program);
        for (key, _) in std::env::vars_os() {
            let k = key.to_string_lossy();
            if k.starts_with("AWS_") || k.starts_with("BOTO_") || k.starts_with("PYTHON") {
                cmd.env_remove(&key);
            }
        }
        cmd.env("HOME", self.path())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "")
            .env("LC_ALL", "C.UTF-8")
            .current_dir(self.path());
        cmd
    }

    /// When `profile`'s credentials expire, as `list --json` (its `expires`)
    /// and `prompt` (`{expires}`, with `AWS_PROFILE=profile`) each show it.
    pub fn shown_expiry(&self, profile: &str) -> (Option<String>, String) {
        let list = self.rolecall_ok(&["list", "--json"]).json();
        let row = list["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == profile)
            .unwrap_or_else(|| panic!("no row for {profile}: {list}"))
            .clone();
        let mut cmd = self.command(rolecall_bin());
        cmd.args(["prompt", "--format", "{expires}"])
            .env("AWS_PROFILE", profile);
        let prompt = run_with_timeout(cmd, ROLECALL_TIMEOUT);
        prompt.success();
        (
            row["expires"].as_str().map(str::to_string),
            prompt.stdout.trim().to_string(),
        )
    }

    /// Runs a peer tool (see [`peer`]) with [`Home::command`]'s environment.
    pub fn peer_run<S: AsRef<OsStr>>(&self, program: &Path, args: &[S]) -> Run {
        let mut cmd = self.command(program);
        cmd.args(args);
        run_with_timeout(cmd, PEER_TIMEOUT)
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create .aws");
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Lowercase hex SHA-1 of `s`, as the AWS CLI names its cache files.
pub fn sha1_hex(s: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
