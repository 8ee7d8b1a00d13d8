//! State-machine tests for the device-code flow: every transition, no I/O.

use super::*;
use crate::credential::expiry::parse_timestamp;

fn now() -> SystemTime {
    parse_timestamp("2026-11-22T10:00:00Z").unwrap()
}

fn cfg() -> SsoConfig {
    SsoConfig {
        session: Some("corp".into()),
        start_url: "https://corp.awsapps.com/start".into(),
        region: "eu-west-1".into(),
        scopes: vec!["sso:account:access".into()],
    }
}

fn reg(expires_in: u64) -> Registration {
    Registration {
        client_id: "client-1".into(),
        client_secret: Secret::new("client-secret"),
        expires_at: now() + Duration::from_secs(expires_in),
        scopes: vec!["sso:account:access".into()],
        grant_types: Vec::new(),
    }
}

fn device(interval: Option<u64>) -> DeviceAuthorization {
    DeviceAuthorization {
        device_code: Secret::new("dev-code"),
        user_code: "ABCD-EFGH".into(),
        verification_uri: "https://device.sso/".into(),
        verification_uri_complete: "https://device.sso/?user_code=ABCD-EFGH".into(),
        expires_in: Duration::from_secs(600),
        interval: interval.map(Duration::from_secs),
    }
}

fn grant() -> Grant {
    Grant {
        access_token: Secret::new("access"),
        expires_in: Duration::from_secs(8 * 3600),
        refresh_token: Some(Secret::new("refresh")),
    }
}

fn ticket_of_poll(effects: &[Effect]) -> (u64, Duration) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::Poll { ticket, delay, .. } => Some((*ticket, *delay)),
            _ => None,
        })
        .expect("a poll")
}

/// Drives a flow up to its first poll; returns the flow and that poll's ticket.
fn polling(interval: Option<u64>) -> (Flow, u64) {
    let (mut flow, effects) = Flow::start(cfg(), None, now());
    assert_eq!(effects, vec![Effect::Register(1)]);
    let effects = flow.handle(Event::Registered(1, Ok(reg(90 * 86400))), now());
    assert!(matches!(
        &effects[..],
        [Effect::SaveRegistration(_), Effect::Authorize(2, _)]
    ));
    let effects = flow.handle(Event::Authorized(2, Ok(device(interval))), now());
    let (ticket, delay) = ticket_of_poll(&effects);
    assert_eq!(delay, Duration::ZERO, "the first attempt is immediate");
    (flow, ticket)
}

#[test]
fn reuses_a_good_registration_and_not_a_stale_one() {
    let (_, effects) = Flow::start(cfg(), Some(reg(3600)), now());
    assert!(matches!(&effects[..], [Effect::Authorize(1, r)] if r.client_id == "client-1"));
    let (_, effects) = Flow::start(cfg(), Some(reg(600)), now());
    assert_eq!(effects, vec![Effect::Register(1)]);
}

#[test]
fn pending_shows_the_code_once_then_polls_at_the_interval() {
    let (mut flow, t) = polling(Some(2));
    let effects = flow.handle(Event::Polled(t, Err(PollError::Pending)), now());
    assert!(matches!(&effects[0], Effect::Show(p) if p.user_code == "ABCD-EFGH"));
    assert!(matches!(&effects[1], Effect::OpenBrowser(u) if u.ends_with("ABCD-EFGH")));
    let (t2, delay) = ticket_of_poll(&effects);
    assert_eq!(delay, Duration::from_secs(2));
    let effects = flow.handle(Event::Polled(t2, Err(PollError::Pending)), now());
    assert_eq!(
        effects.len(),
        1,
        "no second prompt or browser tab: {effects:?}"
    );
}

#[test]
fn default_interval_and_slow_down_adds_five_seconds_each_time() {
    let (mut flow, t) = polling(None);
    let e = flow.handle(Event::Polled(t, Err(PollError::SlowDown)), now());
    let (t, delay) = ticket_of_poll(&e);
    assert_eq!(delay, Duration::from_secs(10));
    let e = flow.handle(Event::Polled(t, Err(PollError::SlowDown)), now());
    assert_eq!(ticket_of_poll(&e).1, Duration::from_secs(15));
    assert_eq!(flow.interval(), Duration::from_secs(15));
}

#[test]
fn success_saves_a_token_with_the_registration() {
    let (mut flow, t) = polling(Some(1));
    let effects = flow.handle(Event::Polled(t, Ok(grant())), now());
    let [Effect::SaveToken(token), Effect::Finished(Ok(()))] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(token.start_url, "https://corp.awsapps.com/start");
    assert_eq!(token.region, "eu-west-1");
    assert_eq!(token.client_id.as_deref(), Some("client-1"));
    assert_eq!(token.expires_at, now() + Duration::from_secs(8 * 3600));
    assert_eq!(token.refresh_token.as_ref().unwrap().expose(), "refresh");
    assert!(
        token
            .registration_expires_at
            .as_deref()
            .unwrap()
            .ends_with('Z')
    );
    assert!(flow.is_over());
}

#[test]
fn expiry_denial_and_errors_end_the_flow_without_a_token() {
    for (err, want) in [
        (PollError::Expired, FlowError::Expired),
        (PollError::Denied, FlowError::Denied),
        (
            PollError::Other("boom".into()),
            FlowError::Service("boom".into()),
        ),
    ] {
        let (mut flow, t) = polling(Some(1));
        let effects = flow.handle(Event::Polled(t, Err(err)), now());
        assert_eq!(effects, vec![Effect::Finished(Err(want))]);
    }
    // The service keeps saying pending past the code's deadline.
    let (mut flow, t) = polling(Some(1));
    let late = now() + Duration::from_secs(601);
    let effects = flow.handle(Event::Polled(t, Err(PollError::Pending)), late);
    assert_eq!(effects, vec![Effect::Finished(Err(FlowError::Expired))]);
    // Registration and authorization failures.
    let (mut flow, _) = Flow::start(cfg(), None, now());
    let e = flow.handle(
        Event::Registered(1, Err("InvalidClientMetadata".into())),
        now(),
    );
    assert!(
        matches!(&e[..], [Effect::Finished(Err(FlowError::Service(m)))] if m.contains("InvalidClient"))
    );
}

#[test]
fn cancel_ends_it_and_a_late_result_is_ignored() {
    let (mut flow, t) = polling(Some(1));
    assert_eq!(
        flow.handle(Event::Cancel, now()),
        vec![Effect::Finished(Err(FlowError::Cancelled))]
    );
    assert!(flow.handle(Event::Polled(t, Ok(grant())), now()).is_empty());
    assert!(flow.is_over());
}

#[test]
fn a_stale_ticket_never_wins() {
    let (mut flow, t) = polling(Some(1));
    let effects = flow.handle(Event::Polled(t, Err(PollError::Pending)), now());
    let (t2, _) = ticket_of_poll(&effects);
    // The answer to the superseded first poll arrives late.
    assert!(flow.handle(Event::Polled(t, Ok(grant())), now()).is_empty());
    assert!(!flow.is_over());
    let effects = flow.handle(Event::Polled(t2, Ok(grant())), now());
    assert!(matches!(effects.last(), Some(Effect::Finished(Ok(())))));
    // And events of another phase are ignored too.
    assert!(
        flow.handle(Event::Registered(1, Ok(reg(3600))), now())
            .is_empty()
    );
}
