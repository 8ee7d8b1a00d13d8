//! The OAuth device-code login as a state machine: events in, effects out, no
//! I/O and no clock of its own (`now` is an argument).
//!
//! The flow registers a client (or reuses a cached registration), starts a
//! device authorization, tries one CreateToken at once (the user may already be
//! authorised), then shows the code, opens the browser and polls every
//! `interval` seconds (5 when the service names none): `authorization_pending`
//! keeps polling, `slow_down` adds 5 seconds each time, `expired_token` or the
//! authorization's own deadline and `access_denied` end it. Every request
//! carries a ticket; a result whose ticket is not the current one (a late answer
//! to a cancelled or superseded request) is ignored. Cancelling leaves nothing
//! written: the token is saved only as the flow's last effect.

use std::time::{Duration, SystemTime};

use crate::credential::expiry::format_rfc3339;
use crate::credential::secret::Secret;

use super::config::SsoConfig;
use super::registration::Registration;
use super::token::Token;

/// The polling interval when the service names none.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
/// What each `slow_down` adds to the interval.
pub const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What the user must do: open the page and confirm the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// The code to confirm (`ABCD-EFGH`).
    pub user_code: String,
    /// The page to open.
    pub verification_uri: String,
    /// The page with the code filled in.
    pub verification_uri_complete: String,
    /// When the code stops working.
    pub expires_at: SystemTime,
}

/// StartDeviceAuthorization's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceAuthorization {
    /// The secret code the client polls with.
    pub device_code: Secret,
    /// What the user sees.
    pub user_code: String,
    /// The page.
    pub verification_uri: String,
    /// The page with the code.
    pub verification_uri_complete: String,
    /// Seconds the code is valid.
    pub expires_in: Duration,
    /// The polling interval, if named.
    pub interval: Option<Duration>,
}

/// CreateToken's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    /// The access token.
    pub access_token: Secret,
    /// Its lifetime.
    pub expires_in: Duration,
    /// A refresh token (sso-session registrations with scopes get one).
    pub refresh_token: Option<Secret>,
}

/// How a CreateToken call failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PollError {
    /// `authorization_pending`: the user has not confirmed yet.
    #[error("authorization pending")]
    Pending,
    /// `slow_down`: poll less often.
    #[error("slow down")]
    SlowDown,
    /// `expired_token`: the code or token expired.
    #[error("expired")]
    Expired,
    /// `access_denied`: the user refused.
    #[error("access denied")]
    Denied,
    /// Anything else, with the service's message.
    #[error("{0}")]
    Other(String),
}

/// Why a login ended without a token.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// The code was not confirmed in time.
    #[error("the code expired before it was confirmed; run the login again")]
    Expired,
    /// The user refused.
    #[error("the sign-in was denied in the browser")]
    Denied,
    /// The user cancelled.
    #[error("the login was cancelled")]
    Cancelled,
    /// A call failed.
    #[error("{0}")]
    Service(String),
}

/// An input to the flow.
#[derive(Clone, Debug)]
pub enum Event {
    /// RegisterClient answered.
    Registered(u64, Result<Registration, String>),
    /// StartDeviceAuthorization answered.
    Authorized(u64, Result<DeviceAuthorization, String>),
    /// CreateToken answered.
    Polled(u64, Result<Grant, PollError>),
    /// The user gave up (Esc, Ctrl-C).
    Cancel,
}

/// Work for the driver.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Call RegisterClient; answer with [`Event::Registered`].
    Register(u64),
    /// Keep the new registration for later logins.
    SaveRegistration(Registration),
    /// Call StartDeviceAuthorization; answer with [`Event::Authorized`].
    Authorize(u64, Registration),
    /// Show the code.
    Show(Prompt),
    /// Open the browser on this page.
    OpenBrowser(String),
    /// After `delay`, call CreateToken with the device code; answer with [`Event::Polled`].
    Poll {
        /// The request's ticket.
        ticket: u64,
        /// How long to wait first.
        delay: Duration,
        /// The registration.
        registration: Registration,
        /// The device code.
        device_code: Secret,
    },
    /// Write the token to the cache (the last effect of a successful login).
    SaveToken(Token),
    /// The flow is over.
    Finished(Result<(), FlowError>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    Registering,
    Authorizing(Registration),
    Polling {
        registration: Registration,
        device: DeviceAuthorization,
        deadline: SystemTime,
        shown: bool,
    },
    Over,
}

/// A login in progress.
#[derive(Clone, Debug)]
pub struct Flow {
    cfg: SsoConfig,
    phase: Phase,
    ticket: u64,
    interval: Duration,
}

