//! Checks for values a user types into a profile, with messages that say what a
//! valid value looks like. Used by the edit form; pure.

use super::ProfileSet;
use super::kind::CREDENTIAL_SOURCES;
use crate::ini::edit::check_property;

/// The AWS partitions an ARN may name.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// Output formats the AWS CLI accepts.
pub const OUTPUTS: &[&str] = &["json", "yaml", "yaml-stream", "text", "table"];

fn chars_ok(s: &str, extra: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// An IAM role ARN in any partition: `arn:PARTITION:iam::123456789012:role/NAME`.
pub fn role_arn(v: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "'{v}' is not a role ARN: expected arn:aws:iam::123456789012:role/NAME (partitions: {})",
            PARTITIONS.join(", ")
        )
    };
    let parts: Vec<&str> = v.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts.as_slice() else {
        return Err(bad());
    };
    let name = resource.strip_prefix("role/").ok_or_else(bad)?;
    let ok = *arn == "arn"
        && PARTITIONS.contains(partition)
        && *service == "iam"
        && region.is_empty()
        && account.len() == 12
        && account.bytes().all(|b| b.is_ascii_digit())
        && !name.is_empty()
        && name.len() <= 512
        && chars_ok(name, "+=,.@_-/");
    if ok { Ok(()) } else { Err(bad()) }
}

/// `mfa_serial`: an MFA device ARN or a hardware token's serial number.
pub fn mfa_serial(v: &str) -> Result<(), String> {
    let arn_ok = v.starts_with("arn:")
        && v.split(':')
            .nth(5)
            .is_some_and(|r| r.starts_with("mfa/") || r.starts_with("u2f/"));
    let serial_ok = (9..=256).contains(&v.len()) && chars_ok(v, "=,.@:/-");
    if arn_ok || serial_ok {
        Ok(())
    } else {
        Err(format!(
            "'{v}' is not an MFA device: expected arn:aws:iam::123456789012:mfa/NAME or a token serial number"
        ))
    }
}

/// `role_session_name`: 2 to 64 of letters, digits and `+=,.@_-`.
pub fn role_session_name(v: &str) -> Result<(), String> {
    if (2..=64).contains(&v.len()) && chars_ok(v, "+=,.@_-") {
        Ok(())
    } else {
        Err("a session name is 2 to 64 letters, digits or + = , . @ _ -".to_string())
    }
}

/// `external_id`: 2 to 1224 of letters, digits and `+=,.@:/_-`.
pub fn external_id(v: &str) -> Result<(), String> {
    if (2..=1224).contains(&v.len()) && chars_ok(v, "+=,.@:/_-") {
        Ok(())
    } else {
        Err("an external id is 2 to 1224 letters, digits or + = , . @ : / _ -".to_string())
    }
}

/// `duration_seconds`: 900 to 43200.
pub fn duration_seconds(v: &str) -> Result<(), String> {
    match v.parse::<u32>() {
        Ok(n) if (900..=43_200).contains(&n) => Ok(()),
        _ => Err(
            "duration_seconds is a whole number from 900 (15 minutes) to 43200 (12 hours)"
                .to_string(),
        ),
    }
}

/// `region`: like `us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`.
pub fn region(v: &str) -> Result<(), String> {
    let parts: Vec<&str> = v.split('-').collect();
    let ok = parts.len() >= 3
        && parts[0].len() == 2
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts
            .last()
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{v}' is not a region: expected e.g. us-east-1 or eu-west-2"
        ))
    }
}

/// An account id: twelve digits.
pub fn account_id(v: &str) -> Result<(), String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "'{v}' is not an account id: twelve digits, e.g. 123456789012"
        ))
    }
}

/// `output`: one of the AWS CLI's formats.
pub fn output(v: &str) -> Result<(), String> {
    if OUTPUTS.contains(&v) {
        Ok(())
    } else {
        Err(format!("output is one of {}", OUTPUTS.join(", ")))
    }
}

/// `credential_source`: one of the named sources.
pub fn credential_source(v: &str) -> Result<(), String> {
    if CREDENTIAL_SOURCES.contains(&v) {
        Ok(())
    } else {
        Err(format!(
            "credential_source is one of {}",
            CREDENTIAL_SOURCES.join(", ")
        ))
    }
}

