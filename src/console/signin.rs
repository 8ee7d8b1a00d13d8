//! The two network calls of a console sign-in: STS GetFederationToken (for
//! long-term keys, which the federation endpoint refuses) through
//! aws-sdk-sts, so `AWS_ENDPOINT_URL_STS` and the profile's endpoint settings
//! apply as everywhere; and the federation endpoint's `getSigninToken`, a
//! plain HTTPS GET through the same HTTP stack as the SDKs (rustls). Errors
//! are sentences naming the profile and the fix; no error carries the
//! request's address, which holds the secret key.

use std::time::Duration;

use aws_smithy_http_client::{Connector, tls};
use aws_smithy_runtime_api::client::http::HttpConnector;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_types::byte_stream::ByteStream;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::credential::obtain::{Request, config, http_client};
use crate::credential::secret::{Credentials, Secret};

use super::federation::{FEDERATION_POLICY, federated_name, parse_signin_token};

/// How long the federation endpoint may take to answer.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why no sign-in token was had.
#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    /// The endpoint could not be reached.
    #[error(
        "cannot reach the AWS sign-in endpoint {host} for profile '{profile}': {message}; check the network (or ROLECALL_FEDERATION_URL)"
    )]
    Unreachable {
        /// The profile.
        profile: String,
        /// The endpoint's host.
        host: String,
        /// What failed.
        message: String,
    },
    /// The endpoint refused the session.
    #[error(
        "the AWS sign-in endpoint {host} refused the session of profile '{profile}' (HTTP {status}{detail}): the role may not allow console sign-in, or the session is of a kind the console refuses; check the role's policies or try another profile"
    )]
    Refused {
        /// The profile.
        profile: String,
        /// The endpoint's host.
        host: String,
        /// The HTTP status.
        status: u16,
        /// `: ` and the start of the answer, when it says something.
        detail: String,
    },
    /// The answer held no token.
    #[error(
        "the AWS sign-in endpoint {host} answered without a sign-in token for profile '{profile}'; check ROLECALL_FEDERATION_URL points at a federation endpoint"
    )]
    NoToken {
        /// The profile.
        profile: String,
        /// The endpoint's host.
        host: String,
    },
}

/// The host part of `url`, for messages.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest).to_string()
}

/// A short, single-line, printable excerpt of an error answer.
fn excerpt(body: &[u8]) -> String {
    let text: String = String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return String::new();
    }
    let mut short: String = text.chars().take(160).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    format!(": {short}")
}

/// Exchanges a session for a sign-in token: GET `request` (see
/// [`super::federation::signin_token_url`]) at `endpoint`.
pub async fn signin_token(
    profile: &str,
    endpoint: &str,
    request: &Secret,
) -> Result<Secret, SigninError> {
    let host = host(endpoint);
    let unreachable = |message: String| SigninError::Unreachable {
        profile: profile.to_string(),
        host: host.clone(),
        message,
    };
    let connector = Connector::builder()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build();
    let http = HttpRequest::get(request.expose())
        .map_err(|_| unreachable("the endpoint's address is not a valid URL".to_string()))?;
    let call = async {
        let response = connector.call(http).await.map_err(|e| {
            let kind = if e.is_timeout() {
                "timed out"
            } else if e.is_io() {
                "connection failed"
            } else {
                "the request failed"
            };
            // The error's source chain (without the address, which holds the secret).
            let mut message = kind.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                let text = s.to_string();
                if !text.contains("Session=") {
                    message = format!("{message}: {text}");
                }
                source = s.source();
            }
            unreachable(message)
        })?;
        let status = response.status().as_u16();
        let body = ByteStream::new(response.into_body())
            .collect()
            .await
            .map_err(|e| unreachable(format!("reading the answer failed: {e}")))?
            .into_bytes();
        Ok::<_, SigninError>((status, body))
    };
    let (status, body) = tokio::time::timeout(TIMEOUT, call)
        .await
        .map_err(|_| unreachable(format!("no answer within {} seconds", TIMEOUT.as_secs())))??;
    if status != 200 {
        return Err(SigninError::Refused {
            profile: profile.to_string(),
            host,
            status,
            detail: excerpt(&body),
        });
    }
    parse_signin_token(&body).map_err(|_| SigninError::NoToken {
        profile: profile.to_string(),
        host,
    })
}

/// Why GetFederationToken gave no session.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot make a console session from the keys of profile '{profile}' (STS GetFederationToken): {message}"
)]
pub struct FederationTokenError {
    /// The profile.
    pub profile: String,
    /// What went wrong, and the fix.
    pub message: String,
}

/// A GetFederationToken session of `duration` seconds from long-term `keys`,
/// named `rolecall-PROFILE`, with a policy allowing what the user's own allow.
pub async fn federation_token(
    req: &Request,
    keys: &Credentials,
    duration: u32,
) -> Result<Credentials, FederationTokenError> {
    let fail = |message: String| FederationTokenError {
        profile: req.profile.clone(),
        message,
    };
    let out = aws_sdk_sts::Client::new(&config(req, keys, http_client()).await)
        .get_federation_token()
        .name(federated_name(&req.profile))
        .policy(FEDERATION_POLICY)
        .duration_seconds(duration as i32)
        .send()
        .await
        .map_err(|e| {
            let code = e.code().unwrap_or_default().to_string();
            let said = e
                .message()
                .map(str::to_string)
                .unwrap_or_else(|| aws_smithy_types::error::display::DisplayErrorContext(&e).to_string());
            fail(match code.as_str() {
                "AccessDenied" => format!(
                    "{said}; allow sts:GetFederationToken in the IAM user's policy, or sign in through a role"
                ),
                "" => said,
                _ => format!("{code}: {said}"),
            })
        })?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_excerpts_for_messages() {
        assert_eq!(
            host("https://signin.aws.amazon.com/federation"),
            "signin.aws.amazon.com"
        );
        assert_eq!(host("http://127.0.0.1:9/federation?x"), "127.0.0.1:9");
        assert_eq!(excerpt(b""), "");
        assert_eq!(excerpt(b"  Access\r\n denied \x07 "), ": Access denied");
        assert_eq!(
            excerpt("x".repeat(500).as_bytes()).chars().count(),
            2 + 160 + 1
        );
    }
}
