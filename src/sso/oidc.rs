//! Calls to the SSO-OIDC service through aws-sdk-ssooidc: RegisterClient,
//! StartDeviceAuthorization, CreateToken (device code and refresh token).
//!
//! The clients are built the way every SDK builds them, so the endpoint
//! settings users and tests rely on apply: `AWS_ENDPOINT_URL_SSO_OIDC`,
//! `AWS_ENDPOINT_URL_SSO`, `AWS_ENDPOINT_URL`, and `endpoint_url` / `services`
//! in the config file. The calls are unsigned; no credentials are loaded.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_sdk_ssooidc::Client;
use aws_types::SdkConfig;
use aws_types::region::Region;

use crate::credential::obtain::http_client;
use crate::credential::secret::Secret;

use super::config::SsoConfig;
use super::flow::{DeviceAuthorization, Grant, PollError};
use super::registration::Registration;
use super::token::Token;

/// The files whose endpoint settings apply (the workspace's config and credentials).
#[derive(Clone, Debug, Default)]
pub struct Files {
    /// The config file.
    pub config: Option<std::path::PathBuf>,
    /// The credentials file.
    pub credentials: Option<std::path::PathBuf>,
}

/// Shared SDK configuration for the SSO services in `region`.
pub async fn sdk_config(region: &str, files: &Files) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_string()))
        .http_client(http_client())
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .no_credentials();
    if files.config.is_some() || files.credentials.is_some() {
        // A named file that is missing is an error to aws-config (and an empty
        // set a panic): name the ones that exist, else an empty config.
        let mut b = EnvConfigFiles::builder().with_contents(EnvConfigFileKind::Config, "");
        if let Some(c) = files.config.as_ref().filter(|p| p.exists()) {
            b = b.with_file(EnvConfigFileKind::Config, c);
        }
        if let Some(c) = files.credentials.as_ref().filter(|p| p.exists()) {
            b = b.with_file(EnvConfigFileKind::Credentials, c);
        }
        loader = loader.profile_files(b.build());
    }
    loader.load().await
}

/// An SSO-OIDC client for one region.
#[derive(Clone, Debug)]
pub struct Oidc {
    client: Client,
    /// Where the calls go, for messages.
    host: String,
}

