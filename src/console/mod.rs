//! Console sign-in: the AWS Management Console opened as a profile, several
//! accounts side by side. `federation` is the protocol as pure functions
//! (partitions, the kind of session a chain gives, `SessionDuration`, the
//! `getSigninToken` request and the `Action=login` URL); `signin` makes the two
//! network calls (GetFederationToken for long-term keys, `getSigninToken`);
//! `redirect` is the one-time loopback address the browser is given instead
//! of the sign-in URL (a bearer token); `browser` chooses and fills the browser
//! command from the settings, without a shell. Credentials come from the
//! caller (`commands::console` gets them through the credential pipeline);
//! nothing here reads the terminal.

pub mod browser;
pub mod federation;
pub mod redirect;
pub mod signin;

/// Overrides the federation endpoint (tests point it at a loopback fake).
pub const FEDERATION_URL_VAR: &str = "ROLECALL_FEDERATION_URL";
