//! `exec --each`: one command in many profiles. Against the project's SSO
//! server (one login and one refresh for 200 profiles of one session,
//! throttling, a removed role), against moto (assume-role profiles), and with
//! plain keys: every child sees its own credentials and region, the summary
//! and `--json` match the children's exit codes, and Ctrl-C leaves no process.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::moto::Moto;
use common::sso::{self, SsoServer};
use common::{Home, ROLECALL_TIMEOUT, Run, peer, rolecall_bin, run_with_timeout};

/// Logins the test SSO server saw, by either flow (PKCE is the default
/// since issue 18; the device code in an SSH session).
fn logins(server: &SsoServer) -> u64 {
    server.count("/device_authorization") + server.count("/authorize")
}

fn sso_config(n: usize) -> String {
    let mut s = String::from(
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n",
    );
    let regions = ["eu-west-1", "us-east-2", "ap-south-1"];
    for i in 0..n {
        s.push_str(&format!(
            "\n[profile p{i}]\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = Admin\nregion = {}\n",
            100_000_000_000u64 + i as u64,
            regions[i % 3]
        ));
    }
    s
}

fn json_lines(run: &Run) -> HashMap<String, serde_json::Value> {
    run.stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            (v["profile"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

/// Prints the child's profile, region and the session token botocore gets.
const WHO: &str = "import os, botocore.session\n\
c = botocore.session.Session().get_credentials().get_frozen_credentials()\n\
print(os.environ['ROLECALL_PROFILE'], os.environ.get('AWS_REGION'), c.token)";

#[test]
#[ignore = "needs python (botocore): run scripts/test.sh"]
fn sso_children_see_their_own_credentials_and_a_removed_role_fails_alone() {
    let server = SsoServer::start(&[
        "--removed-account",
        "100000000004",
        "--throttle-credentials-every",
        "3",
    ]);
    let home = Home::with(Some(&sso_config(6)), None);
    let mut cmd = sso::command(&home, &server, rolecall_bin());
    cmd.args(["exec", "--each", "p*", "--json", "-j", "3", "--"])
        .arg(peer("PYTHON"))
        .args(["-c", WHO]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    run.expect_code(1);
    let out = json_lines(&run);
    assert_eq!(out.len(), 6, "{}", run.all_output());
    for i in [0, 1, 2, 3, 5] {
        let v = &out[&format!("p{i}")];
        assert_eq!(v["status"], "ok", "{v}");
        assert_eq!(v["exit_code"], 0, "{v}");
        let region = ["eu-west-1", "us-east-2", "ap-south-1"][i % 3];
        // The server's session token names the account and role it is for.
        assert_eq!(
            v["stdout"].as_str().unwrap().trim(),
            format!(
                "p{i} {region} sso-session-for-{:012}-Admin",
                100_000_000_000u64 + i as u64
            ),
            "{v}"
        );
    }
    let removed = &out["p4"];
    assert_eq!(removed["status"], "error", "{removed}");
    assert!(removed["exit_code"].is_null());
    assert!(
        removed["error"].as_str().unwrap().contains("p4"),
        "{removed}"
    );
    assert!(server.count("throttled") >= 1, "{}", server.stats());
    assert_eq!(logins(&server), 1, "one login");
    // The summary (stderr) lists the failure first.
    let summary: Vec<&str> = run
        .stderr
        .lines()
        .skip_while(|l| !l.starts_with("PROFILE"))
        .collect();
    assert!(
        summary[1].starts_with("p4 ") && summary[1].contains("error"),
        "{}",
        run.stderr
    );
    assert_eq!(summary.last().unwrap(), &"6 profiles: 5 ok, 1 failed");
}

#[test]
#[ignore = "needs python (the SSO server): run scripts/test.sh"]
fn two_hundred_sso_profiles_one_login_then_one_refresh() {
    let server = SsoServer::start(&[
        "--token-seconds",
        "600",
        "--refreshed-token-seconds",
        "28800",
        "--throttle-credentials-every",
        "50",
    ]);
    let home = Home::with(Some(&sso_config(200)), None);
    let fan = |home: &Home| {
        let mut cmd = sso::command(home, &server, rolecall_bin());
        cmd.args(["exec", "--each", "p*", "-j", "16", "--quiet", "--"])
            .args([
                "sh",
                "-c",
                "test \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" && echo $ROLECALL_PROFILE",
            ]);
        run_with_timeout(cmd, ROLECALL_TIMEOUT)
    };
    // No token yet: one login for all 200. Its token lives 10 minutes, inside
    // the refresh window: the profiles after the first refresh it once, not
    // 199 times.
    let run = fan(&home);
    run.success();
    assert!(
        run.stderr.contains("200 profiles: 200 ok, 0 failed"),
        "{}",
        run.stderr
    );
    assert_eq!(logins(&server), 1, "{}", server.stats());
    assert_eq!(server.count("refresh"), 1, "{}", server.stats());
    assert!(server.count("throttled") >= 1, "{}", server.stats());
    // Again: the refreshed token and the cached role credentials serve.
    let fetched = server.count("/federation/credentials");
    let run = fan(&home);
    run.success();
    assert_eq!(server.count("refresh"), 1, "{}", server.stats());
    assert_eq!(logins(&server), 1, "no second login");
    assert_eq!(server.count("/federation/credentials"), fetched, "cached");
}

const MOTO_CONFIG: &str = "\
[profile r-dev]
role_arn = arn:aws:iam::123456789012:role/dev
source_profile = base
region = eu-west-1

[profile r-audit]
role_arn = arn:aws:iam::123456789012:role/audit
source_profile = r-dev
region = eu-west-2

[profile r-ops]
role_arn = arn:aws:iam::123456789012:role/ops
source_profile = base
region = us-east-1

[profile r-broken]
role_arn = arn:aws:iam::123456789012:role/broken
source_profile = missing
";

const MOTO_CREDENTIALS: &str = "\
[base]
aws_access_key_id = AKIAEXAMPLE000000001
aws_secret_access_key = base-secret-key-000000000000000000000000
";

#[test]
#[ignore = "needs moto: run scripts/test.sh"]
fn assume_role_children_see_their_own_role_and_region() {
    let moto = Moto::start();
    let home = Home::with(Some(MOTO_CONFIG), Some(MOTO_CREDENTIALS));
    let code = "import os, boto3\n\
arn = boto3.client('sts').get_caller_identity()['Arn']\n\
print(os.environ['ROLECALL_PROFILE'], os.environ.get('AWS_REGION'), arn)\n\
raise SystemExit(3 if 'ops' in arn else 0)";
    let mut cmd = home.command(rolecall_bin());
    cmd.env("AWS_ENDPOINT_URL_STS", &moto.url)
        .args(["exec", "--each", "r-*", "--json", "--"])
        .arg(peer("PYTHON"))
        .args(["-c", code]);
    let run = run_with_timeout(cmd, ROLECALL_TIMEOUT);
    run.expect_code(1);
    let out = json_lines(&run);
    for (p, role, region) in [
        ("r-dev", "dev", "eu-west-1"),
        ("r-audit", "audit", "eu-west-2"),
        ("r-ops", "ops", "us-east-1"),
    ] {
        let stdout = out[p]["stdout"].as_str().unwrap();
        assert!(
            stdout.starts_with(&format!(
                "{p} {region} arn:aws:sts::123456789012:assumed-role/{role}/"
            )),
            "{p}: {stdout}"
        );
    }
    assert_eq!(out["r-dev"]["exit_code"], 0);
    assert_eq!(out["r-ops"]["exit_code"], 3);
    assert_eq!(out["r-ops"]["status"], "failed");
    assert_eq!(out["r-broken"]["status"], "error");
    assert!(
        run.stderr.contains("4 profiles: 2 ok, 2 failed"),
        "{}",
        run.stderr
    );
}

const KEYS: &str = "\
[k1]
aws_access_key_id = AKIAK1
aws_secret_access_key = s1
[k2]
aws_access_key_id = AKIAK2
aws_secret_access_key = s2
[k3]
aws_access_key_id = AKIAK3
aws_secret_access_key = s3
[other]
aws_access_key_id = AKIAOTHER
aws_secret_access_key = s4
";

#[test]
fn dry_run_lists_glob_matches_and_no_match_is_an_error() {
    let home = Home::with(Some("[profile k1]\nregion = eu-west-1\n"), Some(KEYS));
    let run = home.rolecall(&["exec", "--each", "k[12]", "--each", "k3", "--dry-run"]);
    run.success();
    let names: Vec<&str> = run
        .stdout
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(names, ["k1", "k2", "k3"]);
    let run = home.rolecall(&["exec", "--each", "kk", "--", "true"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no profile matches"), "{}", run.stderr);
}

#[test]
fn live_lines_are_prefixed_and_the_exit_status_says_if_any_failed() {
    let home = Home::with(Some("[profile k1]\nregion = eu-west-1\n"), Some(KEYS));
    let run = home.rolecall(&[
        "exec", "--each", "k*", "--", "sh", "-c",
        "echo \"$AWS_ACCESS_KEY_ID ${AWS_REGION:-none}\"; [ \"$ROLECALL_PROFILE\" != k2 ] || exit 5",
    ]);
    run.expect_code(1);
    let mut lines: Vec<&str> = run.stdout.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "k1 │ AKIAK1 eu-west-1",
            "k2 │ AKIAK2 none",
            "k3 │ AKIAK3 none"
        ]
    );
    assert!(
        run.stderr.contains("3 profiles: 2 ok, 1 failed"),
        "{}",
        run.stderr
    );
    let k2 = run.stderr.lines().find(|l| l.starts_with("k2 ")).unwrap();
    assert!(k2.contains("failed") && k2.contains(" 5 "), "{k2}");
    let ok = home.rolecall(&["exec", "--each", "k*", "--quiet", "--", "true"]);
    ok.success();
    assert_eq!(ok.stdout, "");
}

#[test]
fn kind_sso_session_and_account_select_through_the_binary() {
    let config = "[profile k1]\nregion = eu-west-1\n\
                  [profile r1]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = k1\n\
                  [profile r2]\nrole_arn = arn:aws:iam::210987654321:role/ops\nsource_profile = k1\n\
                  [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\
                  [profile s1]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\n";
    let home = Home::with(Some(config), Some(KEYS));
    let names = |args: &[&str]| -> Vec<String> {
        let run = home.rolecall(args);
        run.success();
        run.stdout
            .lines()
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names(&["exec", "--kind", "role", "--dry-run"]),
        ["r1", "r2"]
    );
    assert_eq!(
        names(&["exec", "--each", "k*", "--kind", "keys", "--dry-run"]),
        ["k1", "k2", "k3"]
    );
    assert_eq!(
        names(&["exec", "--account", "123456789012", "--dry-run"]),
        ["r1", "s1"]
    );
    assert_eq!(
        names(&["exec", "--sso-session", "corp", "--dry-run"]),
        ["s1"]
    );
    assert_eq!(
        names(&[
            "exec",
            "--account",
            "123456789012",
            "--kind",
            "sso",
            "--dry-run"
        ]),
        ["s1"]
    );
    let none = home.rolecall(&["exec", "--kind", "web-id", "--", "true"]);
    none.expect_code(1);
    assert!(
        none.stderr.contains("no profile matches"),
        "{}",
        none.stderr
    );
}

#[test]
fn group_keeps_each_profiles_lines_together() {
    let home = Home::with(Some("[profile k1]\nregion = eu-west-1\n"), Some(KEYS));
    // Live, the three children's first lines come before any second one.
    let script = "echo first; sleep 0.5; echo second";
    let run = home.rolecall(&["exec", "--each", "k*", "--group", "--", "sh", "-c", script]);
    run.success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    for pair in lines.chunks(2) {
        let name = pair[0].split(' ').next().unwrap();
        assert_eq!(
            pair,
            [format!("{name} │ first"), format!("{name} │ second")],
            "{}",
            run.stdout
        );
    }
}

#[test]
fn timeout_stops_the_slow_child_and_the_others_finish() {
    let home = Home::with(Some("[profile k1]\nregion = eu-west-1\n"), Some(KEYS));
    // One at a time, each child longer than half the timeout: a deadline for
    // the whole run, not per child, would stop k3 too.
    let script = "[ \"$ROLECALL_PROFILE\" != k2 ] || sleep 120; sleep 0.6; echo done";
    let started = Instant::now();
    let run = home.rolecall(&[
        "exec",
        "--each",
        "k*",
        "-j",
        "1",
        "--timeout",
        "1s",
        "--json",
        "--",
        "sh",
        "-c",
        script,
    ]);
    run.expect_code(1);
    let by = json_lines(&run);
    assert_eq!(by["k2"]["status"], "timeout", "{}", run.stdout);
    assert_eq!(by["k2"]["stdout"], "", "{}", run.stdout);
    for ok in ["k1", "k3"] {
        assert_eq!(by[ok]["status"], "ok", "{}", run.stdout);
        assert_eq!(by[ok]["stdout"], "done\n", "{}", run.stdout);
    }
    // Stopped, not waited for: the sleep would have taken two minutes.
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[test]
fn mode_chooses_what_each_child_is_given() {
    let home = Home::with(Some("[profile k1]\nregion = eu-west-1\n"), Some(KEYS));
    let script = "echo \"${AWS_PROFILE:-none} ${AWS_ACCESS_KEY_ID:-none}\"";
    let lines = |mode: &str| -> Vec<Vec<String>> {
        let run = home.rolecall(&[
            "exec", "--each", "k*", "--mode", mode, "--group", "--", "sh", "-c", script,
        ]);
        run.success();
        let mut lines: Vec<Vec<String>> = run
            .stdout
            .lines()
            .map(|l| l.split_whitespace().map(str::to_string).collect())
            .collect();
        lines.sort();
        lines
    };
    // (`--mode server`, the default for roles, is what
    // `assume_role_children_see_their_own_role_and_region` runs, against moto.)
    let got = lines("env");
    let want: Vec<Vec<String>> = (1..=3)
        .map(|i| {
            vec![
                format!("k{i}"),
                "│".into(),
                "none".into(),
                format!("AKIAK{i}"),
            ]
        })
        .collect();
    assert_eq!(got, want, "--mode env");
    let got = lines("profile");
    let want: Vec<Vec<String>> = (1..=3)
        .map(|i| vec![format!("k{i}"), "│".into(), format!("k{i}"), "none".into()])
        .collect();
    assert_eq!(got, want, "--mode profile");
}

fn alive(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').map(|(_, r)| r.trim_start().to_string()))
        .is_some_and(|r| !r.starts_with('Z'))
}

fn pids(path: &Path, n: usize) -> Vec<i32> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let found: Vec<i32> = text
            .split_whitespace()
            .filter_map(|p| p.parse().ok())
            .collect();
        if found.len() >= n {
            return found;
        }
        assert!(Instant::now() < deadline, "{text:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `exec --each k* -j 2` whose children write their pids and a
/// grandchild's to a file, and waits for the first two children.
fn start_fanout(home: &Home, script: &str) -> (std::process::Child, std::path::PathBuf) {
    let file = home.path().join("pids");
    let mut cmd: Command = home.command(rolecall_bin());
    cmd.args([
        "exec", "--each", "k*", "-j", "2", "--quiet", "--", "sh", "-c",
    ])
    .arg(script.replace("PIDS", &file.display().to_string()))
    .stdout(Stdio::null())
    .stderr(Stdio::piped());
    (cmd.spawn().unwrap(), file)
}

fn wait_exit(child: &mut std::process::Child, within: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("rolecall still runs after {within:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_c_stops_every_child_and_starts_no_more() {
    let home = Home::with(None, Some(KEYS));
    let (mut child, file) = start_fanout(
        &home,
        "echo $$ >> PIDS; sleep 600 & echo $! >> PIDS; sleep 600",
    );
    let found = pids(&file, 4);
    // SAFETY: a signal to the rolecall this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    // The shells end at once; their background sleeps ignore SIGINT (as
    // POSIX shells start them) and get SIGKILL after the 10 s grace period.
    let status = wait_exit(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(1));
    std::thread::sleep(Duration::from_millis(100));
    for p in &found {
        assert!(!alive(*p), "pid {p} outlived rolecall");
    }
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.split_whitespace().count(),
        4,
        "no child started after Ctrl-C"
    );
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert!(err.contains("cancelled"), "{err}");
}

#[test]
fn a_second_ctrl_c_kills_children_that_ignore_the_first() {
    let home = Home::with(None, Some(KEYS));
    let (mut child, file) = start_fanout(
        &home,
        "trap '' INT; echo $$ >> PIDS; sleep 600 & echo $! >> PIDS; wait",
    );
    let found = pids(&file, 4);
    // SAFETY: signals to the rolecall this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        found.iter().all(|p| alive(*p)),
        "the first Ctrl-C is ignored here"
    );
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let started = Instant::now();
    let status = wait_exit(&mut child, Duration::from_secs(15));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "killed, not waited out"
    );
    assert_eq!(status.code(), Some(1));
    std::thread::sleep(Duration::from_millis(100));
    for p in &found {
        assert!(!alive(*p), "pid {p} outlived rolecall");
    }
}