/// The endpoint set for `service_id` (`AWS_ENDPOINT_URL_SSO_OIDC`, a
/// profile's `services` section, `endpoint_url`), the way its client reads it.
pub fn endpoint(config: &SdkConfig, service_id: &str) -> Option<String> {
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(service_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    config
        .service_config()
        .and_then(|c| c.load_config(key))
        .or_else(|| config.endpoint_url().map(str::to_string))
}

/// The host an SSO service's calls go to: the endpoint set for it, else the
/// regional default (`oidc.REGION.amazonaws.com`).
pub fn host(endpoint: Option<&str>, prefix: &str, region: Option<&str>) -> String {
    match endpoint {
        Some(url) => url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or(url)
            .to_string(),
        None => {
            let region = region.unwrap_or("us-east-1");
            let suffix = if region.starts_with("cn-") {
                "amazonaws.com.cn"
            } else {
                "amazonaws.com"
            };
            format!("{prefix}.{region}.{suffix}")
        }
    }
}

fn seconds(n: i32) -> Duration {
    Duration::from_secs(u64::try_from(n).unwrap_or(0))
}

impl Oidc {
    /// A client from shared SDK configuration.
    pub fn new(config: &SdkConfig) -> Oidc {
        let host = host(
            endpoint(config, "SSO OIDC").as_deref(),
            "oidc",
            config.region().map(|r| r.as_ref()),
        );
        Oidc {
            client: Client::new(config),
            host,
        }
    }

    /// One sentence for a failed call: which step, and why in words.
    fn failed(&self, what: &str, e: &(dyn std::error::Error + 'static)) -> String {
        let why = crate::credential::sdk_error::describe(e, Some(&self.host));
        if crate::credential::sdk_error::network(e).is_some() {
            format!("cannot reach the SSO portal to {what}: {why}")
        } else {
            format!("IAM Identity Center refused to {what}: {why}")
        }
    }

    /// RegisterClient, named as the AWS CLI names its clients.
    pub async fn register(&self, cfg: &SsoConfig, now: SystemTime) -> Result<Registration, String> {
        let name = match &cfg.session {
            Some(s) => format!("botocore-client-{s}"),
            None => format!(
                "botocore-client-{}",
                now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
            ),
        };
        let mut req = self
            .client
            .register_client()
            .client_name(name)
            .client_type("public");
        if !cfg.scopes.is_empty() {
            req = req.set_scopes(Some(cfg.scopes.clone()));
        }
        let out = req
            .send()
            .await
            .map_err(|e| self.failed("register this device (RegisterClient)", &e))?;
        let expires = u64::try_from(out.client_secret_expires_at()).unwrap_or(0);
        Ok(Registration {
            client_id: out.client_id().unwrap_or_default().to_string(),
            client_secret: Secret::new(out.client_secret().unwrap_or_default()),
            expires_at: UNIX_EPOCH + Duration::from_secs(expires),
            scopes: cfg.scopes.clone(),
            grant_types: Vec::new(),
        })
    }

    /// StartDeviceAuthorization.
    pub async fn authorize(
        &self,
        reg: &Registration,
        start_url: &str,
    ) -> Result<DeviceAuthorization, String> {
        let out = self
            .client
            .start_device_authorization()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose())
            .start_url(start_url)
            .send()
            .await
            .map_err(|e| self.failed("start the sign-in (StartDeviceAuthorization)", &e))?;
        Ok(DeviceAuthorization {
            device_code: Secret::new(out.device_code().unwrap_or_default()),
            user_code: out.user_code().unwrap_or_default().to_string(),
            verification_uri: out.verification_uri().unwrap_or_default().to_string(),
            verification_uri_complete: out
                .verification_uri_complete()
                .or(out.verification_uri())
                .unwrap_or_default()
                .to_string(),
            expires_in: seconds(out.expires_in()),
            interval: Some(seconds(out.interval())).filter(|d| !d.is_zero()),
        })
    }

    /// CreateToken with the device code.
    pub async fn poll(&self, reg: &Registration, device_code: &Secret) -> Result<Grant, PollError> {
        let result = self
            .client
            .create_token()
            .grant_type("urn:ietf:params:oauth:grant-type:device_code")
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose())
            .device_code(device_code.expose())
            .send()
            .await;
        grant(result, self)
    }

    /// CreateToken with the token's refresh token.
    pub async fn refresh(&self, token: &Token) -> Result<Grant, PollError> {
        let (Some(id), Some(secret), Some(refresh)) =
            (&token.client_id, &token.client_secret, &token.refresh_token)
        else {
            return Err(PollError::Other("the token has no refresh token".into()));
        };
        let result = self
            .client
            .create_token()
            .grant_type("refresh_token")
            .client_id(id)
            .client_secret(secret.expose())
            .refresh_token(refresh.expose())
            .send()
            .await;
        grant(result, self)
    }
}

type CreateTokenResult = Result<
    aws_sdk_ssooidc::operation::create_token::CreateTokenOutput,
    aws_sdk_ssooidc::error::SdkError<aws_sdk_ssooidc::operation::create_token::CreateTokenError>,
>;

fn grant(result: CreateTokenResult, oidc: &Oidc) -> Result<Grant, PollError> {
    match result {
        Ok(out) => Ok(Grant {
            access_token: Secret::new(out.access_token().unwrap_or_default()),
            expires_in: seconds(out.expires_in()),
            refresh_token: out.refresh_token().map(Secret::new),
        }),
        Err(err) => Err(match err.as_service_error() {
            Some(e) if e.is_authorization_pending_exception() => PollError::Pending,
            Some(e) if e.is_slow_down_exception() => PollError::SlowDown,
            Some(e) if e.is_expired_token_exception() => PollError::Expired,
            Some(e) if e.is_access_denied_exception() => PollError::Denied,
            _ => PollError::Other(oidc.failed("get a token (CreateToken)", &err)),
        }),
    }
}
