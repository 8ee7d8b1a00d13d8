//! Console credentials (`login_session`, the AWS CLI's `aws login`) end to end
//! against the project's sign-in server (tests/signin_server.py, which checks
//! PKCE and every DPoP proof): `rolecall login --console` writes the cache
//! byte for byte as the AWS CLI does and botocore (with its crt extra)
//! resolves and refreshes from it; `exec` resolves a profile from a cache
//! file in the AWS CLI's format and refreshes it through the server.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::{Home, PEER_TIMEOUT, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

const SESSION: &str = "arn:aws:iam::123456789012:user/alice";

/// aws-config's test key and its public coordinates (the fake binds refresh
/// tokens to them).
const KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBMB/RwQERsVoqWRQG4zK8CnaAa5dfrpbm+9tFdBh3z4oAoGCCqGSM49\nAwEHoUQDQgAEWb1VLi1EA2hJaTz4yYuxSELvY+1GAfL+8rUTCAdiFid87Bf6GY+s\n2+1RpqDv0RpZiDIMCrZrsAh+RK9S3QCaGA==\n-----END EC PRIVATE KEY-----\n";
const KEY_XY: &str =
    "Wb1VLi1EA2hJaTz4yYuxSELvY-1GAfL-8rUTCAdiFic.fOwX-hmPrNvtUaag79EaWYgyDAq2a7AIfkSvUt0Amhg";

struct Signin {
    child: Child,
    url: String,
    port: u16,
}

impl Signin {
    fn start(args: &[&str]) -> Signin {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/signin_server.py");
        let mut child = Command::new(peer("PYTHON"))
            .arg(&script)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start tests/signin_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("{line:?}"));
        Signin {
            child,
            url: format!("http://127.0.0.1:{port}"),
            port,
        }
    }

    fn count(&self, key: &str) -> u64 {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(s, "GET /_stats HTTP/1.0\r\nHost: x\r\n\r\n").unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let body = text.split_once("\r\n\r\n").unwrap().1;
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        v[key].as_u64().unwrap_or(0)
    }
}

