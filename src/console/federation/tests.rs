//! Tests of the federation protocol: session kinds from real chains, durations,
//! partitions and destinations, the request and URL encodings.

use super::*;
use crate::ini::Document;
use crate::profile::ProfileSet;
use crate::profile::chain::resolve;

const CONFIG: &str = "\
[profile keys]
region = eu-west-1
[profile tokened]
[profile role]
role_arn = arn:aws:iam::111122223333:role/dev
source_profile = keys
region = eu-central-1
[profile chained]
role_arn = arn:aws:iam::444455556666:role/audit
source_profile = role
[profile sso]
sso_session = corp
sso_account_id = 777788889999
sso_role_name = Admin
region = us-east-1
[profile sso-role]
role_arn = arn:aws:iam::111122223333:role/from-sso
source_profile = sso
[profile gov]
role_arn = arn:aws-us-gov:iam::111122223333:role/dev
source_profile = keys
[profile pod]
role_arn = arn:aws:iam::111122223333:role/pod
web_identity_token_file = /tmp/token
[profile proc]
credential_process = /bin/echo
[profile vault]
credential_process = rolecall credential-process --profile vault
[profile mfa-keys]
mfa_serial = arn:aws:iam::111122223333:mfa/me
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
";

const CREDENTIALS: &str = "\
[keys]
aws_access_key_id = AKIAKEYS
aws_secret_access_key = secret
[tokened]
aws_access_key_id = ASIATOKENED
aws_secret_access_key = secret
aws_session_token = token
[mfa-keys]
aws_access_key_id = AKIAMFA
aws_secret_access_key = secret
";

fn set() -> ProfileSet {
    crate::profile::normalize::normalize(
        Some(&Document::parse(CONFIG)),
        Some(&Document::parse(CREDENTIALS)),
    )
}

fn kind(set: &ProfileSet, profile: &str) -> SessionKind {
    let mfa = crate::credential::mfa::plan(set, profile)
        .is_some_and(|p| p.step == crate::credential::mfa::Step::SessionToken);
    session_kind(&resolve(set, profile).unwrap(), mfa)
}

#[test]
fn the_chain_says_what_kind_of_session_a_profile_gets() {
    let set = set();
    let cases = [
        ("keys", SessionKind::LongTermKeys),
        ("vault", SessionKind::LongTermKeys),
        ("tokened", SessionKind::Other),
        ("proc", SessionKind::Other),
        ("role", SessionKind::Role),
        ("gov", SessionKind::Role),
        ("pod", SessionKind::Role),
        ("chained", SessionKind::ChainedRole),
        ("sso", SessionKind::Sso),
        ("sso-role", SessionKind::ChainedRole),
        ("mfa-keys", SessionKind::SessionToken),
    ];
    for (profile, want) in cases {
        assert_eq!(kind(&set, profile), want, "{profile}");
    }
}

#[test]
fn session_duration_is_sent_for_roles_only_and_capped_for_chains() {
    let h = |n: u64| Some(Duration::from_secs(n * 3600));
    let d = durations("role", SessionKind::Role, None).unwrap();
    assert_eq!(
        (d.session_duration, d.federation_token),
        (Some(43_200), None)
    );
    let d = durations("role", SessionKind::Role, h(2)).unwrap();
    assert_eq!(d.session_duration, Some(7200));
    assert!(d.note.is_none());

    let d = durations("chained", SessionKind::ChainedRole, None).unwrap();
    assert_eq!(d.session_duration, Some(3600));
    assert!(d.note.is_none());
    let d = durations("chained", SessionKind::ChainedRole, h(4)).unwrap();
    assert_eq!(d.session_duration, Some(3600));
    assert!(d.note.unwrap().contains("1 hour"));
    let d = durations(
        "chained",
        SessionKind::ChainedRole,
        Some(Duration::from_secs(1800)),
    )
    .unwrap();
    assert_eq!(d.session_duration, Some(1800));

    for kind in [SessionKind::Sso, SessionKind::Other] {
        let d = durations("p", kind, None).unwrap();
        assert_eq!(d, Durations::default());
        let d = durations("p", kind, h(1)).unwrap();
        assert_eq!((d.session_duration, d.federation_token), (None, None));
        assert!(d.note.unwrap().contains("ignored"));
    }

    let d = durations("keys", SessionKind::LongTermKeys, None).unwrap();
    assert_eq!(
        (d.session_duration, d.federation_token),
        (None, Some(43_200))
    );
    let d = durations("keys", SessionKind::LongTermKeys, h(36)).unwrap();
    assert_eq!(d.federation_token, Some(129_600));

    assert!(matches!(
        durations("role", SessionKind::Role, h(13)),
        Err(KindError::Duration { max: 43_200, .. })
    ));
    assert!(durations("role", SessionKind::Role, Some(Duration::from_secs(60))).is_err());
    assert!(durations("keys", SessionKind::LongTermKeys, h(37)).is_err());
    let err = durations("mfa-keys", SessionKind::SessionToken, None).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("GetSessionToken") && text.contains("source_profile = mfa-keys"),
        "{text}"
    );
}

