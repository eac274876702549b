//! Hashes and signatures: SHA-256 of API keys, constant-time comparison, and
//! Stripe's `Stripe-Signature` scheme (`t=<unix>,v1=<hex HMAC-SHA256(secret, "t.body")>`).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Equality whose time does not depend on where the inputs differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Stripe's default tolerance between the signed timestamp and now.
pub const STRIPE_TOLERANCE_SECS: i64 = 300;

#[derive(Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// No `t=` or no `v1=` in the header.
    Malformed,
    /// The timestamp is outside the tolerance (a replay, or a wrong clock).
    Stale,
    /// No `v1` signature matches the body with this secret.
    Mismatch,
}

/// Verifies a `Stripe-Signature` header over the raw body.
pub fn verify_stripe_signature(
    header: &str,
    body: &[u8],
    secret: &str,
    now_secs: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", sig)) => signatures.push(sig),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now_secs - timestamp).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    let expected = stripe_v1_signature(secret, timestamp, body);
    if signatures.iter().any(|s| constant_time_eq(s.as_bytes(), expected.as_bytes())) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// Hex HMAC-SHA256 of `parts` joined (fed in order, nothing between them).
pub fn hmac_sha256_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes any key length");
    for part in parts {
        mac.update(part);
    }
    hex(&mac.finalize().into_bytes())
}

/// Hex HMAC-SHA256 of `"<timestamp>.<body>"`.
pub fn stripe_v1_signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = <Hmac<Sha256>>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test";
    const BODY: &[u8] = br#"{"id":"evt_1"}"#;

    #[test]
    fn hmac_known_vector() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_sha256_hex(b"Jefe", &[b"what do ya want ", b"for nothing?"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn sha256_known_vector() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn accepts_a_valid_signature_among_several() {
        let sig = stripe_v1_signature(SECRET, 1_000, BODY);
        let header = ["t=1000,v1=deadbeef,v1=", &sig].concat();
        assert_eq!(verify_stripe_signature(&header, BODY, SECRET, 1_100, 300), Ok(()));
    }

    #[test]
    fn rejects_wrong_secret_tampered_body_stale_and_malformed() {
        let sig = stripe_v1_signature(SECRET, 1_000, BODY);
        let header = ["t=1000,v1=", &sig].concat();
        assert_eq!(verify_stripe_signature(&header, BODY, "whsec_other", 1_000, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify_stripe_signature(&header, b"{}", SECRET, 1_000, 300), Err(SignatureError::Mismatch));
        assert_eq!(verify_stripe_signature(&header, BODY, SECRET, 1_301, 300), Err(SignatureError::Stale));
        assert_eq!(verify_stripe_signature("v1=abc", BODY, SECRET, 1_000, 300), Err(SignatureError::Malformed));
        assert_eq!(verify_stripe_signature("t=1000", BODY, SECRET, 1_000, 300), Err(SignatureError::Malformed));
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
