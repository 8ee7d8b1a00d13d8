//! Every writer refuses what the edit form refuses: each refusal's exit code,
//! message and untouched files, and each `--force` path with what it names.

mod common;

use common::{Home, Run};

const CONFIG: &str = "\
# mine
[profile deployer]
role_arn = arn:aws:iam::123456789012:role/Deploy
source_profile = base

[profile ci]
role_arn = arn:aws:iam::123456789012:role/Ci
credential_source = Environment

[profile dev]
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
";

const CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
";

fn home() -> Home {
    Home::with(Some(CONFIG), Some(CREDENTIALS))
}

/// Exit 1, the message holds every `needles`, no Rust debug text, and both
/// files are byte-identical.
#[track_caller]
fn refused(h: &Home, args: &[&str], needles: &[&str]) -> Run {
    let run = h.rolecall(args);
    run.expect_code(1);
    for n in needles {
        assert!(
            run.stderr.contains(n),
            "{args:?}: no {n:?} in\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    for debug in ["{ source:", "Error(", "Some("] {
        assert!(!run.stderr.contains(debug), "{}", run.stderr);
    }
    assert_eq!(h.config(), CONFIG, "{args:?} changed the config file");
    assert_eq!(
        h.credentials(),
        CREDENTIALS,
        "{args:?} changed the credentials"
    );
    run
}

#[test]
fn set_refuses_what_the_form_refuses() {
    let h = home();
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["set", "deployer", "role_arn", "not-an-arn"],
            &["role_arn", "not a role ARN", "--force"],
        ),
        (
            &["set", "deployer", "source_profile", "nosuch"],
            &["source_profile", "no profile 'nosuch'", "--force"],
        ),
        (
            &["set", "ci", "source_profile", "deployer"],
            &["exclude each other", "--force"],
        ),
        (
            &["set", "dev", "duration_seconds", "abc"],
            &["duration_seconds", "900", "--force"],
        ),
        (
            &["set", "dev", "regoin", "eu-west-1"],
            &["did you mean 'region'", "--force"],
        ),
        (
            &["set", "dev", "region", "us-east-1us-east-1"],
            &["not a region", "did you mean us-east-1", "--force"],
        ),
        (&["set", "dev", "mfa_serial", "x"], &["not an MFA device"]),
        (
            &["set", "dev", "credential_process", "rolecall export dev"],
            &["runs rolecall for 'dev' itself"],
        ),
        (
            &["set", "--sso-session", "corp", "sso_region", "eu-west-1x"],
            &["sso-session 'corp'", "not a region"],
        ),
        (
            &["profile", "add", "new", "role_arn=arn:aws:iam::1:role/x"],
            &["profile 'new'", "role_arn"],
        ),
        (
            &["profile", "rename", "base", "root"],
            &["deployer names 'base'", "--update-references"],
        ),
        (&["profile", "rm", "base"], &["deployer", "--force"]),
    ];
    for (args, needles) in cases {
        if args[1] == "rm" {
            // rm's refusal predates this check: its own wording.
            let run = h.rolecall(args);
            run.expect_code(1);
            assert_eq!(h.config(), CONFIG);
            assert_eq!(h.credentials(), CREDENTIALS);
            assert!(run.stderr.contains(needles[0]), "{}", run.stderr);
            continue;
        }
        refused(&h, args, needles);
    }
}

#[test]
fn a_loop_made_with_two_sets_is_refused_with_its_path() {
    let h = Home::with(
        Some(
            "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\n[profile b]\nrole_arn = arn:aws:iam::123456789012:role/B\nsource_profile = a\n",
        ),
        Some(""),
    );
    h.rolecall_ok(&["set", "a", "region", "eu-west-1"]);
    let before = h.config();
    let run = h.rolecall(&["set", "a", "source_profile", "b"]);
    run.expect_code(1);
    assert!(run.stderr.contains("a -> b -> a"), "{}", run.stderr);
    assert_eq!(h.config(), before);
    // Forced: written, and the bypass is named.
    let run = h.rolecall_ok(&["set", "a", "source_profile", "b", "--force"]);
    assert!(
        run.stderr.contains("--force wrote past an error") && run.stderr.contains("a -> b -> a"),
        "{}",
        run.stderr
    );
    assert!(h.config().contains("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/A\nregion = eu-west-1\nsource_profile = b\n"));
}

#[test]
fn force_writes_past_reference_and_range_errors_only() {
    for (key, value) in [
        ("role_arn", "not-an-arn"),
        ("source_profile", "nosuch"),
        ("duration_seconds", "99999"),
        ("regoin", "eu-west-1"),
    ] {
        let h = home();
        let run = h.rolecall_ok(&["set", "dev", key, value, "--force"]);
        assert!(
            run.stderr.contains("--force wrote past an error") && run.stderr.contains(key),
            "{key}: {}",
            run.stderr
        );
        assert!(
            h.config().contains(&format!(
                "[profile dev]\nregion = eu-west-1\n{key} = {value}\n"
            )),
            "{}",
            h.config()
        );
    }
    // Never past what the files cannot hold.
    let h = home();
    let run = h.rolecall(&["set", "dev", "output", "a\nb", "--force"]);
    run.expect_code(1);
    assert_eq!(h.config(), CONFIG);
    let run = h.rolecall(&["set", "dev", "bad key", "x", "--force"]);
    assert_ne!(run.code, 0);
    assert_eq!(h.config(), CONFIG);
    // Rename leaving a dangling reference: only with --force, and named.
    let h = home();
    let run = h.rolecall_ok(&["profile", "rename", "base", "root", "--force"]);
    assert!(
        run.stderr.contains("deployer still names 'base'"),
        "{}",
        run.stderr
    );
    assert!(h.credentials().contains("[root]"));
    // A profile added with a bad property, forced.
    let h = home();
    h.rolecall_ok(&["profile", "add", "x", "duration_seconds=5", "--force"]);
    assert!(h.config().ends_with("[profile x]\nduration_seconds = 5\n"));
}

#[test]
fn warnings_and_notes_are_written() {
    let h = home();
    // A well-formed region rolecall does not know: written, with a hint.
    let run = h.rolecall_ok(&["set", "dev", "region", "eu-wst-1"]);
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("did you mean eu-west-1"),
        "{}",
        run.stderr
    );
    assert!(h.config().contains("region = eu-wst-1\n"));
    // A key only another tool reads: written, with a note.
    let run = h.rolecall_ok(&["set", "dev", "granted_sso_start_url", "https://x"]);
    assert!(run.stderr.contains("note:"), "{}", run.stderr);
    assert!(h.config().contains("granted_sso_start_url = https://x\n"));
    // rolecall's own keychain line is not a loop.
    h.rolecall_ok(&[
        "set",
        "dev",
        "credential_process",
        "rolecall credential-process --profile dev",
    ]);
    // Unrelated edits are not held back by a problem already in the files.
    let h = Home::with(Some("[profile x]\nrole_arn = broken\n"), Some(""));
    h.rolecall_ok(&["set", "x", "region", "eu-west-1"]);
}

/// The same cases through the edit form and through `rolecall set`: both
/// refuse exactly the same ones (they share `profile::validate::review`).
#[test]
fn the_form_and_the_cli_judge_the_same_cases_alike() {
    use rolecall::ini::Document;
    use rolecall::profile::normalize::normalize;
    use rolecall::tui::form::{Field, Form};

    let cases: &[(&str, &str, &str, bool)] = &[
        ("deployer", "role_arn", "not-an-arn", true),
        (
            "deployer",
            "role_arn",
            "arn:aws-cn:iam::123456789012:role/X",
            false,
        ),
        ("deployer", "source_profile", "nosuch", true),
        ("deployer", "source_profile", "dev", false),
        ("ci", "source_profile", "deployer", true),
        ("dev", "duration_seconds", "abc", true),
        ("dev", "duration_seconds", "3600", false),
        ("dev", "regoin", "eu-west-1", true),
        ("dev", "manager", "granted", false),
        ("dev", "region", "us-east-1us-east-1", true),
        ("dev", "region", "eu-wst-1", false),
        ("dev", "sso_region", "ap-southeast-7", false),
        (
            "dev",
            "mfa_serial",
            "arn:aws:iam::123456789012:mfa/me",
            false,
        ),
        ("dev", "mfa_serial", "x", true),
        (
            "dev",
            "credential_process",
            "rolecall credential-process dev --refresh",
            true,
        ),
        (
            "dev",
            "credential_process",
            "rolecall credential-process --profile dev",
            false,
        ),
        ("dev", "credential_source", "Ec2", true),
    ];
    let set = normalize(
        Some(&Document::parse(CONFIG)),
        Some(&Document::parse(CREDENTIALS)),
    );
    for &(profile, key, value, refuse) in cases {
        let mut form = Form::open(&set, profile);
        match form.fields.iter_mut().find(|f| f.key == key) {
            Some(f) => f.value = value.to_string(),
            None => form.fields.push(Field {
                key: key.to_string(),
                value: value.to_string(),
                original: String::new(),
                error: None,
                note: None,
            }),
        }
        let form_ok = form.validate(&set);
        let h = home();
        let run = h.rolecall(&["set", profile, key, value]);
        assert_eq!(
            !form_ok, refuse,
            "form on {profile} {key}={value}: {:?}",
            form.fields
        );
        assert_eq!(
            run.code != 0,
            refuse,
            "set {profile} {key} {value}: {}",
            run.stderr
        );
        if refuse {
            assert_eq!(h.config(), CONFIG);
        }
    }
}

#[test]
fn unset_refuses_to_break_a_profile_that_names_itself() {
    let h = Home::with(
        Some("[profile k]\nsource_profile = k\nrole_arn = arn:aws:iam::123456789012:role/K\n"),
        Some("[k]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = s\n"),
    );
    let (config, credentials) = (h.config(), h.credentials());
    let run = h.rolecall(&["unset", "k", "aws_access_key_id"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("names itself as source_profile"),
        "{}",
        run.stderr
    );
    assert_eq!((h.config(), h.credentials()), (config, credentials));
    let run = h.rolecall_ok(&["unset", "k", "aws_access_key_id", "--force"]);
    assert!(
        run.stderr.contains("--force wrote past an error"),
        "{}",
        run.stderr
    );
    assert!(!h.credentials().contains("aws_access_key_id"));
}

#[test]
fn sso_setup_refuses_an_unknown_placeholder_before_any_login() {
    let h = home();
    let run = h.rolecall(&[
        "sso",
        "setup",
        "--session",
        "corp",
        "--start-url",
        "https://corp.awsapps.com/start",
        "--sso-region",
        "eu-west-1",
        "--template",
        "{account}.{role_name}",
        "--yes",
    ]);
    run.expect_code(2);
    for needle in [
        "--template",
        "{account}",
        "{account_id}",
        "nothing was written",
    ] {
        assert!(
            run.stderr.contains(needle),
            "no {needle:?} in\n{}",
            run.stderr
        );
    }
    // Refused before the login: no device code, no browser, no portal call.
    assert!(!run.stderr.contains("login"), "{}", run.stderr);
    assert_eq!(h.config(), CONFIG);
}
