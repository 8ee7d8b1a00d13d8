//! The AWS calls behind `keys rotate`: who a set of keys belongs to (STS
//! GetCallerIdentity), a new access key for that user (IAM CreateAccessKey)
//! and deleting the old one (IAM DeleteAccessKey). Clients are built by
//! [`super::obtain::config`], as [`super::session`]'s: from the keys, the
//! profile's region and files (so `AWS_ENDPOINT_URL_IAM`,
//! `AWS_ENDPOINT_URL_STS` and the profile's endpoint settings apply) and the
//! shared HTTP client. Nothing here stores keys.

use super::obtain::{Request, config, http_client};
use super::secret::Credentials;

/// An AWS call that failed: which, and what the service said.
#[derive(Debug, thiserror::Error)]
#[error("{call} failed: {message}")]
pub struct CallError {
    /// `IAM CreateAccessKey`, say.
    pub call: &'static str,
    /// The error with its causes.
    pub message: String,
}

fn fail(call: &'static str) -> impl Fn(String) -> CallError {
    move |message| CallError { call, message }
}

/// The ARN the keys act as.
pub async fn caller_arn(req: &Request, keys: &Credentials) -> Result<String, CallError> {
    let out = aws_sdk_sts::Client::new(&config(req, keys, http_client()).await)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| fail("STS GetCallerIdentity")(super::sdk_error::describe(&e, None)))?;
    out.arn()
        .map(str::to_string)
        .ok_or_else(|| fail("STS GetCallerIdentity")("the answer holds no ARN".into()))
}

/// A new access key for the user the keys belong to.
pub async fn create_access_key(
    req: &Request,
    keys: &Credentials,
) -> Result<Credentials, CallError> {
    let out = aws_sdk_iam::Client::new(&config(req, keys, http_client()).await)
        .create_access_key()
        .send()
        .await
        .map_err(|e| fail("IAM CreateAccessKey")(super::sdk_error::describe(&e, None)))?;
    let k = out
        .access_key()
        .ok_or_else(|| fail("IAM CreateAccessKey")("the answer holds no key".into()))?;
    Ok(Credentials::new(
        k.access_key_id(),
        k.secret_access_key(),
        None,
        None,
    ))
}

/// Deletes access key `id` of the user the keys belong to.
pub async fn delete_access_key(
    req: &Request,
    keys: &Credentials,
    id: &str,
) -> Result<(), CallError> {
    aws_sdk_iam::Client::new(&config(req, keys, http_client()).await)
        .delete_access_key()
        .access_key_id(id)
        .send()
        .await
        .map_err(|e| fail("IAM DeleteAccessKey")(super::sdk_error::describe(&e, None)))?;
    Ok(())
}