impl Flow {
    /// Starts a login, reusing `cached` when it is still good at `now`.
    pub fn start(
        cfg: SsoConfig,
        cached: Option<Registration>,
        now: SystemTime,
    ) -> (Flow, Vec<Effect>) {
        let mut flow = Flow {
            cfg,
            phase: Phase::Registering,
            ticket: 1,
            interval: DEFAULT_INTERVAL,
        };
        let effect = match cached.filter(|r| r.reusable(now)) {
            Some(reg) => {
                flow.phase = Phase::Authorizing(reg.clone());
                Effect::Authorize(flow.ticket, reg)
            }
            None => Effect::Register(flow.ticket),
        };
        (flow, vec![effect])
    }

    /// Whether the flow has ended.
    pub fn is_over(&self) -> bool {
        self.phase == Phase::Over
    }

    /// The current polling interval.
    pub fn interval(&self) -> Duration {
        self.interval
    }

    fn finish(&mut self, result: Result<(), FlowError>) -> Vec<Effect> {
        self.phase = Phase::Over;
        vec![Effect::Finished(result)]
    }

    fn next_ticket(&mut self) -> u64 {
        self.ticket += 1;
        self.ticket
    }

    /// Feeds an event at `now`, returning the effects to perform.
    pub fn handle(&mut self, event: Event, now: SystemTime) -> Vec<Effect> {
        if self.is_over() {
            return Vec::new();
        }
        let current = self.ticket;
        match (event, self.phase.clone()) {
            (Event::Cancel, _) => self.finish(Err(FlowError::Cancelled)),
            (Event::Registered(t, result), Phase::Registering) if t == current => match result {
                Ok(reg) => {
                    let ticket = self.next_ticket();
                    self.phase = Phase::Authorizing(reg.clone());
                    vec![
                        Effect::SaveRegistration(reg.clone()),
                        Effect::Authorize(ticket, reg),
                    ]
                }
                Err(e) => self.finish(Err(FlowError::Service(e))),
            },
            (Event::Authorized(t, result), Phase::Authorizing(registration)) if t == current => {
                match result {
                    Ok(device) => {
                        if let Some(i) = device.interval.filter(|i| !i.is_zero()) {
                            self.interval = i;
                        }
                        let ticket = self.next_ticket();
                        let effect = Effect::Poll {
                            ticket,
                            delay: Duration::ZERO,
                            registration: registration.clone(),
                            device_code: device.device_code.clone(),
                        };
                        self.phase = Phase::Polling {
                            registration,
                            deadline: now + device.expires_in,
                            device,
                            shown: false,
                        };
                        vec![effect]
                    }
                    Err(e) => self.finish(Err(FlowError::Service(e))),
                }
            }
            (
                Event::Polled(t, result),
                Phase::Polling {
                    registration,
                    device,
                    deadline,
                    shown,
                },
            ) if t == current => match result {
                Ok(grant) => {
                    let token = token(&self.cfg, &registration, grant, now);
                    self.phase = Phase::Over;
                    vec![Effect::SaveToken(token), Effect::Finished(Ok(()))]
                }
                Err(PollError::Expired) => self.finish(Err(FlowError::Expired)),
                Err(PollError::Denied) => self.finish(Err(FlowError::Denied)),
                Err(PollError::Other(e)) => self.finish(Err(FlowError::Service(e))),
                Err(_) if now >= deadline => self.finish(Err(FlowError::Expired)),
                Err(kind) => {
                    if kind == PollError::SlowDown {
                        self.interval += SLOW_DOWN_STEP;
                    }
                    let mut effects = Vec::new();
                    if !shown {
                        effects.push(Effect::Show(Prompt {
                            user_code: device.user_code.clone(),
                            verification_uri: device.verification_uri.clone(),
                            verification_uri_complete: device.verification_uri_complete.clone(),
                            expires_at: deadline,
                        }));
                        effects.push(Effect::OpenBrowser(
                            device.verification_uri_complete.clone(),
                        ));
                    }
                    let ticket = self.next_ticket();
                    effects.push(Effect::Poll {
                        ticket,
                        delay: self.interval,
                        registration: registration.clone(),
                        device_code: device.device_code.clone(),
                    });
                    self.phase = Phase::Polling {
                        registration,
                        device,
                        deadline,
                        shown: true,
                    };
                    effects
                }
            },
            // A late or unexpected answer: ignored.
            _ => Vec::new(),
        }
    }
}

/// The token a grant becomes, the registration cached alongside it (the same
/// fields for the device code and PKCE, as botocore writes them).
pub fn token(cfg: &SsoConfig, registration: &Registration, grant: Grant, now: SystemTime) -> Token {
    Token {
        start_url: cfg.start_url.clone(),
        region: cfg.region.clone(),
        access_token: grant.access_token,
        expires_at: now + grant.expires_in,
        client_id: Some(registration.client_id.clone()),
        client_secret: Some(registration.client_secret.clone()),
        registration_expires_at: Some(format_rfc3339(registration.expires_at)),
        refresh_token: grant.refresh_token,
        extra: Default::default(),
    }
}

#[cfg(test)]
mod tests;
