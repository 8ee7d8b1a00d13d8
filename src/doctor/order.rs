//! Each SDK family's own order of credential sources, walked for one
//! environment and set of files: which source wins, why, and whether it
//! refreshes by itself.
//!
//! - AWS SDK for Rust (aws-config): environment keys, the selected profile
//!   (`AWS_PROFILE`), web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` +
//!   `AWS_ROLE_ARN`, the container endpoint, instance metadata.
//! - AWS SDKs for Go v2 and Java v2: environment keys, web identity from the
//!   environment, the selected profile, container, instance metadata.
//! - botocore (boto3, AWS CLI v1) and AWS CLI v2: environment keys (both or an
//!   error), an assume-role profile, web identity (the profile's, else the
//!   environment's), the rest of the profile (SSO, credentials file,
//!   `credential_process`, config keys), the boto2 files, container, instance
//!   metadata. They differ in the profile they select: botocore reads
//!   `AWS_DEFAULT_PROFILE` before `AWS_PROFILE`, the CLI v2 the other way round,
//!   the other SDKs `AWS_PROFILE` only.

use serde::Serialize;

use crate::profile::ProfileSet;
use crate::profile::chain::{self, Base, Chain};

use super::{Environment, Input};

/// A family of AWS SDKs that choose credentials the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// The AWS SDK for Rust (aws-config); also what rolecall itself uses.
    Rust,
    /// The AWS SDKs for Go v2 and Java v2.
    GoJava,
    /// botocore: boto3 and the AWS CLI v1.
    Botocore,
    /// The AWS CLI v2.
    CliV2,
}

impl Family {
    /// Every family, in the order shown.
    pub const ALL: [Family; 4] = [
        Family::Rust,
        Family::GoJava,
        Family::Botocore,
        Family::CliV2,
    ];

    /// A name for people.
    pub fn label(self) -> &'static str {
        match self {
            Family::Rust => "AWS SDK for Rust",
            Family::GoJava => "AWS SDKs for Go v2, Java v2",
            Family::Botocore => "botocore (boto3, AWS CLI v1)",
            Family::CliV2 => "AWS CLI v2",
        }
    }

    /// The variables this family reads the profile from, first one set wins.
    pub fn profile_vars(self) -> &'static [&'static str] {
        match self {
            Family::Rust | Family::GoJava => &["AWS_PROFILE"],
            Family::Botocore => &["AWS_DEFAULT_PROFILE", "AWS_PROFILE"],
            Family::CliV2 => &["AWS_PROFILE", "AWS_DEFAULT_PROFILE"],
        }
    }

    fn is_botocore(self) -> bool {
        matches!(self, Family::Botocore | Family::CliV2)
    }
}

