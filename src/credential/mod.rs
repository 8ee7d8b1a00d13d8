//! Credentials: obtaining them, keeping them, and knowing when they expire.
//!
//! [`obtain`] asks aws-config for a profile's credentials (no hand-written
//! chain); [`saved`] is rolecall's own cache of temporary credentials, shared by
//! parallel invocations under a lock; [`secret`] is the type that holds them
//! without leaking them; [`session`] turns long-term keys into a session for
//! the local credential endpoint; [`iam`] makes the calls of key rotation;
//! [`mfa`] asks STS for a session with an MFA code; [`cache`] and [`status`]
//! read the caches the AWS tools share for expiry; [`expiry`] parses and
//! formats their timestamps and decides freshness; [`sdk_error`] turns the
//! SDKs' errors into sentences.

pub mod cache;
pub mod expiry;
pub mod iam;
pub mod mfa;
pub mod obtain;
pub mod saved;
pub mod sdk_error;
pub mod secret;
pub mod session;
pub mod status;
