//! SSO end to end against the project's own IAM Identity Center server
//! (tests/sso_server.py): rolecall's device-code login and the caches it
//! writes, read by botocore and the AWS CLI v2; a login made by the AWS CLI v2
//! used by rolecall; the flow's answers (slow_down, denial, expiry, Ctrl-C);
//! refresh; one login and one refresh for many parallel processes; logout;
//! and onboarding with `sso setup`.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::sso::{self, SsoServer, token_path};
use common::{Home, PEER_TIMEOUT, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

fn config(accounts: usize) -> String {
    let mut s = String::from(
        "# my SSO setup\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
    for i in 0..accounts {
        s.push_str(&format!(
            "\n[profile p{i}]\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = AdministratorAccess\nregion = eu-west-1\n",
            100_000_000_000u64 + i as u64
        ));
    }
    s
}

fn rolecall(home: &Home, server: &SsoServer, args: &[&str]) -> Run {
    let mut cmd = sso::command(home, server, rolecall_bin());
    cmd.args(args);
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

fn botocore_credentials(home: &Home, server: &SsoServer, profile: &str) -> Run {
    let mut cmd = sso::command(home, server, peer("PYTHON"));
    cmd.args([
        "-c",
        "import sys, botocore.session\nc = botocore.session.Session(profile=sys.argv[1]).get_credentials().get_frozen_credentials()\nprint(c.access_key, c.token)",
        profile,
    ]);
    run_with_timeout(cmd, PEER_TIMEOUT)
}

fn aws_v2(home: &Home, server: &SsoServer, args: &[&str]) -> Run {
    let mut cmd = sso::command(home, server, sso::aws_v2_python());
    cmd.arg(sso::aws_v2_script()).args(args);
    run_with_timeout(cmd, PEER_TIMEOUT)
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn rolecall_login_writes_caches_botocore_and_the_aws_cli_v2_use() {
    let server = SsoServer::start(&[]);
    let home = Home::with(Some(&config(1)), None);
    let run = rolecall(&home, &server, &["login", "--sso-session", "corp"]);
    run.success();
    assert!(
        run.stdout.contains("logged in to sso-session 'corp'"),
        "{}",
        run.all_output()
    );
    assert!(
        run.stderr.contains("signing in to sso-session 'corp'"),
        "the code is shown: {}",
        run.stderr
    );

    // The token file, byte layout as the AWS CLI v2 writes it.
    let path = token_path(&home, "corp");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains('\n'), "one line, no final newline: {text:?}");
    let keys = [
        "startUrl",
        "region",
        "accessToken",
        "expiresAt",
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ];
    let at: Vec<usize> = keys
        .iter()
        .map(|k| {
            text.find(&format!("\"{k}\": \""))
                .unwrap_or_else(|| panic!("{k} in {text}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "keys in the CLI's order: {text}"
    );
    assert!(text.starts_with(
        "{\"startUrl\": \"https://corp.awsapps.com/start\", \"region\": \"eu-west-1\", "
    ));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }

    // botocore and the AWS CLI v2 use it against the same server, with no login.
    let boto = botocore_credentials(&home, &server, "p0");
    boto.success();
    assert!(boto.stdout.starts_with("ASIA"), "{}", boto.all_output());
    assert!(
        boto.stdout
            .contains("sso-session-for-100000000000-AdministratorAccess")
    );
    let cli = aws_v2(
        &home,
        &server,
        &["configure", "export-credentials", "--profile", "p0"],
    );
    cli.success();
    assert!(
        cli.json()["AccessKeyId"]
            .as_str()
            .unwrap()
            .starts_with("ASIA"),
        "{}",
        cli.all_output()
    );
    assert_eq!(
        server.count("/device_authorization"),
        1,
        "nobody logged in again"
    );

    // A second `login` finds the token fresh.
    let again = rolecall(&home, &server, &["login", "p0"]);
    again.success();
    assert!(
        again.stdout.contains("already logged in"),
        "{}",
        again.stdout
    );
    assert_eq!(server.count("/device_authorization"), 1);
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn rolecall_uses_a_login_the_aws_cli_v2_made() {
    let server = SsoServer::start(&["--auto-approve-after", "0"]);
    let home = Home::with(Some(&config(1)), None);
    let login = aws_v2(
        &home,
        &server,
        &["sso", "login", "--sso-session", "corp", "--no-browser"],
    );
    login.success();
    let sessions = rolecall(&home, &server, &["sso", "sessions", "--json"]);
    sessions.success();
    let row = &sessions.json()[0];
    assert_eq!(row["session"], "corp");
    assert!(row["seconds_left"].as_i64().unwrap() > 7 * 3600, "{row}");
    assert_eq!(row["refreshable"], true);
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.args(["export", "p0", "--format", "json"])
        .env("ROLECALL_NO_LOGIN", "1");
    let export = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    export.success();
    assert!(export.stdout.contains("ASIA"), "{}", export.all_output());
    // rolecall reuses the client registration the CLI cached (same file name).
    let again = rolecall(
        &home,
        &server,
        &["login", "--sso-session", "corp", "--force"],
    );
    again.success();
    assert_eq!(server.count("/client/register"), 1, "{}", server.stats());
    assert_eq!(server.count("/device_authorization"), 2);
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn slow_down_and_pending_are_waited_out() {
    let server = SsoServer::start(&["--script", "pending,slow_down", "--auto-approve-after", "0"]);
    let home = Home::with(Some(&config(1)), None);
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.args(["login", "--sso-session", "corp", "--no-browser"]);
    let started = Instant::now();
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    run.success();
    assert_eq!(server.count("/token"), 3, "{}", server.stats());
    // After slow_down the interval is 1 + 5 seconds (not an assertion on speed:
    // it proves the client waited as told instead of polling at once).
    assert!(started.elapsed() >= Duration::from_secs(6));
    assert!(
        run.stderr.contains("Open this page"),
        "--no-browser prints the page: {}",
        run.stderr
    );
    assert!(token_path(&home, "corp").exists());
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn denial_and_expiry_fail_without_writing_a_token() {
    for (script, message) in [("denied", "denied"), ("pending,expired", "expired")] {
        let server = SsoServer::start(&["--script", script]);
        let home = Home::with(Some(&config(1)), None);
        let run = rolecall(&home, &server, &["login", "--sso-session", "corp"]);
        run.expect_code(1);
        assert!(run.stderr.contains(message), "{script}: {}", run.stderr);
        assert!(
            !token_path(&home, "corp").exists(),
            "{script}: no token written"
        );
    }
}

#[cfg(unix)]
#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn ctrl_c_cancels_the_login_and_writes_no_token() {
    let server = SsoServer::start(&[]);
    let home = Home::with(Some(&config(1)), None);
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.args(["login", "--sso-session", "corp", "--no-browser"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + ROLECALL_TIMEOUT;
    while server.count("/token") < 2 {
        assert!(Instant::now() < deadline, "the login never polled");
        std::thread::sleep(Duration::from_millis(50));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("cancelled"), "{err}");
    assert!(!token_path(&home, "corp").exists());
}

fn parallel_exports(home: &Home, server: &SsoServer, n: usize) -> Vec<Run> {
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let mut cmd: Command = sso::command(home, server, rolecall_bin());
            cmd.args(["export", &format!("p{i}"), "--format", "json"]);
            std::thread::spawn(move || run_with_timeout(cmd, ROLECALL_TIMEOUT))
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn parallel_commands_share_one_login() {
    let server = SsoServer::start(&[]);
    let home = Home::with(Some(&config(6)), None);
    for run in parallel_exports(&home, &server, 6) {
        run.success();
        assert!(run.stdout.contains("ASIA"), "{}", run.all_output());
    }
    assert_eq!(
        server.count("/device_authorization"),
        1,
        "{}",
        server.stats()
    );
    assert_eq!(server.count("approved"), 1, "one browser tab");
    assert_eq!(server.count("/federation/credentials"), 6);
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn a_token_near_expiry_is_refreshed_once_for_parallel_commands() {
    // The login's token lives 10 minutes: inside the 15-minute refresh window
    // at once; refreshed tokens live 8 hours.
    let server = SsoServer::start(&[
        "--token-seconds",
        "600",
        "--refreshed-token-seconds",
        "28800",
    ]);
    let home = Home::with(Some(&config(5)), None);
    rolecall(&home, &server, &["login", "--sso-session", "corp"]).success();
    let before = std::fs::read_to_string(token_path(&home, "corp")).unwrap();
    for run in parallel_exports(&home, &server, 5) {
        run.success();
    }
    assert_eq!(server.count("refresh"), 1, "{}", server.stats());
    assert_eq!(server.count("/device_authorization"), 1, "no new login");
    let after = std::fs::read_to_string(token_path(&home, "corp")).unwrap();
    assert_ne!(before, after, "the refreshed token was saved");
    // botocore reads the refreshed token (it would refresh too, but the refresh
    // token it finds is the new one: the server accepts each only once).
    botocore_credentials(&home, &server, "p0").success();
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn logout_ends_the_session_and_removes_its_caches() {
    let server = SsoServer::start(&[]);
    let home = Home::with(Some(&config(1)), None);
    rolecall(&home, &server, &["export", "p0"]).success();
    // Role credentials the AWS CLI cached for this session, and another file.
    let cli = home.path().join(".aws/cli/cache");
    std::fs::create_dir_all(&cli).unwrap();
    let key =
        r#"{"accountId":"100000000000","roleName":"AdministratorAccess","sessionName":"corp"}"#;
    let sso_file = cli.join(format!("{}.json", common::sha1_hex(key)));
    std::fs::write(&sso_file, r#"{"ProviderType": "sso", "Credentials": {}}"#).unwrap();
    let other = cli.join("other.json");
    std::fs::write(&other, r#"{"Credentials": {}}"#).unwrap();

    let run = rolecall(&home, &server, &["logout", "corp"]);
    run.success();
    assert!(
        run.stdout.contains("signed out of sso-session 'corp'"),
        "{}",
        run.stdout
    );
    assert_eq!(server.count("/logout"), 1);
    assert!(!token_path(&home, "corp").exists());
    assert!(!sso_file.exists() && other.exists());
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.args(["export", "p0"]).env("ROLECALL_NO_LOGIN", "1");
    let after = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    after.expect_code(1);
    assert!(
        after.stderr.contains("rolecall login --sso-session corp"),
        "{}",
        after.stderr
    );
    rolecall(&home, &server, &["logout", "--all"]).success();
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn sso_setup_writes_profiles_and_a_rerun_prunes_only_its_own() {
    let server = SsoServer::start(&["--accounts", "40", "--roles", "3", "--throttle-every", "5"]);
    let hand = "# hand-written, keep me\n[profile mine]   # inline\nregion = us-west-2\n";
    let home = Home::with(Some(hand), None);
    let args = [
        "sso",
        "setup",
        "--session",
        "corp",
        "--start-url",
        "https://corp.awsapps.com/start",
        "--sso-region",
        "eu-west-1",
        "--output",
        "json",
    ];

    let dry = rolecall(&home, &server, &[&args[..], &["--dry-run"]].concat());
    dry.success();
    assert!(
        dry.stdout.contains("120 profile(s) to add"),
        "{}",
        dry.all_output()
    );
    assert_eq!(home.config(), hand, "a dry run writes nothing");
    let no_tty = rolecall(&home, &server, &args);
    no_tty.expect_code(2);
    assert!(no_tty.stderr.contains("--yes"), "{}", no_tty.stderr);

    let run = rolecall(&home, &server, &[&args[..], &["--yes"]].concat());
    run.success();
    assert!(
        server.count("throttled") > 0,
        "the test throttled: {}",
        server.stats()
    );
    let text = home.config();
    assert!(
        text.starts_with(hand),
        "hand-written lines kept byte for byte"
    );
    assert!(text.contains("[profile Account-007.ReadOnlyAccess]\nsso_session = corp\nsso_account_id = 100000000007\nsso_role_name = ReadOnlyAccess\nregion = eu-west-1\noutput = json\nrolecall_generated = corp\n"), "{text}");
    let list = rolecall(&home, &server, &["list", "--json"]);
    assert_eq!(list.json()["profiles"].as_array().unwrap().len(), 121);

    // botocore reads every profile.
    let mut cmd = sso::command(&home, &server, peer("PYTHON"));
    cmd.args([
        "-c",
        "import botocore.session; print(len(botocore.session.Session().available_profiles))",
    ]);
    let boto = run_with_timeout(cmd, PEER_TIMEOUT);
    boto.success();
    assert_eq!(boto.stdout.trim(), "121");

    // Re-run keeping only the read-only roles: the others are pruned, "mine" stays.
    let rerun = rolecall(
        &home,
        &server,
        &[&args[..], &["--yes", "--filter", "ReadOnlyAccess"]].concat(),
    );
    rerun.success();
    assert!(
        rerun
            .stdout
            .contains("0 profile(s) to add, 0 key(s) to update, 80 to remove, 40 unchanged"),
        "{}",
        rerun.stdout
    );
    let list = rolecall(&home, &server, &["list", "--json"]);
    assert_eq!(list.json()["profiles"].as_array().unwrap().len(), 41);
    assert!(home.config().starts_with(hand));
}

#[test]
#[ignore = "needs python and the AWS CLI v2: run scripts/test.sh"]
fn sso_setup_from_an_empty_home_creates_the_config() {
    let server = SsoServer::start(&["--accounts", "2", "--roles", "1"]);
    let home = Home::empty();
    let run = rolecall(
        &home,
        &server,
        &[
            "sso",
            "setup",
            "--session",
            "corp",
            "--start-url",
            "https://corp.awsapps.com/start",
            "--sso-region",
            "eu-west-1",
            "--yes",
        ],
    );
    run.success();
    let text = home.config();
    assert!(
        text.starts_with("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"),
        "{text}"
    );
    assert_eq!(text.matches("[profile ").count(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(home.config_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "a new config file is private");
    }
    // And the profiles work at once, from the token the setup's login left.
    let export = rolecall(
        &home,
        &server,
        &["export", "Account-000.AdministratorAccess"],
    );
    export.success();
    assert_eq!(server.count("/device_authorization"), 1);
}