/// The source whose credentials a family uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "source", content = "name", rename_all = "kebab-case")]
pub enum Winner {
    /// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
    EnvKeys,
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN`.
    WebIdentityEnv,
    /// The named profile in the shared files.
    Profile(String),
    /// A boto2 file (botocore only).
    BotoFile(String),
    /// The container endpoint named by this variable.
    Container(String),
    /// The EC2 instance metadata service (works only on EC2).
    InstanceMetadata,
    /// The family stops with an error before any source answers.
    Fails,
    /// No source has credentials.
    Nothing,
}

impl Winner {
    /// A phrase for people.
    pub fn describe(&self) -> String {
        match self {
            Winner::EnvKeys => "keys in the environment".to_string(),
            Winner::WebIdentityEnv => "web identity from the environment".to_string(),
            Winner::Profile(p) => format!("profile '{p}'"),
            Winner::BotoFile(p) => format!("keys in {p}"),
            Winner::Container(var) => format!("the container endpoint ({var})"),
            Winner::InstanceMetadata => "EC2 instance metadata".to_string(),
            Winner::Fails => "none: it fails".to_string(),
            Winner::Nothing => "none".to_string(),
        }
    }
}

/// Whether the winning credentials keep working by themselves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Refresh {
    /// The SDK fetches new ones before they expire.
    Refreshes,
    /// Long-term keys: they do not expire.
    NeverExpires,
    /// Temporary keys: they expire and nothing renews them.
    Expires,
    /// No credentials.
    NotApplicable,
    /// It would refresh, but cannot now (no SSO token, an expired one, keys
    /// missing from the environment): see the findings.
    Blocked,
}

impl Refresh {
    /// A phrase for people.
    pub fn describe(self) -> &'static str {
        match self {
            Refresh::Refreshes => "refreshes by itself",
            Refresh::NeverExpires => "long-term keys, never expire",
            Refresh::Expires => "expires and does not refresh",
            Refresh::NotApplicable => "no credentials",
            Refresh::Blocked => "cannot refresh now: see below",
        }
    }
}

/// One family's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    /// The family.
    pub family: Family,
    /// The profile it selects.
    pub profile: String,
    /// Where that name came from: a variable, `argument` or `default`.
    pub profile_from: String,
    /// The source it uses.
    #[serde(flatten)]
    pub winner: Winner,
    /// Why, in a sentence.
    pub why: String,
    /// Whether it keeps working.
    pub refresh: Refresh,
}

/// What the selected profile can give.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProfileState {
    /// Not in either file.
    Missing,
    /// In the files, without credentials (only `region`, say).
    NoCredentials,
    /// A chain that cannot resolve: why.
    Broken(String),
    /// Usable: what it is and whether it refreshes.
    Usable(String, Refresh),
}

/// What profile `name` can give.
pub fn assess(set: &ProfileSet, name: &str) -> ProfileState {
    if set.profile(name).is_none() {
        return ProfileState::Missing;
    }
    match chain::resolve(set, name) {
        Err(e) if e.no_credentials() => ProfileState::NoCredentials,
        Err(e) => ProfileState::Broken(e.message()),
        Ok(c) => {
            let refresh = chain_refresh(&c);
            let what = crate::profile::summary::chain_summary(&c);
            ProfileState::Usable(what, refresh)
        }
    }
}

fn chain_refresh(c: &Chain) -> Refresh {
    match &c.base {
        _ if !c.roles.is_empty() => Refresh::Refreshes,
        Base::AccessKey {
            session_token: None,
            ..
        } => Refresh::NeverExpires,
        Base::AccessKey { .. } => Refresh::Expires,
        Base::CredentialProcess { profile, command }
            if crate::keychain::line::own_profile(command) == Some(&**profile) =>
        {
            Refresh::NeverExpires
        }
        _ => Refresh::Refreshes,
    }
}

/// The profile `family` selects, and from where.
pub fn selected(family: Family, env: &Environment, wanted: Option<&str>) -> (String, String) {
    for var in family.profile_vars() {
        if *var == "AWS_PROFILE"
            && let Some(w) = wanted
        {
            return (w.to_string(), "argument".to_string());
        }
        if let Some(v) = env.get(var) {
            return (v.to_string(), var.to_string());
        }
    }
    ("default".to_string(), "default".to_string())
}

fn env_keys_refresh(env: &Environment, family: Family) -> Refresh {
    let token = env.has("AWS_SESSION_TOKEN")
        || (family.is_botocore() && env.has("AWS_SECURITY_TOKEN"))
        || env.has("AWS_CREDENTIAL_EXPIRATION")
        || env
            .get("AWS_ACCESS_KEY_ID")
            .is_some_and(|k| k.starts_with("ASIA"));
    if token {
        Refresh::Expires
    } else {
        Refresh::NeverExpires
    }
}

/// Walks `family`'s order for `input`.
pub fn verdict(family: Family, input: &Input) -> Verdict {
    let env = input.env;
    let (profile, from) = selected(family, env, input.wanted);
    let state = assess(input.set, &profile);
    let named = from != "default";
    let done = |winner: Winner, why: String, refresh: Refresh| Verdict {
        family,
        profile: profile.clone(),
        profile_from: from.clone(),
        winner,
        why,
        refresh,
    };
    let profile_wins = |what: &str, refresh: Refresh, how: &str| {
        done(
            Winner::Profile(profile.clone()),
            format!("profile '{profile}' ({from}) {how}: {what}"),
            refresh,
        )
    };
    let failed = |why: String| done(Winner::Fails, why, Refresh::NotApplicable);
    let missing = || {
        failed(format!(
            "profile '{profile}' ({from}) is in neither file, and the SDK stops there"
        ))
    };
    if family.is_botocore() && named && state == ProfileState::Missing {
        return failed(format!(
            "The config profile ({profile}) could not be found: {from} names a profile in neither file"
        ));
    }
    let (id, secret) = (
        env.has("AWS_ACCESS_KEY_ID"),
        env.has("AWS_SECRET_ACCESS_KEY"),
    );
    if id && secret {
        return done(
            Winner::EnvKeys,
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set, and keys in the environment come first".into(),
            env_keys_refresh(env, family),
        );
    }
    if family.is_botocore() && (id || secret) {
        return failed(
            "only one of AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY is set: botocore stops with a partial-credentials error".into(),
        );
    }
    let web_env = env.has("AWS_WEB_IDENTITY_TOKEN_FILE") && env.has("AWS_ROLE_ARN");
    let web_env_wins = || {
        done(
            Winner::WebIdentityEnv,
            "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are set, and this family tries them before the profile".into(),
            Refresh::Refreshes,
        )
    };
    let section = input.set.profile(&profile);
    let has = |k: &str| section.is_some_and(|s| s.get(k).is_some());
    match family {
        Family::Rust | Family::GoJava => {
            if family == Family::GoJava && web_env {
                return web_env_wins();
            }
            match &state {
                ProfileState::Usable(what, refresh) => {
                    return profile_wins(what, *refresh, "has credentials");
                }
                ProfileState::Broken(why) => {
                    return failed(format!("profile '{profile}' ({from}) is broken: {why}"));
                }
                ProfileState::Missing if named => return missing(),
                _ => {}
            }
            if web_env {
                return web_env_wins();
            }
        }
        Family::Botocore | Family::CliV2 => {
            let role = has("role_arn") && !has("web_identity_token_file");
            if let (true, ProfileState::Usable(what, refresh)) = (role, &state) {
                return profile_wins(what, *refresh, "assumes a role");
            }
            if has("web_identity_token_file")
                && let ProfileState::Usable(what, refresh) = &state
            {
                return profile_wins(what, *refresh, "uses web identity");
            }
            let web_env = env.has("AWS_WEB_IDENTITY_TOKEN_FILE")
                && (env.has("AWS_ROLE_ARN") || has("role_arn"));
            if web_env && !role {
                return done(
                    Winner::WebIdentityEnv,
                    "AWS_WEB_IDENTITY_TOKEN_FILE is set, and botocore tries web identity before SSO, the credentials file, credential_process and config keys".into(),
                    Refresh::Refreshes,
                );
            }
            match &state {
                ProfileState::Usable(what, refresh) => {
                    return profile_wins(what, *refresh, "has credentials");
                }
                ProfileState::Broken(why) => {
                    return failed(format!("profile '{profile}' ({from}) is broken: {why}"));
                }
                _ => {}
            }
            if let Some(f) = input.boto_files.iter().find(|f| f.has_keys()) {
                return done(
                    Winner::BotoFile(f.path.clone()),
                    format!(
                        "nothing before it has credentials, and {} holds keys in [Credentials]",
                        f.path
                    ),
                    Refresh::NeverExpires,
                );
            }
        }
    }
    for var in [
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        if env.has(var) {
            return done(
                Winner::Container(var.to_string()),
                format!("nothing before it has credentials, and {var} is set"),
                Refresh::Refreshes,
            );
        }
    }
    if env
        .get("AWS_EC2_METADATA_DISABLED")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return done(
            Winner::Nothing,
            "no source has credentials (and AWS_EC2_METADATA_DISABLED=true turns off instance metadata)".into(),
            Refresh::NotApplicable,
        );
    }
    done(
        Winner::InstanceMetadata,
        "no other source has credentials: the SDK asks the EC2 instance metadata service, which answers only on EC2 (elsewhere: a timeout, then an error)".into(),
        Refresh::Refreshes,
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::{files, run};
    use super::*;

    fn winners(r: &super::super::Report) -> Vec<Winner> {
        r.families.iter().map(|v| v.winner.clone()).collect()
    }

    #[test]
    fn each_family_selects_its_profile_from_its_own_variables() {
        let env = Environment::from_pairs([("AWS_PROFILE", "a"), ("AWS_DEFAULT_PROFILE", "b")]);
        let got: Vec<_> = Family::ALL
            .iter()
            .map(|&f| selected(f, &env, None))
            .collect();
        let want = |p: &str, v: &str| (p.to_string(), v.to_string());
        assert_eq!(
            got,
            [
                want("a", "AWS_PROFILE"),
                want("a", "AWS_PROFILE"),
                want("b", "AWS_DEFAULT_PROFILE"),
                want("a", "AWS_PROFILE")
            ]
        );
        let env = Environment::from_pairs([("AWS_DEFAULT_PROFILE", "b")]);
        assert_eq!(
            selected(Family::Rust, &env, None),
            want("default", "default")
        );
        assert_eq!(
            selected(Family::CliV2, &env, None),
            want("b", "AWS_DEFAULT_PROFILE")
        );
        assert_eq!(
            selected(Family::CliV2, &env, Some("c")),
            want("c", "argument")
        );
        assert_eq!(
            selected(Family::Botocore, &env, Some("c")),
            want("b", "AWS_DEFAULT_PROFILE")
        );
    }

    #[test]
    fn environment_keys_win_everywhere_and_do_not_refresh() {
        let set = files("[profile dev]\nsso_session = s\n", "");
        let r = run(
            &[
                ("AWS_PROFILE", "dev"),
                ("AWS_ACCESS_KEY_ID", "ASIAX"),
                ("AWS_SECRET_ACCESS_KEY", "s"),
                ("AWS_SESSION_TOKEN", "t"),
            ],
            &set,
            None,
        );
        assert_eq!(winners(&r), vec![Winner::EnvKeys; 4]);
        assert!(r.families.iter().all(|v| v.refresh == Refresh::Expires));
    }

    #[test]
    fn web_identity_in_the_environment_beats_the_profile_in_some_families_only() {
        let set = files(
            "[profile keys]\nregion = r\n[profile role]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = keys\n",
            "[keys]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n",
        );
        let env = [
            ("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token"),
            ("AWS_ROLE_ARN", "arn:aws:iam::1:role/pod"),
        ];
        let r = run(&env, &set, Some("keys"));
        let p = Winner::Profile("keys".into());
        assert_eq!(
            winners(&r),
            [
                p.clone(),
                Winner::WebIdentityEnv,
                Winner::WebIdentityEnv,
                Winner::WebIdentityEnv
            ]
        );
        // An assume-role profile comes before web identity in botocore.
        let r = run(&env, &set, Some("role"));
        let p = Winner::Profile("role".into());
        assert_eq!(
            winners(&r),
            [p.clone(), Winner::WebIdentityEnv, p.clone(), p]
        );
    }

    #[test]
    fn missing_and_broken_profiles_fail_and_empty_ones_fall_through() {
        let set = files(
            "[profile loop]\nrole_arn = x\nsource_profile = loop2\n[profile loop2]\nrole_arn = y\nsource_profile = loop\n[profile bare]\nregion = r\n",
            "",
        );
        let r = run(&[("AWS_EC2_METADATA_DISABLED", "true")], &set, Some("gone"));
        assert_eq!(winners(&r), vec![Winner::Fails; 4]);
        let r = run(&[], &set, Some("loop"));
        assert_eq!(winners(&r), vec![Winner::Fails; 4]);
        assert!(
            r.families[0].why.contains("infinite loop"),
            "{:?}",
            r.families[0]
        );
        let r = run(
            &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:1/")],
            &set,
            Some("bare"),
        );
        assert_eq!(
            winners(&r),
            vec![Winner::Container("AWS_CONTAINER_CREDENTIALS_FULL_URI".into()); 4]
        );
        let r = run(&[], &set, Some("bare"));
        assert_eq!(winners(&r), vec![Winner::InstanceMetadata; 4]);
    }

    #[test]
    fn partial_environment_keys_stop_botocore_but_not_the_others() {
        let set = files(
            "",
            "[default]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n",
        );
        let r = run(&[("AWS_ACCESS_KEY_ID", "AKIAY")], &set, None);
        let d = Winner::Profile("default".into());
        assert_eq!(winners(&r), [d.clone(), d, Winner::Fails, Winner::Fails]);
        assert_eq!(r.families[0].refresh, Refresh::NeverExpires);
    }

    #[test]
    fn keychain_profiles_are_long_term_keys() {
        let set = files(
            "[profile kc]\ncredential_process = rolecall credential-process --profile kc\n[profile p]\ncredential_process = other-tool\n",
            "",
        );
        assert_eq!(
            run(&[], &set, Some("kc")).families[0].refresh,
            Refresh::NeverExpires
        );
        assert_eq!(
            run(&[], &set, Some("p")).families[0].refresh,
            Refresh::Refreshes
        );
    }

    #[test]
    fn boto2_files_are_a_botocore_fallback() {
        let set = files("", "");
        let env = Environment::default();
        let boto = [super::super::BotoFile {
            path: "/etc/boto.cfg".into(),
            text: "[Credentials]\naws_access_key_id = A\naws_secret_access_key = S\n".into(),
        }];
        let input = Input {
            env: &env,
            set: &set,
            wanted: None,
            caches: &Default::default(),
            boto_files: &boto,
            now: std::time::UNIX_EPOCH,
        };
        assert_eq!(
            verdict(Family::Rust, &input).winner,
            Winner::InstanceMetadata
        );
        assert_eq!(
            verdict(Family::Botocore, &input).winner,
            Winner::BotoFile("/etc/boto.cfg".into())
        );
    }
}
