//! Dapr components for the AWS building blocks, written and checked.
//!
//! [`component`] writes a component YAML for a profile (state.aws.dynamodb,
//! pubsub.aws.snssqs, bindings.aws.s3, secretstores.aws.secretmanager,
//! secretstores.aws.parameterstore) with the profile's region and never a
//! credential in plaintext: by default none at all, so the sidecar takes the
//! default chain that `rolecall exec PROFILE -- daprd ...` feeds, or
//! `secretKeyRef`s into a secret store. [`check`] reads components back and
//! flags plaintext credentials, a missing region and a local endpoint left in.
//! [`yaml`] is the small marked tree both need. Pure: text in, text and
//! findings out.

pub mod check;
pub mod component;
pub mod yaml;
