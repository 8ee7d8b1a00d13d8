//! `rolecall console` against moto's STS (AssumeRole, GetFederationToken), the
//! project's SSO server and a loopback federation endpoint
//! (tests/federation_fake.py): the parameters of the sign-in request and URL
//! for role, chained-role, SSO and long-term-key profiles; `SessionDuration`
//! sent only where AWS takes it; the sign-in token never on stdout or in a
//! browser's arguments without `--url`; the one-time address answering once;
//! browser templates run without a shell; refusals as one sentence.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use common::moto::Moto;
use common::sso::{self, SsoServer};
use common::{Home, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile audit]
role_arn = arn:aws:iam::210987654321:role/audit
source_profile = dev
region = eu-west-2

[profile base]
region = us-east-1

[profile mfa-keys]
mfa_serial = arn:aws:iam::123456789012:mfa/me
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000

[mfa-keys]
aws_access_key_id = AKIAEXAMPLE000000002
aws_secret_access_key = mfa-secret-key-000000000000000000000000
";

/// tests/federation_fake.py on a free loopback port, stopped when dropped.
struct Fake {
    child: Child,
    port: u16,
}

impl Fake {
    fn start(args: &[&str]) -> Fake {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/federation_fake.py");
        let mut child = Command::new(peer("PYTHON"))
            .arg(&script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/federation_fake.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the fake's port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("port {line:?}"));
        Fake { child, port }
    }

    /// For ROLECALL_FEDERATION_URL.
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/federation", self.port)
    }

    /// Every request the fake saw.
    fn log(&self) -> Vec<serde_json::Value> {
        let answer = http_get(&format!("http://127.0.0.1:{}/_log", self.port)).expect("log");
        let body = answer.split_once("\r\n\r\n").expect("a body").1;
        serde_json::from_str::<serde_json::Value>(body)
            .expect("JSON log")
            .as_array()
            .unwrap()
            .clone()
    }

    /// The getSigninToken requests.
    fn token_requests(&self) -> Vec<serde_json::Value> {
        self.log()
            .into_iter()
            .filter(|e| e["action"] == "getSigninToken")
            .collect()
    }
}

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A GET over plain HTTP/1.1; the whole answer (head and body).
fn http_get(url: &str) -> std::io::Result<String> {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut s = TcpStream::connect(host)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    Ok(text)
}

/// The `Location` header of an answer.
fn location(answer: &str) -> Option<String> {
    answer
        .lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .map(|l| l.trim().to_string())
}

/// The query parameters of a URL, decoded.
fn params(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), decode(v)))
        .collect()
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 3 <= b.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn home() -> Home {
    Home::with(Some(CONFIG), Some(CREDENTIALS))
}

/// `rolecall` with STS on moto (when given), the federation endpoint on the
/// fake, settings under the home, and no browser from the outer environment.
fn command(home: &Home, moto: Option<&Moto>, fake: &Fake) -> Command {
    let mut cmd = home.command(rolecall_bin());
    if let Some(moto) = moto {
        cmd.env("AWS_ENDPOINT_URL_STS", &moto.url);
    }
    cmd.env("ROLECALL_FEDERATION_URL", fake.url())
        .env("XDG_CONFIG_HOME", home.path().join(".config"))
        .env_remove("XDG_CACHE_HOME")
        .env_remove("ROLECALL_BROWSER")
        .env("ROLECALL_NO_LOGIN", "1");
    cmd
}

