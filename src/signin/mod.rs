//! Console credentials (`login_session` profiles, the AWS CLI's `aws login`):
//! the shared cache ([`cache`]), the DPoP key and its proofs ([`dpop`]) and
//! the browser login with PKCE against AWS Sign-In ([`login`]). Resolving and
//! refreshing such profiles is aws-config's `credentials-login` provider's
//! work; this module logs in and reads the cache for countdowns. Nothing here
//! draws on a terminal.

pub mod cache;
pub mod dpop;
pub mod login;
