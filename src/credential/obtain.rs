//! Obtaining credentials and region for a profile through aws-config.
//!
//! rolecall does not re-implement the SDKs' providers: it hands aws-config the
//! files it shows and the profile's name and asks for credentials, so static
//! keys, assume-role chains (`source_profile`, `credential_source`), web
//! identity, `credential_process` and SSO (legacy and sso-session, with token
//! refresh) behave exactly as in every AWS SDK. Only the profile provider is
//! used, never the default chain: keys in rolecall's own environment must not
//! stand in for the profile asked for. Errors say which profile's link failed.
//! A [`Fetcher`] says where the calls run: a runtime and HTTPS client of
//! their own (one command, one fetch) or one shared by a fan-out's fetches.

use std::path::PathBuf;
use std::time::SystemTime;

use aws_config::BehaviorVersion;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_smithy_http_client::tls;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::connector_metadata::ConnectorMetadata;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnectorSettings, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
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
    /// The files' sections that bear on the profile, as read a moment ago,
    /// handed to aws-config instead of the files (see [`crate::profile::extract`]);
    /// `None`: aws-config reads the files.
    pub extract: Option<std::sync::Arc<crate::profile::extract::Extract>>,
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
/// The system's root certificates are loaded once per client, when its first
/// connection is made (see [`CertsOnFirstUse`]).
pub fn http_client() -> SharedHttpClient {
    SharedHttpClient::new(CertsOnFirstUse(
        aws_smithy_http_client::Builder::new()
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .build_https(),
    ))
}

/// A client that skips the eager check every SDK client makes of its HTTP
/// client when built. smithy's hyper client answers that check by building a
/// throwaway connector, which reads and parses every root certificate of the
/// system, and keeps nothing; a fan-out builds an SSO client per profile, so
/// that was the largest cost left per fetch (docs/PERFORMANCE.md). The
/// connector each request uses is built, with the certificates, on first use
/// and kept, as before; a missing certificate store fails that request.
#[derive(Debug)]
struct CertsOnFirstUse(SharedHttpClient);

impl HttpClient for CertsOnFirstUse {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.0.http_connector(settings, components)
    }

    fn validate_final_config(
        &self,
        components: &RuntimeComponents,
        cfg: &ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.validate_final_config(components, cfg)
    }

    fn connector_metadata(&self) -> Option<ConnectorMetadata> {
        self.0.connector_metadata()
    }
}

/// Where fetches run and which HTTPS client they use. The default makes a
/// small runtime and a client per call: a command fetches once. A fan-out
/// fetches hundreds of profiles' credentials at once, and a client per fetch
/// loads the system's root certificates each time (a large share of a
/// fetch's CPU, see docs/PERFORMANCE.md); [`Fetcher::on`] shares one client, its TLS
/// configuration and its pooled connections, on one multi-thread runtime
/// that outlives every fetch (hyper's connections belong to the runtime that
/// opened them, so the client never outlives it).
#[derive(Clone, Default)]
pub struct Fetcher {
    shared: Option<std::sync::Arc<Shared>>,
}

struct Shared {
    runtime: tokio::runtime::Handle,
    client: SharedHttpClient,
}

impl Fetcher {
    /// Fetches on `runtime`, which must be a multi-thread runtime (its
    /// workers drive the connections while callers block), from any thread
    /// outside its workers, including its blocking pool.
    pub fn on(runtime: tokio::runtime::Handle) -> Fetcher {
        Fetcher {
            shared: Some(std::sync::Arc::new(Shared {
                runtime,
                client: http_client(),
            })),
        }
    }

    /// Runs `future` to completion on this fetcher's runtime.
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        match &self.shared {
            Some(s) => s.runtime.block_on(future),
            None => block_on(future),
        }
    }

    /// The HTTPS client for a call run by [`Fetcher::block_on`].
    pub fn http_client(&self) -> SharedHttpClient {
        match &self.shared {
            Some(s) => s.client.clone(),
            None => http_client(),
        }
    }
}

/// The request's extract, or its files that exist: aws-config refuses a file
/// it was named explicitly and cannot read, where the SDKs skip a missing
/// default file.
pub fn files(req: &Request) -> EnvConfigFiles {
    let mut b = EnvConfigFiles::builder();
    if let Some(e) = &req.extract {
        return b
            .with_contents(EnvConfigFileKind::Config, e.config.as_str())
            .with_contents(EnvConfigFileKind::Credentials, e.credentials.as_str())
            .build();
    }
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
/// region, endpoint settings and files, calling through `client`.
pub async fn config(
    req: &Request,
    keys: &super::secret::Credentials,
    client: SharedHttpClient,
) -> aws_config::SdkConfig {
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
        .http_client(client)
        .region(Region::new(region))
        .profile_files(files)
        .profile_name(&req.profile)
        .load()
        .await
}

/// Credentials for the profile, freshly obtained by aws-config through `client`.
pub async fn obtain(
    req: &Request,
    chain: &str,
    client: SharedHttpClient,
) -> Result<Credentials, ObtainError> {
    let region = region(req).await.unwrap_or_else(|| "us-east-1".to_string());
    let provider_config = ProviderConfig::default()
        .with_http_client(client)
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
            message: login_hint(&req.profile, super::sdk_error::describe(&err, None)),
        }),
    }
}

/// A console-credentials (`login_session`) failure as a sentence with its fix;
/// other messages unchanged.
fn login_hint(profile: &str, message: String) -> String {
    const MARK: &str = "Login token: ";
    let Some(at) = message.find(MARK) else {
        return message;
    };
    // aws-config's own sentence, without the causes' debug dump.
    let said = message[at + MARK.len()..]
        .split(" (")
        .next()
        .unwrap_or_default()
        .split(": ")
        .next()
        .unwrap_or_default();
    format!(
        "the console credentials could not be refreshed ({said}): log in again with `rolecall login {profile}` (or `aws login --profile {profile}`)"
    )
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

#[cfg(test)]
mod fetcher_tests {
    use super::Fetcher;
    use std::time::Duration;

    /// A shared fetcher blocks on its runtime from a plain thread (a fan-out's
    /// fetchers) and from that runtime's blocking pool (the endpoint's
    /// refreshes), timers and all.
    #[test]
    fn a_shared_fetcher_runs_from_plain_threads_and_the_blocking_pool() {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let fetcher = Fetcher::on(runtime.handle().clone());
        let slept = |f: &Fetcher| {
            f.block_on(async {
                tokio::time::sleep(Duration::from_millis(5)).await;
                tokio::spawn(async { 7 }).await.unwrap()
            })
        };
        let f = fetcher.clone();
        assert_eq!(std::thread::spawn(move || slept(&f)).join().unwrap(), 7);
        let f = fetcher.clone();
        let from_pool = runtime.block_on(async move {
            tokio::task::spawn_blocking(move || slept(&f))
                .await
                .unwrap()
        });
        assert_eq!(from_pool, 7);
        assert_eq!(
            slept(&Fetcher::default()),
            7,
            "the default: a runtime per call"
        );
    }
}

#[cfg(test)]
mod login_hint_tests {
    #[test]
    fn login_failures_become_a_sentence_with_the_fix() {
        let raw = "an error occurred while loading credentials: failed to refresh cached Login token: Your session has expired. Please reauthenticate.: AccessDeniedException: x (ProviderError(..))";
        assert_eq!(
            super::login_hint("dev", raw.to_string()),
            "the console credentials could not be refreshed (Your session has expired. Please reauthenticate.): log in again with `rolecall login dev` (or `aws login --profile dev`)"
        );
        assert_eq!(super::login_hint("dev", "other".into()), "other");
    }
}
