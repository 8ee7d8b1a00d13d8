//! The console-credentials login, as the AWS CLI's `aws login` does it on the
//! same device (awscli/customizations/login/utils.py,
//! `SameDeviceLoginTokenFetcher`):
//!
//! 1. a new DPoP key, a PKCE verifier (its S256 challenge sent with
//!    `code_challenge_method=SHA-256`), a UUID `state`, and the one-shot
//!    loopback listener ([`crate::sso::callback`]);
//! 2. the browser opened on `{endpoint}/v1/authorize` with `response_type=code`,
//!    `client_id=arn:aws:signin:::devtools/same-device`, `state`,
//!    `code_challenge_method`, `scope=openid`, `redirect_uri`, then
//!    `code_challenge`;
//! 3. CreateOAuth2Token (`POST /v1/token`, body `tokenInput` with `clientId`,
//!    `grantType=authorization_code`, `code`, `codeVerifier`, `redirectUri`)
//!    with a DPoP proof in the `DPoP` header;
//! 4. the session is the `sub` of the answer's ID token, its account the ARN's
//!    fifth field; the cache file gets the credentials, the refresh token and
//!    the key (see [`super::cache`]).
//!
//! The endpoint is the sign-in client's, so `AWS_ENDPOINT_URL_SIGNIN` and
//! `endpoint_url` settings apply as they do for the SDKs' refresh.

use std::time::{Duration, SystemTime};

use aws_sdk_signin::Client;
use aws_sdk_signin::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
use aws_sdk_signin::types::CreateOAuth2TokenRequestBody;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_types::SdkConfig;

use crate::credential::secret::Secret;
use crate::sso::callback::{CallbackError, Listener};
use crate::sso::pkce::{self, Pkce, base64url_decode, percent_encode};

use super::cache::LoginToken;
use super::dpop::Key;

/// The client id of a login on this device.
pub const SAME_DEVICE: &str = "arn:aws:signin:::devtools/same-device";
/// How long the listener waits for the browser.
pub const CALLBACK_TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// Why a login failed.
#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    /// The user cancelled.
    #[error("the login was cancelled")]
    Cancelled,
    /// Nobody came back in time.
    #[error("the browser did not come back within 10 minutes; run the login again")]
    Expired,
    /// The browser could not be started.
    #[error("could not open a browser ({0})")]
    Browser(String),
    /// A call or the listener failed.
    #[error("{0}")]
    Service(String),
}

/// Adds a DPoP proof for the request's final URL.
#[derive(Debug)]
struct Dpop(Key);

impl Intercept for Dpop {
    fn name(&self) -> &'static str {
        "DPoP"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let url = context.request().uri().to_string();
        let proof = self.0.proof(&url, crate::clock::now());
        context.request_mut().headers_mut().insert("DPoP", proof);
        Ok(())
    }
}

/// A sign-in client whose token calls carry proofs of `key`.
fn client(sdk: &SdkConfig, key: &Key) -> Client {
    let config = aws_sdk_signin::config::Builder::from(sdk)
        .interceptor(Dpop(key.clone()))
        .build();
    Client::from_conf(config)
}

/// The scheme and host of the sign-in endpoint for `sdk` (its region and
/// endpoint settings), which `/v1/authorize` and `/v1/token` are under.
pub async fn base_url(sdk: &SdkConfig) -> Result<String, String> {
    let configured = sdk
        .service_config()
        .and_then(|c| {
            c.load_config(
                aws_types::service_config::ServiceConfigKey::builder()
                    .service_id("Signin")
                    .env("AWS_ENDPOINT_URL")
                    .profile("endpoint_url")
                    .build()
                    .ok()?,
            )
        })
        .or_else(|| sdk.endpoint_url().map(str::to_string));
    let url = match configured {
        Some(url) => url,
        None => {
            let params = Params::builder()
                .set_region(sdk.region().map(|r| r.to_string()))
                .set_use_fips(sdk.use_fips())
                .set_use_dual_stack(sdk.use_dual_stack())
                .is_control_plane(false)
                .build()
                .map_err(|e| format!("cannot resolve the sign-in endpoint: {e}"))?;
            DefaultResolver::new()
                .resolve_endpoint(&params)
                .await
                .map_err(|e| format!("cannot resolve the sign-in endpoint: {e}"))?
                .url()
                .to_string()
        }
    };
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url.as_str()));
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    Ok(format!("{scheme}://{host}"))
}

/// The authorize URL, parameters in the AWS CLI's order.
pub fn authorize_url(
    base: &str,
    client_id: &str,
    state: &str,
    challenge: &str,
    redirect_uri: &str,
) -> String {
    let pairs = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("state", state),
        ("code_challenge_method", "SHA-256"),
        ("scope", "openid"),
        ("redirect_uri", redirect_uri),
    ];
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect();
    format!(
        "{}/v1/authorize?{}&code_challenge={challenge}",
        base.trim_end_matches('/'),
        query.join("&")
    )
}

/// The `sub` claim of a JWT (the login session's ARN).
pub fn subject(id_token: &str) -> Option<String> {
    let mut parts = id_token.split('.');
    let payload = parts.nth(1)?;
    let claims: serde_json::Value = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    claims.get("sub")?.as_str().map(str::to_string)
}

