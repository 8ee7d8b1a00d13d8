//! Writes a Dapr component YAML for an AWS building block, following the
//! component spec (`apiVersion: dapr.io/v1alpha1`, `kind: Component`,
//! `spec.type`, `spec.version`, `spec.metadata` as name/value items) and the
//! metadata fields of components-contrib's `metadata.yaml` for each type.
//!
//! Credentials are never written as values: [`Credentials::DefaultChain`]
//! writes none (the sidecar's AWS SDK then uses its default chain, which
//! `rolecall exec` feeds), [`Credentials::SecretRef`] writes `secretKeyRef`s
//! for `accessKey`, `secretKey` and `sessionToken` into one secret.

use std::fmt::Write as _;

/// The component types rolecall writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    /// `state.aws.dynamodb` (needs --table).
    DynamoDb,
    /// `pubsub.aws.snssqs`.
    SnsSqs,
    /// `bindings.aws.s3` (needs --bucket).
    S3,
    /// `secretstores.aws.secretmanager`.
    SecretsManager,
    /// `secretstores.aws.parameterstore`.
    ParameterStore,
}

impl Type {
    /// The `spec.type` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Type::DynamoDb => "state.aws.dynamodb",
            Type::SnsSqs => "pubsub.aws.snssqs",
            Type::S3 => "bindings.aws.s3",
            Type::SecretsManager => "secretstores.aws.secretmanager",
            Type::ParameterStore => "secretstores.aws.parameterstore",
        }
    }

    /// The usual component name for the type.
    pub fn default_name(self) -> &'static str {
        match self {
            Type::DynamoDb => "statestore",
            Type::SnsSqs => "pubsub",
            Type::S3 => "s3",
            Type::SecretsManager | Type::ParameterStore => "secretstore",
        }
    }
}

/// Where the sidecar gets credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Nowhere in the component: the SDK's default chain.
    DefaultChain,
    /// `secretKeyRef`s to keys `accessKey`, `secretKey`, `sessionToken` of this
    /// secret, in `store` (`auth.secretStore`) or the default one.
    SecretRef {
        /// The secret's name.
        secret: String,
        /// The secret store component, if not the default.
        store: Option<String>,
    },
}

/// What to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// The component type.
    pub kind: Type,
    /// `metadata.name`.
    pub name: String,
    /// The profile it was made for (a comment).
    pub profile: String,
    /// `region`.
    pub region: String,
    /// Type-specific fields and `endpoint`, in order: (name, value).
    pub fields: Vec<(&'static str, String)>,
    /// Credentials.
    pub credentials: Credentials,
}

/// Why a spec cannot be written.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SpecError(pub String);

/// Options from the command line.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--table`.
    pub table: Option<String>,
    /// `--ttl-attribute`.
    pub ttl_attribute: Option<String>,
    /// `--partition-key`.
    pub partition_key: Option<String>,
    /// `--bucket`.
    pub bucket: Option<String>,
    /// `--prefix` (Parameter Store).
    pub prefix: Option<String>,
    /// `--fifo` (SNS/SQS).
    pub fifo: bool,
    /// `--endpoint`.
    pub endpoint: Option<String>,
}

