//! Real AWS tools read what rolecall writes, and rolecall reads what they write.
//!
//! The peers are botocore (and boto3 with moto, to resolve a role chain for real,
//! offline), AWS CLI v1 from PyPI and AWS CLI v2 from Debian; `scripts/test.sh`
//! installs them and says where they are (see `common::peer`). Each runs with a
//! clean environment and a temporary `HOME`, so only the files under test count.

mod common;

use std::path::Path;

use common::{Home, peer};
use serde_json::{Map, Value as Json, json};

/// Reports what botocore makes of `~/.aws/config` and `~/.aws/credentials`:
/// `full_config`, `available_profiles`, `get_scoped_config()` per profile, static
/// keys per profile, and (under moto, no network) the ARN a profile's role chain
/// ends in. One process for all of it.
const BOTOCORE_REPORT: &str = r#"
import json, sys
import botocore, botocore.session
spec = json.loads(sys.argv[1])
session = botocore.session.Session()
out = {
    "botocore": botocore.__version__,
    "available_profiles": sorted(session.available_profiles),
    "full_config": session.full_config,
    "scoped": {p: botocore.session.Session(profile=p).get_scoped_config() for p in spec.get("scoped", [])},
    "keys": {},
    "assumed_arns": {},
}
for p in spec.get("keys", []):
    creds = botocore.session.Session(profile=p).get_credentials()
    frozen = creds.get_frozen_credentials()
    out["keys"][p] = {"access_key": frozen.access_key, "secret_key": frozen.secret_key,
                      "token": frozen.token, "method": creds.method}
if spec.get("assume"):
    import boto3
    from moto import mock_aws
    with mock_aws():
        for p in spec["assume"]:
            sts = boto3.Session(profile_name=p).client("sts", region_name="us-east-1")
            out["assumed_arns"][p] = sts.get_caller_identity()["Arn"]
print(json.dumps(out, sort_keys=True))
"#;

struct Peers {
    python: std::path::PathBuf,
    v1: std::path::PathBuf,
    v2: std::path::PathBuf,
}

fn peers() -> Peers {
    Peers {
        python: peer("PYTHON"),
        v1: peer("AWS_V1"),
        v2: peer("AWS_V2"),
    }
}

/// botocore's report (see [`BOTOCORE_REPORT`]) for `spec`.
fn botocore(h: &Home, p: &Peers, spec: Json) -> Json {
    let run = h.peer_run(
        &p.python,
        &["-c", BOTOCORE_REPORT, spec.to_string().as_str()],
    );
    run.success();
    run.json()
}

/// `aws configure get KEY --profile PROFILE`: `Some(value)` on exit 0, `None` on
/// exit 1 (not set); anything else fails the test.
fn aws_get(h: &Home, aws: &Path, profile: &str, key: &str) -> Option<String> {
    let run = h.peer_run(aws, &["configure", "get", key, "--profile", profile]);
    match run.code {
        0 => Some(run.stdout.trim_end_matches(['\n', '\r']).to_string()),
        1 if run.stdout.is_empty() => None,
        _ => panic!(
            "{} configure get {key} --profile {profile}: {run:?}",
            aws.display()
        ),
    }
}

/// Asserts that each CLI in `clis` reads each expected value with `aws configure
/// get` (`None`: not set). The reads only look, so they run a few at a time.
#[track_caller]
fn assert_cli_reads(h: &Home, clis: &[&Path], expected: &[(&str, &str, Option<&str>)]) {
    let checks: Vec<(&Path, &str, &str, Option<&str>)> = clis
        .iter()
        .flat_map(|aws| expected.iter().map(move |(p, k, v)| (*aws, *p, *k, *v)))
        .collect();
    for batch in checks.chunks(4) {
        let got: Vec<Option<String>> = std::thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .map(|(aws, profile, key, _)| scope.spawn(move || aws_get(h, aws, profile, key)))
                .collect();
            handles
                .into_iter()
                .map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for ((aws, profile, key, want), got) in batch.iter().zip(got) {
            assert_eq!(
                got.as_deref(),
                *want,
                "{} configure get {key} --profile {profile}",
                aws.display()
            );
        }
    }
}

