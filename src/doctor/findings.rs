//! What doctor reports as wrong or worth knowing, each with its fix: variables
//! that shadow the profile, the two profile variables read differently,
//! temporary keys in files or the environment, missing session tokens, expired
//! caches, broken chains and the files' own findings (portability included).
//!
//! Errors are what will make the profile the user means fail or be silently
//! replaced; the files' findings about other profiles' chains are warnings.

use std::collections::BTreeSet;

use crate::credential::expiry::{format_rfc3339, parse_timestamp};
use crate::credential::status::{EXPIRY_KEYS, EnvExpiry, Source, Status, status_of};
use crate::profile::chain::{self, Base};
use crate::profile::{Diagnostic, Origin, Severity};

use super::Input;
use super::order::{Family, ProfileState, Verdict, Winner, assess};

fn finding(
    severity: Severity,
    code: &'static str,
    profile: Option<&str>,
    message: String,
    fix: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        code,
        origin: None,
        profile: profile.map(str::to_string),
        message,
        fix,
        sdk_refuses_file: false,
    }
}

/// Every finding for `input`, `profile` being the one the user means.
pub fn collect(input: &Input, profile: &str, families: &[Verdict]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    environment(input, &mut out);
    profile_variables(input, profile, &mut out);
    let chain_profiles = chain_members(input, profile);
    selected_profile(input, profile, &mut out);
    keys_in_files(input, &chain_profiles, &mut out);
    mfa(input, profile, &mut out);
    file_findings(input, &chain_profiles, &mut out);
    fallbacks(input, families, &mut out);
    out
}

/// Whether the user named a profile (argument or a profile variable).
fn named(input: &Input) -> Option<String> {
    input
        .wanted
        .map(str::to_string)
        .or_else(|| input.env.get("AWS_PROFILE").map(str::to_string))
        .or_else(|| input.env.get("AWS_DEFAULT_PROFILE").map(str::to_string))
}