/// The type's metadata fields from `opts`; an error names the missing flag.
pub fn fields(kind: Type, opts: &Options) -> Result<Vec<(&'static str, String)>, SpecError> {
    let need = |v: &Option<String>, flag: &str| {
        v.clone().ok_or_else(|| {
            SpecError(format!(
                "{} needs {flag} NAME (components-contrib marks it required)",
                kind.as_str()
            ))
        })
    };
    let mut out = Vec::new();
    let refuse = |flag: &str, given: bool| -> Result<(), SpecError> {
        if given {
            return Err(SpecError(format!(
                "{flag} does not apply to {}",
                kind.as_str()
            )));
        }
        Ok(())
    };
    if kind != Type::DynamoDb {
        refuse("--table", opts.table.is_some())?;
        refuse("--ttl-attribute", opts.ttl_attribute.is_some())?;
        refuse("--partition-key", opts.partition_key.is_some())?;
    }
    if kind != Type::S3 {
        refuse("--bucket", opts.bucket.is_some())?;
    }
    if kind != Type::ParameterStore {
        refuse("--prefix", opts.prefix.is_some())?;
    }
    if kind != Type::SnsSqs {
        refuse("--fifo", opts.fifo)?;
    }
    if kind == Type::ParameterStore {
        refuse("--endpoint", opts.endpoint.is_some())?;
    }
    match kind {
        Type::DynamoDb => {
            out.push(("table", need(&opts.table, "--table")?));
            if let Some(a) = &opts.ttl_attribute {
                out.push(("ttlAttributeName", a.clone()));
            }
            if let Some(k) = &opts.partition_key {
                out.push(("partitionKey", k.clone()));
            }
        }
        Type::S3 => out.push(("bucket", need(&opts.bucket, "--bucket")?)),
        Type::SnsSqs if opts.fifo => out.push(("fifo", "true".into())),
        Type::ParameterStore => {
            if let Some(p) = &opts.prefix {
                out.push(("prefix", p.clone()));
            }
        }
        _ => {}
    }
    if let Some(e) = &opts.endpoint {
        if !(e.starts_with("http://") || e.starts_with("https://")) {
            return Err(SpecError(format!(
                "--endpoint {e}: give a URL with its scheme, e.g. http://localhost:4566"
            )));
        }
        out.push(("endpoint", e.clone()));
        if kind == Type::S3 {
            // Emulators (LocalStack, moto, MinIO) serve buckets by path.
            out.push(("forcePathStyle", "true".into()));
        }
    }
    Ok(out)
}