/// `aws configure set KEY VALUE [--profile P]`.
fn aws_set(h: &Home, aws: &Path, args: &[&str]) {
    let mut all = vec!["configure", "set"];
    all.extend_from_slice(args);
    h.peer_run(aws, &all).success();
}

/// rolecall's merged model (`inspect --json --show-secrets`), with sub-property
/// values (`"\nname = value..."`) turned into maps the way botocore returns them.
fn rolecall_model(h: &Home) -> Json {
    let v = h
        .rolecall_ok(&["inspect", "--json", "--show-secrets"])
        .json();
    let mut out = Map::new();
    for part in ["profiles", "sso_sessions", "services"] {
        out.insert(part.to_string(), botocore_shape(&v[part]));
    }
    Json::Object(out)
}

fn botocore_shape(sections: &Json) -> Json {
    let sections = sections.as_object().expect("sections are an object");
    Json::Object(
        sections
            .iter()
            .map(|(name, props)| {
                let props = props
                    .as_object()
                    .expect("properties are an object")
                    .iter()
                    .map(|(k, v)| {
                        let s = v.as_str().expect("values are strings");
                        let value = match s.strip_prefix('\n') {
                            Some(nested) => Json::Object(
                                nested
                                    .lines()
                                    .map(|l| {
                                        let (k, v) = l.split_once('=').expect("name = value");
                                        (k.trim().to_string(), Json::from(v.trim()))
                                    })
                                    .collect(),
                            ),
                            None => Json::from(s),
                        };
                        (k.clone(), value)
                    })
                    .collect();
                (name.clone(), Json::Object(props))
            })
            .collect(),
    )
}

/// Asserts that rolecall and botocore see the same profiles, sessions and services.
#[track_caller]
fn assert_same_model(h: &Home, report: &Json) {
    let ours = rolecall_model(h);
    for part in ["profiles", "sso_sessions", "services"] {
        assert_eq!(
            ours[part], report["full_config"][part],
            "rolecall and botocore disagree on {part}"
        );
    }
}

const CONFIG: &str = "\
# ~/.aws/config, edited by hand for years.
[default]
region = us-east-1
output = json

# Developers assume this role with the keys of `base`.
[profile dev]
role_arn = arn:aws:iam::123456789012:role/Dev
source_profile = base
region = eu-west-1 # Ireland: botocore would keep this comment in the value
s3 =
    max_concurrent_requests = 20
    addressing_style = path

; a second hop
[profile audit]
role_arn = arn:aws:iam::123456789012:role/Audit
source_profile = dev

[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile acme-dev]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = Developer
region = eu-west-1

[profile old]
region = eu-central-1

[services local]
s3 =
  endpoint_url = http://localhost:4566
dynamodb =
  endpoint_url = http://localhost:8000
";

const CREDENTIALS: &str = "\
# Fake keys from the AWS documentation.
[base]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[old]
aws_access_key_id = AKIDOLD
aws_secret_access_key = old-secret
";

