//! Naming, planning and applying generated profiles.

use super::*;
use crate::ini::Document;
use crate::profile::edit::Target;
use crate::sso::portal::Account;

fn a(id: &str, name: &str, role: &str) -> Assignment {
    Assignment {
        account: Account {
            id: id.into(),
            name: name.into(),
            email: String::new(),
        },
        role: role.into(),
    }
}

fn settings() -> Settings {
    Settings {
        session: "corp".into(),
        template: DEFAULT_TEMPLATE.into(),
        region: Some("eu-west-1".into()),
        output: None,
    }
}

fn files(config: &str) -> Files {
    Files {
        config: Document::parse(config),
        credentials: Document::parse(""),
    }
}

#[test]
fn names_are_made_valid() {
    assert_eq!(
        sanitize("Prod Account (EU)!.Admin"),
        "Prod-Account-EU-.Admin"
    );
    assert_eq!(
        profile_name(
            "{account_name}.{role_name}",
            &a("1", "My  Org", "Admin"),
            "s"
        ),
        "My-Org.Admin"
    );
    assert_eq!(
        profile_name("{session}-{account_id}", &a("123", "x", "r"), "corp"),
        "corp-123"
    );
    assert_eq!(
        profile_name("{account_name}", &a("123", "???", "Read Only"), "s"),
        "123.Read-Only"
    );
}

#[test]
fn clashing_names_get_the_account_id() {
    let w = wanted(
        &[
            a("1", "Dev", "Admin"),
            a("2", "Dev", "Admin"),
            a("3", "Prod", "Admin"),
        ],
        &settings(),
    );
    let names: Vec<&str> = w.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["Dev.Admin-1", "Dev.Admin-2", "Prod.Admin"]);
    assert_eq!(
        w[2].properties,
        [
            ("sso_session".into(), "corp".into()),
            ("sso_account_id".into(), "3".into()),
            ("sso_role_name".into(), "Admin".into()),
            ("region".into(), "eu-west-1".into()),
            (MARKER.into(), "corp".into()),
        ]
    );
}

#[test]
fn a_first_run_adds_and_a_rerun_updates_and_prunes_only_generated_profiles() {
    let hand = "# mine\n[profile Dev.Admin]\nsso_session = corp\nsso_account_id = 9\nsso_role_name = Admin\n";
    let mut f = files(hand);
    let first = wanted(
        &[
            a("1", "Dev", "Admin"),
            a("2", "Prod", "Admin"),
            a("3", "Old", "Admin"),
        ],
        &settings(),
    );
    let p = plan(&f.profile_set(), first, "corp", true);
    assert_eq!(
        p.skipped,
        [(
            "Dev.Admin".to_string(),
            "a profile you wrote has this name".to_string()
        )]
    );
    assert_eq!(p.add.len(), 2);
    apply(&mut f, &p).unwrap();
    let text = f.config.text().to_string();
    assert!(
        text.starts_with(hand),
        "the hand-written part is kept byte for byte"
    );
    assert!(text.contains("\n\n[profile Prod.Admin]\nsso_session = corp\n"));

    // Second run: Old is gone from the portal, Prod's region changes, a user key survives.
    crate::profile::edit::set(&mut f, Target::Profile("Prod.Admin"), "cli_pager", "", None)
        .unwrap();
    let s2 = Settings {
        region: Some("us-east-2".into()),
        ..settings()
    };
    let second = wanted(&[a("1", "Dev", "Admin"), a("2", "Prod", "Admin")], &s2);
    let p = plan(&f.profile_set(), second, "corp", true);
    assert_eq!(p.remove, ["Old.Admin"]);
    assert_eq!(
        p.update,
        [(
            "Prod.Admin".to_string(),
            "region".to_string(),
            "us-east-2".to_string()
        )]
    );
    assert!(p.add.is_empty());
    apply(&mut f, &p).unwrap();
    let set = f.profile_set();
    assert!(!set.profiles.contains_key("Old.Admin"));
    assert_eq!(set.profiles["Prod.Admin"].get("region"), Some("us-east-2"));
    assert_eq!(set.profiles["Prod.Admin"].get("cli_pager"), Some(""));
    assert_eq!(
        set.profiles["Dev.Admin"].get("sso_account_id"),
        Some("9"),
        "never touched"
    );
    assert!(f.config.text().starts_with(hand));

    // Third run with nothing new: nothing to do.
    let third = wanted(&[a("1", "Dev", "Admin"), a("2", "Prod", "Admin")], &s2);
    let p = plan(&f.profile_set(), third, "corp", true);
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(p.unchanged, 1);
}

