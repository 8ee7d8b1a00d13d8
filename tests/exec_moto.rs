//! `exec`, `export` and `credential-process` against moto's STS on 127.0.0.1:
//! role chains, credential_source, web identity, the credential cache, the
//! environment each mode hands the child, exit codes, and the loop guard.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::{Home, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile audit]
role_arn = arn:aws:iam::123456789012:role/audit
source_profile = dev
region = eu-west-2

[profile ci]
role_arn = arn:aws:iam::123456789012:role/ci
credential_source = Environment
region = us-east-1

[profile pod]
role_arn = arn:aws:iam::123456789012:role/pod
web_identity_token_file = TOKEN_FILE
role_session_name = pod-session
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
";

fn home() -> Home {
    let home = Home::with(None, Some(CREDENTIALS));
    let token = home.path().join("token.jwt");
    std::fs::write(&token, "eyJhbGciOiJIUzI1NiJ9.e30.signature").unwrap();
    home.write_config(CONFIG.replace("TOKEN_FILE", &token.display().to_string()));
    home
}

fn rolecall(home: &Home, moto: &Moto, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = home.command(rolecall_bin());
    cmd.args(args).env("AWS_ENDPOINT_URL_STS", &moto.url);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

fn python_prints(
    home: &Home,
    moto: &Moto,
    profile: &str,
    mode: &str,
    code: &str,
    env: &[(&str, &str)],
) -> Run {
    let python = peer("PYTHON");
    let python = python.to_str().unwrap();
    rolecall(
        home,
        moto,
        &["exec", profile, "--mode", mode, "--", python, "-c", code],
        env,
    )
}

const WHO: &str = "import boto3, os; print(boto3.client('sts').get_caller_identity()['Arn'])";

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn export_resolves_a_two_hop_chain_through_aws_config() {
    let moto = Moto::start();
    let home = home();
    let run = rolecall(&home, &moto, &["export", "audit", "--format", "json"], &[]);
    run.success();
    let v = run.json();
    let set = &v["set"];
    assert!(
        set["AWS_ACCESS_KEY_ID"]
            .as_str()
            .unwrap()
            .starts_with("ASIA"),
        "{v}"
    );
    assert!(
        set["AWS_SESSION_TOKEN"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    assert!(
        set["AWS_CREDENTIAL_EXPIRATION"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert_eq!(set["AWS_REGION"], "eu-west-2");
    assert_eq!(set["AWS_DEFAULT_REGION"], "eu-west-2");
    assert_eq!(set["ROLECALL_PROFILE"], "audit");
    let unset: Vec<&str> = v["unset"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for var in [
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ] {
        assert!(unset.contains(&var), "{var} in {unset:?}");
    }
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn env_mode_child_is_the_assumed_role_whatever_it_inherited() {
    let moto = Moto::start();
    let home = home();
    let inherited = [
        ("AWS_ACCESS_KEY_ID", "AKIASHADOW0000000000"),
        ("AWS_SECRET_ACCESS_KEY", "shadow"),
        ("AWS_PROFILE", "base"),
        ("AWS_DEFAULT_PROFILE", "base"),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", "/nonexistent"),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/other"),
    ];
    let run = python_prints(&home, &moto, "audit", "env", WHO, &inherited);
    run.success();
    assert!(
        run.stdout.contains(":assumed-role/audit/"),
        "{}",
        run.all_output()
    );
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn profile_mode_child_resolves_the_profile_itself() {
    let moto = Moto::start();
    let home = home();
    let code = "import boto3, os; print(os.environ['AWS_PROFILE'], os.environ['AWS_DEFAULT_PROFILE'], os.environ['AWS_DEFAULT_REGION'], 'AWS_ACCESS_KEY_ID' in os.environ); print(boto3.client('sts').get_caller_identity()['Arn'])";
    let inherited = [
        ("AWS_ACCESS_KEY_ID", "AKIASHADOW0000000000"),
        ("AWS_SECRET_ACCESS_KEY", "shadow"),
        ("AWS_DEFAULT_PROFILE", "base"),
    ];
    let run = python_prints(&home, &moto, "dev", "profile", code, &inherited);
    run.success();
    assert!(
        run.stdout.starts_with("dev dev eu-west-1 False\n"),
        "{}",
        run.all_output()
    );
    assert!(
        run.stdout.contains(":assumed-role/dev/"),
        "{}",
        run.all_output()
    );
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn credential_source_environment_and_web_identity() {
    let moto = Moto::start();
    let home = home();
    let keys = [
        ("AWS_ACCESS_KEY_ID", "AKIAENV0000000000000"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret"),
    ];
    let run = python_prints(&home, &moto, "ci", "env", WHO, &keys);
    run.success();
    assert!(
        run.stdout.contains(":assumed-role/ci/"),
        "{}",
        run.all_output()
    );
    let code = "import boto3; print(boto3.client('sts', region_name='us-east-1').get_caller_identity()['Arn'])";
    let run = python_prints(&home, &moto, "pod", "env", code, &[]);
    run.success();
    assert!(
        run.stdout.contains(":assumed-role/pod/pod-session"),
        "{}",
        run.all_output()
    );
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn credential_process_output_and_the_cache() {
    let moto = Moto::start();
    let home = home();
    let first = rolecall(
        &home,
        &moto,
        &["credential-process", "--profile", "dev"],
        &[],
    );
    first.success();
    let v = first.json();
    assert_eq!(
        v["Version"],
        serde_json::json!(1),
        "Version is the integer 1"
    );
    assert!(v["Expiration"].as_str().unwrap().ends_with('Z'));
    assert!(first.stderr.is_empty(), "{}", first.stderr);
    // The cached session's end, the same wherever it is shown (the TUI's
    // status comes from the same function: credential::status).
    let expiration = v["Expiration"].as_str().unwrap().to_string();
    assert_eq!(
        home.shown_expiry("dev"),
        (Some(expiration.clone()), expiration)
    );
    // A second call within the margin is served from the cache: the same keys.
    let second = rolecall(&home, &moto, &["credential-process", "dev"], &[]).json();
    assert_eq!(second["AccessKeyId"], v["AccessKeyId"]);
    // --refresh fetches new ones; a margin larger than their lifetime too.
    let refreshed = rolecall(
        &home,
        &moto,
        &["credential-process", "dev", "--refresh"],
        &[],
    )
    .json();
    assert_ne!(refreshed["AccessKeyId"], v["AccessKeyId"]);
    let margin = rolecall(
        &home,
        &moto,
        &["credential-process", "dev", "--margin", "120"],
        &[],
    )
    .json();
    assert_ne!(margin["AccessKeyId"], refreshed["AccessKeyId"]);
    let cache = home.path().join(".cache/rolecall/credentials");
    let files: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .collect();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            files[0].metadata().unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn a_credential_process_calling_rolecall_for_itself_stops() {
    let moto = Moto::start();
    let home = home();
    let bin = rolecall_bin();
    // A line rolecall does not take for its own (extra flags): aws-config runs
    // it, and the loop guard stops the second rolecall.
    home.write_config(format!(
        "[profile loop]\ncredential_process = {} credential-process loop --refresh\n",
        bin.display()
    ));
    let started = Instant::now();
    let run = rolecall(&home, &moto, &["credential-process", "loop"], &[]);
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stderr.contains("resolves through rolecall again"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    // Its own line (`keys add`): read from the keychain, never run.
    home.write_config(format!(
        "[profile loop]\ncredential_process = {} credential-process loop\n",
        bin.display()
    ));
    let run = rolecall(&home, &moto, &["credential-process", "loop"], &[]);
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stderr.contains("holds no keys for profile 'loop'"),
        "{}",
        run.stderr
    );
}

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn exit_status_nesting_and_errors() {
    let moto = Moto::start();
    let home = home();
    let run = rolecall(
        &home,
        &moto,
        &["exec", "base", "--", "sh", "-c", "exit 7"],
        &[],
    );
    assert_eq!(run.code, 7, "{}", run.all_output());
    // exec counts as using the profile, for the TUI's "recent" order.
    let recent = std::fs::read_to_string(home.path().join(".local/state/rolecall/recent.json"))
        .expect("exec records the profile it ran");
    assert!(recent.contains("\"base\""), "{recent}");
    let run = rolecall(
        &home,
        &moto,
        &["exec", "dev", "--", "true"],
        &[("ROLECALL_PROFILE", "audit")],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    rolecall(
        &home,
        &moto,
        &["exec", "dev", "--force", "--", "true"],
        &[("ROLECALL_PROFILE", "audit")],
    )
    .success();
    let run = rolecall(&home, &moto, &["export", "nope"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no profile 'nope'"), "{}", run.stderr);
    assert!(Path::new(&rolecall_bin()).exists());
}
