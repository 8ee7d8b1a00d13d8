//! Credentials: obtaining them, keeping them, and knowing when they expire.
//!
//! [`source`] is the pipeline every command that hands out credentials goes
//! through (SSO login, MFA, keychain, cache, aws-config); [`key`] names a
//! profile's entries in rolecall's cache; [`obtain`] asks aws-config for a
//! profile's credentials (no hand-written chain); [`saved`] is rolecall's own
//! cache of temporary credentials, shared by parallel invocations under a
//! lock; [`secret`] is the type that holds them without leaking them;
//! [`session`] turns long-term keys into a session for the local credential
//! endpoint; [`iam`] makes the calls of key rotation; [`mfa`] asks STS for a
//! session with an MFA code; [`cache`] reads the caches the AWS tools share
//! (and rolecall's own) for expiry; [`status`] is the one answer to "when does
//! this profile's session end"; [`expiry`] parses and formats timestamps.

pub mod cache;
pub mod expiry;
pub mod iam;
pub mod key;
pub mod mfa;
pub mod obtain;
pub mod saved;
pub mod secret;
pub mod session;
pub mod source;
pub mod status;