impl Drop for Signin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser that follows the authorize page's redirect to rolecall's listener.
fn browser(home: &Home) -> PathBuf {
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

fn command(home: &Home, server: &Signin, program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut cmd = home.command(program);
    cmd.env("AWS_ENDPOINT_URL_SIGNIN", &server.url)
        .env("XDG_CACHE_HOME", home.path().join(".cache"))
        .env("ROLECALL_BROWSER", browser(home))
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY");
    cmd
}

fn rolecall(home: &Home, server: &Signin, args: &[&str]) -> Run {
    let mut cmd = command(home, server, rolecall_bin());
    cmd.args(args);
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

/// botocore's credentials for `profile`: "ACCESS_KEY_ID METHOD".
fn botocore(home: &Home, server: &Signin, profile: &str) -> Run {
    let mut cmd = command(home, server, peer("PYTHON"));
    cmd.args([
        "-c",
        "import sys, botocore.session\nc = botocore.session.Session(profile=sys.argv[1]).get_credentials()\nf = c.get_frozen_credentials()\nprint(f.access_key, c.method)",
        profile,
    ]);
    run_with_timeout(cmd, PEER_TIMEOUT)
}

fn cache_file(home: &Home) -> PathBuf {
    use sha2::Digest;
    let hex: String = sha2::Sha256::digest(SESSION.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    home.path()
        .join(".aws/login/cache")
        .join(format!("{hex}.json"))
}

#[test]
#[ignore = "needs python: run scripts/test.sh"]
fn console_login_writes_the_clis_cache_and_botocore_refreshes_from_it() {
    // Credentials for two minutes: inside every SDK's refresh window at once.
    let server = Signin::start(&["--expires-in", "120"]);
    let home = Home::with(Some("[profile other]\nregion = eu-west-1\n"), None);
    let run = rolecall(
        &home,
        &server,
        &["login", "--console", "dev", "--region", "eu-west-1"],
    );
    run.success();
    assert!(
        run.stdout
            .contains(&format!("logged in to {SESSION} (profile dev)")),
        "{}",
        run.all_output()
    );
    assert!(home.config().ends_with(&format!(
        "[profile dev]\nlogin_session = {SESSION}\nregion = eu-west-1\n"
    )));
    // The cache file, as `aws login` writes it.
    let path = cache_file(&home);
    let text = std::fs::read_to_string(&path).expect("the cache file");
    assert!(
        text.starts_with(
            "{\"accessToken\": {\"accessKeyId\": \"ASIASIGNIN00000001\", \"secretAccessKey\": \""
        ),
        "{text}"
    );
    let order = [
        "\"sessionToken\": ",
        "\"accountId\": \"123456789012\", \"expiresAt\": \"",
        "}, \"tokenType\": \"aws_sigv4\", \"clientId\": \"arn:aws:signin:::devtools/same-device\", \"refreshToken\": \"ASOR",
        "\"idToken\": \"",
        "\"dpopKey\": \"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEE",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|k| text.find(k).unwrap_or_else(|| panic!("{k} in {text}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(
        text.ends_with("-----END EC PRIVATE KEY-----\\n\"}"),
        "{text}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(server.count("login"), 1);

    // botocore resolves the profile from that file and refreshes it with the
    // key rolecall made (the server checks the DPoP proof and the binding).
    let boto = botocore(&home, &server, "dev");
    boto.success();
    assert_eq!(
        boto.stdout.trim(),
        "ASIASIGNIN00000002 login",
        "{}",
        boto.all_output()
    );
    assert_eq!(server.count("refresh"), 1);
    assert_eq!(server.count("dpop_refused"), 0);

    // A second login finds nothing fresh enough (two minutes) and signs in again;
    // with fresh credentials `login dev` says so and calls nobody.
    let again = rolecall(&home, &server, &["login", "dev"]);
    again.success();
    assert_eq!(server.count("login"), 2, "{}", again.all_output());
}

#[test]
#[ignore = "needs python: run scripts/test.sh"]
fn exec_resolves_and_refreshes_a_profile_from_the_aws_clis_cache_file() {
    let server = Signin::start(&["--seed-refresh", &format!("ASORseed:{KEY_XY}")]);
    let home = Home::with(
        Some(&format!(
            "[profile console]\nlogin_session = {SESSION}\nregion = eu-west-1\n"
        )),
        None,
    );
    // Expired credentials, written as the AWS CLI writes them (json.dumps).
    let token = serde_json::json!({"dpopKey": KEY});
    let file = format!(
        "{{\"accessToken\": {{\"accessKeyId\": \"ASIAOLD\", \"secretAccessKey\": \"old\", \"sessionToken\": \"old\", \"accountId\": \"123456789012\", \"expiresAt\": \"2020-01-01T00:00:00Z\"}}, \"tokenType\": \"aws_sigv4\", \"clientId\": \"arn:aws:signin:::devtools/same-device\", \"refreshToken\": \"ASORseed\", \"idToken\": \"e30.e30.sig\", \"dpopKey\": {}}}",
        token["dpopKey"]
    );
    let path = cache_file(&home);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, &file).unwrap();
    // The prompt's countdown comes from the cache: expired.
    let prompt = |home: &Home| {
        let mut cmd = command(home, &server, rolecall_bin());
        cmd.arg("prompt").env("AWS_PROFILE", "console");
        run_with_timeout(cmd, ROLECALL_TIMEOUT)
    };
    let before = prompt(&home);
    before.success();
    assert_eq!(
        before.stdout.trim(),
        "console expired",
        "{}",
        before.all_output()
    );

    let run = rolecall(
        &home,
        &server,
        &[
            "exec",
            "console",
            "--mode",
            "env",
            "--",
            "sh",
            "-c",
            "echo $AWS_ACCESS_KEY_ID",
        ],
    );
    run.success();
    assert_eq!(
        run.stdout.trim(),
        "ASIASIGNIN00000001",
        "{}",
        run.all_output()
    );
    // The default for expiring credentials: the local endpoint, read by botocore.
    let python = peer("PYTHON");
    let served = rolecall(
        &home,
        &server,
        &[
            "exec",
            "console",
            "--",
            python.to_str().unwrap(),
            "-c",
            "import botocore.session\nc = botocore.session.Session().get_credentials()\nprint(c.get_frozen_credentials().access_key, c.method)",
        ],
    );
    served.success();
    assert_eq!(
        served.stdout.trim(),
        "ASIASIGNIN00000001 container-role",
        "{}",
        served.all_output()
    );
    assert_eq!(server.count("refresh"), 1);
    assert_eq!(server.count("dpop_refused"), 0);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("ASIASIGNIN00000001"),
        "the refresh was saved: {after}"
    );
    assert!(
        !after.contains("ASORseed"),
        "the spent refresh token is gone"
    );
    let fresh = prompt(&home);
    assert!(
        fresh.stdout.starts_with("console ")
            && fresh.stdout.contains('m')
            && !fresh.stdout.contains("expired"),
        "a countdown: {}",
        fresh.all_output()
    );

    // A session logged in more than 12 hours ago (the ID token's iat) with
    // expired credentials: doctor says the refresh token is over, fix: log in.
    let old_login = format!(
        "e30.{}.sig",
        rolecall::sso::pkce::base64url(br#"{"sub":"x","iat":1577836800}"#)
    );
    std::fs::write(&path, file.replace("e30.e30.sig", &old_login)).unwrap();
    let doctor = rolecall(&home, &server, &["doctor", "console"]);
    assert!(
        doctor.stdout.contains("console-session-expired")
            || doctor.all_output().contains("ended at"),
        "{}",
        doctor.all_output()
    );
    assert!(
        doctor.all_output().contains("rolecall login console"),
        "{}",
        doctor.all_output()
    );

    // A refresh token the server no longer knows: exec fails and says to log in.
    std::fs::write(&path, file.replace("ASORseed", "ASORunknown")).unwrap();
    let failed = rolecall(&home, &server, &["exec", "console", "--", "true"]);
    assert_ne!(failed.code, 0, "{}", failed.all_output());
    assert!(
        failed
            .stderr
            .contains("log in again with `rolecall login console`")
            && !failed.stderr.contains("ProviderError"),
        "one sentence and the fix: {}",
        failed.stderr
    );
}
