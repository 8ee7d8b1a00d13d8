//! Checks Dapr component files for the mistakes that leak or misdirect AWS
//! credentials: `accessKey`, `secretKey` or `sessionToken` as plain values, no
//! `region`, and an `endpoint` on this machine (an emulator) left in.
//!
//! Only components whose `spec.type` is an AWS one (`<kind>.aws.<name>`) are
//! judged; other documents are skipped. Dapr matches metadata names without
//! regard to case, and so does this check. Findings never quote a secret.

use crate::profile::{Diagnostic, Severity};

use super::yaml::{self, Node};

/// Metadata names that hold credentials.
const SECRET_FIELDS: &[&str] = &["accessKey", "secretKey", "sessionToken"];

/// Component types for which components-contrib marks `region` required.
const REGION_REQUIRED: &[&str] = &["pubsub.aws.snssqs", "secretstores.aws.parameterstore"];

fn finding(
    severity: Severity,
    code: &'static str,
    place: String,
    message: String,
    fix: String,
) -> Diagnostic {
    Diagnostic::new(severity, code, format!("{place}: {message}"), fix)
}

/// Whether a URL points at this machine or a local emulator.
pub fn is_local(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host_port = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.rsplit_once(':').map_or(host_port, |(h, _)| h)
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1"
        || host == "0.0.0.0"
        || host == "host.docker.internal"
        || host == "localstack"
        || host.ends_with(".localstack.cloud")
}

/// Findings for one file's text; `path` is how the file is shown.
pub fn check(path: &str, text: &str) -> Vec<Diagnostic> {
    let docs = match yaml::parse(text) {
        Ok(docs) => docs,
        Err(e) => {
            return vec![finding(
                Severity::Warning,
                "dapr-unreadable",
                path.to_string(),
                format!("not YAML that can be read: {e}"),
                "fix the YAML (Dapr will refuse it too)".into(),
            )];
        }
    };
    docs.iter().flat_map(|d| check_component(path, d)).collect()
}

fn check_component(path: &str, doc: &Node) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.get("kind").and_then(Node::as_str) != Some("Component") {
        return out;
    }
    let Some(spec) = doc.get("spec") else {
        return out;
    };
    let kind = spec.get("type").and_then(Node::as_str).unwrap_or("");
    if kind.split('.').nth(1) != Some("aws") {
        return out;
    }
    let name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Node::as_str)
        .unwrap_or("?");
    let at = |line: usize| format!("{path}:{line}");
    let items = spec.get("metadata").map(Node::items).unwrap_or_default();
    let item_name = |i: &Node| {
        i.get("name")
            .and_then(Node::as_str)
            .unwrap_or("")
            .to_string()
    };
    for item in items {
        let field = item_name(item);
        let value = item.get("value").and_then(Node::as_str).unwrap_or("");
        if SECRET_FIELDS.iter().any(|f| f.eq_ignore_ascii_case(&field)) && !value.is_empty() {
            out.push(finding(
                Severity::Error,
                "dapr-plaintext-credentials",
                at(item.line),
                format!("component '{name}' ({kind}) has {field} as a plain value"),
                format!("delete the {field} item so the sidecar uses the AWS default chain (run it with `rolecall exec PROFILE -- daprd ...`), or make it a secretKeyRef; then deactivate the exposed key"),
            ));
        }
        if field.eq_ignore_ascii_case("endpoint") && is_local(value) {
            out.push(finding(
                Severity::Warning,
                "dapr-local-endpoint",
                at(item.line),
                format!("component '{name}' ({kind}) sends its requests to {value}, an endpoint on this machine (an emulator?)"),
                "delete the endpoint item before running against AWS".into(),
            ));
        }
    }
    let has_region = items.iter().any(|i| {
        let f = item_name(i);
        (f.eq_ignore_ascii_case("region") || f.eq_ignore_ascii_case("awsRegion"))
            && (i
                .get("value")
                .and_then(Node::as_str)
                .is_some_and(|v| !v.is_empty())
                || i.get("secretKeyRef").is_some())
    });
    if !has_region {
        let required = REGION_REQUIRED.contains(&kind);
        out.push(finding(
            if required { Severity::Error } else { Severity::Warning },
            "dapr-missing-region",
            at(spec.get("type").map_or(doc.line, |t| t.line)),
            format!(
                "component '{name}' ({kind}) has no region{}",
                if required {
                    ": components-contrib requires one"
                } else {
                    ": the sidecar then depends on AWS_REGION in its environment"
                }
            ),
            "add `- name: region` with `value: REGION` (`rolecall dapr component PROFILE --type ...` writes the profile's region)".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAKY: &str = "\
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: statestore
spec:
  type: state.aws.dynamodb
  version: v1
  metadata:
  - name: table
    value: orders
  - name: AccessKey
    value: AKIAIOSFODNN7EXAMPLE
  - name: secretKey
    value: \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"
  - name: sessionToken
    secretKeyRef:
      name: aws
      key: sessionToken
  - name: endpoint
    value: http://localhost:4566
---
apiVersion: dapr.io/v1alpha1
kind: Component
metadata:
  name: redis
spec:
  type: state.redis
  version: v1
  metadata: []
";

    #[test]
    fn plaintext_keys_missing_regions_and_local_endpoints() {
        let found = check("c/state.yaml", LEAKY);
        let got: Vec<(&str, Severity, String)> = found
            .iter()
            .map(|d| {
                let message = d.message.to_string();
                let line = message.split(':').take(2).last().unwrap().to_string();
                (d.code, d.severity, line)
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "dapr-plaintext-credentials",
                    Severity::Error,
                    "11".to_string()
                ),
                (
                    "dapr-plaintext-credentials",
                    Severity::Error,
                    "13".to_string()
                ),
                ("dapr-local-endpoint", Severity::Warning, "19".to_string()),
                ("dapr-missing-region", Severity::Warning, "6".to_string()),
            ]
        );
        let all = format!("{found:?}");
        assert!(
            !all.contains("wJalr") && !all.contains("AKIAIOSFODNN7EXAMPLE"),
            "{all}"
        );
        assert!(found.iter().all(|d| !d.fix.is_empty()));
    }

    #[test]
    fn required_regions_generated_components_and_broken_yaml() {
        let pubsub = "kind: Component\nmetadata:\n  name: p\nspec:\n  type: pubsub.aws.snssqs\n  metadata: []\n";
        let found = check("p.yaml", pubsub);
        assert_eq!(
            (found[0].code, found[0].severity),
            ("dapr-missing-region", Severity::Error)
        );
        let spec = crate::dapr::component::Spec {
            kind: crate::dapr::component::Type::S3,
            name: "s3".into(),
            profile: "dev".into(),
            region: "eu-west-1".into(),
            fields: vec![("bucket", "b".into())],
            credentials: crate::dapr::component::Credentials::SecretRef {
                secret: "aws".into(),
                store: None,
            },
        };
        assert_eq!(
            check("s3.yaml", &crate::dapr::component::render(&spec)),
            vec![]
        );
        assert_eq!(check("x.yaml", "a: [")[0].code, "dapr-unreadable");
        assert!(
            is_local("http://127.0.0.1:5000/x")
                && is_local("https://[::1]:1")
                && is_local("http://localstack:4566")
        );
        assert!(!is_local("https://dynamodb.eu-west-1.amazonaws.com"));
    }
}