#[test]
#[ignore = "needs botocore and the AWS CLIs v1 and v2: run scripts/test.sh"]
fn every_edit_is_read_the_same_by_botocore_and_both_clis() {
    let p = peers();
    let h = Home::with(Some(CONFIG), Some(CREDENTIALS));
    for args in [
        &["set", "dev", "region", "us-west-2"][..],
        &["set", "dev", "output", "text"],
        &["set", "default", "note", "a#b;c=d"],
        &["unset", "default", "output"],
        &["set", "--sso-session", "acme", "sso_region", "eu-west-1"],
        &["set", "acme-dev", "sso_role_name", "Admin"],
        &[
            "profile",
            "add",
            "ci",
            "role_arn=arn:aws:iam::123456789012:role/CI",
            "credential_source=Environment",
            "region=us-east-2",
        ],
        &[
            "profile",
            "add",
            "keys",
            "aws_access_key_id=AKIDNEW",
            "aws_secret_access_key=new/secret+key=",
            "region=ap-southeast-2",
        ],
        &["profile", "copy", "dev", "staging"],
        &[
            "set",
            "staging",
            "role_arn",
            "arn:aws:iam::123456789012:role/Staging",
        ],
        &["profile", "rename", "base", "root", "--update-references"],
        &["profile", "rm", "old"],
        &["set", "root", "aws_secret_access_key", "rotated/secret"],
    ] {
        h.rolecall_ok(args);
    }
    let nested = json!({"max_concurrent_requests": "20", "addressing_style": "path"});
    let expected_profiles = json!({
        "default": {"region": "us-east-1", "note": "a#b;c=d"},
        "dev": {
            "role_arn": "arn:aws:iam::123456789012:role/Dev",
            "source_profile": "root",
            "region": "us-west-2",
            "s3": nested,
            "output": "text",
        },
        "audit": {"role_arn": "arn:aws:iam::123456789012:role/Audit", "source_profile": "dev"},
        "acme-dev": {
            "sso_session": "acme",
            "sso_account_id": "111111111111",
            "sso_role_name": "Admin",
            "region": "eu-west-1",
        },
        "ci": {
            "role_arn": "arn:aws:iam::123456789012:role/CI",
            "credential_source": "Environment",
            "region": "us-east-2",
        },
        "keys": {
            "region": "ap-southeast-2",
            "aws_access_key_id": "AKIDNEW",
            "aws_secret_access_key": "new/secret+key=",
        },
        "staging": {
            "role_arn": "arn:aws:iam::123456789012:role/Staging",
            "source_profile": "root",
            "region": "us-west-2",
            "s3": nested,
            "output": "text",
        },
        "root": {
            "aws_access_key_id": "AKIAIOSFODNN7EXAMPLE",
            "aws_secret_access_key": "rotated/secret",
        },
    });

    let report = botocore(
        &h,
        &p,
        json!({
            "scoped": ["dev", "staging"],
            "keys": ["root", "keys"],
            "assume": ["staging", "audit"],
        }),
    );
    assert_eq!(report["full_config"]["profiles"], expected_profiles);
    assert_eq!(
        report["full_config"]["sso_sessions"],
        json!({"acme": {
            "sso_start_url": "https://acme.awsapps.com/start",
            "sso_region": "eu-west-1",
            "sso_registration_scopes": "sso:account:access",
        }})
    );
    assert_eq!(
        report["full_config"]["services"],
        json!({"local": {
            "s3": {"endpoint_url": "http://localhost:4566"},
            "dynamodb": {"endpoint_url": "http://localhost:8000"},
        }})
    );
    assert_eq!(
        report["available_profiles"],
        json!([
            "acme-dev", "audit", "ci", "default", "dev", "keys", "root", "staging"
        ])
    );
    assert_eq!(report["scoped"]["dev"], expected_profiles["dev"]);
    assert_eq!(report["scoped"]["staging"], expected_profiles["staging"]);
    assert_eq!(
        report["keys"],
        json!({
            "root": {"access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": "rotated/secret",
                     "token": null, "method": "shared-credentials-file"},
            "keys": {"access_key": "AKIDNEW", "secret_key": "new/secret+key=",
                     "token": null, "method": "shared-credentials-file"},
        })
    );
    // botocore follows the rewritten chains for real: root's keys -> dev -> audit.
    let arns = &report["assumed_arns"];
    for (profile, role) in [("staging", "Staging"), ("audit", "Audit")] {
        let arn = arns[profile].as_str().unwrap_or_default();
        assert!(
            arn.starts_with(&format!("arn:aws:sts::123456789012:assumed-role/{role}/")),
            "{profile}: {arn}"
        );
    }
    assert_same_model(&h, &report);

    let expected: &[(&str, &str, Option<&str>)] = &[
        ("dev", "region", Some("us-west-2")),
        ("dev", "s3.max_concurrent_requests", Some("20")),
        ("staging", "source_profile", Some("root")),
        ("root", "aws_secret_access_key", Some("rotated/secret")),
        ("keys", "aws_access_key_id", Some("AKIDNEW")),
        ("default", "note", Some("a#b;c=d")),
        ("default", "output", None),
    ];
    assert_cli_reads(&h, &[&p.v1, &p.v2], expected);
    // A removed profile is gone for the CLI too.
    let run = h.peer_run(&p.v2, &["configure", "get", "region", "--profile", "old"]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("could not be found"), "{run:?}");

    let run = h.peer_run(&p.v2, &["configure", "list-profiles"]);
    run.success();
    let mut listed: Vec<&str> = run.stdout.lines().collect();
    listed.sort_unstable();
    listed.dedup();
    assert_eq!(
        listed,
        [
            "acme-dev", "audit", "ci", "default", "dev", "keys", "root", "staging"
        ]
    );
}

