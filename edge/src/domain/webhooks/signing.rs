//! Standard Webhooks signing: `whsec_` secrets, the `webhook-signature` header and
//! the base64 both are written in. The signing has to match the reference
//! implementations byte for byte (see the test vector below). Pure: callers pass
//! the random bytes and the time in.

use hmac::{Hmac, Mac};
use sha2::Sha256;

// ---- Secrets ----

/// The prefix the standard gives a signing secret, so it is recognizable when pasted.
const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret, `whsec_<base64 of 24 random bytes>` (192 bits; the size
/// the reference libraries generate). The caller draws the bytes from a CSPRNG.
pub fn new_secret(random: &[u8; 24]) -> String {
    [SECRET_PREFIX, &base64_encode(random)].concat()
}

/// The HMAC key of a `whsec_` secret: the base64 after the prefix. None when the
/// prefix is missing, the base64 malformed, or the key empty.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let key = base64_decode(secret.strip_prefix(SECRET_PREFIX)?)?;
    (!key.is_empty()).then_some(key)
}

// ---- Signing ----

/// One signature, `v1,<base64 HMAC-SHA256(key, "<msg_id>.<timestamp>.<body>")>`:
/// the `webhook-id` and `webhook-timestamp` headers are signed with the body, so
/// neither can be swapped or replayed with another.
pub fn sign(key: &[u8], msg_id: &str, timestamp_secs: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp_secs.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    ["v1,", &base64_encode(&mac.finalize().into_bytes())].concat()
}

/// The `webhook-signature` header: one signature per key, space-separated, newest
/// key first. While a rotated secret overlaps the old one (24 hours), both sign, so
/// a receiver still holding either one verifies.
pub fn signature_header(keys: &[&[u8]], msg_id: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let signatures: Vec<String> = keys.iter().map(|key| sign(key, msg_id, timestamp_secs, body)).collect();
    signatures.join(" ")
}

// ---- Base64 (RFC 4648, standard alphabet, padded) ----

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64, the encoding the standard uses for secrets and signatures.
/// Written here because a crate for it would cost worker size for twenty lines.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Strict decoding of standard padded base64: None for a length not a multiple of
/// 4, a character outside the alphabet, padding anywhere but the end, or unused
/// bits that are not zero (so each byte string has exactly one accepted text).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let quads = bytes.len() / 4;
    for (q, chunk) in bytes.chunks(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - padding] {
            n = (n << 6) | base64_value(c)?;
        }
        n <<= 6 * padding as u32;
        let [_, b0, b1, b2] = n.to_be_bytes();
        match padding {
            0 => out.extend_from_slice(&[b0, b1, b2]),
            1 if b2 == 0 => out.extend_from_slice(&[b0, b1]),
            2 if b1 == 0 && b2 == 0 => out.push(b0),
            _ => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_known_vectors() {
        // RFC 4648, section 10.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn base64_round_trips_every_length_and_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            let encoded = base64_encode(&bytes[..len]);
            assert!(encoded.len().is_multiple_of(4));
            assert_eq!(base64_decode(&encoded).as_deref(), Some(&bytes[..len]));
        }
        // The last two letters of the alphabet (checked against Python's base64).
        for (bytes, encoded) in [(&[0xfbu8, 0xff, 0xbf][..], "+/+/"), (&[0xff, 0xfe, 0xfb, 0xef, 0xbe][..], "//77774=")]
        {
            assert_eq!(base64_encode(bytes), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Some(bytes));
        }
    }

    #[test]
    fn base64_refuses_malformed_text() {
        for bad in
            ["Zg", "Zg=", "Zm9", "Zg==Zg==", "Z===", "====", "Zm9v!A==", "Zm9v YQ==", "Zm-_", "Zh==", "Zm9=", "é==="]
        {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn secrets_are_prefixed_base64_of_24_bytes() {
        let random = [7u8; 24];
        let secret = new_secret(&random);
        assert!(secret.starts_with("whsec_"));
        assert_eq!(secret.len(), 6 + 32);
        assert_eq!(secret_key(&secret).as_deref(), Some(&random[..]));
    }

    #[test]
    fn secret_key_refuses_malformed_or_empty() {
        for bad in ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8G!", "whsec_MfK", "WHSEC_Zm9v"] {
            assert_eq!(secret_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn signature_matches_the_standard_webhooks_test_vector() {
        // The "sign function works" test of the Standard Webhooks reference libraries
        // (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts
        // and libraries/php/tests/WebhookTest.php): if this matches, a receiver's
        // library verifies what we send.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert_eq!(sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body), expected);
        assert_eq!(signature_header(&[&key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body), expected);
    }

    #[test]
    fn signature_covers_id_timestamp_and_body() {
        let key = [1u8; 24];
        let base = sign(&key, "msg_1", 1000, b"{}");
        assert_ne!(sign(&key, "msg_2", 1000, b"{}"), base);
        assert_ne!(sign(&key, "msg_1", 1001, b"{}"), base);
        assert_ne!(sign(&key, "msg_1", 1000, b"{ }"), base);
        assert_ne!(sign(&[2u8; 24], "msg_1", 1000, b"{}"), base);
    }

    #[test]
    fn signature_header_lists_every_key_newest_first() {
        let (new, old) = ([1u8; 24], [2u8; 24]);
        let header = signature_header(&[&new, &old], "msg_1", 1000, b"{}");
        let expected = [sign(&new, "msg_1", 1000, b"{}"), sign(&old, "msg_1", 1000, b"{}")].join(" ");
        assert_eq!(header, expected);
        assert_eq!(signature_header(&[], "msg_1", 1000, b"{}"), "");
    }
}
