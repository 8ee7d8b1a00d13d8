//! The `rolecall` binary from the outside: exit codes, output shapes, error
//! messages, and exactly what each edit does to the files.

mod common;

use std::fs;
use std::path::PathBuf;

use common::{Home, rolecall_bin, run_with_timeout};
use serde_json::{Value as Json, json};

const CONFIG: &str = "\
# Managed by hand. Keep this comment.
[default]
region = us-east-1
output = json

# The developer role
[profile dev]
role_arn = arn:aws:iam::123456789012:role/Dev
source_profile = base
region = eu-west-1
s3 =
    max_concurrent_requests = 20
    addressing_style = path

[profile audit]
role_arn = arn:aws:iam::123456789012:role/Audit
source_profile = dev

[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[profile acme-dev]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = Developer

[services local]
s3 =
  endpoint_url = http://localhost:4566
";

const CREDENTIALS: &str = "\
# Long-term keys (fake ones, from the AWS documentation)
[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[temp]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY
aws_session_token = FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123
";

/// Every secret in [`CREDENTIALS`].
const SECRETS: &[&str] = &[
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123",
];

fn home() -> Home {
    Home::with(Some(CONFIG), Some(CREDENTIALS))
}

fn backup(path: PathBuf) -> PathBuf {
    rolecall::store::backup_path(&path)
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Asserts that neither file changed and that no backup was written.
#[track_caller]
fn assert_untouched(h: &Home) {
    assert_eq!(h.config(), CONFIG);
    assert_eq!(h.credentials(), CREDENTIALS);
    assert!(!backup(h.config_path()).exists(), "config backup written");
    assert!(
        !backup(h.credentials_path()).exists(),
        "credentials backup written"
    );
}

// ---------------------------------------------------------------- exit codes

#[test]
fn exit_codes_success_failure_usage() {
    let h = home();
    h.rolecall(&["list"]).expect_code(0);
    h.rolecall(&["inspect", "dev"]).expect_code(0);

    // 1: the command was well formed but could not be carried out.
    let run = h.rolecall(&["set", "nope", "region", "eu-west-1"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no profile 'nope'"), "{}", run.stderr);
    let run = h.rolecall(&["set", "dev", "region", "eu-west-1\nregion = x"]);
    run.expect_code(1);
    assert!(run.stderr.contains("line break"), "{}", run.stderr);
    let run = h.rolecall(&["set", "dev", "region", "eu-west-1 #note"]);
    run.expect_code(1);
    assert!(run.stderr.contains("' #'"), "{}", run.stderr);
    assert!(run.stderr.contains("remove the space"), "{}", run.stderr);
    h.rolecall(&["set", "dev", "region", ";eu"]).expect_code(1);
    h.rolecall(&["set", "dev", "bad key", "x"]).expect_code(1);
    h.rolecall(&["unset", "dev", "output"]).expect_code(1);
    h.rolecall(&["profile", "add", "dev"]).expect_code(1);
    h.rolecall(&["profile", "add", "has space"]).expect_code(1);
    h.rolecall(&["profile", "rename", "nope", "x"])
        .expect_code(1);
    h.rolecall(&["profile", "rename", "dev", "audit"])
        .expect_code(1);
    h.rolecall(&["profile", "copy", "nope", "x"]).expect_code(1);
    h.rolecall(&["profile", "rm", "nope"]).expect_code(1);
    h.rolecall(&[
        "set",
        "--sso-session",
        "acme",
        "--file",
        "credentials",
        "k",
        "v",
    ])
    .expect_code(1);

    // 2: the command line itself is wrong.
    for args in [
        &["set", "dev", "region"][..],
        &["set", "dev", "region", "x", "extra"],
        &["set", "--profile", "dev", "region"],
        &["unset"],
        &["unset", "--profile", "dev", "a", "b"],
        &["set", "dev", "region", "x", "--file", "bogus"],
        &["profile", "add", "x", "not-a-pair"],
        &["profile"],
        &["frobnicate"],
        &["list", "--bogus"],
    ] {
        let run = h.rolecall(args);
        run.expect_code(2);
        assert!(!run.stderr.is_empty(), "{args:?}: no message");
    }
    assert_untouched(&h);
}

#[test]
fn help_and_version() {
    let h = Home::empty();
    let run = h.rolecall_ok(&["--help"]);
    for cmd in ["list", "inspect", "set", "unset", "profile"] {
        assert!(run.stdout.contains(cmd), "{}", run.stdout);
    }
    let run = h.rolecall_ok(&["--version"]);
    assert!(run.stdout.starts_with("rolecall "), "{}", run.stdout);
}

// ---------------------------------------------------------------- list

#[test]
fn list_prints_a_table() {
    let h = home();
    let run = h.rolecall_ok(&["list"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(header, ["NAME", "KIND", "REGION", "CHAIN"]);
    let names: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["acme-dev", "audit", "base", "default", "dev", "temp"]
    );
    let dev = lines.iter().find(|l| l.starts_with("dev ")).unwrap();
    let cols: Vec<&str> = dev.split_whitespace().collect();
    assert_eq!(&cols[..3], ["dev", "role", "eu-west-1"]);
    assert!(dev.contains("base (keys)"), "{dev}");
    let audit = lines.iter().find(|l| l.starts_with("audit ")).unwrap();
    assert!(audit.contains("dev") && audit.contains("audit"), "{audit}");
}

#[test]
fn list_json_shape() {
    let h = home();
    let v = h.rolecall_ok(&["list", "--json"]).json();
    assert_eq!(v["config"], json!(h.config_path()));
    assert_eq!(v["credentials"], json!(h.credentials_path()));
    assert!(v["diagnostics"].is_array());
    let profiles = v["profiles"].as_array().unwrap();
    let names: Vec<&str> = profiles
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["acme-dev", "audit", "base", "default", "dev", "temp"]
    );
    let by_name = |n: &str| profiles.iter().find(|p| p["name"] == n).unwrap();
    let dev = by_name("dev");
    assert_eq!(dev["kind"], "role");
    assert_eq!(dev["region"], "eu-west-1");
    assert_eq!(dev["chain"], json!(["base", "dev"]));
    assert!(dev["chain_summary"].is_string());
    assert_eq!(by_name("audit")["chain"], json!(["base", "dev", "audit"]));
    assert_eq!(by_name("base")["kind"], "keys");
    assert_eq!(by_name("base")["region"], Json::Null);
    assert_eq!(by_name("temp")["kind"], "temp-keys");
    assert_eq!(by_name("acme-dev")["kind"], "sso");
    assert_eq!(by_name("acme-dev")["sso_session"], "acme");
    let default = by_name("default");
    assert_eq!(default["chain"], json!([]));
    assert!(default["chain_error"].is_string());
}

#[test]
fn list_fails_on_a_line_the_sdks_refuse_but_shows_the_rest() {
    let config = "[profile a\nregion = x\n\n[profile b]\nregion = y\n";
    let h = Home::with(Some(config), None);
    let run = h.rolecall(&["list"]);
    run.expect_code(1);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("b ")),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("~/.aws/config:1"), "{}", run.stderr);
    assert!(run.stderr.contains("must end with ']'"), "{}", run.stderr);
    assert!(run.stderr.contains("fix: "), "{}", run.stderr);

    let run = h.rolecall(&["list", "--json"]);
    run.expect_code(1);
    let v = run.json();
    assert_eq!(v["profiles"][0]["name"], "b");
    let refused: Vec<&Json> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["sdk_refuses_file"] == true)
        .collect();
    assert_eq!(refused.len(), 1, "{v:#}");
    assert_eq!(refused[0]["file"], "config");
    assert_eq!(refused[0]["line"], 1);
    assert_eq!(refused[0]["severity"], "error");
    assert_eq!(refused[0]["path"], json!(h.config_path()));
    assert!(refused[0]["fix"].as_str().unwrap().contains(']'));

    // inspect says the same, and exits 1 too.
    h.rolecall(&["inspect", "--json"]).expect_code(1);
    assert_eq!(h.config(), config);
}

#[test]
fn errors_name_file_line_and_fix() {
    let config = "[default]\nregion = us-east-1\nthis line has no equals\n";
    let h = Home::with(Some(config), None);
    let run = h.rolecall(&["list"]);
    run.expect_code(1);
    assert!(run.stderr.contains("~/.aws/config:3"), "{}", run.stderr);
    assert!(
        run.stderr.contains("fix: write it as 'key = value'"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- inspect

#[test]
fn inspect_masks_secrets_unless_asked() {
    let h = home();
    for args in [
        &["list"][..],
        &["list", "--json"],
        &["inspect"],
        &["inspect", "--json"],
        &["inspect", "base"],
        &["inspect", "temp"],
        &["inspect", "--profile", "temp"],
        &["inspect", "temp", "--json"],
        &["set", "temp", "region", "eu-west-1"],
        &["unset", "temp", "region"],
        &[
            "set",
            "temp",
            "aws_session_token",
            "FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123",
        ],
        &[],
    ] {
        let run = h.rolecall(args);
        let out = run.all_output();
        for secret in SECRETS {
            assert!(!out.contains(secret), "{args:?} shows a secret:\n{out}");
            assert!(
                !out.contains(&secret[..10]),
                "{args:?} shows part of a secret:\n{out}"
            );
        }
    }
    let run = h.rolecall_ok(&["inspect", "temp"]);
    assert!(
        run.stdout.contains("ASIAIOSFODNN7EXAMPLE"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("****"), "{}", run.stdout);

    let v = h.rolecall_ok(&["inspect", "temp", "--json"]).json();
    assert_eq!(
        v["properties"]["aws_access_key_id"]["value"],
        "ASIAIOSFODNN7EXAMPLE"
    );
    assert_eq!(
        v["properties"]["aws_secret_access_key"]["value"],
        "****EKEY"
    );
    assert_eq!(v["properties"]["aws_session_token"]["value"], "****e123");

    // --show-secrets shows them, in text and JSON.
    let run = h.rolecall_ok(&["inspect", "temp", "--show-secrets"]);
    for secret in &SECRETS[1..] {
        assert!(run.stdout.contains(secret), "{}", run.stdout);
    }
    let v = h
        .rolecall_ok(&["inspect", "--json", "--show-secrets"])
        .json();
    assert_eq!(v["profiles"]["base"]["aws_secret_access_key"], SECRETS[0]);
    assert_eq!(v["profiles"]["temp"]["aws_session_token"], SECRETS[2]);
}

#[test]
fn inspect_json_is_the_test_vector_shape() {
    let h = home();
    let v = h.rolecall_ok(&["inspect", "--json"]).json();
    assert_eq!(
        v["profiles"],
        json!({
            "acme-dev": {
                "sso_account_id": "111111111111",
                "sso_role_name": "Developer",
                "sso_session": "acme",
            },
            "audit": {
                "role_arn": "arn:aws:iam::123456789012:role/Audit",
                "source_profile": "dev",
            },
            "base": {
                "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key": "****EKEY",
            },
            "default": {"output": "json", "region": "us-east-1"},
            "dev": {
                "region": "eu-west-1",
                "role_arn": "arn:aws:iam::123456789012:role/Dev",
                "s3": "\nmax_concurrent_requests = 20\naddressing_style = path",
                "source_profile": "base",
            },
            "temp": {
                "aws_access_key_id": "ASIAIOSFODNN7EXAMPLE",
                "aws_secret_access_key": "****EKEY",
                "aws_session_token": "****e123",
            },
        })
    );
    assert_eq!(
        v["sso_sessions"],
        json!({"acme": {
            "sso_region": "us-east-1",
            "sso_start_url": "https://acme.awsapps.com/start",
        }})
    );
    assert_eq!(
        v["services"],
        json!({"local": {"s3": "\nendpoint_url = http://localhost:4566"}})
    );
    assert!(v["diagnostics"].is_array());
}

#[test]
fn inspect_one_profile_says_where_each_value_is() {
    let h = home();
    let v = h.rolecall_ok(&["inspect", "dev", "--json"]).json();
    assert_eq!(v["name"], "dev");
    assert_eq!(v["kind"], "role");
    assert_eq!(
        v["defined_at"],
        json!([{"file": "config", "path": h.config_path(), "line": 7}])
    );
    assert_eq!(
        v["properties"]["region"],
        json!({"value": "eu-west-1", "file": "config", "path": h.config_path(), "line": 10})
    );
    assert_eq!(v["properties"]["s3"]["line"], 11);

    let v = h.rolecall_ok(&["inspect", "acme-dev", "--json"]).json();
    assert_eq!(v["sso_session"]["name"], "acme");
    assert_eq!(
        v["sso_session"]["properties"]["sso_start_url"],
        "https://acme.awsapps.com/start"
    );

    let run = h.rolecall_ok(&["inspect", "dev"]);
    assert!(run.stdout.contains("~/.aws/config:10"), "{}", run.stdout);
    assert!(run.stdout.contains("eu-west-1"), "{}", run.stdout);
    let run = h.rolecall_ok(&["inspect", "base"]);
    assert!(
        run.stdout.contains("~/.aws/credentials:3"),
        "{}",
        run.stdout
    );

    let run = h.rolecall(&["inspect", "nope"]);
    assert_eq!(
        run.code, 1,
        "an unknown profile is a failure, not a usage error"
    );
    assert!(run.stderr.contains("no profile 'nope'"), "{}", run.stderr);
}

// ---------------------------------------------------------------- set / unset

#[test]
fn set_replaces_one_line_and_keeps_the_rest() {
    let h = home();
    let run = h.rolecall_ok(&["set", "dev", "region", "us-west-2"]);
    assert_eq!(
        run.stdout,
        "wrote ~/.aws/config (previous version in ~/.aws/config.rolecall.bak)\n"
    );
    assert_eq!(
        h.config(),
        CONFIG.replace("region = eu-west-1\n", "region = us-west-2\n")
    );
    assert_eq!(fs::read_to_string(backup(h.config_path())).unwrap(), CONFIG);
    assert_eq!(h.credentials(), CREDENTIALS);
    assert!(!backup(h.credentials_path()).exists());

    // Setting the same value again writes nothing.
    let before = h.config();
    let run = h.rolecall_ok(&["set", "--profile", "dev", "region", "us-west-2"]);
    assert_eq!(run.stdout, "");
    assert_eq!(h.config(), before);
}

#[test]
fn set_adds_a_key_after_sub_properties() {
    let h = home();
    h.rolecall_ok(&["set", "dev", "output", "text"]);
    assert_eq!(
        h.config(),
        CONFIG.replace(
            "    addressing_style = path\n",
            "    addressing_style = path\noutput = text\n"
        )
    );
    // A key of the default profile goes to [default], keys to credentials.
    h.rolecall_ok(&["set", "default", "cli_pager", ""]);
    assert!(
        h.config()
            .contains("[default]\nregion = us-east-1\noutput = json\ncli_pager =\n")
    );
}

#[test]
fn set_moves_an_inline_comment_to_its_own_line() {
    let config = "[profile p]\nregion = us-east-1 # primary\nrole_arn = r\ncredential_source = Environment\n";
    let h = Home::with(Some(config), None);
    h.rolecall_ok(&["set", "p", "region", "eu-west-1"]);
    assert_eq!(
        h.config(),
        "[profile p]\n# primary\nregion = eu-west-1\nrole_arn = r\ncredential_source = Environment\n"
    );
}

#[test]
fn set_keeps_crlf() {
    let config = CONFIG.replace('\n', "\r\n");
    let h = Home::with(Some(&config), None);
    h.rolecall_ok(&["set", "dev", "region", "us-west-2"]);
    h.rolecall_ok(&["set", "audit", "region", "ap-south-1"]);
    h.rolecall_ok(&["profile", "add", "new", "region=sa-east-1"]);
    let expected = CONFIG
        .replace("region = eu-west-1\n", "region = us-west-2\n")
        .replace(
            "source_profile = dev\n",
            "source_profile = dev\nregion = ap-south-1\n",
        )
        + "\n[profile new]\nregion = sa-east-1\n";
    assert_eq!(h.config(), expected.replace('\n', "\r\n"));
}

#[test]
fn secret_keys_go_to_a_new_private_credentials_file() {
    let h = Home::with(Some(CONFIG), None);
    let run = h.rolecall_ok(&["set", "dev", "aws_secret_access_key", "s3cr3t/v4lue+x"]);
    assert_eq!(run.stdout, "created ~/.aws/credentials\n");
    assert!(!run.all_output().contains("s3cr3t"));
    assert_eq!(
        h.credentials(),
        "[dev]\naws_secret_access_key = s3cr3t/v4lue+x\n"
    );
    assert_eq!(h.config(), CONFIG);
    assert!(!backup(h.credentials_path()).exists());
    #[cfg(unix)]
    assert_eq!(mode(&h.credentials_path()), 0o600);

    h.rolecall_ok(&["set", "dev", "aws_access_key_id", "AKIDEXAMPLE"]);
    h.rolecall_ok(&["set", "dev", "aws_session_token", "tok"]);
    assert_eq!(
        h.credentials(),
        "[dev]\naws_secret_access_key = s3cr3t/v4lue+x\naws_access_key_id = AKIDEXAMPLE\naws_session_token = tok\n"
    );
    assert_eq!(h.config(), CONFIG);

    // --file config puts it in the config file instead; the credentials file
    // still wins there, and rolecall says so.
    let run = h.rolecall_ok(&[
        "set",
        "dev",
        "aws_session_token",
        "other",
        "--file",
        "config",
    ]);
    assert!(
        run.stderr.contains("~/.aws/credentials:4"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("still wins"), "{}", run.stderr);
    assert!(
        h.config()
            .contains("    addressing_style = path\naws_session_token = other\n")
    );
}

#[test]
fn new_files_and_directory_are_created_private() {
    let h = Home::empty();
    let run = h.rolecall_ok(&["profile", "add", "default", "region=us-east-1"]);
    assert_eq!(run.stdout, "created ~/.aws/config\n");
    assert_eq!(h.config(), "[default]\nregion = us-east-1\n");
    assert!(!h.credentials_path().exists());
    #[cfg(unix)]
    assert_eq!(mode(&h.config_path()), 0o600);
}

#[cfg(unix)]
#[test]
fn set_keeps_the_mode_and_follows_a_symlink() {
    use std::os::unix::fs::PermissionsExt;
    let h = home();
    let real = h.path().join("dotfiles").join("aws-config");
    fs::create_dir_all(real.parent().unwrap()).unwrap();
    fs::rename(h.config_path(), &real).unwrap();
    std::os::unix::fs::symlink(&real, h.config_path()).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    h.rolecall_ok(&["set", "dev", "region", "us-west-2"]);
    assert!(
        fs::symlink_metadata(h.config_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&real).unwrap(),
        CONFIG.replace("region = eu-west-1\n", "region = us-west-2\n")
    );
    assert_eq!(mode(&real), 0o640);
    assert_eq!(fs::read_to_string(backup(real.clone())).unwrap(), CONFIG);
    assert_eq!(mode(&backup(real)), 0o640);
}

#[test]
fn set_an_sso_session() {
    let h = home();
    h.rolecall_ok(&["set", "--sso-session", "acme", "sso_region", "eu-west-1"]);
    h.rolecall_ok(&[
        "set",
        "--sso-session",
        "acme",
        "sso_registration_scopes",
        "sso:account:access",
    ]);
    assert_eq!(
        h.config(),
        CONFIG.replace(
            "sso_region = us-east-1\n",
            "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
        )
    );
    h.rolecall_ok(&["unset", "--sso-session", "acme", "sso_registration_scopes"]);
    assert_eq!(
        h.config(),
        CONFIG.replace("sso_region = us-east-1\n", "sso_region = eu-west-1\n")
    );
}

#[test]
fn unset_removes_a_key_with_its_sub_properties() {
    let h = home();
    h.rolecall_ok(&["unset", "dev", "s3"]);
    assert_eq!(
        h.config(),
        CONFIG.replace(
            "s3 =\n    max_concurrent_requests = 20\n    addressing_style = path\n",
            ""
        )
    );
    h.rolecall_ok(&["unset", "--profile", "temp", "aws_session_token"]);
    assert_eq!(
        h.credentials(),
        CREDENTIALS.replace(
            "aws_session_token = FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123\n",
            ""
        )
    );
    // A key defined in both files goes from both, unless --file says which.
    h.rolecall_ok(&[
        "set",
        "base",
        "region",
        "eu-west-1",
        "--file",
        "credentials",
    ]);
    h.rolecall_ok(&["set", "base", "region", "eu-west-2", "--file", "config"]);
    h.rolecall_ok(&["unset", "base", "region", "--file", "config"]);
    assert!(!h.config().contains("eu-west-2"));
    assert!(h.credentials().contains("region = eu-west-1"));
    h.rolecall_ok(&["set", "base", "region", "eu-west-2", "--file", "config"]);
    h.rolecall_ok(&["unset", "base", "region"]);
    assert!(!h.config().contains("eu-west-2"));
    assert!(!h.credentials().contains("eu-west-1"));
}

// ---------------------------------------------------------------- profile add / rename / copy / rm

#[test]
fn profile_add_splits_keys_and_settings() {
    let h = home();
    let run = h.rolecall_ok(&[
        "profile",
        "add",
        "ci",
        "region=us-east-2",
        "aws_access_key_id=AKIDCI",
        "aws_secret_access_key=ci/secret",
        "output = text",
    ]);
    assert!(!run.all_output().contains("ci/secret"));
    assert_eq!(
        h.config(),
        format!("{CONFIG}\n[profile ci]\nregion = us-east-2\noutput = text\n")
    );
    assert_eq!(
        h.credentials(),
        format!(
            "{CREDENTIALS}\n[ci]\naws_access_key_id = AKIDCI\naws_secret_access_key = ci/secret\n"
        )
    );
    // With no properties: an empty section in the config file.
    h.rolecall_ok(&["profile", "add", "empty"]);
    assert!(h.config().ends_with("output = text\n\n[profile empty]\n"));
    let v = h.rolecall_ok(&["list", "--json"]).json();
    assert!(
        v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "empty")
    );
}

#[test]
fn profile_rename_with_and_without_references() {
    let h = home();
    // Without --update-references the dependents are named in a warning.
    let run = h.rolecall_ok(&["profile", "rename", "dev", "developer"]);
    assert!(run.stderr.contains("audit"), "{}", run.stderr);
    assert!(run.stderr.contains("--update-references"), "{}", run.stderr);
    assert_eq!(
        h.config(),
        CONFIG.replace("[profile dev]", "[profile developer]")
    );

    let h = home();
    h.rolecall_ok(&[
        "profile",
        "rename",
        "dev",
        "developer",
        "--update-references",
    ]);
    assert_eq!(
        h.config(),
        CONFIG
            .replace("[profile dev]", "[profile developer]")
            .replace("source_profile = dev\n", "source_profile = developer\n")
    );
    // A profile in the credentials file: its header there, its reference in config.
    h.rolecall_ok(&["profile", "rename", "base", "root", "--update-references"]);
    assert_eq!(h.credentials(), CREDENTIALS.replace("[base]", "[root]"));
    assert!(h.config().contains("source_profile = root\n"));
    let v = h.rolecall_ok(&["list", "--json"]).json();
    let audit = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "audit")
        .unwrap();
    assert_eq!(audit["chain"], json!(["root", "developer", "audit"]));
}

#[test]
fn profile_copy_keeps_lines_and_comments() {
    let h = home();
    h.rolecall_ok(&["profile", "copy", "dev", "staging"]);
    assert_eq!(
        h.config(),
        format!(
            "{CONFIG}\n[profile staging]\nrole_arn = arn:aws:iam::123456789012:role/Dev\nsource_profile = base\nregion = eu-west-1\ns3 =\n    max_concurrent_requests = 20\n    addressing_style = path\n"
        )
    );
    assert_eq!(h.credentials(), CREDENTIALS);
    h.rolecall_ok(&["profile", "copy", "temp", "temp2"]);
    assert!(h.credentials().ends_with(
        "\n[temp2]\naws_access_key_id = ASIAIOSFODNN7EXAMPLE\naws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\naws_session_token = FwoGZXIvYXdzEXAMPLESESSIONTOKENvalue123\n"
    ));
}

#[test]
fn profile_rm_refuses_with_dependents_unless_forced() {
    let h = home();
    let run = h.rolecall(&["profile", "rm", "dev"]);
    run.expect_code(1);
    assert!(run.stderr.contains("audit"), "{}", run.stderr);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_untouched(&h);

    // Without dependents it goes, with its comment block kept for the next section.
    h.rolecall_ok(&["profile", "rm", "audit"]);
    assert_eq!(
        h.config(),
        CONFIG.replace(
            "[profile audit]\nrole_arn = arn:aws:iam::123456789012:role/Audit\nsource_profile = dev\n\n",
            ""
        )
    );
    h.rolecall_ok(&[
        "profile",
        "add",
        "audit",
        "role_arn=r",
        "source_profile=dev",
    ]);
    h.rolecall_ok(&["profile", "rm", "dev", "--force"]);
    assert!(!h.config().contains("[profile dev]"));
    assert!(!h.config().contains("arn:aws:iam::123456789012:role/Dev"));
    assert!(h.config().contains("# The developer role\n"));
    // A profile in both files goes from both.
    h.rolecall_ok(&["set", "temp", "region", "eu-west-1"]);
    assert!(h.config().contains("[profile temp]"));
    h.rolecall_ok(&["profile", "rm", "temp"]);
    assert!(!h.config().contains("[profile temp]"));
    assert!(!h.credentials().contains("[temp]"));
    assert!(h.credentials().contains("[base]"));
}

// ---------------------------------------------------------------- demo, welcome, locations

#[test]
fn demo_lists_and_refuses_edits() {
    let h = Home::empty();
    let run = h.rolecall_ok(&["--demo", "list"]);
    assert!(
        run.stdout.lines().any(|l| l.starts_with("dev-admin ")),
        "{}",
        run.stdout
    );
    let v = h.rolecall_ok(&["--demo", "list", "--json"]).json();
    assert!(v["profiles"].as_array().unwrap().len() >= 5);
    let run = h.rolecall_ok(&["--demo", "inspect", "base"]);
    assert!(!run.stdout.contains("wJalrXUtnFEMI"), "{}", run.stdout);
    for args in [
        &["--demo", "set", "default", "region", "eu-west-1"][..],
        &["--demo", "profile", "add", "x", "region=y"],
        &["--demo", "profile", "rm", "vault"],
    ] {
        let run = h.rolecall(args);
        run.expect_code(1);
        assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    }
    assert!(!h.path().join(".aws").exists());
    assert!(!PathBuf::from("<demo>").exists());
}

#[test]
fn welcome_when_there_are_no_files() {
    let h = Home::empty();
    let run = h.rolecall_ok::<&str>(&[]);
    assert!(
        run.stdout.starts_with("Welcome to rolecall"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("~/.aws/config"), "{}", run.stdout);
    assert!(
        run.stdout.contains("rolecall --demo list"),
        "{}",
        run.stdout
    );
    assert!(!h.path().join(".aws").exists());
    // With files, the bare command lists.
    let h = home();
    let run = h.rolecall_ok::<&str>(&[]);
    assert!(run.stdout.starts_with("NAME"), "{}", run.stdout);
}

#[test]
fn flags_and_variables_choose_the_files() {
    let h = Home::empty();
    let dir = h.path().join("elsewhere");
    fs::create_dir_all(&dir).unwrap();
    let config = dir.join("cfg");
    let creds = dir.join("creds");
    fs::write(&config, "[profile flag]\nregion = r\n").unwrap();
    fs::write(
        &creds,
        "[flagkeys]\naws_access_key_id = A\naws_secret_access_key = B\n",
    )
    .unwrap();
    let v = h
        .rolecall_ok(&[
            "list".as_ref(),
            "--json".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            "--credentials".as_ref(),
            creds.as_os_str(),
        ])
        .json();
    let names: Vec<&str> = v["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["flag", "flagkeys"]);

    let mut cmd = h.command(rolecall_bin());
    cmd.args(["set", "flag", "output", "json"])
        .env("AWS_CONFIG_FILE", "~/elsewhere/cfg")
        .env("AWS_SHARED_CREDENTIALS_FILE", &creds);
    run_with_timeout(cmd, common::ROLECALL_TIMEOUT).success();
    assert_eq!(
        fs::read_to_string(&config).unwrap(),
        "[profile flag]\nregion = r\noutput = json\n"
    );
    assert!(!h.path().join(".aws").exists());
}

// ---------------------------------------------------------------- files rolecall must not touch

#[test]
fn non_utf8_config_is_reported_and_left_alone() {
    let bytes: &[u8] = b"[default]\nregion = us-east-1\noutput = caf\xe9\n";
    let h = Home::empty();
    h.write_config(bytes);
    for args in [
        &["list"][..],
        &["inspect"],
        &["set", "default", "region", "eu-west-1"],
        &["profile", "add", "x"],
    ] {
        let run = h.rolecall(args);
        run.expect_code(1);
        assert!(
            run.stderr.contains(&*h.config_path().to_string_lossy()),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("line 3"), "{}", run.stderr);
        assert!(run.stderr.contains("UTF-8"), "{}", run.stderr);
        assert_eq!(
            run.stderr.matches("not valid UTF-8").count(),
            1,
            "{}",
            run.stderr
        );
    }
    assert_eq!(fs::read(h.config_path()).unwrap(), bytes);
    assert!(!backup(h.config_path()).exists());
    assert!(!h.credentials_path().exists());
}

#[test]
fn a_file_changed_since_it_was_read_is_not_clobbered() {
    use rolecall::profile::edit::{self, Target};
    use rolecall::profile::location::Overrides;
    use rolecall::store::{self, StoreError};
    use rolecall::workspace::{Workspace, WorkspaceError};

    let h = home();
    let overrides = Overrides {
        config: Some(h.config_path()),
        credentials: Some(h.credentials_path()),
    };
    let ws = Workspace::open(&rolecall::env::Env::default(), &overrides).unwrap();
    let mut files = ws.files();
    edit::set(
        &mut files,
        Target::Profile("dev"),
        "region",
        "us-west-2",
        None,
    )
    .unwrap();

    // Someone else edits the file in between.
    let theirs = CONFIG.replace("output = json", "output = yaml");
    h.write_config(&theirs);
    let err = ws.save(&files).unwrap_err();
    assert!(
        matches!(err, WorkspaceError::Store(StoreError::Conflict(ref p)) if *p == h.config_path()),
        "{err:?}"
    );
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(h.config(), theirs);
    assert!(!backup(h.config_path()).exists());

    // The same through store directly, and a file deleted in between.
    let file = store::load(&h.config_path()).unwrap();
    fs::remove_file(h.config_path()).unwrap();
    let err = store::save(&file, &files.config).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert!(!h.config_path().exists());

    // A file created in between, where there was none.
    let creds = h.path().join("new-credentials");
    let file = store::load(&creds).unwrap();
    fs::write(&creds, "[x]\n").unwrap();
    let err = store::save(&file, &files.credentials).unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    assert_eq!(fs::read_to_string(&creds).unwrap(), "[x]\n");

    // Read afresh, the edit goes through.
    h.write_config(&theirs);
    let ws = Workspace::open(&rolecall::env::Env::default(), &overrides).unwrap();
    let mut files = ws.files();
    edit::set(
        &mut files,
        Target::Profile("dev"),
        "region",
        "us-west-2",
        None,
    )
    .unwrap();
    assert_eq!(ws.save(&files).unwrap(), vec![h.config_path()]);
    assert_eq!(
        h.config(),
        theirs.replace("region = eu-west-1\n", "region = us-west-2\n")
    );
}

#[test]
fn exec_pick_without_a_terminal_says_so_instead_of_prompting() {
    let h = Home::with(Some("[default]\nregion = us-east-1\n"), None);
    let run = h.rolecall(&["exec", "--pick", "--", "true"]);
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert!(
        run.stderr.contains("--pick needs a terminal"),
        "{}",
        run.stderr
    );
}