fn environment(input: &Input, out: &mut Vec<Diagnostic>) {
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

fn profile_variables(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
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

/// The profiles `profile`'s chain runs through (just `profile` when it does
/// not resolve).
fn chain_members(input: &Input, profile: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::from([profile.to_string()]);
    if let Ok(c) = chain::resolve(input.set, profile) {
        names.insert(c.base.profile().to_string());
        names.extend(c.roles.iter().map(|r| r.profile.to_string()));
    }
    names
}

fn selected_profile(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
    if assess(input.set, profile) == ProfileState::Missing {
        if named(input).is_some() {
            out.push(finding(
                Severity::Error,
                "profile-missing",
                Some(profile),
                format!("profile '{profile}' is in neither file: the AWS CLI and most SDKs stop with \"profile not found\""),
                format!("check the name (`rolecall list`), or create it: `rolecall profile add {profile} ...`"),
            ));
        }
        return;
    }
    let at = |at: std::time::SystemTime| format_rfc3339(at);
    match status_of(input.set, profile, input.caches, &EnvExpiry::default()) {
        Status::LoginNeeded(session) => out.push(finding(
            Severity::Error,
            "sso-login-needed",
            Some(profile),
            format!("profile '{profile}' uses SSO ({session}) and there is no cached SSO token: every SDK fails until you log in"),
            format!("`aws sso login --profile {profile}`"),
        )),
        Status::Expires { at: t, source: Source::SsoToken(session) } if t <= input.now => out.push(finding(
            Severity::Error,
            "sso-token-expired",
            Some(profile),
            format!("the SSO token of {session} expired at {}: profile '{profile}' fails until you log in again (sso-session tokens refresh only while their refresh token is valid)", at(t)),
            format!("`aws sso login --profile {profile}`"),
        )),
        Status::Expires { at: t, source: Source::CliCache } if t <= input.now => out.push(finding(
            Severity::Info,
            "cli-cache-expired",
            Some(profile),
            format!("the AWS CLI's cached role credentials for '{profile}' expired at {}", at(t)),
            "nothing: the AWS CLI assumes the role again on its next call".into(),
        )),
        _ => {}
    }
}

fn mfa(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
    let Some(serial) = input.set.profile(profile).and_then(|p| p.get("mfa_serial")) else {
        return;
    };
    out.push(finding(
        Severity::Warning,
        "mfa-serial",
        Some(profile),
        format!("profile '{profile}' needs a code from MFA device {serial}: botocore and the AWS CLI ask for it (role profiles only), but the SDKs for Rust and Java ignore mfa_serial and the Go SDK fails without a token provider, so programs built on them (Dapr's sidecar, Terraform) fail"),
        format!("run them with `rolecall exec {profile} -- CMD`: rolecall asks for the code once and serves the session until it expires"),
    ));
}

fn keys_in_files(input: &Input, chain: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
    for (name, section) in &input.set.profiles {
        let Ok(c) = chain::resolve(input.set, name) else {
            continue;
        };
        let Base::AccessKey {
            profile: owner,
            access_key_id,
            session_token,
            ..
        } = &c.base
        else {
            continue;
        };
        if **owner != **name {
            continue;
        }
        let origin: Option<Origin> = section
            .properties
            .get("aws_access_key_id")
            .map(|v| v.origin);
        let in_chain = chain.contains(&**name);
        let serious = if in_chain {
            Severity::Error
        } else {
            Severity::Warning
        };
        let mut push = |severity, code, message: String, fix: String| {
            out.push(Diagnostic {
                origin,
                ..finding(severity, code, Some(name), message, fix)
            })
        };
        if session_token.is_none() {
            if !access_key_id.starts_with("ASIA") {
                push(
                    Severity::Info,
                    "plaintext-keys",
                    format!("profile '{name}' keeps long-term keys ({access_key_id}) in plaintext"),
                    format!("move them into the system keychain: `rolecall keys migrate {name}`"),
                );
            }
            if access_key_id.starts_with("ASIA") {
                push(
                    serious,
                    "session-token-missing",
                    format!(
                        "profile '{name}' holds temporary keys ({access_key_id}, ASIA…) without aws_session_token: every request fails with InvalidClientTokenId"
                    ),
                    format!(
                        "add aws_session_token from where the keys came (`rolecall set {name} aws_session_token TOKEN`), or replace them with long-term keys"
                    ),
                );
            }
            continue;
        }
        let expiry = EXPIRY_KEYS
            .iter()
            .find_map(|k| parse_timestamp(section.get(k)?));
        let fix = format!(
            "replace them with a role or SSO profile, which the SDKs refresh; or paste fresh keys into [{name}]"
        );
        match expiry {
            Some(t) if t <= input.now => push(
                serious,
                "temporary-keys-expired",
                format!(
                    "profile '{name}' holds temporary keys that expired at {}",
                    format_rfc3339(t)
                ),
                fix,
            ),
            Some(t) => push(
                Severity::Warning,
                "temporary-keys-in-file",
                format!(
                    "profile '{name}' holds temporary keys (until {}) that nothing refreshes",
                    format_rfc3339(t)
                ),
                fix,
            ),
            None => push(
                Severity::Warning,
                "temporary-keys-in-file",
                format!(
                    "profile '{name}' holds temporary keys (a session token) that nothing refreshes, and no expiry is written beside them"
                ),
                fix,
            ),
        }
    }
}

fn file_findings(input: &Input, chain: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
    for d in &input.set.diagnostics {
        let mut d = d.clone();
        if d.severity == Severity::Error
            && !d.sdk_refuses_file
            && d.profile.as_ref().is_some_and(|p| !chain.contains(p))
        {
            d.severity = Severity::Warning;
        }
        if d.code == "no-credentials" && !d.profile.as_ref().is_some_and(|p| chain.contains(p)) {
            continue;
        }
        out.push(d);
    }
}

fn fallbacks(input: &Input, families: &[Verdict], out: &mut Vec<Diagnostic>) {
    let list = |pick: &dyn Fn(&Winner) -> bool| {
        families
            .iter()
            .filter(|v| pick(&v.winner))
            .map(|v| v.family.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let nothing = list(&|w| *w == Winner::Nothing);
    if !nothing.is_empty() {
        out.push(finding(
            Severity::Error,
            "no-credentials",
            None,
            format!("no credential source has credentials for {nothing}"),
            "select a profile with credentials (`export AWS_PROFILE=NAME`; `rolecall list` shows them), or run commands with `rolecall exec NAME -- CMD`".into(),
        ));
    }
    let imds = list(&|w| *w == Winner::InstanceMetadata);
    if !imds.is_empty() {
        out.push(finding(
            Severity::Warning,
            "instance-metadata-fallback",
            None,
            format!("nothing else has credentials, so {imds} will ask the EC2 instance metadata service: that works only on EC2 (elsewhere, a timeout and then an error)"),
            "on EC2, nothing; elsewhere select a profile with credentials (`export AWS_PROFILE=NAME`)".into(),
        ));
    }
    for f in input.boto_files.iter().filter(|f| f.has_keys()) {
        let wins = families
            .iter()
            .any(|v| v.family == Family::Botocore && v.winner == Winner::BotoFile(f.path.clone()));
        out.push(finding(
            if wins { Severity::Warning } else { Severity::Info },
            "boto-file-keys",
            None,
            format!("{} holds plaintext keys in [Credentials]: botocore (boto3, the AWS CLI) uses them when nothing before it has credentials{}", f.path, if wins { ", as now" } else { "" }),
            format!("move the keys into a profile (`rolecall profile add NAME aws_access_key_id=... aws_secret_access_key=...`) and delete them from {}", f.path),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{files, run};
    use super::*;

    fn codes(r: &super::super::Report) -> Vec<(&'static str, Severity)> {
        r.findings.iter().map(|f| (f.code, f.severity)).collect()
    }

    fn has<'a>(r: &'a super::super::Report, code: &str) -> &'a Diagnostic {
        let d = r
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:#?}", r.findings));
        assert!(!d.fix.is_empty(), "{code} has no fix");
        d
    }

    const KEYS: &str = "[base]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = s\n";
    const ROLE: &str = "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n";

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
            d.message.contains("'dev'") && d.fix.contains("rolecall exec dev"),
            "{d:?}"
        );
        assert!(
            has(&r, "env-session-token-missing")
                .message
                .contains("ASIAEXAMPLE")
        );
        assert!(
            has(&r, "env-keys-expired")
                .message
                .contains("2020-01-01T00:00:00Z")
        );
        // No secret value ever appears.
        assert!(!format!("{:?}", r.findings).contains("\"s\""));
        // Without a profile named, keys in the environment are just information.
        let r = run(&env[1..3], &set, None);
        assert_eq!(has(&r, "env-keys").severity, Severity::Info);
    }

    #[test]
    fn plaintext_long_term_keys_are_a_note_pointing_at_the_keychain() {
        let r = run(&[], &files(ROLE, KEYS), Some("dev"));
        let d = has(&r, "plaintext-keys");
        assert_eq!((d.severity, d.origin.unwrap().line), (Severity::Info, 2));
        assert_eq!(
            d.fix,
            "move them into the system keychain: `rolecall keys migrate base`"
        );
    }

    #[test]
    fn mfa_profiles_are_a_warning_with_rolecall_exec_as_the_fix() {
        let set = files(&format!("{ROLE}mfa_serial = arn:aws:iam::1:mfa/me\n"), KEYS);
        let r = run(&[], &set, Some("dev"));
        let d = has(&r, "mfa-serial");
        assert_eq!(d.severity, Severity::Warning);
        assert!(d.message.contains("arn:aws:iam::1:mfa/me") && d.fix.contains("rolecall exec dev"));
        assert!(!r.has_errors());
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
        assert!(d.message.contains("botocore") && d.fix.contains("unset AWS_DEFAULT_PROFILE"));
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

    #[test]
    fn temporary_keys_and_missing_tokens_in_the_files() {
        let creds = "[temp]\naws_access_key_id = ASIAONE\naws_secret_access_key = s\naws_session_token = t\naws_expiration = 2020-01-01T00:00:00Z\n\
                     [notoken]\naws_access_key_id = ASIATWO\naws_secret_access_key = s\n\
                     [fresh]\naws_access_key_id = ASIA3\naws_secret_access_key = s\naws_session_token = t\n";
        let set = files("", creds);
        let r = run(&[], &set, Some("temp"));
        let d = has(&r, "temporary-keys-expired");
        assert_eq!((d.severity, d.origin.unwrap().line), (Severity::Error, 2));
        // Other profiles' problems are warnings: they do not fail this run...
        let other = r
            .findings
            .iter()
            .find(|f| f.code == "session-token-missing")
            .unwrap();
        assert_eq!(other.severity, Severity::Warning);
        // ...but they do when that profile is the one asked for.
        let r = run(&[], &set, Some("notoken"));
        assert_eq!(has(&r, "session-token-missing").severity, Severity::Error);
        let r = run(&[], &set, Some("fresh"));
        let d = r
            .findings
            .iter()
            .find(|f| f.profile.as_deref() == Some("fresh"))
            .unwrap();
        assert_eq!(
            (d.code, d.severity),
            ("temporary-keys-in-file", Severity::Warning)
        );
        assert!(d.message.contains("no expiry"));
    }

    #[test]
    fn missing_profiles_sso_logins_and_expired_tokens() {
        use crate::credential::cache::{Caches, sso_token_file};
        let set = files(
            "[sso-session corp]\nsso_start_url = https://x\nsso_region = us-east-1\n[profile sso]\nsso_session = corp\nsso_account_id = 1\nsso_role_name = R\n",
            "",
        );
        let r = run(&[], &set, Some("nope"));
        assert!(
            has(&r, "profile-missing")
                .fix
                .contains("rolecall profile add nope")
        );
        let r = run(&[], &set, Some("sso"));
        assert_eq!(has(&r, "sso-login-needed").severity, Severity::Error);
        let env = super::super::Environment::default();
        let mut caches = Caches::default();
        caches
            .sso_tokens
            .insert(sso_token_file("corp"), std::time::UNIX_EPOCH);
        let r = super::super::diagnose(&Input {
            env: &env,
            set: &set,
            wanted: Some("sso"),
            caches: &caches,
            boto_files: &[],
            now: std::time::UNIX_EPOCH + std::time::Duration::from_secs(10),
        });
        assert!(
            has(&r, "sso-token-expired")
                .message
                .contains("1970-01-01T00:00:00Z")
        );
    }

    #[test]
    fn broken_chains_fail_only_when_they_are_the_profile_asked_for() {
        let config = format!(
            "{ROLE}[profile a]\nrole_arn = x\nsource_profile = b\n[profile b]\nrole_arn = y\nsource_profile = a\n[profile c]\nregion = r\nregion = s\n"
        );
        let set = files(&config, KEYS);
        let r = run(&[("AWS_EC2_METADATA_DISABLED", "true")], &set, Some("a"));
        let d = r
            .findings
            .iter()
            .find(|f| f.code == "chain" && f.profile.as_deref() == Some("a"))
            .unwrap();
        assert_eq!(d.severity, Severity::Error);
        assert!(d.message.contains("infinite loop"));
        let r = run(&[], &set, Some("dev"));
        assert!(!r.has_errors(), "{:#?}", r.findings);
        assert!(codes(&r).contains(&("chain", Severity::Warning)));
        // Portability findings (a duplicate key botocore refuses) come along.
        assert!(
            codes(&r).iter().any(|c| c.0 == "duplicate-key"),
            "{:?}",
            codes(&r)
        );
    }

    #[test]
    fn nothing_to_use_is_an_error_and_metadata_a_warning() {
        let set = files("", "");
        let r = run(&[("AWS_EC2_METADATA_DISABLED", "true")], &set, None);
        assert!(
            has(&r, "no-credentials")
                .message
                .contains("AWS SDK for Rust")
        );
        let r = run(&[], &set, None);
        assert_eq!(
            has(&r, "instance-metadata-fallback").severity,
            Severity::Warning
        );
        let r = run(
            &[("AWS_REGION", "a"), ("AWS_DEFAULT_REGION", "b")],
            &set,
            None,
        );
        assert!(
            has(&r, "region-vars-disagree")
                .fix
                .contains("AWS_DEFAULT_REGION=a")
        );
    }
}
