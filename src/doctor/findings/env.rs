//! Findings about the environment: keys that shadow the profile (or only half
//! of them), a temporary key without its token, expired or temporary keys,
//! `AWS_SECURITY_TOKEN` alone, web identity variables, the two profile
//! variables and the two region variables.

use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::profile::{Diagnostic, Severity};

use super::super::Input;
use super::super::order::{ProfileState, assess};
use super::{finding, named};

pub(super) fn environment(input: &Input, out: &mut Vec<Diagnostic>) {
    let env = input.env;
    let (id, secret) = (
        env.has("AWS_ACCESS_KEY_ID"),
        env.has("AWS_SECRET_ACCESS_KEY"),
    );
    const UNSET_KEYS: &str =
        "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_SECURITY_TOKEN";
    if id != secret {
        let (set, unset) = if id {
            ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        } else {
            ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")
        };
        out.push(finding(
            Severity::Error,
            "env-keys-partial",
            None,
            format!("{set} is set but {unset} is not: botocore and the AWS CLI stop with a partial-credentials error, the other SDKs ignore both"),
            format!("`{UNSET_KEYS}`, or set {unset} too"),
        ));
    }
    if id && secret {
        match named(input) {
            Some(p) => out.push(finding(
                Severity::Error,
                "env-keys-shadow-profile",
                Some(&p),
                format!("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: every AWS SDK and CLI uses them instead of profile '{p}'"),
                format!("`{UNSET_KEYS}`, or run commands with `rolecall exec {p} -- CMD`, which removes them"),
            )),
            None => out.push(finding(
                Severity::Info,
                "env-keys",
                None,
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set: every AWS SDK and CLI uses them, no profile".into(),
                format!("nothing, if you meant that; else `{UNSET_KEYS}`"),
            )),
        }
        let key = env.get("AWS_ACCESS_KEY_ID").unwrap_or_default();
        let token = env.has("AWS_SESSION_TOKEN");
        if !token && env.has("AWS_SECURITY_TOKEN") {
            out.push(finding(
                Severity::Warning,
                "env-security-token-only",
                None,
                "AWS_SECURITY_TOKEN is set without AWS_SESSION_TOKEN: botocore reads it, the SDKs for Rust, Go and Java do not and send the keys without a token".into(),
                "export AWS_SESSION_TOKEN=\"$AWS_SECURITY_TOKEN\"".into(),
            ));
        } else if !token && key.starts_with("ASIA") {
            out.push(finding(
                Severity::Error,
                "env-session-token-missing",
                None,
                format!("AWS_ACCESS_KEY_ID {key} is a temporary key (ASIA…) but AWS_SESSION_TOKEN is not set: every request fails with InvalidClientTokenId"),
                "export AWS_SESSION_TOKEN with the token issued with these keys, or get new credentials (`rolecall export PROFILE`)".into(),
            ));
        }
        let expiry = ["AWS_CREDENTIAL_EXPIRATION", "AWS_SESSION_EXPIRATION"]
            .iter()
            .find_map(|v| Some((*v, parse_timestamp(env.get(v)?)?)));
        if let Some((var, at)) = expiry {
            if at <= input.now {
                out.push(finding(
                    Severity::Error,
                    "env-keys-expired",
                    None,
                    format!("the keys in the environment expired at {} ({var})", format_rfc3339(at)),
                    format!("`{UNSET_KEYS}` and get fresh ones, or use `rolecall exec PROFILE --mode server`, which refreshes them"),
                ));
            } else {
                out.push(finding(
                    Severity::Info,
                    "env-temporary-keys",
                    None,
                    format!(
                        "the keys in the environment expire at {} ({var}) and nothing renews them",
                        format_rfc3339(at)
                    ),
                    "for long runs use `rolecall exec PROFILE --mode server`, which refreshes them"
                        .into(),
                ));
            }
        }
    }
    let (token_file, role) = (
        env.has("AWS_WEB_IDENTITY_TOKEN_FILE"),
        env.has("AWS_ROLE_ARN"),
    );
    if token_file != role {
        out.push(finding(
            Severity::Warning,
            "web-identity-incomplete",
            None,
            "only one of AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN is set: the SDKs for Rust, Go and Java skip web identity from the environment".into(),
            "set both, or unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN".into(),
        ));
    }
    if token_file
        && role
        && let Some(p) = named(input)
        && matches!(assess(input.set, &p), ProfileState::Usable(..))
    {
        out.push(finding(
            Severity::Error,
            "web-identity-shadows-profile",
            Some(&p),
            format!("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set: the SDKs for Go and Java use them instead of profile '{p}', and so do botocore and the AWS CLI unless the profile assumes a role"),
            format!("`unset AWS_WEB_IDENTITY_TOKEN_FILE AWS_ROLE_ARN`, or run commands with `rolecall exec {p} -- CMD`, which removes them"),
        ));
    }
    if let (Some(a), Some(b)) = (env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"))
        && a != b
    {
        out.push(finding(
            Severity::Warning,
            "region-vars-disagree",
            None,
            format!("AWS_REGION is {a} but AWS_DEFAULT_REGION is {b}: the SDKs for Rust, Go and Java use {a}, botocore and the AWS CLI {b}"),
            format!("export AWS_DEFAULT_REGION={a} (or AWS_REGION={b})"),
        ));
    }
}

pub(super) fn profile_variables(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
    let env = input.env;
    let Some(default_var) = env.get("AWS_DEFAULT_PROFILE") else {
        return;
    };
    let main = input.wanted.or_else(|| env.get("AWS_PROFILE"));
    match main {
        Some(main) if main != default_var => out.push(finding(
            Severity::Error,
            "profile-vars-disagree",
            Some(profile),
            format!("AWS_DEFAULT_PROFILE is '{default_var}' but the profile meant is '{main}': botocore (boto3, AWS CLI v1) reads AWS_DEFAULT_PROFILE first and uses '{default_var}'; the AWS CLI v2 and the SDKs for Rust, Go and Java use '{main}'"),
            format!("`unset AWS_DEFAULT_PROFILE`, or export AWS_DEFAULT_PROFILE={main} as well"),
        )),
        Some(_) => {}
        None => out.push(finding(
            Severity::Warning,
            "default-profile-only",
            Some(default_var),
            format!("AWS_DEFAULT_PROFILE is '{default_var}' but AWS_PROFILE is not set: botocore and the AWS CLI use '{default_var}', the SDKs for Rust, Go and Java ignore the variable and use 'default'"),
            format!("export AWS_PROFILE={default_var}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn keys_in_the_environment_shadow_the_profile_asked_for() {
        let set = files(ROLE, KEYS);
        let env = [
            ("AWS_PROFILE", "dev"),
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"),
            ("AWS_SECRET_ACCESS_KEY", "s"),
            ("AWS_CREDENTIAL_EXPIRATION", "2020-01-01T00:00:00Z"),
        ];
        let r = run(&env, &set, None);
        assert!(r.has_errors());
        let d = has(&r, "env-keys-shadow-profile");
        assert!(
            d.message.to_string().contains("'dev'") && d.fix.contains("rolecall exec dev"),
            "{d:?}"
        );
        assert!(
            has(&r, "env-session-token-missing")
                .message
                .to_string()
                .contains("ASIAEXAMPLE")
        );
        assert!(
            has(&r, "env-keys-expired")
                .message
                .to_string()
                .contains("2020-01-01T00:00:00Z")
        );
        // No secret value ever appears.
        assert!(!format!("{:?}", r.findings).contains("\"s\""));
        // Without a profile named, keys in the environment are just information.
        let r = run(&env[1..3], &set, None);
        assert_eq!(has(&r, "env-keys").severity, Severity::Info);
    }

    #[test]
    fn partial_keys_and_the_security_token_alone() {
        let set = files(ROLE, KEYS);
        let r = run(&[("AWS_SECRET_ACCESS_KEY", "s")], &set, Some("dev"));
        assert_eq!(has(&r, "env-keys-partial").severity, Severity::Error);
        let r = run(
            &[
                ("AWS_ACCESS_KEY_ID", "ASIAX"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
                ("AWS_SECURITY_TOKEN", "t"),
            ],
            &set,
            None,
        );
        assert_eq!(
            has(&r, "env-security-token-only").severity,
            Severity::Warning
        );
        assert!(!codes(&r).iter().any(|c| c.0 == "env-session-token-missing"));
    }

    #[test]
    fn the_two_profile_variables() {
        let set = files(&format!("{ROLE}[profile other]\nregion = r\n"), KEYS);
        let r = run(
            &[("AWS_PROFILE", "dev"), ("AWS_DEFAULT_PROFILE", "other")],
            &set,
            None,
        );
        let d = has(&r, "profile-vars-disagree");
        assert_eq!(d.severity, Severity::Error);
        assert!(
            d.message.to_string().contains("botocore")
                && d.fix.contains("unset AWS_DEFAULT_PROFILE")
        );
        let r = run(&[("AWS_DEFAULT_PROFILE", "dev")], &set, None);
        assert_eq!(
            has(&r, "default-profile-only").fix,
            "export AWS_PROFILE=dev"
        );
        let r = run(
            &[("AWS_PROFILE", "dev"), ("AWS_DEFAULT_PROFILE", "dev")],
            &set,
            None,
        );
        assert!(!r.has_errors(), "{:#?}", r.findings);
    }

    #[test]
    fn web_identity_variables_shadow_a_named_profile() {
        let set = files(ROLE, KEYS);
        let r = run(
            &[
                ("AWS_WEB_IDENTITY_TOKEN_FILE", "/t"),
                ("AWS_ROLE_ARN", "arn:aws:iam::1:role/p"),
            ],
            &set,
            Some("base"),
        );
        assert!(
            has(&r, "web-identity-shadows-profile")
                .fix
                .contains("unset AWS_WEB_IDENTITY_TOKEN_FILE")
        );
        let r = run(&[("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")], &set, Some("base"));
        assert_eq!(
            has(&r, "web-identity-incomplete").severity,
            Severity::Warning
        );
    }
}
