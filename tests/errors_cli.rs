//! Every error path a test can provoke ends in one sentence with its fix, with
//! no Rust debug text; `--debug` adds the chain of causes. Unreadable files and
//! directories are findings for readers and refusals for writers only.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{Home, Run, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[profile dev]
region = eu-west-1

[profile ci]
role_arn = arn:aws:iam::123456789012:role/Ci
credential_source = Environment

[profile a]
role_arn = arn:aws:iam::123456789012:role/A
source_profile = b

[profile b]
role_arn = arn:aws:iam::123456789012:role/B
source_profile = a

[profile dangling]
role_arn = arn:aws:iam::123456789012:role/D
source_profile = nosuch

[profile web]
role_arn = arn:aws:iam::123456789012:role/W
web_identity_token_file = /nonexistent/rolecall-test/token

[profile sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile old]
sso_session = stale
sso_account_id = 123456789012
sso_role_name = Dev

[sso-session stale]
sso_start_url = https://stale.awsapps.com/start
sso_region = eu-west-1
";

const CREDENTIALS: &str = "\
[temp]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
aws_session_token = FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123
x_security_token_expires = 2020-01-01T00:00:00Z
";

#[track_caller]
fn no_debug_text(run: &Run) {
    let all = run.all_output();
    for debug in ["{ source:", "Error(", "Some(", "Os {", "kind:"] {
        assert!(!all.contains(debug), "debug text {debug:?} in:\n{all}");
    }
}

#[track_caller]
fn one_sentence_error(run: &Run, needles: &[&str]) {
    assert_ne!(run.code, 0, "{}", run.all_output());
    no_debug_text(run);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains("error")).collect();
    assert_eq!(errors.len(), 1, "printed once:\n{}", run.stderr);
    for n in needles {
        assert!(run.stderr.contains(n), "no {n:?} in:\n{}", run.stderr);
    }
}

#[test]
fn every_error_path_is_one_sentence_with_its_fix() {
    let h = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["export", "ci"],
            &[
                "credential_source = Environment",
                "AWS_ACCESS_KEY_ID",
                "export them",
            ],
        ),
        (&["export", "a"], &["infinite loop (a -> b -> a)", "fix:"]),
        (&["exec", "dangling", "--", "true"], &["nosuch", "fix:"]),
        (&["export", "temp"], &["expired", "--allow-expired"]),
        (
            &["export", "web"],
            &[
                "web identity token file",
                "/nonexistent/rolecall-test/token cannot be read",
            ],
        ),
        (&["exec", "devv", "--", "true"], &["did you mean 'dev'"]),
        (&["inspect", "devv"], &["did you mean 'dev'"]),
        (
            &["set", "dev", "regoin", "eu-west-1"],
            &["did you mean 'region'"],
        ),
        (
            &["exec", "dev", "terraform", "plan"],
            &["rolecall exec dev -- terraform plan"],
        ),
    ];
    for (args, needles) in cases {
        let run = h.rolecall(args);
        one_sentence_error(&run, needles);
    }
    // No SSO token and no login allowed: the fix is rolecall's own command.
    let mut cmd = h.command(rolecall_bin());
    cmd.args(["export", "sso"]).env("ROLECALL_NO_LOGIN", "1");
    let run = run_with_timeout(cmd, common::ROLECALL_TIMEOUT);
    one_sentence_error(&run, &["rolecall login"]);
}

#[test]
fn an_sso_login_without_network_says_why_once() {
    let h = Home::with(Some(CONFIG), Some(""));
    // A closed loopback port (nothing listens on the discard port). A name
    // that does not resolve is not tried: the tests send nothing beyond
    // loopback, a DNS query included.
    let (endpoint, needle) = (
        "http://127.0.0.1:9",
        "connection was refused by 127.0.0.1:9",
    );
    {
        let mut cmd = h.command(rolecall_bin());
        cmd.args(["login", "sso", "--no-browser"])
            .env("AWS_ENDPOINT_URL_SSO_OIDC", endpoint)
            .stdin(std::process::Stdio::null());
        let run = run_with_timeout(cmd, common::ROLECALL_TIMEOUT);
        one_sentence_error(&run, &["cannot reach the SSO portal", needle]);
        assert_eq!(run.stderr.matches(needle).count(), 1, "{}", run.stderr);
        // --debug adds the chain of causes.
        let mut cmd = h.command(rolecall_bin());
        cmd.args(["login", "sso", "--no-browser", "--debug"])
            .env("AWS_ENDPOINT_URL_SSO_OIDC", endpoint)
            .stdin(std::process::Stdio::null());
        let run = run_with_timeout(cmd, common::ROLECALL_TIMEOUT);
        assert!(
            run.stderr.contains("[1]") && run.stderr.contains("debug:"),
            "{}",
            run.stderr
        );
    }
}

/// Runs rolecall as an unprivileged user when this test runs as root (root
/// reads any file), through util-linux's setpriv.
fn as_nobody(h: &Home, args: &[&str]) -> Run {
    // SAFETY: geteuid only reads the process's credentials.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let mut c = h.command("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(rolecall_bin());
        c
    } else {
        h.command(rolecall_bin())
    };
    cmd.args(args);
    run_with_timeout(cmd, common::ROLECALL_TIMEOUT)
}

fn open_to_all(h: &Home) {
    for dir in [h.path().to_path_buf(), h.path().join(".aws")] {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::set_permissions(h.config_path(), std::fs::Permissions::from_mode(0o666)).unwrap();
}

#[test]
fn unreadable_and_directory_files_are_findings_and_only_writes_fail() {
    for broken in ["unreadable", "directory"] {
        let h = Home::with(Some(CONFIG), Some(CREDENTIALS));
        open_to_all(&h);
        let creds = h.credentials_path();
        let needle = if broken == "unreadable" {
            std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o000)).unwrap();
            "permission denied reading ~/.aws/credentials"
        } else {
            std::fs::remove_file(&creds).unwrap();
            std::fs::create_dir(&creds).unwrap();
            std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o777)).unwrap();
            "~/.aws/credentials is a directory"
        };
        // Readers go on, with the other file, and say what is wrong.
        for args in [&["list"][..], &["inspect", "dev"], &["doctor", "dev"]] {
            let run = as_nobody(&h, args);
            no_debug_text(&run);
            assert!(
                run.all_output().contains(needle),
                "{broken} {args:?}:\n{}",
                run.all_output()
            );
            assert!(
                run.stdout.contains("dev"),
                "{broken} {args:?}:\n{}",
                run.stdout
            );
        }
        // A write to the other file works; a write to it fails in a sentence.
        as_nobody(&h, &["set", "dev", "output", "json"]).success();
        assert!(h.config().contains("output = json"));
        let run = as_nobody(&h, &["set", "temp2", "aws_access_key_id", "AKIDEXAMPLE"]);
        assert_ne!(run.code, 0);
        no_debug_text(&run);
        let run = as_nobody(
            &h,
            &[
                "profile",
                "add",
                "k",
                "aws_access_key_id=AKIDEXAMPLE",
                "aws_secret_access_key=x",
            ],
        );
        assert_ne!(run.code, 0);
        no_debug_text(&run);
        assert!(
            run.stderr.contains(needle) && run.stderr.contains("nothing was written"),
            "{}",
            run.stderr
        );
    }
}