#[test]
fn another_sessions_profiles_are_left_alone() {
    let mut f = files("[profile X.R]\nsso_session = other\nrolecall_generated = other\n");
    let p = plan(
        &f.profile_set(),
        wanted(&[a("1", "Y", "R")], &settings()),
        "corp",
        true,
    );
    assert!(
        p.remove.is_empty(),
        "only this session's profiles are pruned"
    );
    let p2 = plan(
        &f.profile_set(),
        wanted(&[a("1", "X", "R")], &settings()),
        "corp",
        true,
    );
    assert_eq!(p2.skipped[0].1, "generated for sso-session 'other'");
    apply(&mut f, &p).unwrap();
    assert!(f.profile_set().profiles.contains_key("X.R"));
}

#[test]
fn a_generated_profile_another_builds_on_is_not_pruned() {
    let mut f = files("");
    let p = plan(
        &f.profile_set(),
        wanted(&[a("1", "Dev", "Admin")], &settings()),
        "corp",
        true,
    );
    apply(&mut f, &p).unwrap();
    crate::profile::edit::add_profile(
        &mut f,
        "deploy",
        &[
            ("role_arn".into(), "arn:aws:iam::1:role/Deploy".into()),
            ("source_profile".into(), "Dev.Admin".into()),
        ],
    )
    .unwrap();
    let p = plan(&f.profile_set(), Vec::new(), "corp", true);
    assert!(p.remove.is_empty(), "{p:?}");
    assert!(p.skipped[0].1.contains("source_profile"));
}

#[test]
fn suggests_a_session_name_from_the_url() {
    assert_eq!(
        suggest_session("https://my-org.awsapps.com/start"),
        "my-org"
    );
    assert_eq!(suggest_session("http://127.0.0.1:8080/start"), "127");
    assert_eq!(suggest_session(""), "sso");
}

#[test]
fn the_cli_filter_is_the_tuis_precise_one_on_the_generated_names() {
    let all = [
        a("111111111111", "acct-1", "Admin"),
        a("111111111110", "acct-10", "ReadOnly"),
        a("222222222222", "Prod Billing", "ReadOnly"),
    ];
    let ids = |filter: &str, template: &str| -> Vec<String> {
        super::filter(&all, filter, template, "corp")
            .into_iter()
            .map(|a| a.account.id)
            .collect()
    };
    // A whole word of the account name, not a fuzzy subsequence.
    assert_eq!(ids("acct-1", DEFAULT_TEMPLATE), ["111111111111"]);
    assert!(ids("act1", DEFAULT_TEMPLATE).is_empty());
    // Digits: the account id by prefix; every word must match.
    assert_eq!(
        ids("11111111111", DEFAULT_TEMPLATE),
        ["111111111111", "111111111110"]
    );
    assert_eq!(ids("2222 readonly", DEFAULT_TEMPLATE), ["222222222222"]);
    // A part of the generated profile name counts, so the template matters.
    assert_eq!(
        ids("corp", "{session}-{account_id}"),
        ["111111111111", "111111111110", "222222222222"]
    );
    assert!(ids("corp", DEFAULT_TEMPLATE).is_empty());
}

#[test]
fn templates_with_unknown_placeholders_are_refused_naming_the_known_ones() {
    assert!(check_template("{session}-{account_name}.{role_name}").is_ok());
    let e = check_template("{account}-{role_name}").unwrap_err();
    assert!(e.contains("{account}") && e.contains("{account_id}"), "{e}");
}