#[test]
#[ignore = "needs botocore and the AWS CLIs v1 and v2: run scripts/test.sh"]
fn crlf_files_stay_crlf_and_read_the_same() {
    let p = peers();
    let config = CONFIG.replace('\n', "\r\n");
    let credentials = CREDENTIALS.replace('\n', "\r\n");
    let h = Home::with(Some(&config), Some(&credentials));
    for args in [
        &["set", "dev", "region", "us-west-2"][..],
        &["set", "audit", "duration_seconds", "900"],
        &["set", "--sso-session", "acme", "sso_region", "eu-west-1"],
        &[
            "profile",
            "add",
            "crlf",
            "region=sa-east-1",
            "aws_access_key_id=AKIDCRLF",
        ],
        &["set", "crlf", "aws_secret_access_key", "crlf/secret"],
        &["profile", "rename", "old", "older"],
        &["unset", "dev", "s3"],
    ] {
        h.rolecall_ok(args);
    }
    for (name, text) in [("config", h.config()), ("credentials", h.credentials())] {
        assert!(
            !text.replace("\r\n", "").contains(['\n', '\r']),
            "{name} has a line that does not end in CRLF:\n{text:?}"
        );
    }
    assert_eq!(
        h.config(),
        CONFIG
            .replace(
                "region = eu-west-1 # Ireland: botocore would keep this comment in the value\ns3 =\n    max_concurrent_requests = 20\n    addressing_style = path\n",
                "# Ireland: botocore would keep this comment in the value\nregion = us-west-2\n",
            )
            .replace("source_profile = dev\n", "source_profile = dev\nduration_seconds = 900\n")
            .replace("sso_region = us-east-1\n", "sso_region = eu-west-1\n")
            .replace("[profile old]", "[profile older]")
            .replace('\n', "\r\n")
            + "\r\n[profile crlf]\r\nregion = sa-east-1\r\n"
    );

    let report = botocore(&h, &p, json!({"scoped": ["dev"], "keys": ["crlf"]}));
    assert_eq!(
        report["scoped"]["dev"],
        json!({
            "role_arn": "arn:aws:iam::123456789012:role/Dev",
            "source_profile": "base",
            "region": "us-west-2",
        })
    );
    assert_eq!(
        report["full_config"]["profiles"]["audit"]["duration_seconds"],
        "900"
    );
    assert_eq!(report["keys"]["crlf"]["access_key"], "AKIDCRLF");
    assert_eq!(report["keys"]["crlf"]["secret_key"], "crlf/secret");
    assert_eq!(
        report["full_config"]["profiles"]["older"],
        json!({"region": "eu-central-1", "aws_access_key_id": "AKIDOLD", "aws_secret_access_key": "old-secret"})
    );
    assert_same_model(&h, &report);

    let expected: &[(&str, &str, Option<&str>)] = &[
        ("dev", "region", Some("us-west-2")),
        ("crlf", "aws_secret_access_key", Some("crlf/secret")),
        ("dev", "s3.max_concurrent_requests", None),
    ];
    assert_cli_reads(&h, &[&p.v1, &p.v2], expected);
}

