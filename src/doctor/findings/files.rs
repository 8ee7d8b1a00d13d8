//! Findings about the profile meant and the files: missing profiles, SSO
//! tokens missing or expired, expired AWS CLI caches, MFA, temporary keys and
//! missing session tokens, plaintext long-term keys, the files' own findings
//! (chains, portability), and what happens when no source has credentials.

use std::collections::BTreeSet;

use crate::credential::expiry::format_rfc3339;
use crate::credential::status::{EnvExpiry, Source, Status, status_of};
use crate::profile::chain::{self, Base};
use crate::profile::{Diagnostic, Origin, Severity};

use super::super::Input;
use super::super::order::{Family, ProfileState, Verdict, Winner, assess};
use super::{finding, named};

pub(super) fn selected_profile(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
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
        Status::LoginNeeded(session) if session.starts_with("arn:") => out.push(finding(
            Severity::Error,
            "console-login-needed",
            Some(profile),
            format!("profile '{profile}' uses console credentials ({session}) and the login cache has none: every SDK fails until you log in"),
            format!("`rolecall login {profile}` (or `aws login --profile {profile}`)"),
        )),
        Status::Expires { at: t, source: Source::LoginCache(session) } if t <= input.now => {
            let file = crate::signin::cache::file_name(&session);
            match input.caches.login_ends.get(&file) {
                Some(&end) if end <= input.now => out.push(finding(
                    Severity::Error,
                    "console-session-expired",
                    Some(profile),
                    format!("the console session {session} of profile '{profile}' ended at {} (12 hours after its login): its refresh token no longer works, so every SDK fails", at(end)),
                    format!("`rolecall login {profile}` (or `aws login --profile {profile}`)"),
                )),
                _ => out.push(finding(
                    Severity::Info,
                    "console-credentials-expired",
                    Some(profile),
                    format!("the console credentials of '{profile}' expired at {}", at(t)),
                    "nothing while the session lasts: the SDKs and rolecall refresh them on their next call".into(),
                )),
            }
        }
        Status::LoginNeeded(session) => out.push(finding(
            Severity::Error,
            "sso-login-needed",
            Some(profile),
            format!("profile '{profile}' uses SSO ({session}) and there is no cached SSO token: every SDK fails until you log in"),
            format!("`rolecall login {profile}` (or `aws sso login --profile {profile}`)"),
        )),
        Status::Expires { at: t, source: Source::SsoToken(session) } if t <= input.now => out.push(finding(
            Severity::Error,
            "sso-token-expired",
            Some(profile),
            format!("the SSO token of {session} expired at {}: profile '{profile}' fails until you log in again (sso-session tokens refresh only while their refresh token is valid)", at(t)),
            format!("`rolecall login {profile}` (or `aws sso login --profile {profile}`)"),
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

/// A chain that starts from `credential_source = Environment` needs the keys
/// in the environment; without them every SDK fails.
pub(super) fn environment_source(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
    let Ok(c) = chain::resolve(input.set, profile) else {
        return;
    };
    let Base::NamedSource {
        profile: holder,
        source,
    } = &c.base
    else {
        return;
    };
    if &**source != "Environment" {
        return;
    }
    let missing: Vec<&str> = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
        .into_iter()
        .filter(|k| !input.env.has(k))
        .collect();
    if missing.is_empty() {
        return;
    }
    out.push(finding(
        Severity::Error,
        "environment-keys-missing",
        Some(profile),
        format!(
            "profile '{profile}' takes its source credentials from the environment (`credential_source = Environment` in '{holder}'), and {}: every SDK fails",
            match missing.as_slice() {
                [one] => format!("{one} is not set"),
                _ => "neither AWS_ACCESS_KEY_ID nor AWS_SECRET_ACCESS_KEY is set".to_string(),
            }
        ),
        "export the keys of the identity that may assume the role (e.g. `rolecall rc OTHER-PROFILE --mode env`), or use source_profile instead".to_string(),
    ));
}

pub(super) fn mfa(input: &Input, profile: &str, out: &mut Vec<Diagnostic>) {
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

pub(super) fn keys_in_files(input: &Input, chain: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
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
        let expiry = crate::credential::expiry::stated(|k| section.get(k));
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

pub(super) fn file_findings(input: &Input, chain: &BTreeSet<String>, out: &mut Vec<Diagnostic>) {
    for d in input.set.findings(Severity::Info) {
        let mut d = d.into_owned();
        if d.severity == Severity::Error
            && !d.sdk_refuses_file
            && d.profile
                .as_ref()
                .is_some_and(|p| !chain.contains(p.as_str()))
        {
            d.severity = Severity::Warning;
        }
        if d.code == "no-credentials"
            && !d
                .profile
                .as_ref()
                .is_some_and(|p| chain.contains(p.as_str()))
        {
            continue;
        }
        out.push(d);
    }
}

pub(super) fn fallbacks(input: &Input, families: &[Verdict], out: &mut Vec<Diagnostic>) {
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
#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

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
        assert!(
            d.message.to_string().contains("arn:aws:iam::1:mfa/me")
                && d.fix.contains("rolecall exec dev")
        );
        assert!(!r.has_errors());
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
        assert!(d.message.to_string().contains("no expiry"));
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
        let env = crate::doctor::Environment::default();
        let mut caches = Caches::default();
        caches
            .sso_tokens
            .insert(sso_token_file("corp"), std::time::UNIX_EPOCH);
        let r = crate::doctor::diagnose(&Input {
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
                .to_string()
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
        assert!(d.message.to_string().contains("infinite loop"));
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
                .to_string()
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
