//! Participant tokens: a site's server mints one for its logged-in user, and
//! with it a browser may read that one entry and complete its bonus actions.
//! `rtp_<entryId>.<expires unix secs>.<hex HMAC-SHA256(account secret, "<entryId>.<expires>")>`:
//! no lookup table; rotating the account's secret revokes every token.
//!
//! Two kinds share that shape. The owner's (minted with a private key) signs
//! `"<entryId>.<expires>"` and lasts until it expires. The one `join` hands
//! whoever typed an email signs `"<entryId>.<expires>.v<version>"` with the
//! entry's token version, which a trusted take-over of the entry moves on:
//! from then on that token fails, while the owner's keep working (the owner
//! chose to hand them out).

use super::signature::{constant_time_eq, hmac_sha256_hex};

pub const PREFIX: &str = "rtp_";
/// Default lifetime.
pub const DEFAULT_TTL_SECS: i64 = 30 * 86_400;
/// Longest lifetime a caller may ask for.
pub const MAX_TTL_SECS: i64 = 365 * 86_400;

fn signature(secret: &str, entry_id: &str, expires: i64, version: Option<i64>) -> String {
    let expires = expires.to_string();
    match version {
        None => hmac_sha256_hex(secret.as_bytes(), &[entry_id.as_bytes(), b".", expires.as_bytes()]),
        Some(v) => hmac_sha256_hex(
            secret.as_bytes(),
            &[entry_id.as_bytes(), b".", expires.as_bytes(), b".v", v.to_string().as_bytes()],
        ),
    }
}

fn token(secret: &str, entry_id: &str, expires: i64, version: Option<i64>) -> String {
    [PREFIX, entry_id, ".", &expires.to_string(), ".", &signature(secret, entry_id, expires, version)].concat()
}

/// The owner's token for `entry_id`, valid until `expires` (unix seconds).
pub fn mint(secret: &str, entry_id: &str, expires: i64) -> String {
    token(secret, entry_id, expires, None)
}

/// `join`'s token for `entry_id`: valid until `expires` while the entry's
/// token version is still `version`.
pub fn mint_for_version(secret: &str, entry_id: &str, expires: i64, version: i64) -> String {
    token(secret, entry_id, expires, Some(version))
}

/// The entry a token names, read without checking it (to find its account's secret).
pub fn claimed_entry(token: &str) -> Option<&str> {
    let rest = token.strip_prefix(PREFIX)?;
    let (entry_id, _) = rest.split_once('.')?;
    (!entry_id.is_empty() && entry_id.len() <= 64).then_some(entry_id)
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Expired,
    BadSignature,
}

/// Checks a token against its account's secret and its entry's current token
/// `version` at `now` (unix seconds): an owner's token, or a `join` token of
/// that version. The entry id.
pub fn verify<'a>(token: &'a str, secret: &str, version: i64, now: i64) -> Result<&'a str, TokenError> {
    let rest = token.strip_prefix(PREFIX).ok_or(TokenError::Malformed)?;
    let mut parts = rest.splitn(3, '.');
    let (Some(entry_id), Some(expires), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed);
    };
    let expires: i64 = expires.parse().map_err(|_| TokenError::Malformed)?;
    if entry_id.is_empty() {
        return Err(TokenError::Malformed);
    }
    let signed = |v| constant_time_eq(sig.as_bytes(), signature(secret, entry_id, expires, v).as_bytes());
    if !signed(None) && !signed(Some(version)) {
        return Err(TokenError::BadSignature);
    }
    if expires <= now {
        return Err(TokenError::Expired);
    }
    Ok(entry_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "account-secret";

    #[test]
    fn a_minted_token_verifies_until_it_expires() {
        let t = mint(SECRET, "en_abc", 2_000);
        assert!(t.starts_with("rtp_en_abc.2000."));
        assert_eq!(claimed_entry(&t), Some("en_abc"));
        assert_eq!(verify(&t, SECRET, 0, 1_999), Ok("en_abc"));
        assert_eq!(verify(&t, SECRET, 0, 2_000), Err(TokenError::Expired));
    }

    #[test]
    fn a_join_token_fails_once_the_version_moved_on_and_the_owners_does_not() {
        let joined = mint_for_version(SECRET, "en_abc", 2_000, 0);
        assert!(joined.starts_with("rtp_en_abc.2000."));
        assert_eq!(verify(&joined, SECRET, 0, 1), Ok("en_abc"));
        assert_eq!(verify(&joined, SECRET, 1, 1), Err(TokenError::BadSignature));
        let owners = mint(SECRET, "en_abc", 2_000);
        assert_ne!(owners, joined);
        assert_eq!(verify(&owners, SECRET, 1, 1), Ok("en_abc"));
        assert_eq!(verify(&mint_for_version(SECRET, "en_abc", 2_000, 1), SECRET, 1, 1), Ok("en_abc"));
    }

    #[test]
    fn another_secret_entry_or_expiry_fails() {
        let t = mint(SECRET, "en_abc", 2_000);
        assert_eq!(verify(&t, "rotated", 0, 1), Err(TokenError::BadSignature));
        let forged_entry = t.replacen("en_abc", "en_xyz", 1);
        assert_eq!(verify(&forged_entry, SECRET, 0, 1), Err(TokenError::BadSignature));
        let extended = t.replacen(".2000.", ".9999.", 1);
        assert_eq!(verify(&extended, SECRET, 0, 1), Err(TokenError::BadSignature));
    }

    #[test]
    fn malformed_tokens() {
        for bad in ["", "rtp_", "rtp_en", "rtp_en.x.sig", "rt_pk_abc", "rtp_.1.sig"] {
            assert_eq!(verify(bad, SECRET, 0, 1), Err(TokenError::Malformed), "{bad}");
        }
        assert_eq!(claimed_entry("nope"), None);
    }
}
