//! `rolecall doctor` on the real binary: prepared environments and files, the
//! report on stdout, the exit status, `--json`, and botocore's boto2 files.

mod common;

use common::{Home, ROLECALL_TIMEOUT, Run, rolecall_bin, run_with_timeout};

const CONFIG: &str = "\
[profile dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile other]
region = eu-west-2
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
";

fn doctor(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = home.command(rolecall_bin());
    cmd.arg("doctor").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

#[test]
fn a_clean_profile_passes_and_names_the_source_of_each_family() {
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let run = doctor(&home, &[], &[("AWS_PROFILE", "dev")]);
    run.success();
    assert!(run.stdout.contains("Profile 'dev'"), "{}", run.stdout);
    for family in [
        "AWS SDK for Rust",
        "Go v2, Java v2",
        "botocore",
        "AWS CLI v2",
    ] {
        let line = run.stdout.lines().find(|l| l.contains(family)).unwrap();
        assert!(
            line.contains("profile 'dev' (refreshes by itself)"),
            "{line}"
        );
    }
    assert!(!run.stdout.contains("base-secret-key"));
}

#[test]
fn shadowing_keys_and_the_default_profile_variable_fail_with_fixes() {
    let home = Home::with(Some(CONFIG), Some(CREDENTIALS));
    let env = [
        ("AWS_PROFILE", "dev"),
        ("AWS_DEFAULT_PROFILE", "other"),
        ("AWS_ACCESS_KEY_ID", "ASIAENVIRONMENT00001"),
        ("AWS_SECRET_ACCESS_KEY", "env-secret-never-printed"),
    ];
    let run = doctor(&home, &[], &env);
    run.expect_code(1);
    let out = &run.stdout;
    assert!(out.contains("botocore (boto3, AWS CLI v1) [profile 'other' from AWS_DEFAULT_PROFILE]: keys in the environment (expires and does not refresh)"), "{out}");
    assert!(out.contains("error: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: every AWS SDK and CLI uses them instead of profile 'dev'"), "{out}");
    assert!(out.contains("fix: `unset AWS_ACCESS_KEY_ID"), "{out}");
    assert!(out.contains("AWS_SESSION_TOKEN is not set"), "{out}");
    assert!(out.contains("fix: `unset AWS_DEFAULT_PROFILE`"), "{out}");
    assert!(!out.contains("env-secret-never-printed") && !run.stderr.contains("env-secret"));
    // Named on the command line, the profile wins once the variables are gone.
    let run = doctor(&home, &["dev"], &[]);
    run.success();
}

#[test]
fn json_lists_families_and_findings_with_their_files() {
    let home = Home::with(
        Some(&format!(
            "{CONFIG}[profile loop]\nrole_arn = x\nsource_profile = loop2\nsource_profile = loop2\n[profile loop2]\nrole_arn = y\nsource_profile = loop\n"
        )),
        Some(CREDENTIALS),
    );
    let run = doctor(&home, &["--json", "loop"], &[]);
    run.expect_code(1);
    let v = run.json();
    assert_eq!(v["profile"], "loop");
    assert_eq!(v["ok"], false);
    let families = v["families"].as_array().unwrap();
    assert_eq!(families.len(), 4);
    assert_eq!(families[0]["family"], "rust");
    assert_eq!(families[0]["source"], "fails");
    let findings = v["findings"].as_array().unwrap();
    let dup = findings
        .iter()
        .find(|f| f["code"] == "duplicate-key")
        .unwrap();
    assert_eq!(dup["line"], 11);
    assert!(dup["path"].as_str().unwrap().ends_with(".aws/config"));
    assert!(
        findings
            .iter()
            .all(|f| f["fix"].as_str().is_some_and(|s| !s.is_empty()))
    );
}

#[test]
fn boto2_keys_are_botocores_last_resort() {
    let home = Home::with(Some("[profile bare]\nregion = eu-west-1\n"), None);
    let boto = home.path().join("boto.cfg");
    std::fs::write(
        &boto,
        "[Credentials]\naws_access_key_id = AKIABOTO\naws_secret_access_key = x\n",
    )
    .unwrap();
    let run = doctor(&home, &["bare"], &[("BOTO_CONFIG", boto.to_str().unwrap())]);
    let out = &run.stdout;
    assert!(
        out.contains("botocore (boto3, AWS CLI v1): keys in"),
        "{out}"
    );
    assert!(
        out.contains("warning: ") && out.contains("holds plaintext keys in [Credentials]"),
        "{out}"
    );
    // The other SDKs find nothing (instance metadata is off in tests).
    run.expect_code(1);
    assert!(
        out.contains(
            "no credential source has credentials for AWS SDK for Rust, AWS SDKs for Go v2, Java v2"
        ),
        "{out}"
    );
}
