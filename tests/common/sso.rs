//! The project's own IAM Identity Center server (tests/sso_server.py) on a
//! free loopback port, and commands that reach it the way users' tools do:
//! through `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL_SSO`, with a
//! "browser" that approves the code by opening the verification page.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use super::{Home, peer};

/// The server, stopped when dropped.
pub struct SsoServer {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    port: u16,
}

impl SsoServer {
    /// Starts tests/sso_server.py with `args` (see its --help).
    pub fn start(args: &[&str]) -> SsoServer {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sso_server.py");
        let mut child = Command::new(peer("PYTHON"))
            .arg(&script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/sso_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the server's port");
        let port: u16 = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("port line {line:?}"));
        SsoServer {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
        }
    }

    fn get(&self, path: &str) -> String {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        text.split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default()
    }

    /// How many times each operation was called (`/device_authorization`,
    /// `/token`, `refresh`, `approved`, `throttled`, ...).
    pub fn stats(&self) -> serde_json::Value {
        serde_json::from_str(&self.get("/_stats")).expect("stats JSON")
    }

    /// Approves a user code, as the user would on the verification page.
    pub fn approve(&self, user_code: &str) {
        let answer = self.get(&format!("/device?user_code={user_code}"));
        assert!(answer.contains("ok"), "approving {user_code}: {answer}");
    }

    /// One count from [`SsoServer::stats`] (0 when absent).
    pub fn count(&self, key: &str) -> u64 {
        self.stats()[key].as_u64().unwrap_or(0)
    }
}

impl Drop for SsoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A "browser" for `ROLECALL_BROWSER`: opens the page it is given (which approves
/// the code on the test server).
pub fn browser(home: &Home) -> PathBuf {
    let path = home.path().join("browser.sh");
    std::fs::write(
        &path,
        format!(
            "#!/bin/sh\nexec '{}' -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1]).read()' \"$1\"\n",
            peer("PYTHON").display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// `program` with [`Home::command`]'s environment, the SSO endpoints set to the
/// server, rolecall's cache in the home, the approving browser, and no
/// controlling terminal (so prompts go to stderr, where the test reads them).
pub fn command(home: &Home, server: &SsoServer, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = home.command(program);
    cmd.env("AWS_ENDPOINT_URL_SSO_OIDC", &server.url)
        .env("AWS_ENDPOINT_URL_SSO", &server.url)
        .env("ROLECALL_TEST_SSO_URL", &server.url)
        .env("XDG_CACHE_HOME", home.path().join(".cache"))
        .env("ROLECALL_BROWSER", browser(home));
    #[cfg(unix)]
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd
}

/// The token cache file of a session.
pub fn token_path(home: &Home, session: &str) -> PathBuf {
    let name = super::sha1_hex(session);
    home.path()
        .join(".aws/sso/cache")
        .join(format!("{name}.json"))
}

/// The Python that runs Debian's AWS CLI v2 (the interpreter on its `#!` line).
pub fn aws_v2_python() -> PathBuf {
    let aws = peer("AWS_V2");
    let text = std::fs::read_to_string(&aws).expect("read the aws script");
    let first = text.lines().next().unwrap_or_default();
    PathBuf::from(
        first
            .trim_start_matches("#!")
            .split_whitespace()
            .next()
            .unwrap_or("python3"),
    )
}

/// tests/peers/aws_cli_v2_sso.py: the AWS CLI v2 with its SSO clients on the server.
pub fn aws_v2_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/aws_cli_v2_sso.py")
}
