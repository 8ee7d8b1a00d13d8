//! The AWS SDKs' shared test vectors from `../shared/conformance/`, run against
//! rolecall's parser, normaliser, chain resolver and file locator.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rolecall::ini::{Document, SharedStr};
use rolecall::profile::chain::{self, Base};
use rolecall::profile::location::{Overrides, Platform, locate};
use rolecall::profile::normalize::normalize;
use rolecall::profile::{FileKind, Origin, ProfileSet, Section, Value};
use serde_json::{Value as Json, json};

fn vectors(name: &str) -> Json {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/conformance")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the shared test vectors at {}: {e}. They live in the steering repo's shared/conformance/, checked out beside this repository.",
            path.display()
        )
    });
    serde_json::from_str(&text).expect("vectors are JSON")
}

fn plain(sections: &rolecall::profile::SectionMap) -> Json {
    Json::Object(
        sections
            .iter()
            .map(|(n, s)| {
                let props = s
                    .properties
                    .iter()
                    .map(|(k, v)| (k.to_string(), Json::String(v.value.to_string())))
                    .collect();
                (n.to_string(), Json::Object(props))
            })
            .collect(),
    )
}

#[test]
fn profile_parser_vectors_all_pass() {
    let v = vectors("profile-parser-tests.json");
    let tests = v["tests"].as_array().unwrap();
    assert_eq!(tests.len(), 65);
    let mut failures = Vec::new();
    for t in tests {
        let name = t["name"].as_str().unwrap();
        let config = t["input"]["configFile"].as_str().map(Document::parse);
        let creds = t["input"]["credentialsFile"].as_str().map(Document::parse);
        let first_error = config
            .iter()
            .chain(creds.iter())
            .find_map(|d| d.errors().first().map(|e| e.kind.sdk_message()));
        let expected = &t["output"];
        if let Some(want) = expected["errorContaining"].as_str() {
            match first_error {
                Some(got) if got.contains(want) => {}
                other => failures.push(format!(
                    "{name}: expected error containing {want:?}, got {other:?}"
                )),
            }
            continue;
        }
        if let Some(err) = first_error {
            failures.push(format!("{name}: unexpected error {err:?}"));
            continue;
        }
        let set = normalize(config.as_ref(), creds.as_ref());
        let want = &expected["config"];
        if plain(&set.profiles) != want["profiles"] {
            failures.push(format!(
                "{name}: profiles {} != {}",
                plain(&set.profiles),
                want["profiles"]
            ));
        }
        if !want["sso_sessions"].is_null() && plain(&set.sso_sessions) != want["sso_sessions"] {
            failures.push(format!(
                "{name}: sso_sessions {} != {}",
                plain(&set.sso_sessions),
                want["sso_sessions"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 65 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn section_from(props: &Json) -> Section {
    let origin = Origin {
        file: FileKind::Config,
        line: 1,
    };
    Section {
        properties: props
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    Value {
                        value: v.as_str().unwrap().into(),
                        origin,
                    },
                )
            })
            .collect(),
        headers: [origin].into_iter().collect(),
    }
}

fn chain_json(c: &chain::Chain) -> Json {
    let opt = |m: &mut serde_json::Map<String, Json>, k: &str, v: &Option<SharedStr>| {
        if let Some(v) = v {
            m.insert(k.into(), Json::String(v.to_string()));
        }
    };
    let mut out = Vec::new();
    out.push(match &c.base {
        Base::AccessKey {
            access_key_id,
            secret_access_key,
            session_token,
            account_id,
            ..
        } => {
            let mut m = serde_json::Map::new();
            m.insert("access_key_id".into(), json!(access_key_id));
            m.insert("secret_access_key".into(), json!(secret_access_key));
            opt(&mut m, "session_token", session_token);
            opt(&mut m, "account_id", account_id);
            json!({ "AccessKey": m })
        }
        Base::NamedSource { source, .. } => json!({ "NamedSource": source }),
        Base::WebIdentity {
            role_arn,
            web_identity_token_file,
            role_session_name,
            ..
        } => {
            let mut m = serde_json::Map::new();
            m.insert("role_arn".into(), json!(role_arn));
            m.insert(
                "web_identity_token_file".into(),
                json!(web_identity_token_file),
            );
            opt(&mut m, "role_session_name", role_session_name);
            json!({ "WebIdentityToken": m })
        }
        Base::Sso {
            sso_account_id,
            sso_role_name,
            sso_region,
            sso_start_url,
            sso_session,
            ..
        } => {
            let mut m = serde_json::Map::new();
            opt(&mut m, "sso_account_id", sso_account_id);
            opt(&mut m, "sso_role_name", sso_role_name);
            m.insert("sso_region".into(), json!(sso_region));
            m.insert("sso_start_url".into(), json!(sso_start_url));
            opt(&mut m, "sso_session", sso_session);
            json!({ "Sso": m })
        }
        Base::LoginSession { login_session, .. } => json!({ "LoginSession": login_session }),
        Base::CredentialProcess { command, .. } => json!({ "CredentialProcess": command }),
    });
    for r in &c.roles {
        let mut m = serde_json::Map::new();
        m.insert("role_arn".into(), json!(r.role_arn));
        opt(&mut m, "external_id", &r.external_id);
        opt(&mut m, "role_session_name", &r.role_session_name);
        out.push(json!({ "AssumeRole": m }));
    }
    Json::Array(out)
}

#[test]
fn assume_role_vectors_all_pass() {
    let v = vectors("assume-role-tests.json");
    let tests = v.as_array().unwrap();
    assert_eq!(tests.len(), 28);
    let mut failures = Vec::new();
    for t in tests {
        let docs = t["docs"].as_str().unwrap();
        let input = &t["input"];
        let mut set = ProfileSet::default();
        for (name, props) in input["profiles"].as_object().unwrap() {
            set.profiles.insert(name.as_str(), section_from(props));
        }
        if let Some(sessions) = input["sso_sessions"].as_object() {
            for (name, props) in sessions {
                set.sso_sessions.insert(name.as_str(), section_from(props));
            }
        }
        let got = chain::resolve(&set, input["selected_profile"].as_str().unwrap());
        match (&t["output"]["Error"], got) {
            (Json::String(want), Err(e)) if e.message().contains(want.as_str()) => {}
            (Json::String(want), other) => {
                failures.push(format!("{docs}: expected error {want:?}, got {other:?}"))
            }
            (_, Ok(chain)) if chain_json(&chain) == t["output"]["ProfileChain"] => {}
            (_, other) => failures.push(format!(
                "{docs}: expected {}, got {:?}",
                t["output"]["ProfileChain"],
                other.map(|c| chain_json(&c))
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 28 failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn file_location_vectors_all_pass() {
    let v = vectors("file-location-tests.json");
    let tests = v["tests"].as_array().unwrap();
    assert!(!tests.is_empty());
    for t in tests {
        let name = t["name"].as_str().unwrap();
        let env: BTreeMap<String, String> = t["environment"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
            .collect();
        let platform = match t["platform"].as_str().unwrap() {
            "windows" => Platform::Windows,
            _ => Platform::Unix,
        };
        let got = locate(&|k| env.get(k).cloned(), platform, &Overrides::default()).unwrap();
        assert_eq!(
            got.config.to_str().unwrap(),
            t["configLocation"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            got.credentials.to_str().unwrap(),
            t["credentialsLocation"].as_str().unwrap(),
            "{name}"
        );
        if let Some(profile) = t["profile"].as_str() {
            assert_eq!(got.profile, profile, "{name}");
        }
    }
}
