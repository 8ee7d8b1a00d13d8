//! The shell integration's commands on the real binary, without a terminal:
//! `prompt` against a home with the AWS CLI's caches, `init`, `switch`'s refusals,
//! `completions` (registration and dynamic answers) and `man`. The shells
//! themselves are driven in `shell_e2e.rs`.

mod common;

use std::time::Duration;

use common::{Home, ROLECALL_TIMEOUT, Run, rolecall_bin, run_with_timeout};
use rolecall::credential::cache::sso_token_file;
use rolecall::credential::expiry::format_rfc3339;

const CONFIG: &str = "\
[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer
region = eu-west-1

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile ops]
region = us-east-2
";

/// `rolecall ARGS` in `home` with extra variables.
fn run(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = home.command(rolecall_bin());
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, ROLECALL_TIMEOUT)
}

#[test]
fn prompt_shows_the_profile_and_the_sso_session_time_left() {
    let home = Home::with(Some(CONFIG), None);
    let cache = home.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    let expires = std::time::SystemTime::now() + Duration::from_secs(3 * 3600 + 30 * 60);
    std::fs::write(
        cache.join(sso_token_file("corp")),
        format!(
            r#"{{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "secret", "expiresAt": "{}"}}"#,
            format_rfc3339(expires)
        ),
    )
    .unwrap();
    let shown = run(&home, &["prompt"], &[("AWS_PROFILE", "dev")]);
    shown.success();
    assert!(
        shown.stdout == "dev 3h29m\n" || shown.stdout == "dev 3h30m\n",
        "{shown:?}"
    );
    let custom = run(
        &home,
        &["prompt", "--format", "[{profile}@{region} {left}]"],
        &[("AWS_PROFILE", "ops")],
    );
    assert_eq!(custom.success().stdout, "[ops@us-east-2]\n");
    // No profile selected: nothing at all, so the prompt stays as it was.
    assert_eq!(run(&home, &["prompt"], &[]).success().stdout, "");
    let bad = run(&home, &["prompt", "--format", "{account}"], &[]);
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("unknown placeholder {account}"),
        "{bad:?}"
    );
    // The token itself never shows.
    assert!(!shown.all_output().contains("secret"));
}

#[test]
fn init_prints_a_function_and_checks_its_name() {
    let home = Home::with(Some(CONFIG), None);
    let bash = run(&home, &["init", "bash"], &[]);
    assert!(bash.success().stdout.contains("\nrc() {\n"), "{bash:?}");
    // Called by its path: the function calls this very binary.
    let bin = rolecall_bin().display().to_string();
    assert!(
        bash.stdout
            .contains(&format!("command '{bin}' switch --shell bash"))
    );
    let ps = run(&home, &["init", "powershell", "--name", "awsp"], &[]);
    assert!(ps.success().stdout.contains("function global:awsp {"));
    let bad = run(&home, &["init", "zsh", "--name", "rc;rm"], &[]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("--name 'rc;rm'"), "{bad:?}");
}

#[test]
fn switch_prints_nothing_to_evaluate_when_it_fails() {
    let home = Home::with(Some(CONFIG), None);
    // No terminal for the picker.
    let pick = run(&home, &["switch", "--shell", "bash"], &[]);
    pick.expect_code(1);
    assert_eq!(pick.stdout, "");
    assert!(pick.stderr.contains("needs a terminal"), "{pick:?}");
    let back = run(&home, &["switch", "--shell", "fish", "-"], &[]);
    back.expect_code(1);
    assert_eq!(back.stdout, "");
    assert!(back.stderr.contains("no previous profile"), "{back:?}");
    let names = run(&home, &["switch", "--complete"], &[]);
    assert_eq!(names.success().stdout, "dev\nops\n");
    let ok = run(&home, &["switch", "--shell", "bash", "op"], &[]);
    assert!(
        ok.success().stdout.contains("export AWS_PROFILE='ops'\n"),
        "{ok:?}"
    );
    assert!(ok.stdout.contains("unset AWS_ACCESS_KEY_ID\n"));
    assert!(ok.stdout.ends_with("'\n") && ok.stdout.contains("__rolecall_state='{"));
}

