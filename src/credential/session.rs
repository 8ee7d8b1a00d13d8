//! Long-term keys turned into a session with STS GetSessionToken.
//!
//! The container credential endpoint of `rolecall exec --mode server` must
//! always answer with a session token and an expiry (every SDK requires both),
//! so a profile whose credentials are plain keys is served as a session made
//! from them. The STS client is built by [`super::obtain::config`] from the
//! keys, the profile's region and the same HTTP client as everything else, so
//! `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` and the profile's own
//! `endpoint_url` / `services` settings apply as in any SDK. Nothing here
//! caches: callers go through [`super::saved`].

use aws_smithy_runtime_api::client::http::SharedHttpClient;

use super::obtain::{Request, config};
use super::secret::Credentials;

/// Why STS did not give a session.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot turn the keys of profile '{profile}' into a session (STS GetSessionToken): {message}"
)]
pub struct SessionError {
    /// The profile whose keys were used.
    pub profile: String,
    /// What the SDK said, with its causes.
    pub message: String,
}

/// A session (key, secret, token, expiry) made from `keys` by STS GetSessionToken,
/// for the length STS chooses (12 hours for an IAM user's keys).
pub async fn get_session_token(
    req: &Request,
    keys: &Credentials,
    client: SharedHttpClient,
) -> Result<Credentials, SessionError> {
    let fail = |message: String| SessionError {
        profile: req.profile.clone(),
        message,
    };
    let out = aws_sdk_sts::Client::new(&config(req, keys, client).await)
        .get_session_token()
        .send()
        .await
        .map_err(|e| fail(super::sdk_error::describe(&e, None)))?;
    let c = out
        .credentials()
        .ok_or_else(|| fail("the answer holds no credentials".to_string()))?;
    let expires = std::time::SystemTime::try_from(*c.expiration())
        .map_err(|e| fail(format!("unreadable expiration: {e}")))?;
    Ok(Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token()),
        Some(expires),
    ))
}
