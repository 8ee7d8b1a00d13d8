//! One sentence for an error from the AWS SDKs (a credential provider, a
//! dispatch failure, a service's answer), in one place: the cause in words
//! (DNS lookup failed, connection refused, no answer in time, the service's
//! code and message), never the Rust `Debug` text the SDKs' errors carry.
//! With `--debug` (or `RUST_LOG` set) the whole chain of sources follows.

use std::error::Error;
use std::sync::atomic::{AtomicBool, Ordering};

static DEBUG: AtomicBool = AtomicBool::new(false);

/// Shows the chain of sources after each sentence (`--debug`, `RUST_LOG`).
pub fn set_debug(on: bool) {
    DEBUG.store(on, Ordering::Relaxed);
}

/// Whether `--debug` is on.
pub fn debug() -> bool {
    DEBUG.load(Ordering::Relaxed)
}

/// Texts of wrappers that say nothing about the cause.
const WRAPPERS: &[&str] = &[
    "dispatch failure",
    "service error",
    "response error",
    "construction failure",
    "unhandled error",
    "io error",
    "other",
    "client error (Connect)",
    "client error (SendRequest)",
    "an error occurred while loading credentials",
    "the credential provider was not enabled",
    "the credentials provider was not properly configured",
];

/// What went wrong on the way to a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Network {
    /// The host name did not resolve.
    Dns,
    /// Nothing listens there.
    Refused,
    /// No answer in time.
    Timeout,
}

fn levels<'a>(err: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut out = vec![err];
    let mut at = err;
    while let Some(next) = at.source() {
        out.push(next);
        at = next;
    }
    out
}

