//! MFA end to end: `rolecall credential-process` for a profile with
//! `mfa_serial` in a real pseudo-terminal (tmux), the code typed there, sent
//! to STS by rolecall itself (a recording STS stub on 127.0.0.1 checks
//! SerialNumber and TokenCode), the JSON alone on stdout, the session reused
//! from the cache without asking again, and a clear error without a terminal.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Home, ROLECALL_TIMEOUT, peer, rolecall_bin, run_with_timeout};

const WAIT: Duration = Duration::from_secs(30);

const CONFIG: &str = "\
[profile admin]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
duration_seconds = 900
region = eu-west-1

[profile base]
mfa_serial = arn:aws:iam::123456789012:mfa/alice
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
";

/// Answers AssumeRole and GetSessionToken with fixed credentials and appends
/// every request body to the log file (argv[2]).
const STUB: &str = r#"
import http.server, sys, urllib.parse
log = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode()
        with open(log, "a") as f:
            f.write(body + "\n")
        form = urllib.parse.parse_qs(body)
        action = form["Action"][0]
        if form.get("TokenCode") == ["000000"]:
            data = ('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
                    '<Code>AccessDenied</Code><Message>MultiFactorAuthentication failed with invalid MFA one time pass code. </Message>'
                    '</Error><RequestId>1</RequestId></ErrorResponse>').encode()
            self.send_response(403)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        creds = ("<Credentials><AccessKeyId>ASIAMFA%s</AccessKeyId><SecretAccessKey>s</SecretAccessKey>"
                 "<SessionToken>t</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>") % action.upper()
        xml = ('<%sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%sResult>%s</%sResult>'
               '<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></%sResponse>') % (action, action, creds, action, action)
        data = xml.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
"#;

struct Stub {
    child: Child,
    url: String,
}

impl Drop for Stub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn stub(home: &Home, log: &Path) -> Stub {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = home.path().join("sts_stub.py");
    std::fs::write(&script, STUB).unwrap();
    let child = Command::new(peer("PYTHON"))
        .arg(&script)
        .arg(port.to_string())
        .arg(log)
        .stdout(Stdio::null())
        .spawn()
        .expect("start the STS stub");
    let deadline = Instant::now() + WAIT;
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "the STS stub did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Stub {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

struct Tmux {
    socket: std::path::PathBuf,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new(peer("TMUX"))
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool, screen: impl Fn() -> String) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; screen:\n{}",
            screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs python and tmux: run scripts/test.sh"]
fn the_code_is_asked_on_the_terminal_sent_to_sts_and_the_session_cached() {
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let log = home.path().join("sts.log");
    let sts = stub(&home, &log);
    let out = home.path().join("out.json");
    let rc = home.path().join("rc");
    let script = format!(
        "env -i HOME={home} PATH=/usr/bin:/bin AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL_STS={url} {bin} credential-process admin > {out}; echo $? > {rc}; sleep 60",
        home = sh_quote(&home.path().display().to_string()),
        url = sts.url,
        bin = sh_quote(&rolecall_bin().display().to_string()),
        out = sh_quote(&out.display().to_string()),
        rc = sh_quote(&rc.display().to_string()),
    );
    let tmux = Tmux {
        socket: home.path().join("tmux.sock"),
    };
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "mfa",
        "-x",
        "120",
        "-y",
        "20",
        &script,
    ]);
    let screen = || tmux.run(&["capture-pane", "-p", "-t", "mfa"]);
    let prompt = "MFA code for arn:aws:iam::123456789012:mfa/alice (profile admin):";
    wait_for("the MFA prompt", || screen().contains(prompt), screen);
    tmux.run(&["send-keys", "-t", "mfa", "12345", "Enter"]);
    wait_for(
        "the retry",
        || screen().contains("an MFA code is 6 digits"),
        screen,
    );
    tmux.run(&["send-keys", "-t", "mfa", "654321", "Enter"]);
    wait_for(
        "the exit status",
        || rc.exists() && !std::fs::read_to_string(&rc).unwrap().is_empty(),
        screen,
    );
    assert_eq!(
        std::fs::read_to_string(&rc).unwrap().trim(),
        "0",
        "{}",
        screen()
    );
    let stdout = std::fs::read_to_string(&out).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    assert_eq!(json["AccessKeyId"], "ASIAMFAASSUMEROLE");
    assert_eq!(json["Expiration"], "2099-01-01T00:00:00Z");
    assert!(!stdout.contains("654321") && !stdout.contains("MFA code"));
    let requests = std::fs::read_to_string(&log).unwrap();
    assert_eq!(requests.lines().count(), 1, "{requests}");
    for part in [
        "Action=AssumeRole",
        "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice",
        "TokenCode=654321",
        "DurationSeconds=900",
        "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fadmin",
    ] {
        assert!(requests.contains(part), "{part} not in {requests}");
    }
    // Again, without a terminal: the cached session, no question, no call.
    let mut cmd = home.command("/usr/bin/setsid");
    cmd.arg(rolecall_bin())
        .args(["credential-process", "admin"])
        .env("AWS_ENDPOINT_URL_STS", &sts.url);
    let again = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    again.success();
    assert!(
        again.stdout.contains("ASIAMFAASSUMEROLE"),
        "{}",
        again.stdout
    );
    assert_eq!(std::fs::read_to_string(&log).unwrap().lines().count(), 1);
    // The MFA session's end shows in the list and the prompt alike.
    let at = "2099-01-01T00:00:00Z".to_string();
    assert_eq!(home.shown_expiry("admin"), (Some(at.clone()), at));
}

