//! The DPoP key of a console-credentials login (RFC 9449), as the AWS CLI's
//! `aws login` makes and keeps it: a P-256 key written as a SEC1
//! `EC PRIVATE KEY` PEM with 64-character lines, and proofs for each token
//! call: a JWT with header `{"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC",
//! "x","y","crv":"P-256"}}` and claims `htm` POST, `htu` the call's URL, `iat`
//! and a fresh `jti`, signed with ES256 (r‖s, 64 bytes). The key never appears
//! in `Debug` output.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use p256::SecretKey;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;

use crate::sso::pkce::{base64_std, base64url, random_bytes, uuid4};

/// A DPoP key.
#[derive(Clone)]
pub struct Key(SecretKey);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(** redacted **)")
    }
}

impl Key {
    /// A new random key.
    pub fn generate() -> Key {
        loop {
            // Out-of-range scalars (about 1 in 2^32) are drawn again.
            if let Ok(k) = SecretKey::from_slice(&random_bytes::<32>()) {
                return Key(k);
            }
        }
    }

    /// Reads a SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`).
    pub fn from_pem(pem: &str) -> Option<Key> {
        SecretKey::from_sec1_pem(pem).ok().map(Key)
    }

    /// The PEM as the AWS CLI writes it (awscrt's SEC1 export: the private
    /// key, the curve's OID and the public key; base64 in 64-character lines,
    /// a final newline).
    pub fn to_pem(&self) -> String {
        let point = self.0.public_key().to_encoded_point(false);
        let mut der = vec![0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20];
        der.extend_from_slice(&self.0.to_bytes());
        // [0] namedCurve prime256v1 (1.2.840.10045.3.1.7)
        der.extend_from_slice(&[
            0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
        ]);
        // [1] the public key, uncompressed
        der.extend_from_slice(&[0xa1, 0x44, 0x03, 0x42, 0x00]);
        der.extend_from_slice(point.as_bytes());
        let b64 = base64_std(&der);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).expect("base64 is ASCII"))
            .collect();
        format!(
            "-----BEGIN EC PRIVATE KEY-----\n{}\n-----END EC PRIVATE KEY-----\n",
            lines.join("\n")
        )
    }

    /// The public key's coordinates, base64url without padding.
    pub fn public_xy(&self) -> (String, String) {
        let point = self.0.public_key().to_encoded_point(false);
        (
            base64url(point.x().expect("an uncompressed point")),
            base64url(point.y().expect("an uncompressed point")),
        )
    }

    /// A proof for `POST url` at `now` with a random `jti`.
    pub fn proof(&self, url: &str, now: SystemTime) -> String {
        self.proof_with(
            url,
            now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            &uuid4(),
        )
    }

    /// A proof with given claims.
    pub fn proof_with(&self, url: &str, iat: u64, jti: &str) -> String {
        let (x, y) = self.public_xy();
        let header = serde_json::json!({
            "typ": "dpop+jwt",
            "alg": "ES256",
            "jwk": {"kty": "EC", "x": x, "y": y, "crv": "P-256"},
        });
        let claims = serde_json::json!({"htm": "POST", "htu": url, "iat": iat, "jti": jti});
        let input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(claims.to_string().as_bytes())
        );
        let signature: Signature = SigningKey::from(&self.0).sign(input.as_bytes());
        format!("{input}.{}", base64url(&signature.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sso::pkce::base64url_decode;
    use p256::ecdsa::VerifyingKey;
    use p256::ecdsa::signature::Verifier;

    /// aws-config's test key, with the coordinates its tests expect.
    const TEST_KEY: &str = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBMB/RwQERsVoqWRQG4zK8CnaAa5dfrpbm+9tFdBh3z4oAoGCCqGSM49\nAwEHoUQDQgAEWb1VLi1EA2hJaTz4yYuxSELvY+1GAfL+8rUTCAdiFid87Bf6GY+s\n2+1RpqDv0RpZiDIMCrZrsAh+RK9S3QCaGA==\n-----END EC PRIVATE KEY-----\n";

    #[test]
    fn reads_and_writes_the_clis_pem() {
        let key = Key::from_pem(TEST_KEY).unwrap();
        assert_eq!(key.to_pem(), TEST_KEY);
        assert_eq!(
            key.public_xy(),
            (
                "Wb1VLi1EA2hJaTz4yYuxSELvY-1GAfL-8rUTCAdiFic".to_string(),
                "fOwX-hmPrNvtUaag79EaWYgyDAq2a7AIfkSvUt0Amhg".to_string()
            )
        );
        let fresh = Key::generate();
        let pem = fresh.to_pem();
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"), "{pem}");
        assert!(pem.lines().all(|l| l.len() <= 64));
        assert_eq!(Key::from_pem(&pem).unwrap().public_xy(), fresh.public_xy());
        assert!(!format!("{fresh:?}").contains(&pem[40..60]));
    }

    #[test]
    fn proofs_verify_with_the_jwk() {
        let key = Key::from_pem(TEST_KEY).unwrap();
        let proof = key.proof_with(
            "https://eu-west-1.signin.aws.amazon.com/v1/token",
            1_700_000_000,
            "j-1",
        );
        let parts: Vec<&str> = proof.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value =
            serde_json::from_slice(&base64url_decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(
            header["jwk"]["x"],
            "Wb1VLi1EA2hJaTz4yYuxSELvY-1GAfL-8rUTCAdiFic"
        );
        let claims: serde_json::Value =
            serde_json::from_slice(&base64url_decode(parts[1]).unwrap()).unwrap();
        assert_eq!(
            claims["htu"],
            "https://eu-west-1.signin.aws.amazon.com/v1/token"
        );
        assert_eq!(claims["htm"], "POST");
        assert_eq!(claims["iat"], 1_700_000_000);
        assert_eq!(claims["jti"], "j-1");
        let sig = Signature::from_slice(&base64url_decode(parts[2]).unwrap()).unwrap();
        let verifying = VerifyingKey::from(&SigningKey::from(&key.0));
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(verifying.verify(input.as_bytes(), &sig).is_ok());
        assert!(verifying.verify(b"something else", &sig).is_err());
    }
}
