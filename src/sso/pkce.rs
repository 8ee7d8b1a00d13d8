//! The pieces of the OAuth authorization-code grant with PKCE (RFC 7636) that
//! the AWS CLI v2 (botocore's `SSOTokenFetcherAuth`) uses for sso-session
//! logins, and that `aws login` reuses for console credentials: the verifier
//! and its S256 challenge, the `state`, the loopback redirect URIs and the
//! authorize URL. Pure: randomness comes from the OS, nothing else is read.
//!
//! As botocore does it: the verifier is 64 characters from
//! `[A-Za-z0-9-._~]`; the challenge is the URL-safe base64 of its SHA-256 with
//! the one trailing `=` cut; `state` is a version-4 UUID; the client is
//! registered with the redirect URI without a port
//! (`http://127.0.0.1/oauth/callback`) and the authorize request names the one
//! with the listener's port; the query is percent-encoded with only
//! `-._~` left as they are, `code_challenge` appended last.

use sha2::{Digest, Sha256};

use crate::credential::secret::Secret;

/// The path the browser is sent back to.
pub const CALLBACK_PATH: &str = "/oauth/callback";
/// The redirect URI a client is registered with (any port on the loopback).
pub const REGISTERED_REDIRECT_URI: &str = "http://127.0.0.1/oauth/callback";
/// The grant types of a PKCE registration.
pub const GRANT_TYPES: [&str; 2] = ["authorization_code", "refresh_token"];
/// The scope asked for when the session names none.
pub const DEFAULT_SCOPE: &str = "sso:account:access";

const VERIFIER_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).expect("the operating system's random numbers");
    buf
}

/// A verifier and the challenge sent in its place.
#[derive(Clone, Debug)]
pub struct Pkce {
    /// The secret sent with CreateToken.
    pub verifier: Secret,
    /// base64url(SHA-256(verifier)) without its padding.
    pub challenge: String,
}

impl Pkce {
    /// A new random pair.
    pub fn generate() -> Pkce {
        // Rejection sampling keeps the 66 characters equally likely.
        let mut verifier = String::with_capacity(64);
        while verifier.len() < 64 {
            for b in random_bytes::<64>() {
                let b = usize::from(b);
                if b < 256 - 256 % VERIFIER_CHARS.len() && verifier.len() < 64 {
                    verifier.push(char::from(VERIFIER_CHARS[b % VERIFIER_CHARS.len()]));
                }
            }
        }
        Pkce::from_verifier(&verifier)
    }

    /// The pair for a given verifier.
    pub fn from_verifier(verifier: &str) -> Pkce {
        Pkce {
            challenge: challenge(verifier),
            verifier: Secret::new(verifier),
        }
    }
}

/// The S256 challenge of `verifier`, unpadded.
pub fn challenge(verifier: &str) -> String {
    base64url(&Sha256::digest(verifier.as_bytes()))
}

/// URL-safe base64 without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    base64_with(
        bytes,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        false,
    )
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64_std(bytes: &[u8]) -> String {
    base64_with(
        bytes,
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        true,
    )
}

fn base64_with(bytes: &[u8], abc: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(abc[(n >> (18 - 6 * i) & 63) as usize]));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes URL-safe base64 with or without padding.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = acc << 6 | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A random version-4 UUID, as Python's `str(uuid.uuid4())` writes it.
pub fn uuid4() -> String {
    let mut b = random_bytes::<16>();
    b[6] = b[6] & 0x0f | 0x40;
    b[8] = b[8] & 0x3f | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// Percent-encodes as botocore's `percent_encode` (only `A-Za-z0-9-._~` kept).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes a query component (`%XX` and `+`).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |c: u8| char::from(c).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The pairs of a query string, decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// The redirect URI for a listener on `port`.
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

/// The scopes a PKCE login asks for: the session's, else the default.
pub fn scopes(configured: &[String]) -> Vec<String> {
    if configured.is_empty() {
        vec![DEFAULT_SCOPE.to_string()]
    } else {
        configured.to_vec()
    }
}

/// The IAM Identity Center authorize URL: `{base}/authorize?` with
/// `response_type`, `client_id`, `redirect_uri`, `state`,
/// `code_challenge_method`, `scopes` (space-separated) in botocore's order,
/// then `code_challenge`.
pub fn authorize_url(
    base: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    scopes: &[String],
    challenge: &str,
) -> String {
    let pairs = [
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("state", state),
        ("code_challenge_method", "S256"),
        ("scopes", &scopes.join(" ")),
    ];
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect();
    format!(
        "{}/authorize?{}&code_challenge={challenge}",
        base.trim_end_matches('/'),
        query.join("&")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenge_is_botocores() {
        // base64.urlsafe_b64encode(hashlib.sha256(v.encode()).digest()).decode()[:-1]
        assert_eq!(
            challenge("dBjftJeZ4CK-o6hdC6-R4z8Wz_4QZZY1ZH9-Gk3rKa4"),
            "Q78MpAHXSXyVstXIuISSVleYH5DOuqtrs9W7OiYaF-g"
        );
    }

    #[test]
    fn verifiers_are_64_unreserved_characters() {
        let a = Pkce::generate();
        let b = Pkce::generate();
        assert_eq!(a.verifier.expose().len(), 64);
        assert!(
            a.verifier
                .expose()
                .bytes()
                .all(|c| VERIFIER_CHARS.contains(&c))
        );
        assert_ne!(a.verifier.expose(), b.verifier.expose());
        assert_eq!(a.challenge, challenge(a.verifier.expose()));
        assert_eq!(a.challenge.len(), 43);
        assert!(!format!("{a:?}").contains(a.verifier.expose()));
    }

    #[test]
    fn base64url_round_trips() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(base64url_decode(&base64url(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
        assert_eq!(base64url_decode("!"), None);
    }

    #[test]
    fn uuids_are_version_4() {
        let u = uuid4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(u, uuid4());
    }

    #[test]
    fn authorize_url_is_botocores() {
        // What botocore's _get_authorization_uri builds for these inputs.
        let url = authorize_url(
            "https://oidc.eu-west-1.amazonaws.com",
            "cid",
            "http://127.0.0.1:54321/oauth/callback",
            "0b8e3c9e-2f43-4f2e-9b1a-6a3d1f0c2e11",
            &[
                "sso:account:access".to_string(),
                "codewhisperer:x".to_string(),
            ],
            "Q78MpAHXSXyVstXIuISSVleYH5DOuqtrs9W7OiYaF-g",
        );
        assert_eq!(
            url,
            "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=cid\
             &redirect_uri=http%3A%2F%2F127.0.0.1%3A54321%2Foauth%2Fcallback\
             &state=0b8e3c9e-2f43-4f2e-9b1a-6a3d1f0c2e11&code_challenge_method=S256\
             &scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Ax\
             &code_challenge=Q78MpAHXSXyVstXIuISSVleYH5DOuqtrs9W7OiYaF-g"
        );
    }

    #[test]
    fn queries_decode() {
        assert_eq!(
            query_pairs("code=a%2Fb+c&state=x&bad=%zz&tail=%4"),
            vec![
                ("code".into(), "a/b c".into()),
                ("state".into(), "x".into()),
                ("bad".into(), "%zz".into()),
                ("tail".into(), "%4".into()),
            ]
        );
        assert_eq!(scopes(&[]), vec![DEFAULT_SCOPE.to_string()]);
    }
}