fn rolecall(home: &Home, moto: Option<&Moto>, fake: &Fake, args: &[&str]) -> Run {
    let mut cmd = command(home, moto, fake);
    cmd.args(args);
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

/// Checks a `--url` run: one line, the fake's login URL for the token it
/// issued last, landing on `destination`; returns the getSigninToken request.
fn check_url(run: &Run, fake: &Fake, destination: &str) -> serde_json::Value {
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.all_output());
    let url = lines[0];
    assert!(
        url.starts_with(&format!("{}?Action=login&", fake.url())),
        "{url}"
    );
    let p = params(url);
    let request = fake
        .token_requests()
        .pop()
        .expect("a getSigninToken request");
    assert_eq!(param(&p, "Issuer"), Some("rolecall"));
    assert_eq!(param(&p, "Destination"), Some(destination));
    assert_eq!(
        param(&p, "SigninToken"),
        request["token"].as_str(),
        "{request}"
    );
    let mut names: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
    names.sort();
    assert_eq!(names, ["Action", "Destination", "Issuer", "SigninToken"]);
    request
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn a_role_sends_session_duration_and_the_url_carries_the_token() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let run = rolecall(&home, Some(&moto), &fake, &["console", "dev", "--url"]);
    let req = check_url(
        &run,
        &fake,
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1",
    );
    assert_eq!(req["session_duration"], 43200, "{req}");
    let session = &req["session"];
    assert!(
        session["sessionId"].as_str().unwrap().starts_with("ASIA"),
        "{req}"
    );
    assert!(!session["sessionToken"].as_str().unwrap().is_empty());
    assert_eq!(
        req["params"],
        serde_json::json!(["Action", "Session", "SessionDuration"])
    );

    let run = rolecall(
        &home,
        Some(&moto),
        &fake,
        &[
            "console",
            "dev",
            "--url",
            "--duration",
            "2h",
            "--service",
            "s3",
        ],
    );
    let again = check_url(
        &run,
        &fake,
        "https://eu-west-1.console.aws.amazon.com/s3/home?region=eu-west-1",
    );
    assert_eq!(again["session_duration"], 7200);
    assert_eq!(
        again["session"], req["session"],
        "the role's session comes from rolecall's cache the second time"
    );
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn a_chained_role_gets_at_most_an_hour() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let run = rolecall(&home, Some(&moto), &fake, &["console", "audit", "--url"]);
    let req = check_url(
        &run,
        &fake,
        "https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2",
    );
    assert_eq!(req["session_duration"], 3600, "{req}");
    let run = rolecall(
        &home,
        Some(&moto),
        &fake,
        &["console", "audit", "--url", "--duration", "4h"],
    );
    let req = check_url(
        &run,
        &fake,
        "https://eu-west-2.console.aws.amazon.com/console/home?region=eu-west-2",
    );
    assert_eq!(req["session_duration"], 3600);
    assert!(run.stderr.contains("longer than 1 hour"), "{}", run.stderr);
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn long_term_keys_sign_in_through_a_federation_token_without_session_duration() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let started = SystemTime::now();
    let run = rolecall(
        &home,
        Some(&moto),
        &fake,
        &["console", "base", "--url", "--duration", "20h"],
    );
    let req = check_url(
        &run,
        &fake,
        "https://console.aws.amazon.com/console/home?region=us-east-1",
    );
    assert_eq!(req["session_duration"], serde_json::Value::Null, "{req}");
    assert_eq!(req["params"], serde_json::json!(["Action", "Session"]));
    let session = &req["session"];
    // moto's GetFederationToken answer (not the keys, not GetSessionToken's).
    assert_eq!(
        session["sessionKey"],
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
    );
    assert!(
        session["sessionToken"]
            .as_str()
            .unwrap()
            .starts_with("AQoDYXdzEPT"),
        "{session}"
    );
    // The session was asked for 20 hours (DurationSeconds on the STS call):
    // its cache entry expires then.
    let cache = home.path().join(".cache/rolecall/credentials");
    let expiries: Vec<String> = std::fs::read_dir(&cache)
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
        .filter_map(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .filter_map(|v| v["Credentials"]["Expiration"].as_str().map(str::to_string))
        .collect();
    assert_eq!(expiries.len(), 1, "one cached session: {expiries:?}");
    let expires = parse_rfc3339(&expiries[0]);
    let hours = expires.duration_since(started).unwrap().as_secs() as f64 / 3600.0;
    assert!((19.9..20.1).contains(&hours), "{hours} hours");
}

/// Seconds since the epoch of `YYYY-MM-DDTHH:MM:SSZ`.
fn parse_rfc3339(s: &str) -> SystemTime {
    let n = |r: std::ops::Range<usize>| s[r].parse::<i64>().unwrap();
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (hh, mm, ss) = (n(11..13), n(14..16), n(17..19));
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    SystemTime::UNIX_EPOCH + Duration::from_secs((days * 86400 + hh * 3600 + mm * 60 + ss) as u64)
}

#[test]
#[ignore = "needs python and the SSO server: run scripts/test.sh"]
fn sso_credentials_sign_in_without_session_duration() {
    let server = SsoServer::start(&[]);
    let fake = Fake::start(&[]);
    let home = Home::with(
        Some(
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n\n[profile p0]\nsso_session = corp\nsso_account_id = 100000000000\nsso_role_name = AdministratorAccess\nregion = eu-central-1\n",
        ),
        None,
    );
    let mut login = sso::command(&home, &server, rolecall_bin());
    login.args(["login", "--sso-session", "corp"]);
    run_with_timeout(login, ROLECALL_TIMEOUT).success();
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.env("ROLECALL_FEDERATION_URL", fake.url())
        .env("ROLECALL_NO_LOGIN", "1")
        .args(["console", "p0", "--url", "--duration", "1h"]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    let req = check_url(
        &run,
        &fake,
        "https://eu-central-1.console.aws.amazon.com/console/home?region=eu-central-1",
    );
    assert_eq!(req["session_duration"], serde_json::Value::Null, "{req}");
    assert!(
        run.stderr.contains("--duration is ignored"),
        "{}",
        run.stderr
    );
    assert!(!req["session"]["sessionToken"].as_str().unwrap().is_empty());
}

/// A "browser" that records its arguments and opens the address it is given
/// (without following the redirect), writing both to `browser.json`.
fn recorder(home: &Home) -> PathBuf {
    let path = home.path().join("browser.py");
    let record = home.path().join("browser.json");
    std::fs::write(
        &path,
        format!(
            r#"#!{python}
import http.client, json, sys, urllib.parse
args = sys.argv[1:]
url = next(a for a in args if a.startswith("http://127.0.0.1:"))
u = urllib.parse.urlsplit(url)
c = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
c.request("GET", u.path)
r = c.getresponse()
json.dump({{"argv": args, "status": r.status, "location": r.getheader("Location")}}, open({record:?}, "w"))
"#,
            python = peer("PYTHON").display(),
            record = record.display().to_string(),
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

/// What the recorder saw, once it has written it.
fn recorded(home: &Home) -> serde_json::Value {
    let path = home.path().join("browser.json");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(text) = std::fs::read_to_string(&path)
            && let Ok(v) = serde_json::from_str(&text)
        {
            return v;
        }
        assert!(Instant::now() < deadline, "the browser recorded nothing");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn without_url_the_token_is_on_neither_stdout_nor_the_browsers_arguments() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let mut cmd = command(&home, Some(&moto), &fake);
    cmd.env("ROLECALL_BROWSER", recorder(&home))
        .args(["console", "dev"]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    run.success();
    let token = fake.token_requests().pop().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(run.stdout, "", "nothing on stdout");
    assert!(!run.stderr.contains(&token), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("opened the AWS console as 'dev' (account 123456789012)"),
        "{}",
        run.stderr
    );
    let seen = recorded(&home);
    let argv = seen["argv"].as_array().unwrap();
    assert_eq!(argv.len(), 1, "{seen}");
    let address = argv[0].as_str().unwrap();
    assert!(
        !address.contains(&token) && !address.contains("Signin"),
        "{address}"
    );
    assert_eq!(seen["status"], 302);
    let location = seen["location"].as_str().unwrap();
    assert!(
        location.starts_with(&format!("{}?Action=login&", fake.url())),
        "{location}"
    );
    assert_eq!(
        param(&params(location), "SigninToken"),
        Some(token.as_str())
    );
    // The redirect is the sign-in the fake issued: it signs in.
    let signed = http_get(location).unwrap();
    assert!(
        signed.starts_with("HTTP/1.0 200") || signed.starts_with("HTTP/1.1 200"),
        "{signed}"
    );
    assert!(http_get(address).is_err(), "the address is closed");
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn the_one_time_address_answers_once() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let mut cmd = command(&home, Some(&moto), &fake);
    cmd.args(["console", "dev", "--no-browser"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut address = String::new();
    out.read_line(&mut address).unwrap();
    let address = address.trim().to_string();
    assert!(address.starts_with("http://127.0.0.1:"), "{address:?}");
    let path = &address[address.rfind('/').unwrap() + 1..];
    assert_eq!(path.len(), 32, "a random path: {address}");
    let base = &address[..address.rfind('/').unwrap()];
    let wrong = http_get(&format!("{base}/{}", "0".repeat(32))).unwrap();
    assert!(wrong.starts_with("HTTP/1.1 404"), "{wrong}");
    let first = http_get(&address).unwrap();
    assert!(first.starts_with("HTTP/1.1 302"), "{first}");
    let token = fake.token_requests().pop().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        param(&params(&location(&first).unwrap()), "SigninToken"),
        Some(token.as_str())
    );
    let status = child.wait().unwrap();
    assert!(status.success());
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "only the address on stdout");
    assert!(
        http_get(&address).is_err(),
        "a second request finds nothing"
    );
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn a_browser_template_runs_without_a_shell() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let browser = recorder(&home);
    let settings = home.path().join(".config/rolecall/config.toml");
    std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
    std::fs::write(
        &settings,
        format!(
            "[console]\nbrowser = [{:?}, \"--new-window\", \"-P\", \"{{browser_profile}}\", \"{{url}}\"]\n\n[console.profile.dev]\nbrowser_profile = \"Work & Play; $(touch pwned) {{account}}\"\n",
            browser.display().to_string()
        ),
    )
    .unwrap();
    let run = rolecall(&home, Some(&moto), &fake, &["console", "dev"]);
    run.success();
    let seen = recorded(&home);
    let argv: Vec<&str> = seen["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(argv.len(), 4, "{seen}");
    assert_eq!(
        &argv[..3],
        [
            "--new-window",
            "-P",
            "Work & Play; $(touch pwned) 123456789012"
        ]
    );
    assert!(argv[3].starts_with("http://127.0.0.1:"));
    assert!(!home.path().join("pwned").exists(), "no shell ran");
    assert_eq!(seen["status"], 302);

    // Another profile gets the default browser profile: its account.
    let run = rolecall(&home, Some(&moto), &fake, &["console", "audit"]);
    run.success();
    let seen = recorded(&home);
    assert_eq!(seen["argv"][2], "210987654321", "{seen}");
}

#[test]
#[ignore = "needs moto and python: run scripts/test.sh"]
fn a_refusal_is_one_sentence_without_secrets() {
    let moto = Moto::start();
    let fake = Fake::start(&["--refuse"]);
    let home = home();
    let run = rolecall(&home, Some(&moto), &fake, &["console", "dev", "--url"]);
    assert_ne!(run.code, 0);
    assert_eq!(run.stdout, "");
    let err = run.stderr.trim();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains(&format!(
            "the AWS sign-in endpoint 127.0.0.1:{} refused the session of profile 'dev' (HTTP 400: Console sign-in is not allowed for this role)",
            fake.port
        )),
        "{err}"
    );
    let session = &fake.token_requests()[0]["session"];
    for secret in [&session["sessionKey"], &session["sessionToken"]] {
        assert!(!err.contains(secret.as_str().unwrap()), "{err}");
    }
}

#[test]
fn a_get_session_token_profile_is_refused_with_the_alternative() {
    let home = home();
    let mut cmd = home.command(rolecall_bin());
    cmd.env("ROLECALL_FEDERATION_URL", "http://127.0.0.1:9/federation")
        .env("ROLECALL_NO_LOGIN", "1")
        .args(["console", "mfa-keys", "--url"]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("GetSessionToken") && run.stderr.contains("source_profile = mfa-keys"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn bad_destinations_and_durations_are_refused_before_any_call() {
    let home = home();
    for (args, want) in [
        (
            &["console", "dev", "--service", "s3 x"][..],
            "not a console service name",
        ),
        (
            &["console", "dev", "--destination", "http://x"][..],
            "must be an https:// URL",
        ),
        (
            &["console", "dev", "--duration", "13h"][..],
            "900 to 43200 seconds",
        ),
        (
            &["console", "dev", "--duration", "1d"][..],
            "not a duration",
        ),
    ] {
        let mut cmd = home.command(rolecall_bin());
        cmd.env("ROLECALL_FEDERATION_URL", "http://127.0.0.1:9/federation")
            .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
            .args(args);
        let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
        assert_ne!(run.code, 0, "{args:?}");
        assert!(run.stderr.contains(want), "{args:?}: {}", run.stderr);
    }
}

/// Runs `tmux ARGS` on the test's own server (`socket`), with `env` only.
fn tmux(socket: &Path, env: &[(&str, String)], args: &[&str]) -> String {
    let mut cmd = Command::new(peer("TMUX"));
    cmd.env_clear().env("PATH", "/usr/local/bin:/usr/bin:/bin");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .args(["-f", "/dev/null", "-S"])
        .arg(socket)
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

/// Kills the test's tmux server when dropped (a failed assertion included).
struct TmuxServer(PathBuf);

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = Command::new(peer("TMUX"))
            .args(["-f", "/dev/null", "-S"])
            .arg(&self.0)
            .arg("kill-server")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

#[test]
#[ignore = "needs tmux, moto and python: run scripts/test.sh"]
fn the_tui_key_opens_the_selected_profiles_console() {
    let moto = Moto::start();
    let fake = Fake::start(&[]);
    let home = home();
    let browser = recorder(&home);
    let socket = home.path().join("tmux.sock");
    let _server = TmuxServer(socket.clone());
    let p = |s: &str| home.path().join(s).display().to_string();
    let env = [
        ("HOME", p("")),
        ("XDG_CONFIG_HOME", p(".config")),
        ("XDG_STATE_HOME", p(".state")),
        ("XDG_CACHE_HOME", p(".cache")),
        ("AWS_CONFIG_FILE", p(".aws/config")),
        ("AWS_SHARED_CREDENTIALS_FILE", p(".aws/credentials")),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        ("AWS_ENDPOINT_URL_STS", moto.url.clone()),
        ("ROLECALL_FEDERATION_URL", fake.url()),
        ("ROLECALL_BROWSER", browser.display().to_string()),
        ("LC_ALL", "C.UTF-8".to_string()),
        ("TERM", "xterm-256color".to_string()),
    ];
    let bin = rolecall_bin().display().to_string();
    tmux(
        &socket,
        &env,
        &[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "30",
            &bin,
        ],
    );
    let screen = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let s = tmux(&socket, &env, &["capture-pane", "-p", "-t", "t"]);
            if s.contains(what) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {what:?}; the screen shows:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    screen("4 profiles");
    tmux(&socket, &env, &["send-keys", "-t", "t", "?"]);
    screen("open the AWS console as the profile");
    tmux(&socket, &env, &["send-keys", "-t", "t", "?"]);
    screen("4 profiles");
    tmux(&socket, &env, &["send-keys", "-t", "t", "/"]);
    tmux(&socket, &env, &["send-keys", "-t", "t", "-l", "dev"]);
    // The selection stays on the profile it was on (audit, whose chain also
    // matches): the first row is dev.
    tmux(&socket, &env, &["send-keys", "-t", "t", "Enter", "g", "o"]);
    let shown = screen("opened the AWS console as 'dev' (account 123456789012)");
    assert!(!shown.contains("fake-signin"), "{shown}");
    let seen = recorded(&home);
    assert_eq!(seen["status"], 302, "{seen}");
    let token = fake.token_requests().pop().unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        param(&params(seen["location"].as_str().unwrap()), "SigninToken"),
        Some(token.as_str())
    );
    assert!(!seen["argv"][0].as_str().unwrap().contains(&token));
    tmux(&socket, &env, &["send-keys", "-t", "t", "q"]);
}
