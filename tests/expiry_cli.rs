//! Stale credentials are never handed out as fresh: temporary keys whose
//! stated expiry has passed are refused by every mode, passed on with their
//! real expiry only with `--allow-expired` (env and export), and an unknown
//! expiry is never made up, except by the endpoint, which says so.

mod common;

use common::{Home, Run};

const PAST: &str = "2020-01-02T03:04:05Z";
const FUTURE: &str = "2099-01-02T03:04:05Z";

fn home(expiry_line: &str) -> Home {
    Home::with(
        Some("[profile temp]\nregion = eu-west-1\n"),
        Some(&format!(
            "[temp]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\naws_session_token = FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123\n{expiry_line}"
        )),
    )
}

#[track_caller]
fn refused_as_expired(run: &Run) {
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("temporary keys of profile 'temp' expired")
            && run.stderr.contains(PAST)
            && run.stderr.contains("--allow-expired"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.lines().count(),
        1,
        "one sentence: {}",
        run.stderr
    );
    assert!(
        !run.stdout.contains("ASIAIOSFODNN7EXAMPLE"),
        "{}",
        run.stdout
    );
}

#[test]
fn every_mode_refuses_expired_keys() {
    for key in ["x_security_token_expires", "aws_expiration", "expiration"] {
        let h = home(&format!("{key} = {PAST}\n"));
        for args in [
            &["exec", "temp", "--mode", "env", "--", "true"][..],
            &["exec", "temp", "--mode", "server", "--", "true"],
            &["exec", "temp", "--", "true"],
            &["export", "temp"],
            &["credential-process", "temp"],
            &["switch", "temp", "--shell", "bash", "--mode", "env"],
        ] {
            let run = h.rolecall(args);
            refused_as_expired(&run);
        }
    }
}

#[test]
fn allow_expired_passes_the_real_expiry_on_with_a_warning() {
    let h = home(&format!("x_security_token_expires = {PAST}\n"));
    let run = h.rolecall(&["export", "temp", "--allow-expired"]);
    run.success();
    assert!(
        run.stdout
            .contains(&format!("AWS_CREDENTIAL_EXPIRATION='{PAST}'"))
            || run
                .stdout
                .contains(&format!("AWS_CREDENTIAL_EXPIRATION={PAST}")),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("warning") && run.stderr.contains("--allow-expired"));
    let run = h.rolecall(&[
        "exec",
        "temp",
        "--mode",
        "env",
        "--allow-expired",
        "--",
        "sh",
        "-c",
        "echo \"$AWS_CREDENTIAL_EXPIRATION\"",
    ]);
    run.success();
    assert_eq!(run.stdout.trim(), PAST);
    // Only where the real expiry can be passed on.
    for mode in ["server", "profile"] {
        let run = h.rolecall(&[
            "exec",
            "temp",
            "--mode",
            mode,
            "--allow-expired",
            "--",
            "true",
        ]);
        run.expect_code(2);
        assert!(run.stderr.contains("--mode env"), "{}", run.stderr);
    }
    // `rc` (profile mode) switches, with a warning.
    let run = h.rolecall(&["switch", "temp", "--shell", "bash"]);
    run.success();
    assert!(
        run.stderr.contains("warning") && run.stderr.contains(PAST),
        "{}",
        run.stderr
    );
}

#[test]
fn a_stated_future_expiry_is_reported_as_it_is() {
    let h = home(&format!("x_security_token_expires = {FUTURE}\n"));
    let v = h.rolecall_ok(&["credential-process", "temp"]).json();
    assert_eq!(v["Expiration"], FUTURE);
    let run = h.rolecall_ok(&["export", "temp"]);
    assert!(run.stdout.contains(FUTURE), "{}", run.stdout);
}

#[test]
fn an_unknown_expiry_is_not_made_up() {
    let h = home("");
    let v = h.rolecall_ok(&["credential-process", "temp"]).json();
    assert!(v.get("Expiration").is_none(), "{v}");
    let run = h.rolecall_ok(&["export", "temp"]);
    assert!(
        !run.stdout.contains("AWS_CREDENTIAL_EXPIRATION="),
        "{}",
        run.stdout
    );
    // The endpoint must state one: now plus its refresh interval, said once.
    let run = h.rolecall_ok(&["exec", "temp", "--mode", "server", "--", "true"]);
    assert_eq!(
        run.stderr.matches("state no expiry").count(),
        1,
        "{}",
        run.stderr
    );
}