#[test]
#[ignore = "needs botocore and the AWS CLIs v1 and v2: run scripts/test.sh"]
fn rolecall_reads_what_both_clis_write_and_they_read_its_edits() {
    let p = peers();
    let h = Home::empty();
    // AWS CLI v1 and v2 take turns writing the same files, as people's tools do.
    aws_set(&h, &p.v1, &["region", "eu-north-1", "--profile", "one"]);
    aws_set(
        &h,
        &p.v1,
        &["aws_access_key_id", "AKIDONE", "--profile", "one"],
    );
    aws_set(
        &h,
        &p.v1,
        &["aws_secret_access_key", "one/secret+x", "--profile", "one"],
    );
    aws_set(
        &h,
        &p.v1,
        &["s3.max_concurrent_requests", "5", "--profile", "one"],
    );
    aws_set(&h, &p.v2, &["default.region", "us-east-2"]);
    aws_set(
        &h,
        &p.v2,
        &[
            "role_arn",
            "arn:aws:iam::123456789012:role/Two",
            "--profile",
            "two",
        ],
    );
    aws_set(&h, &p.v2, &["source_profile", "one", "--profile", "two"]);
    aws_set(
        &h,
        &p.v2,
        &["s3.addressing_style", "virtual", "--profile", "two"],
    );

    let v = h
        .rolecall_ok(&["inspect", "--json", "--show-secrets"])
        .json();
    assert_eq!(
        v["profiles"],
        json!({
            "default": {"region": "us-east-2"},
            "one": {
                "region": "eu-north-1",
                "aws_access_key_id": "AKIDONE",
                "aws_secret_access_key": "one/secret+x",
                "s3": "\nmax_concurrent_requests = 5",
            },
            "two": {
                "role_arn": "arn:aws:iam::123456789012:role/Two",
                "source_profile": "one",
                "s3": "\naddressing_style = virtual",
            },
        })
    );
    let diagnostics = v["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().all(|d| d["severity"] != "error"),
        "{diagnostics:#?}"
    );
    let list = h.rolecall_ok(&["list", "--json"]).json();
    let two = list["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "two")
        .unwrap()
        .clone();
    assert_eq!(two["chain"], json!(["one", "two"]));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&h.config_path()), 0o600);
    }

    // rolecall edits the CLIs' files; the CLIs and botocore read the result.
    h.rolecall_ok(&["set", "one", "region", "eu-south-1"]);
    h.rolecall_ok(&["set", "one", "s3", "plain"]);
    h.rolecall_ok(&["profile", "rename", "one", "first", "--update-references"]);
    h.rolecall_ok(&["set", "two", "region", "eu-west-3"]);
    assert_cli_reads(
        &h,
        &[&p.v1],
        &[
            ("first", "region", Some("eu-south-1")),
            ("two", "s3.addressing_style", Some("virtual")),
        ],
    );
    assert_cli_reads(
        &h,
        &[&p.v2],
        &[
            ("two", "source_profile", Some("first")),
            ("first", "aws_secret_access_key", Some("one/secret+x")),
        ],
    );
    let report = botocore(&h, &p, json!({"scoped": ["two"], "assume": ["two"]}));
    assert_eq!(
        report["scoped"]["two"],
        json!({
            "role_arn": "arn:aws:iam::123456789012:role/Two",
            "source_profile": "first",
            "s3": {"addressing_style": "virtual"},
            "region": "eu-west-3",
        })
    );
    assert_eq!(report["full_config"]["profiles"]["first"]["s3"], "plain");
    let arn = report["assumed_arns"]["two"].as_str().unwrap_or_default();
    assert!(
        arn.starts_with("arn:aws:sts::123456789012:assumed-role/Two/"),
        "{arn}"
    );
    assert_same_model(&h, &report);
}