#[test]
fn completions_register_and_answer_with_profile_names() {
    let home = Home::with(Some(CONFIG), Some("[keys]\naws_access_key_id = A\n"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(&home, &["completions", shell], &[]);
        assert!(
            script.success().stdout.contains("ROLECALL_COMPLETE"),
            "{shell}: {script:?}"
        );
    }
    // What the registered fish completion runs on `rolecall exec <TAB>`.
    let answer = run(
        &home,
        &["--", "rolecall", "exec", ""],
        &[("ROLECALL_COMPLETE", "fish")],
    );
    let lines: Vec<&str> = answer.success().stdout.lines().collect();
    for name in ["dev", "ops", "keys"] {
        assert!(lines.contains(&name), "{name}: {answer:?}");
    }
}

#[test]
fn man_pages_come_from_the_cli_definition() {
    let home = Home::empty();
    let page = run(&home, &["man"], &[]);
    assert!(page.success().stdout.starts_with(".ie"), "{page:?}");
    assert!(page.stdout.contains(".TH rolecall 1"));
    assert!(page.stdout.contains("prompt"));
    let sub = run(&home, &["man", "prompt"], &[]);
    assert!(sub.success().stdout.contains("rolecall\\-prompt"));
    assert!(sub.stdout.contains("{profile} {left}"));
    run(&home, &["man", "switch"], &[]).expect_code(2);
}

#[test]
fn env_mode_exports_temporary_credentials_with_their_expiry() {
    let home = Home::empty();
    let script = home.path().join("proc.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", \"SecretAccessKey\": \"proc-secret\", \"SessionToken\": \"proc-token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    home.write_config(format!(
        "[profile proc]\ncredential_process = {}\nregion = eu-north-1\n",
        script.display()
    ));
    home.write_credentials("");
    let cache = home.path().join("cache");
    let out = run(
        &home,
        &["switch", "--shell", "bash", "--mode", "env", "proc"],
        &[
            ("AWS_PROFILE", "other"),
            ("XDG_CACHE_HOME", cache.to_str().unwrap()),
        ],
    );
    let stdout = &out.success().stdout;
    for line in [
        "export AWS_ACCESS_KEY_ID='ASIAPROC'\n",
        "export AWS_SECRET_ACCESS_KEY='proc-secret'\n",
        "export AWS_SESSION_TOKEN='proc-token'\n",
        "export AWS_CREDENTIAL_EXPIRATION='2099-01-01T00:00:00Z'\n",
        "export AWS_REGION='eu-north-1'\n",
        "export ROLECALL_KEYS_PROFILE='proc'\n",
        "unset AWS_PROFILE\n",
        "unset AWS_DEFAULT_PROFILE\n",
    ] {
        assert!(stdout.contains(line), "{line}: {out:?}");
    }
    // Secrets only on stdout, for the shell to evaluate.
    assert!(!out.stderr.contains("proc-secret"), "{out:?}");
    // rolecall exec's nesting guard is not set in the shell.
    assert!(!stdout.contains("ROLECALL_PROFILE"), "{out:?}");
    // The prompt of that shell names the profile and counts down.
    let prompt = run(
        &home,
        &["prompt"],
        &[
            ("ROLECALL_KEYS_PROFILE", "proc"),
            ("AWS_ACCESS_KEY_ID", "ASIAPROC"),
            ("AWS_CREDENTIAL_EXPIRATION", "2099-01-01T00:00:00Z"),
        ],
    );
    let shown = &prompt.success().stdout;
    assert!(
        shown.starts_with("proc ") && shown.ends_with("h\n"),
        "{prompt:?}"
    );
}