#[test]
fn durations_read_seconds_minutes_and_hours() {
    assert_eq!(parse_duration("3600"), Ok(Duration::from_secs(3600)));
    assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
    assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(43_200)));
    assert_eq!(parse_duration("45s"), Ok(Duration::from_secs(45)));
    assert!(parse_duration("1d").is_err());
    assert!(parse_duration("h").is_err());
    assert!(parse_duration("").is_err());
}

#[test]
fn partitions_choose_the_endpoints() {
    let set = set();
    let gov = resolve(&set, "gov").unwrap();
    assert_eq!(
        partition(Some(&gov), Some("eu-west-1")),
        Partition::GovCloud
    );
    assert_eq!(partition(None, Some("cn-northwest-1")), Partition::China);
    assert_eq!(partition(None, Some("us-gov-east-1")), Partition::GovCloud);
    assert_eq!(partition(None, None), Partition::Aws);
    assert_eq!(
        Partition::China.federation_url(),
        "https://signin.amazonaws.cn/federation"
    );
    assert_eq!(
        Partition::GovCloud.federation_url(),
        "https://signin.amazonaws-us-gov.com/federation"
    );
    assert_eq!(
        Partition::Aws.federation_url(),
        "https://signin.aws.amazon.com/federation"
    );
}

#[test]
fn destinations_follow_the_region_and_partition() {
    let d = |p, r, t: &Target| destination(p, r, t).unwrap();
    assert_eq!(
        d(Partition::Aws, None, &Target::Home),
        "https://console.aws.amazon.com/"
    );
    assert_eq!(
        d(Partition::Aws, Some("eu-west-1"), &Target::Home),
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
    );
    assert_eq!(
        d(Partition::Aws, Some("us-east-1"), &Target::Home),
        "https://console.aws.amazon.com/console/home?region=us-east-1"
    );
    assert_eq!(
        d(
            Partition::China,
            Some("cn-northwest-1"),
            &Target::Service("s3".into())
        ),
        "https://cn-northwest-1.console.amazonaws.cn/s3/home?region=cn-northwest-1"
    );
    assert_eq!(
        d(Partition::GovCloud, Some("us-gov-west-1"), &Target::Home),
        "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"
    );
    let url = Target::Url("https://console.aws.amazon.com/iam/home#/roles".into());
    assert_eq!(
        d(Partition::Aws, Some("eu-west-1"), &url),
        "https://console.aws.amazon.com/iam/home#/roles"
    );
    assert!(destination(Partition::Aws, None, &Target::Url("http://x".into())).is_err());
    assert!(destination(Partition::Aws, None, &Target::Service("s3/../x".into())).is_err());
}

#[test]
fn requests_and_urls_carry_the_session_encoded() {
    let creds = Credentials::new("ASIA1", "se/cr+et", Some("to&ken="), None);
    let url = signin_token_url(
        "https://signin.aws.amazon.com/federation",
        &creds,
        Some(3600),
    );
    let url = url.expose();
    assert!(url.starts_with(
        "https://signin.aws.amazon.com/federation?Action=getSigninToken&SessionDuration=3600&Session=%7B"
    ), "{url}");
    assert!(
        url.contains("se%2Fcr%2Bet") && url.contains("to%26ken%3D"),
        "{url}"
    );
    let none = signin_token_url("http://127.0.0.1:1/federation", &creds, None);
    assert!(!none.expose().contains("SessionDuration"));

    assert_eq!(
        parse_signin_token(br#"{"SigninToken":"abc"}"#)
            .unwrap()
            .expose(),
        "abc"
    );
    assert_eq!(parse_signin_token(b"<html>").unwrap_err(), NoToken);
    assert_eq!(
        parse_signin_token(br#"{"SigninToken":""}"#).unwrap_err(),
        NoToken
    );

    let login = login_url(
        "https://signin.aws.amazon.com/federation",
        "https://console.aws.amazon.com/s3/home?region=eu-west-1",
        &Secret::new("t/k+n"),
    );
    assert_eq!(
        login.expose(),
        "https://signin.aws.amazon.com/federation?Action=login&Issuer=rolecall&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1&SigninToken=t%2Fk%2Bn"
    );
    assert_eq!(format!("{login:?}"), "<redacted>");
}

#[test]
fn accounts_and_federated_names() {
    let set = set();
    let account = |p: &str| account(&resolve(&set, p).unwrap());
    assert_eq!(account("chained").as_deref(), Some("444455556666"));
    assert_eq!(account("sso").as_deref(), Some("777788889999"));
    assert_eq!(account("keys"), None);
    assert_eq!(federated_name("dev"), "rolecall-dev");
    assert_eq!(federated_name("a b/c"), "rolecall-a-b-c");
    assert_eq!(federated_name(&"x".repeat(40)).len(), 32);
}
