//! AWS IAM Identity Center (SSO): logging in with the authorization code and
//! PKCE (the default for sso-sessions, as the AWS CLI v2) or the OAuth device
//! code,
//! keeping the token caches the AWS CLI v2 and every SDK share, refreshing
//! tokens without a new login, and turning a portal's accounts and roles into
//! profiles.
//!
//! [`config`] finds a profile's session; [`token`] and [`registration`] read and
//! write the shared cache files byte for byte as the AWS CLI does; [`flow`] is
//! the device-code login as a pure state machine; [`pkce`] holds the PKCE
//! values and the authorize URL, [`callback`] the one-shot loopback listener the
//! browser returns to; [`oidc`] and [`portal`] are the
//! calls to the SSO-OIDC and SSO services through the AWS SDK; [`login`] ties
//! them together under a lock across processes; [`onboard`] plans the profiles
//! a portal's assignments become. Nothing here draws on a terminal.

pub mod callback;
pub mod config;
pub mod flow;
pub mod login;
pub mod oidc;
pub mod onboard;
pub mod pkce;
pub mod portal;
pub mod registration;
pub mod token;