#[test]
#[ignore = "needs python and tmux: run scripts/test.sh"]
fn a_refused_code_is_one_sentence_in_console_and_credential_process() {
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let log = home.path().join("sts.log");
    let sts = stub(&home, &log);
    let tmux = Tmux {
        socket: home.path().join("tmux.sock"),
    };
    for (i, args) in ["console admin --url", "credential-process admin"]
        .iter()
        .enumerate()
    {
        let err = home.path().join(format!("err{i}"));
        let rc = home.path().join(format!("rc{i}"));
        let script = format!(
            "env -i HOME={home} PATH=/usr/bin:/bin AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL_STS={url} {bin} {args} 2> {err}; echo $? > {rc}; sleep 60",
            home = sh_quote(&home.path().display().to_string()),
            url = sts.url,
            bin = sh_quote(&rolecall_bin().display().to_string()),
            err = sh_quote(&err.display().to_string()),
            rc = sh_quote(&rc.display().to_string()),
        );
        let session = format!("refused{i}");
        tmux.run(&[
            "new-session",
            "-d",
            "-s",
            &session,
            "-x",
            "120",
            "-y",
            "20",
            &script,
        ]);
        let screen = || tmux.run(&["capture-pane", "-p", "-t", &session]);
        wait_for(
            "the MFA prompt",
            || screen().contains("MFA code for"),
            screen,
        );
        tmux.run(&["send-keys", "-t", &session, "000000", "Enter"]);
        wait_for(
            "the exit status",
            || rc.exists() && !std::fs::read_to_string(&rc).unwrap().is_empty(),
            screen,
        );
        let stderr = std::fs::read_to_string(&err).unwrap();
        assert_eq!(
            std::fs::read_to_string(&rc).unwrap().trim(),
            "1",
            "{args}: {stderr}"
        );
        // The service's reason in one sentence, no SDK Debug text, no code.
        let said: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(said.len(), 1, "{args}: {stderr}");
        assert!(
            said[0].contains("invalid MFA one time pass code"),
            "{args}: {stderr}"
        );
        for debug in ["ServiceError", "Some(", "{ ", "raw:", "000000"] {
            assert!(!stderr.contains(debug), "{args}: {debug:?} in {stderr}");
        }
    }
}

#[test]
#[ignore = "needs python: run scripts/test.sh"]
fn without_a_terminal_the_error_says_where_to_type_the_code() {
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let log = home.path().join("sts.log");
    let sts = stub(&home, &log);
    let mut cmd = home.command("/usr/bin/setsid");
    cmd.arg(rolecall_bin())
        .args(["export", "base"])
        .env("AWS_ENDPOINT_URL_STS", &sts.url);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    run.expect_code(1);
    assert!(
        run.stderr.contains("profile 'base' needs a code from MFA device arn:aws:iam::123456789012:mfa/alice, and there is no terminal to ask on"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("rolecall exec base"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(!log.exists(), "STS was called without a code");
}
