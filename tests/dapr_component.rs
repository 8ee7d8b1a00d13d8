//! `rolecall dapr component` and `doctor --dapr-components` on the real binary:
//! the profile's region, no plaintext credentials, new files only, and the
//! check flagging what a hand-written component leaks.

mod common;

use common::Home;

const CONFIG: &str = "[profile dev]\nregion = eu-west-1\n[profile bare]\noutput = json\n";

#[test]
fn components_carry_the_profiles_region_and_pass_the_check() {
    let keys = "[dev]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n";
    let home = Home::with(Some(CONFIG), Some(keys));
    let dir = home.path().join("components");
    std::fs::create_dir(&dir).unwrap();
    let out = |f: &str| dir.join(f).display().to_string();
    let state = out("state.yaml");
    home.rolecall_ok(&[
        "dapr",
        "component",
        "dev",
        "--type",
        "state.aws.dynamodb",
        "--table",
        "orders",
        "--ttl-attribute",
        "expiresAt",
        "--partition-key",
        "pk",
        "-o",
        &state,
    ]);
    let text = std::fs::read_to_string(&state).unwrap();
    assert!(
        text.contains("  type: state.aws.dynamodb\n  version: v1\n"),
        "{text}"
    );
    assert!(
        text.contains("    - name: region\n      value: \"eu-west-1\"\n"),
        "{text}"
    );
    assert!(
        text.contains("    - name: table\n      value: \"orders\"\n"),
        "{text}"
    );
    assert!(!text.contains("accessKey"));
    // The other AWS components, printed to stdout.
    for (kind, extra) in [
        ("pubsub.aws.snssqs", vec!["--fifo"]),
        ("bindings.aws.s3", vec!["--bucket", "b"]),
        (
            "secretstores.aws.secretmanager",
            vec!["--secret", "aws", "--secret-store", "k8s"],
        ),
        ("secretstores.aws.parameterstore", vec!["--prefix", "/app/"]),
    ] {
        let mut args = vec!["dapr", "component", "dev", "--type", kind];
        args.extend(extra);
        let run = home.rolecall_ok(&args);
        assert!(
            run.stdout.contains(&format!("  type: {kind}\n")),
            "{}",
            run.stdout
        );
        std::fs::write(out(&format!("{kind}.yaml")), &run.stdout).unwrap();
    }
    let run = home.rolecall(&["doctor", "dev", "--dapr-components", dir.to_str().unwrap()]);
    run.success();
    assert!(!run.stdout.contains("dapr-"), "{}", run.stdout);
    // New files only.
    let again = home.rolecall(&[
        "dapr",
        "component",
        "dev",
        "--type",
        "bindings.aws.s3",
        "--bucket",
        "b",
        "-o",
        &state,
    ]);
    again.expect_code(1);
    assert!(
        again.stderr.contains("exists: pass --force"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_profile_without_region_and_missing_flags_are_usage_errors() {
    let home = Home::with(Some(CONFIG), None);
    let run = home.rolecall(&["dapr", "component", "bare", "--type", "pubsub.aws.snssqs"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("rolecall set bare region REGION"),
        "{}",
        run.stderr
    );
    let run = home.rolecall(&["dapr", "component", "dev", "--type", "state.aws.dynamodb"]);
    run.expect_code(2);
    assert!(run.stderr.contains("needs --table"), "{}", run.stderr);
    home.rolecall_ok(&[
        "dapr",
        "component",
        "bare",
        "--type",
        "pubsub.aws.snssqs",
        "--region",
        "us-east-2",
    ]);
}

#[test]
fn doctor_flags_plaintext_keys_a_missing_region_and_a_local_endpoint() {
    let home = Home::with(Some(CONFIG), None);
    let dir = home.path().join("components");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("pubsub.yaml"),
        "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: pubsub\nspec:\n  type: pubsub.aws.snssqs\n  version: v1\n  metadata:\n  - name: accessKey\n    value: AKIAIOSFODNN7EXAMPLE\n  - name: secretKey\n    value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n  - name: endpoint\n    value: http://localhost:4566\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "accessKey: not a component").unwrap();
    let run = home.rolecall(&["doctor", "dev", "--dapr-components", dir.to_str().unwrap()]);
    run.expect_code(1);
    let out = &run.stdout;
    assert!(out.contains("components/pubsub.yaml:9: component 'pubsub' (pubsub.aws.snssqs) has accessKey as a plain value"), "{out}");
    assert!(out.contains("components/pubsub.yaml:11:"), "{out}");
    assert!(out.contains("components/pubsub.yaml:13: component 'pubsub' (pubsub.aws.snssqs) sends its requests to http://localhost:4566"), "{out}");
    assert!(
        out.contains("has no region: components-contrib requires one"),
        "{out}"
    );
    assert!(!out.contains("wJalrXUtnFEMI"), "{out}");
    let run = home.rolecall(&["doctor", "--dapr-components", "/nonexistent/dir"]);
    run.expect_code(1);
    assert!(run.stderr.contains("--dapr-components"), "{}", run.stderr);
}
