//! Credentials and what the AWS tools cache about them.
//!
//! For now: reading expiry from the caches the AWS CLI, botocore and the SDKs
//! share ([`cache`]) and turning timestamps found in the wild into countdowns
//! ([`expiry`]). Obtaining credentials goes through aws-config, not here.

pub mod cache;
pub mod expiry;
pub mod status;