/// The account id in an ARN (`arn:aws:iam::123456789012:user/x`).
pub fn account_of(arn: &str) -> Option<String> {
    arn.split(':')
        .nth(4)
        .filter(|a| !a.is_empty())
        .map(str::to_string)
}

fn describe<E: std::error::Error>(e: &E) -> String {
    DisplayErrorContext(e).to_string()
}

/// What a login needs from its caller.
pub trait Ui {
    /// The page the browser was opened on.
    fn show(&mut self, url: &str);
}

/// Runs the login (see the module docs): `open` starts the browser on a URL.
/// Returns the session ARN and the token to cache.
pub async fn login(
    sdk: &SdkConfig,
    open: &dyn Fn(&str) -> Result<(), String>,
    ui: &mut dyn Ui,
    cancel: impl Future<Output = ()>,
) -> Result<(String, LoginToken), SigninError> {
    let service = SigninError::Service;
    let key = Key::generate();
    let codes = Pkce::generate();
    let state = pkce::uuid4();
    let listener = Listener::bind()
        .await
        .map_err(|e| service(format!("cannot listen on 127.0.0.1 for the browser: {e}")))?;
    let redirect_uri = pkce::redirect_uri(listener.port());
    let base = base_url(sdk).await.map_err(service)?;
    let url = authorize_url(&base, SAME_DEVICE, &state, &codes.challenge, &redirect_uri);
    open(&url).map_err(SigninError::Browser)?;
    ui.show(&url);
    let code = tokio::select! {
        r = tokio::time::timeout(CALLBACK_TIMEOUT, listener.code(&state)) => match r {
            Err(_) => return Err(SigninError::Expired),
            Ok(Err(CallbackError::Refused(why))) => {
                return Err(service(format!("the sign-in page answered {why}")));
            }
            Ok(Err(e)) => return Err(service(e.to_string())),
            Ok(Ok(code)) => code,
        },
        () = cancel => return Err(SigninError::Cancelled),
    };
    let body = CreateOAuth2TokenRequestBody::builder()
        .client_id(SAME_DEVICE)
        .grant_type("authorization_code")
        .code(code)
        .code_verifier(codes.verifier.expose())
        .redirect_uri(&redirect_uri)
        .build()
        .map_err(|e| service(e.to_string()))?;
    let out = client(sdk, &key)
        .create_o_auth2_token()
        .token_input(body)
        .send()
        .await
        .map_err(|e| service(format!("CreateOAuth2Token failed: {}", describe(&e))))?;
    let out = out
        .token_output
        .ok_or_else(|| service("the sign-in service answered without a token".into()))?;
    let id_token = out
        .id_token()
        .ok_or_else(|| service("the sign-in service answered without an ID token".into()))?;
    let session = subject(id_token)
        .ok_or_else(|| service("the ID token names no session (no sub claim)".into()))?;
    let account_id = account_of(&session)
        .ok_or_else(|| service(format!("the session '{session}' is not an ARN")))?;
    let access = out
        .access_token()
        .ok_or_else(|| service("the sign-in service answered without credentials".into()))?;
    let token = LoginToken {
        access_key_id: access.access_key_id().to_string(),
        secret_access_key: Secret::new(access.secret_access_key()),
        session_token: Secret::new(access.session_token()),
        account_id,
        expires_at: whole_seconds(crate::clock::now())
            + Duration::from_secs(u64::try_from(out.expires_in()).unwrap_or(0)),
        token_type: Some(out.token_type().to_string()),
        client_id: SAME_DEVICE.to_string(),
        refresh_token: Secret::new(out.refresh_token()),
        id_token: Some(Secret::new(id_token)),
        dpop_key: Secret::new(key.to_pem()),
    };
    Ok((session, token))
}

fn whole_seconds(t: SystemTime) -> SystemTime {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_is_the_clis() {
        assert_eq!(
            authorize_url(
                "https://eu-west-1.signin.aws.amazon.com",
                SAME_DEVICE,
                "st",
                "ch",
                "http://127.0.0.1:4000/oauth/callback"
            ),
            "https://eu-west-1.signin.aws.amazon.com/v1/authorize?response_type=code\
             &client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fsame-device&state=st\
             &code_challenge_method=SHA-256&scope=openid\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A4000%2Foauth%2Fcallback&code_challenge=ch"
        );
    }

    #[test]
    fn sessions_and_accounts_from_the_id_token() {
        let payload = pkce::base64url(br#"{"sub":"arn:aws:iam::123456789012:user/alice"}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(
            subject(&jwt).as_deref(),
            Some("arn:aws:iam::123456789012:user/alice")
        );
        assert_eq!(
            account_of("arn:aws:iam::123456789012:user/alice").as_deref(),
            Some("123456789012")
        );
        assert_eq!(subject("not-a-jwt"), None);
        assert_eq!(account_of("alice"), None);
    }

    #[tokio::test]
    async fn the_default_endpoint_is_regional() {
        let sdk = SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-west-1"))
            .behavior_version(aws_config::BehaviorVersion::latest())
            .build();
        let base = base_url(&sdk).await.unwrap();
        assert!(
            base.starts_with("https://") && base.contains("eu-west-1"),
            "{base}"
        );
    }
}
