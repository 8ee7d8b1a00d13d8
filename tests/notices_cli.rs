//! What a user notices: doctor tells the truth once, names are in natural
//! order, counts have the right plural, tables have headers, and `inspect
//! PROFILE` shows that profile's own findings.

mod common;

use common::Home;

#[test]
fn doctor_does_not_promise_a_refresh_it_cannot_make() {
    let h = Home::with(
        Some(
            "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n[profile ci]\nrole_arn = arn:aws:iam::123456789012:role/Ci\ncredential_source = Environment\n",
        ),
        Some(""),
    );
    let run = h.rolecall(&["doctor", "sso"]);
    run.expect_code(1);
    assert!(
        !run.stdout.contains("refreshes by itself"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("cannot refresh now"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("`rolecall login sso` (or `aws sso login --profile sso`)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\n1 error, "), "{}", run.stdout);
    // credential_source = Environment without the keys: an error, as `export` says.
    let run = h.rolecall(&["doctor", "ci"]);
    run.expect_code(1);
    assert!(
        run.stdout
            .contains("neither AWS_ACCESS_KEY_ID nor AWS_SECRET_ACCESS_KEY is set"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("refreshes by itself"),
        "{}",
        run.stdout
    );
    h.rolecall(&["export", "ci"]).expect_code(1);
    // With the keys in the environment, neither complains about them.
    let mut cmd = h.command(common::rolecall_bin());
    cmd.args(["doctor", "ci"])
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret");
    let run = common::run_with_timeout(cmd, common::ROLECALL_TIMEOUT);
    assert!(
        !run.stdout.contains("is set: every SDK fails"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_role_on_expired_keys_does_not_refresh_by_itself() {
    let h = Home::with(
        Some(
            "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/R\nsource_profile = temp\n",
        ),
        Some(
            "[temp]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\naws_session_token = t\nx_security_token_expires = 2020-01-01T00:00:00Z\n",
        ),
    );
    let run = h.rolecall(&["doctor", "role"]);
    run.expect_code(1);
    assert!(
        !run.stdout.contains("refreshes by itself"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("expired at 2020-01-01T00:00:00Z"),
        "{}",
        run.stdout
    );
}

#[test]
fn names_are_in_natural_order_and_counts_agree() {
    let h = Home::with(
        Some(
            "[profile acct-29]\nregion = eu-west-1\n[profile acct-3]\nregion = eu-west-1\n[profile acct-100]\nregion = eu-west-1\n",
        ),
        Some(""),
    );
    let run = h.rolecall_ok(&["list"]);
    let names: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, ["acct-3", "acct-29", "acct-100"]);
    let v = h.rolecall_ok(&["list", "--json"]).json();
    let json: Vec<&str> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(json, ["acct-3", "acct-29", "acct-100"]);
}

#[test]
fn inspect_shows_the_profiles_own_findings() {
    let h = Home::with(
        Some(
            "[profile dup]\nregion = eu-west-1\nregion = us-east-1\n[profile other]\nregion = eu-west-1\n",
        ),
        Some(""),
    );
    let run = h.rolecall(&["inspect", "dup"]);
    assert!(
        run.stdout.contains("findings:") && run.stdout.contains("'region' is set again"),
        "{}",
        run.stdout
    );
    // Another profile's findings are not its own.
    let run = h.rolecall(&["inspect", "other"]);
    assert!(
        run.stdout.contains("findings:") && !run.stdout.contains("'region' is set again"),
        "{}",
        run.stdout
    );
}

#[test]
fn sso_sessions_has_a_header() {
    let h = Home::with(
        Some(
            "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n[profile p]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Dev\n",
        ),
        Some(""),
    );
    let run = h.rolecall_ok(&["sso", "sessions"]);
    let mut lines = run.stdout.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("SESSION") && header.contains("PROFILES") && header.contains("TOKEN"),
        "{}",
        run.stdout
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("corp ") && row.contains("not logged in"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_command_that_takes_a_profile_suggests_the_nearest_name() {
    let h = Home::with(
        Some("[profile dev]\nregion = eu-west-1\n[profile prod]\nregion = eu-west-1\n"),
        Some(""),
    );
    for args in [
        &["exec", "devv", "--", "true"][..],
        &["inspect", "devv"],
        &["export", "devv"],
        &["switch", "devv", "--shell", "bash"],
    ] {
        let run = h.rolecall(args);
        assert_ne!(run.code, 0);
        assert!(
            run.stderr.contains("did you mean 'dev'"),
            "{args:?}: {}",
            run.stderr
        );
    }
}