/// The network failure behind `err`, if that is what it is.
pub fn network(err: &(dyn Error + 'static)) -> Option<Network> {
    let all = levels(err);
    let text = |needle: &str| all.iter().any(|e| e.to_string().contains(needle));
    if text("dns error") || text("failed to lookup address") {
        return Some(Network::Dns);
    }
    let io_kind = all
        .iter()
        .find_map(|e| e.downcast_ref::<std::io::Error>())
        .map(|e| e.kind());
    match io_kind {
        Some(std::io::ErrorKind::ConnectionRefused) => return Some(Network::Refused),
        Some(std::io::ErrorKind::TimedOut) => return Some(Network::Timeout),
        _ => {}
    }
    if text("Connection refused") {
        Some(Network::Refused)
    } else if text("timed out") || text("timeout") {
        Some(Network::Timeout)
    } else {
        None
    }
}

/// The cause of `err` in words, no `Debug` text: the texts of its chain,
/// without generic wrappers and repeats. `host` names where the call went,
/// for network failures.
pub fn describe(err: &(dyn Error + 'static), host: Option<&str>) -> String {
    let at = host.map(|h| format!(" for {h}")).unwrap_or_default();
    let to = host.map(|h| format!(" by {h}")).unwrap_or_default();
    let sentence = match network(err) {
        Some(Network::Dns) => {
            format!("DNS lookup failed{at} (no network, or a wrong host name or region)")
        }
        Some(Network::Refused) => format!("the connection was refused{to} (nothing listens there)"),
        Some(Network::Timeout) => format!(
            "no answer{} in time (no network, or a proxy or firewall in the way)",
            host.map(|h| format!(" from {h}")).unwrap_or_default()
        ),
        None => words(err),
    };
    if debug() {
        format!("{sentence}{}", chain(err))
    } else {
        sentence
    }
}

/// One level's text: a service's error metadata (whose `Display` is the
/// `Error { code: .., message: .. }` of `Debug`) as its message and code.
fn level_text(e: &(dyn Error + 'static)) -> String {
    use aws_smithy_types::error::ErrorMetadata;
    match e.downcast_ref::<ErrorMetadata>() {
        Some(meta) => {
            let message = meta.message().map(str::trim).unwrap_or_default();
            match (meta.code(), message.is_empty()) {
                (Some(code), false) => format!("{} ({code})", message.trim_end_matches('.')),
                (Some(code), true) => format!("the service answered {code}"),
                (None, false) => message.trim_end_matches('.').to_string(),
                (None, true) => String::new(),
            }
        }
        None => strip_debug(&e.to_string()),
    }
}

/// The distinct texts of `err`'s chain, joined with `: `.
fn words(err: &(dyn Error + 'static)) -> String {
    let mut kept: Vec<String> = Vec::new();
    for e in levels(err) {
        let text = level_text(e);
        // "unhandled error (AccessDenied)": the code, which the metadata
        // below it says again with the message.
        let wrapper = text.starts_with("unhandled error (") && e.source().is_some();
        if text.is_empty() || wrapper || WRAPPERS.contains(&text.as_str()) {
            continue;
        }
        if kept.iter().any(|k| k.contains(&text)) {
            continue;
        }
        kept.retain(|k| !text.contains(k.as_str()));
        kept.push(text);
    }
    if kept.is_empty() {
        return "the AWS SDK gave no reason".to_string();
    }
    kept.join(": ")
}

/// Cuts a trailing ` (Variant(Variant { ... }))` that some SDK errors add to
/// their text, and an `Error { ... }`-shaped remainder.
fn strip_debug(text: &str) -> String {
    let t = text.trim();
    let cut = [
        "(ProviderError(",
        "(CredentialsNotLoaded(",
        "(InvalidConfiguration(",
        "(DispatchFailure(",
        "(ServiceError(",
        "(Unhandled(",
        "(TimeoutError(",
        "(ResponseError(",
        "(ConstructionFailure(",
    ]
    .iter()
    .filter_map(|m| t.find(m))
    .min();
    let t = match cut {
        Some(i) => &t[..i],
        None => t,
    };
    t.trim().trim_end_matches(':').trim().to_string()
}

/// The chain of sources, one per line, for `--debug`.
pub fn chain(err: &(dyn Error + 'static)) -> String {
    let mut out = String::new();
    for (i, e) in levels(err).iter().enumerate() {
        out.push_str(&format!("\n  [{i}] {e}"));
    }
    out.push_str(&format!("\n  debug: {err:?}"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrap(&'static str, Option<Box<dyn Error + 'static>>);
    impl std::fmt::Display for Wrap {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl Error for Wrap {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref()
        }
    }

    #[test]
    fn a_services_refusal_is_its_message_and_code() {
        use aws_smithy_types::error::ErrorMetadata;
        let meta = ErrorMetadata::builder()
            .code("AccessDenied")
            .message("MultiFactorAuthentication failed with invalid MFA one time pass code. ")
            .build();
        let err = Wrap(
            "service error",
            Some(Box::new(Wrap(
                "unhandled error (AccessDenied)",
                Some(Box::new(meta)),
            ))),
        );
        assert_eq!(
            describe(&err, None),
            "MultiFactorAuthentication failed with invalid MFA one time pass code (AccessDenied)"
        );
    }

    #[test]
    fn network_causes_become_words() {
        let refused = Wrap(
            "dispatch failure",
            Some(Box::new(Wrap(
                "io error",
                Some(Box::new(std::io::Error::from(
                    std::io::ErrorKind::ConnectionRefused,
                ))),
            ))),
        );
        assert_eq!(
            describe(&refused, Some("127.0.0.1:9")),
            "the connection was refused by 127.0.0.1:9 (nothing listens there)"
        );
        let dns = Wrap("dispatch failure", Some(Box::new(Wrap("dns error", None))));
        assert!(
            describe(&dns, Some("oidc.eu-west-1.amazonaws.com"))
                .starts_with("DNS lookup failed for oidc.eu-west-1.amazonaws.com")
        );
    }

    #[test]
    fn service_errors_keep_code_and_message_and_lose_debug_text() {
        let e = Wrap(
            "service error",
            Some(Box::new(Wrap(
                "InvalidClientTokenId: The security token included in the request is invalid. (ServiceError(ServiceError { source: x }))",
                None,
            ))),
        );
        let s = describe(&e, None);
        assert_eq!(
            s,
            "InvalidClientTokenId: The security token included in the request is invalid."
        );
        let nested = Wrap(
            "an error occurred while loading credentials",
            Some(Box::new(Wrap(
                "the credential provider was not enabled",
                Some(Box::new(Wrap("environment variable not set", None))),
            ))),
        );
        assert_eq!(describe(&nested, None), "environment variable not set");
    }
}
