//! Obtaining credentials and region for a profile through aws-config.
//!
//! rolecall does not re-implement the SDKs' providers: it hands aws-config the
//! files it shows and the profile's name and asks for credentials, so static
//! keys, assume-role chains (`source_profile`, `credential_source`), web
//! identity, `credential_process` and SSO (legacy and sso-session, with token
//! refresh) behave exactly as in every AWS SDK. Only the profile provider is
//! used, never the default chain: keys in rolecall's own environment must not
//! stand in for the profile asked for. Errors say which profile's link failed.

use std::path::PathBuf;
use std::time::SystemTime;

use aws_config::BehaviorVersion;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_types::region::Region;

use super::secret::Credentials;

/// Which profile, from which files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The profile.
    pub profile: String,
    /// The config file.
    pub config: PathBuf,
    /// The credentials file.
    pub credentials: PathBuf,
}

/// Why credentials could not be obtained.
#[derive(Debug, thiserror::Error)]
#[error("cannot get credentials for profile '{profile}'{chain}: {message}")]
pub struct ObtainError {
    /// The profile asked for.
    pub profile: String,
    /// ` (chain: base (keys) → dev)`, when the chain is known.
    pub chain: String,
    /// What aws-config said, with its causes.
    pub message: String,
}

/// The HTTP client every AWS call goes through: hyper with rustls and ring.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https()
}

/// The request's files that exist: aws-config refuses a file it was named
/// explicitly and cannot read, where the SDKs skip a missing default file.
pub fn files(req: &Request) -> EnvConfigFiles {
    let mut b = EnvConfigFiles::builder();
    let mut any = false;
    for (kind, path) in [
        (EnvConfigFileKind::Config, &req.config),
        (EnvConfigFileKind::Credentials, &req.credentials),
    ] {
        if path.exists() {
            b = b.with_file(kind, path);
            any = true;
        }
    }
    if !any {
        // The set may not be empty: name the config file (aws-config says it is missing).
        b = b.with_file(EnvConfigFileKind::Config, &req.config);
    }
    b.build()
}

/// The profile's region (from the files only), as aws-config reads it.
pub async fn region(req: &Request) -> Option<String> {
    let provider = ProfileFileRegionProvider::builder()
        .profile_name(&req.profile)
        .profile_files(files(req))
        .build();
    use aws_config::meta::region::ProvideRegion;
    provider.region().await.map(|r| r.to_string())
}

/// An SDK configuration that signs with `keys`, for the request's profile
/// region, endpoint settings and files.
pub async fn config(req: &Request, keys: &super::secret::Credentials) -> aws_config::SdkConfig {
    let region = region(req).await.unwrap_or_else(|| "us-east-1".to_string());
    let provider = aws_credential_types::Credentials::new(
        keys.access_key_id.clone(),
        keys.secret_access_key().to_string(),
        keys.session_token().map(str::to_string),
        keys.expires,
        "rolecall",
    );
    let files = files(req);
    aws_config::defaults(BehaviorVersion::latest())
        .credentials_provider(provider)
        .http_client(http_client())
        .region(Region::new(region))
        .profile_files(files)
        .profile_name(&req.profile)
        .load()
        .await
}

/// Credentials for the profile, freshly obtained by aws-config.
pub async fn obtain(req: &Request, chain: &str) -> Result<Credentials, ObtainError> {
    let region = region(req).await.unwrap_or_else(|| "us-east-1".to_string());
    let provider_config = ProviderConfig::default()
        .with_http_client(http_client())
        .with_region(Some(Region::new(region)))
        .with_behavior_version(Some(BehaviorVersion::latest()));
    let provider = ProfileFileCredentialsProvider::builder()
        .configure(&provider_config)
        .profile_name(&req.profile)
        .profile_files(files(req))
        .build();
    match provider.provide_credentials().await {
        Ok(c) => Ok(Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            c.session_token(),
            c.expiry(),
        )),
        Err(err) => Err(ObtainError {
            profile: req.profile.clone(),
            chain: if chain.is_empty() {
                String::new()
            } else {
                format!(" (chain: {chain})")
            },
            message: aws_smithy_types::error::display::DisplayErrorContext(&err).to_string(),
        }),
    }
}

/// Runs `future` on a small current-thread runtime (the CLI's commands are
/// otherwise synchronous).
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// Whether `expires` is at least `margin` away from `now`.
pub fn fresh_enough(
    expires: Option<SystemTime>,
    now: SystemTime,
    margin: std::time::Duration,
) -> bool {
    match expires {
        None => true,
        Some(t) => t.duration_since(now).is_ok_and(|left| left >= margin),
    }
}