/// A YAML double-quoted scalar.
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The component as YAML text.
pub fn render(spec: &Spec) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Dapr component written by rolecall for AWS profile {}.",
        quote(&spec.profile)
    );
    match &spec.credentials {
        Credentials::DefaultChain => {
            let _ = writeln!(
                y,
                "# No credentials here: the sidecar's AWS SDK uses its default chain. Run it with"
            );
            let _ = writeln!(
                y,
                "#   rolecall exec {} -- daprd ...   (or dapr run ...)",
                spec.profile
            );
        }
        Credentials::SecretRef { secret, .. } => {
            let _ = writeln!(
                y,
                "# Credentials come from secret {} (keys accessKey, secretKey, sessionToken).",
                quote(secret)
            );
        }
    }
    let _ = writeln!(y, "apiVersion: dapr.io/v1alpha1");
    let _ = writeln!(y, "kind: Component");
    let _ = writeln!(y, "metadata:\n  name: {}", quote(&spec.name));
    let _ = writeln!(
        y,
        "spec:\n  type: {}\n  version: v1\n  metadata:",
        spec.kind.as_str()
    );
    let item = |y: &mut String, name: &str, value: &str| {
        let _ = writeln!(y, "    - name: {name}\n      value: {}", quote(value));
    };
    item(&mut y, "region", &spec.region);
    for (name, value) in &spec.fields {
        item(&mut y, name, value);
    }
    if let Credentials::SecretRef { secret, store } = &spec.credentials {
        for key in ["accessKey", "secretKey", "sessionToken"] {
            let _ = writeln!(
                y,
                "    - name: {key}\n      secretKeyRef:\n        name: {}\n        key: {key}",
                quote(secret)
            );
        }
        if let Some(store) = store {
            let _ = writeln!(y, "auth:\n  secretStore: {}", quote(store));
        }
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dapr::yaml;

    fn spec(kind: Type, opts: &Options, credentials: Credentials) -> Spec {
        Spec {
            kind,
            name: kind.default_name().into(),
            profile: "dev".into(),
            region: "eu-west-1".into(),
            fields: fields(kind, opts).unwrap(),
            credentials,
        }
    }

    #[test]
    fn a_dynamodb_state_store_follows_the_spec_and_holds_no_credentials() {
        let opts = Options {
            table: Some("orders".into()),
            ttl_attribute: Some("expiresAt".into()),
            partition_key: Some("pk".into()),
            endpoint: Some("http://localhost:4566".into()),
            ..Options::default()
        };
        let text = render(&spec(Type::DynamoDb, &opts, Credentials::DefaultChain));
        let doc = &yaml::parse(&text).unwrap()[0];
        assert_eq!(
            doc.get("apiVersion").unwrap().as_str(),
            Some("dapr.io/v1alpha1")
        );
        assert_eq!(doc.get("kind").unwrap().as_str(), Some("Component"));
        let s = doc.get("spec").unwrap();
        assert_eq!(s.get("type").unwrap().as_str(), Some("state.aws.dynamodb"));
        assert_eq!(s.get("version").unwrap().as_str(), Some("v1"));
        let items: Vec<(&str, &str)> = s
            .get("metadata")
            .unwrap()
            .items()
            .iter()
            .map(|i| {
                (
                    i.get("name").unwrap().as_str().unwrap(),
                    i.get("value").unwrap().as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            items,
            [
                ("region", "eu-west-1"),
                ("table", "orders"),
                ("ttlAttributeName", "expiresAt"),
                ("partitionKey", "pk"),
                ("endpoint", "http://localhost:4566")
            ]
        );
        assert!(text.contains("rolecall exec dev -- daprd"));
        assert!(!text.contains("accessKey"));
    }

    #[test]
    fn secret_references_and_an_auth_store() {
        let creds = Credentials::SecretRef {
            secret: "aws-creds".into(),
            store: Some("vault".into()),
        };
        let text = render(&spec(
            Type::SnsSqs,
            &Options {
                fifo: true,
                ..Options::default()
            },
            creds,
        ));
        let doc = &yaml::parse(&text).unwrap()[0];
        let items = doc.get("spec").unwrap().get("metadata").unwrap().items();
        let key = items
            .iter()
            .find(|i| i.get("name").unwrap().as_str() == Some("secretKey"))
            .unwrap();
        assert!(key.get("value").is_none());
        let r = key.get("secretKeyRef").unwrap();
        assert_eq!(r.get("name").unwrap().as_str(), Some("aws-creds"));
        assert_eq!(r.get("key").unwrap().as_str(), Some("secretKey"));
        assert_eq!(
            doc.get("auth")
                .unwrap()
                .get("secretStore")
                .unwrap()
                .as_str(),
            Some("vault")
        );
        assert!(
            items
                .iter()
                .any(|i| i.get("name").unwrap().as_str() == Some("fifo"))
        );
    }

    #[test]
    fn required_and_foreign_flags_are_usage_errors() {
        let e = fields(Type::DynamoDb, &Options::default()).unwrap_err();
        assert!(e.0.contains("--table"), "{e}");
        let e = fields(
            Type::S3,
            &Options {
                table: Some("t".into()),
                bucket: Some("b".into()),
                ..Options::default()
            },
        )
        .unwrap_err();
        assert!(
            e.0.contains("--table does not apply to bindings.aws.s3"),
            "{e}"
        );
        let e = fields(
            Type::SecretsManager,
            &Options {
                endpoint: Some("localhost:4566".into()),
                ..Options::default()
            },
        )
        .unwrap_err();
        assert!(e.0.contains("http://localhost:4566"), "{e}");
        let s3 = fields(
            Type::S3,
            &Options {
                bucket: Some("b".into()),
                endpoint: Some("http://127.0.0.1:5000".into()),
                ..Options::default()
            },
        )
        .unwrap();
        assert!(s3.contains(&("forcePathStyle", "true".into())));
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
