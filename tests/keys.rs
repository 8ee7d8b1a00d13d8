//! `rolecall keys` on the real binary with the real Linux kernel keyring: each
//! run gets a session keyring from `keyctl session - ...` (Debian's keyutils;
//! entries live in the user's persistent keyring, shared between runs).
//! Profile names are unique per test run, and each test deletes its entries.
//! Also: botocore using a keychain profile through its credential_process
//! line, a role chain on top of one through aws-config, and `keys rotate`
//! against moto's IAM and STS.

mod common;

use common::moto::Moto;
use common::{Home, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

fn unique(name: &str) -> String {
    let n = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("rc-{name}-{}-{n}", std::process::id())
}

/// `rolecall ARGS` under `keyctl session -`, with `input` on stdin.
fn keyed(home: &Home, args: &[&str], input: &str, env: &[(&str, &str)]) -> Run {
    let mut cmd = home.command(peer("KEYCTL"));
    cmd.args(["session", "-"]).arg(rolecall_bin()).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    if input.is_empty() {
        return run_with_timeout(cmd, ROLECALL_TIMEOUT);
    }
    // Feed stdin through a file: run_with_timeout closes the pipe.
    let file = home.path().join(".stdin");
    std::fs::write(&file, input).unwrap();
    let wrapper = format!("exec \"$0\" \"$@\" < {}", file.display());
    let mut sh = home.command("/bin/sh");
    sh.arg("-c")
        .arg(wrapper)
        .arg(peer("KEYCTL"))
        .args(["session", "-"])
        .arg(rolecall_bin())
        .args(args);
    for (k, v) in env {
        sh.env(k, v);
    }
    run_with_timeout(sh, ROLECALL_TIMEOUT)
}

fn json(run: &Run) -> serde_json::Value {
    run.success();
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

#[test]
#[ignore = "needs keyctl: run scripts/test.sh"]
fn add_serves_keys_through_credential_process_and_rm_removes_them() {
    let home = Home::with(Some("[default]\nregion = eu-west-1\n"), None);
    let p = unique("add");
    let run = keyed(
        &home,
        &["keys", "add", &p],
        "AKIAKEYCHAINADD00001\nkeychain-secret-add\n",
        &[],
    );
    run.success();
    assert!(run.stdout.contains("AKIA…0001"), "{}", run.stdout);
    assert!(!run.all_output().contains("keychain-secret-add"));
    let line = format!("credential_process = rolecall credential-process --profile {p}");
    assert!(home.config().contains(&line), "{}", home.config());
    assert!(!home.path().join(".aws/credentials").exists());
    let got = json(&keyed(&home, &["credential-process", &p], "", &[]));
    assert_eq!(got["AccessKeyId"], "AKIAKEYCHAINADD00001");
    assert_eq!(got["SecretAccessKey"], "keychain-secret-add");
    assert_eq!(got["Version"], 1);
    assert!(got.get("Expiration").is_none());
    // Another profile's keys are not these.
    let other = keyed(&home, &["credential-process", "default"], "", &[]);
    assert_ne!(other.code, 0);
    // rm needs a confirmation without a terminal.
    let run = keyed(&home, &["keys", "rm", &p], "", &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("--yes"), "{}", run.stderr);
    keyed(&home, &["keys", "rm", &p, "--yes"], "", &[]).success();
    assert!(
        !home.config().contains("credential_process"),
        "{}",
        home.config()
    );
    let gone = keyed(&home, &["keys", "rm", &p, "--yes"], "", &[]);
    gone.expect_code(1);
    assert!(
        gone.stderr.contains(&format!("rolecall keys add {p}")),
        "{}",
        gone.stderr
    );
}

#[test]
#[ignore = "needs keyctl: run scripts/test.sh"]
fn migrate_leaves_no_plaintext_copy_and_tools_still_get_the_keys() {
    let p = unique("mig");
    let creds = format!(
        "# my keys\n[{p}]\naws_access_key_id = AKIAKEYCHAINMIG00001\naws_secret_access_key = migrated-secret-value\n"
    );
    let home = Home::with(
        Some(&format!("[profile {p}]\nregion = eu-west-1\n")),
        Some(&creds),
    );
    // A first edit leaves a backup holding the keys, as any edit would.
    home.rolecall_ok(&["set", &p, "output", "json"]);
    let run = keyed(&home, &["keys", "migrate", "--yes"], "", &[]);
    run.success();
    assert!(
        run.stdout.contains(&format!("{p}: AKIA…0001")),
        "{}",
        run.stdout
    );
    let dir = home.path().join(".aws");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            !text.contains("migrated-secret-value"),
            "{} still holds the secret:\n{text}",
            path.display()
        );
    }
    assert_eq!(home.credentials(), format!("# my keys\n[{p}]\n"));
    // botocore runs the credential_process line (rolecall found on PATH).
    let python = peer("PYTHON");
    let bin_dir = rolecall_bin().parent().unwrap().to_path_buf();
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let code = format!(
        "import botocore.session as s; c = s.Session(profile='{p}').get_credentials(); print(c.access_key, c.secret_key)"
    );
    let mut cmd = home.command(peer("KEYCTL"));
    cmd.args(["session", "-"])
        .arg(&python)
        .args(["-c", &code])
        .env("PATH", &path);
    let run = run_with_timeout(cmd, common::PEER_TIMEOUT);
    run.success();
    assert_eq!(
        run.stdout.trim(),
        "AKIAKEYCHAINMIG00001 migrated-secret-value"
    );
    keyed(&home, &["keys", "rm", &p, "--yes"], "", &[]).success();
}

