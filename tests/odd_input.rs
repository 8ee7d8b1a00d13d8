//! Input nobody planned for: names, keys and values of 65,536 characters and
//! more, and AWS files that are not regular files (a FIFO, a socket,
//! `/dev/null`, a dangling symlink, a symlink loop). No command panics or hangs.

mod common;

use std::fs;
use std::time::Duration;

use common::{Home, rolecall_bin, run_with_timeout};

#[test]
fn names_keys_and_values_of_65536_characters_and_more_work_everywhere() {
    let name = "n".repeat(65_536);
    let key = "k".repeat(65_536);
    let value = "v".repeat(70_000);
    let config = format!(
        "[profile {name}]\n{key} = {value}\nregion = {value}\n\n[default]\nregion = us-east-1\n"
    );
    let home = Home::with(Some(&config), None);
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["inspect"],
        vec!["inspect", "--json"],
        vec!["inspect", name.as_str()],
        vec!["inspect", "--json", name.as_str()],
        vec!["doctor"],
    ] {
        let run = home.rolecall(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "{:?}: {}",
            &args[..1],
            &run.stderr[..run.stderr.len().min(2000)]
        );
        assert!(!run.stderr.contains("panicked"), "{:?}", &args[..1]);
    }
    let json = home.rolecall(&["list", "--json"]).json();
    let row = json["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str().is_some_and(|n| n.len() == 65_536))
        .expect("the long profile, whole");
    assert_eq!(row["region"].as_str().map(str::len), Some(70_000));
    // --force: such values are not valid outputs or regions, which is not the point here.
    home.rolecall_ok(&["set", "--force", name.as_str(), "output", value.as_str()]);
    home.rolecall_ok(&[
        "profile",
        "add",
        "--force",
        &"p".repeat(65_536),
        &format!("region={value}"),
    ]);
    assert!(home.config().contains(&format!("output = {value}")));
}

#[cfg(unix)]
fn mkfifo(path: &std::path::Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_socket_is_a_finding_while_the_other_file_loads() {
    let home = Home::with(
        None,
        Some("[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = x\n"),
    );
    fs::create_dir_all(home.path().join(".aws")).unwrap();
    mkfifo(&home.config_path());
    for args in [
        vec!["list"],
        vec!["inspect"],
        vec!["doctor"],
        vec!["list", "--json"],
    ] {
        let mut cmd = home.command(rolecall_bin());
        cmd.args(&args);
        // A hang would be killed by the timeout and fail the test.
        let run = run_with_timeout(cmd, Duration::from_secs(20));
        assert!(run.all_output().contains("FIFO"), "{args:?}: {run:?}");
        assert!(
            run.stdout.contains("base"),
            "the credentials still load: {args:?}: {run:?}"
        );
    }
    // The prompt (on every shell prompt) and completion never block either.
    let mut cmd = home.command(rolecall_bin());
    cmd.env("AWS_PROFILE", "base").args(["prompt"]);
    let run = run_with_timeout(cmd, Duration::from_secs(20));
    assert_eq!(run.code, 0, "{run:?}");
    let run = home.rolecall(&["set", "base", "region", "eu-west-1"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("will not write"), "{run:?}");

    fs::remove_file(home.config_path()).unwrap();
    let _listener = std::os::unix::net::UnixListener::bind(home.config_path()).unwrap();
    let run = home.rolecall(&["list"]);
    assert!(run.all_output().contains("socket"), "{run:?}");
}

#[cfg(unix)]
#[test]
fn dev_null_reads_as_empty_and_symlinks_are_followed_or_reported() {
    let home = Home::with(Some("[default]\nregion = us-east-1\n"), None);
    let mut cmd = home.command(rolecall_bin());
    cmd.env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .args(["list"]);
    let run = run_with_timeout(cmd, Duration::from_secs(20));
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.contains("default") && run.stderr.is_empty(),
        "{run:?}"
    );
    let mut cmd = home.command(rolecall_bin());
    cmd.env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .args(["set", "default", "output", "json"]);
    assert_eq!(run_with_timeout(cmd, Duration::from_secs(20)).code, 0);

    // A dangling symlink: its target is created, private, and the link stays.
    let home = Home::empty();
    fs::create_dir_all(home.path().join(".aws")).unwrap();
    std::os::unix::fs::symlink("../dotfiles/aws-config", home.config_path()).unwrap();
    fs::create_dir_all(home.path().join("dotfiles")).unwrap();
    home.rolecall_ok(&["profile", "add", "dev", "region=eu-west-1"]);
    let link = fs::symlink_metadata(home.config_path()).unwrap();
    assert!(link.file_type().is_symlink());
    let target = home.path().join("dotfiles/aws-config");
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .contains("[profile dev]")
    );
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        fs::metadata(&target).unwrap().permissions().mode() & 0o777,
        0o600
    );

    // A loop is a finding, and never written.
    fs::remove_file(home.config_path()).unwrap();
    std::os::unix::fs::symlink("config", home.config_path()).unwrap();
    let run = home.rolecall(&["list"]);
    assert!(run.all_output().contains("symlink loop"), "{run:?}");
    assert_eq!(home.rolecall(&["profile", "add", "x"]).code, 1);
}