/// `source_profile` for profile `name`: an existing profile that does not lead back to `name`.
pub fn source_profile(set: &ProfileSet, name: &str, v: &str) -> Result<(), String> {
    if v == name {
        let p = set.profiles.get(name);
        let has_keys = p.is_some_and(|p| p.get("aws_access_key_id").is_some());
        return if has_keys {
            Ok(())
        } else {
            Err("a profile can name itself as source_profile only when it holds keys".to_string())
        };
    }
    if !set.profiles.contains_key(v) {
        return Err(format!("there is no profile '{v}'"));
    }
    let mut seen = vec![v];
    let mut next = v;
    while let Some(p) = set.profiles.get(next) {
        // Static keys end the chain after its first link, as in the SDKs.
        if p.get("aws_access_key_id").is_some() && p.get("aws_secret_access_key").is_some() {
            break;
        }
        match p.get("source_profile") {
            Some(s) if s == name => {
                seen.push(name);
                return Err(format!(
                    "that would make a loop: {name} -> {}",
                    seen.join(" -> ")
                ));
            }
            Some(s) if !seen.contains(&s) && s != next => {
                seen.push(s);
                next = s;
            }
            _ => break,
        }
    }
    Ok(())
}

/// `sso_session`: an existing `[sso-session NAME]`.
pub fn sso_session(set: &ProfileSet, v: &str) -> Result<(), String> {
    if set.sso_sessions.contains_key(v) {
        Ok(())
    } else {
        Err(format!("there is no [sso-session {v}]; create it first"))
    }
}

/// Checks `key = value` for profile `name`, on top of what the files can hold.
/// An empty value means "remove the key" and is always accepted.
pub fn check(set: &ProfileSet, name: &str, key: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    check_property(key, value).map_err(|e| e.to_string())?;
    match key {
        "role_arn" => role_arn(value),
        "source_profile" => source_profile(set, name, value),
        "credential_source" => credential_source(value),
        "region" | "sso_region" => region(value),
        "mfa_serial" => mfa_serial(value),
        "role_session_name" => role_session_name(value),
        "external_id" => external_id(value),
        "duration_seconds" => duration_seconds(value),
        "sso_session" => sso_session(set, value),
        "output" => output(value),
        "sso_account_id" | "aws_account_id" => account_id(value),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ini::Document;
    use crate::profile::normalize::normalize;

    #[test]
    fn role_arns_in_every_partition() {
        assert!(role_arn("arn:aws:iam::123456789012:role/Admin").is_ok());
        assert!(role_arn("arn:aws-cn:iam::123456789012:role/path/to/R+=,.@_-").is_ok());
        assert!(role_arn("arn:aws-us-gov:iam::123456789012:role/x").is_ok());
        for bad in [
            "",
            "arn:aws:iam::12345:role/x",
            "arn:aws:s3:::bucket",
            "arn:aws:iam::123456789012:user/x",
            "arn:foo:iam::123456789012:role/x",
            "arn:aws:iam::123456789012:role/",
        ] {
            assert!(role_arn(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn simple_fields() {
        assert!(duration_seconds("900").is_ok() && duration_seconds("43200").is_ok());
        assert!(
            duration_seconds("899").is_err()
                && duration_seconds("43201").is_err()
                && duration_seconds("1h").is_err()
        );
        assert!(region("us-gov-west-1").is_ok() && region("eu-central-2").is_ok());
        assert!(region("useast1").is_err() && region("US-EAST-1").is_err());
        assert!(output("table").is_ok() && output("xml").is_err());
        assert!(account_id("123456789012").is_ok() && account_id("1234").is_err());
        assert!(credential_source("EcsContainer").is_ok() && credential_source("ecs").is_err());
        assert!(
            mfa_serial("arn:aws:iam::123456789012:mfa/me").is_ok()
                && mfa_serial("GAHT12345678").is_ok()
        );
        assert!(mfa_serial("x").is_err());
        assert!(role_session_name("a").is_err() && role_session_name("me@corp").is_ok());
    }

    #[test]
    fn source_profile_must_exist_and_not_loop() {
        let doc = Document::parse(
            "[profile a]\nrole_arn = x\nsource_profile = b\n[profile b]\nrole_arn = y\nsource_profile = c\n[profile c]\nregion = r\n[profile k]\naws_access_key_id = A\naws_secret_access_key = S\n",
        );
        let set = normalize(Some(&doc), None);
        assert!(source_profile(&set, "c", "a").unwrap_err().contains("loop"));
        assert!(source_profile(&set, "c", "k").is_ok());
        assert!(source_profile(&set, "a", "nope").is_err());
        assert!(source_profile(&set, "k", "k").is_ok());
        assert!(source_profile(&set, "c", "c").is_err());
        assert!(check(&set, "a", "source_profile", "").is_ok());
        assert!(check(&set, "a", "region", "x #y").is_err());
    }
}