#[test]
fn a_failed_keychain_write_changes_nothing() {
    let p = unique("nosession");
    let creds = format!(
        "[{p}]\naws_access_key_id = AKIAKEYCHAINNOS00001\naws_secret_access_key = kept-secret\n"
    );
    let home = Home::with(None, Some(&creds));
    // Without `keyctl session`, keyutils cannot read back what it wrote here.
    let mut cmd = home.command(rolecall_bin());
    cmd.args(["keys", "migrate", "--yes"]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    if run.code == 0 {
        // A login session keyring exists where this runs: then it must have moved.
        assert!(!home.credentials().contains("kept-secret"));
        keyed(&home, &["keys", "rm", &p, "--yes"], "", &[]).success();
        return;
    }
    assert!(run.stderr.contains("keyctl session"), "{}", run.stderr);
    assert_eq!(home.credentials(), creds);
    assert!(!home.path().join(".aws/config").exists());
}

fn moto_user(moto: &Moto, home: &Home) -> (String, String) {
    let code = format!(
        "import boto3; iam = boto3.client('iam', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y'); \
         iam.create_user(UserName='alice'); k = iam.create_access_key(UserName='alice')['AccessKey']; print(k['AccessKeyId'], k['SecretAccessKey'])",
        moto.url
    );
    let run = home.peer_run(&peer("PYTHON"), &["-c", &code]);
    run.success();
    let mut parts = run.stdout.split_whitespace();
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().to_string(),
    )
}

fn alice_keys(moto: &Moto, home: &Home) -> Vec<String> {
    let code = format!(
        "import boto3; iam = boto3.client('iam', endpoint_url='{}', region_name='us-east-1', aws_access_key_id='x', aws_secret_access_key='y'); \
         print(' '.join(k['AccessKeyId'] for k in iam.list_access_keys(UserName='alice')['AccessKeyMetadata']))",
        moto.url
    );
    let run = home.peer_run(&peer("PYTHON"), &["-c", &code]);
    run.success();
    run.stdout.split_whitespace().map(str::to_string).collect()
}

#[test]
#[ignore = "needs moto and keyctl: run scripts/test.sh"]
fn rotate_replaces_the_key_in_iam_and_the_keychain() {
    let moto = Moto::start();
    let home = Home::with(Some("[default]\nregion = us-east-1\n"), None);
    let (id, secret) = moto_user(&moto, &home);
    let p = unique("rot");
    let env = [
        ("AWS_ENDPOINT_URL_IAM", moto.url.as_str()),
        ("AWS_ENDPOINT_URL_STS", moto.url.as_str()),
    ];
    keyed(
        &home,
        &["keys", "add", &p],
        &format!("{id}\n{secret}\n"),
        &env,
    )
    .success();
    // A role chain on top of the keychain profile, through aws-config, which
    // runs the credential_process line (rolecall on PATH).
    let bin_dir = rolecall_bin().parent().unwrap().display().to_string();
    let mut config = home.config();
    config.push_str(&format!(
        "[profile {p}-role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = {p}\n"
    ));
    home.write_config(config);
    let path = format!("{bin_dir}:/usr/bin:/bin");
    let mut env_path = env.to_vec();
    env_path.push(("PATH", &path));
    let role = json(&keyed(
        &home,
        &["credential-process", &format!("{p}-role")],
        "",
        &env_path,
    ));
    assert!(
        role["AccessKeyId"].as_str().unwrap().starts_with("ASIA"),
        "{role}"
    );
    let run = keyed(&home, &["keys", "rotate", &p], "", &env);
    run.success();
    assert!(run.stdout.contains("deleted the old key"), "{}", run.stdout);
    let now = json(&keyed(&home, &["credential-process", &p], "", &env));
    let new_id = now["AccessKeyId"].as_str().unwrap().to_string();
    assert_ne!(new_id, id);
    assert_eq!(alice_keys(&moto, &home), vec![new_id]);
    assert!(!run.all_output().contains(&secret));
    keyed(&home, &["keys", "rm", &p, "--yes"], "", &[]).success();
}
