//! Participant tokens: a site's server mints one for its logged-in user, and
//! with it a browser may read that one entry and complete its bonus actions.
//! `rtp_<entryId>.<expires unix secs>.<hex HMAC-SHA256(account secret, "<entryId>.<expires>")>`:
//! no lookup table; rotating the account's secret revokes every token.

use super::signature::{constant_time_eq, hmac_sha256_hex};

pub const PREFIX: &str = "rtp_";
/// Default lifetime.
pub const DEFAULT_TTL_SECS: i64 = 30 * 86_400;
/// Longest lifetime a caller may ask for.
pub const MAX_TTL_SECS: i64 = 365 * 86_400;

fn signature(secret: &str, entry_id: &str, expires: i64) -> String {
    hmac_sha256_hex(secret.as_bytes(), &[entry_id.as_bytes(), b".", expires.to_string().as_bytes()])
}

/// A token for `entry_id` valid until `expires` (unix seconds).
pub fn mint(secret: &str, entry_id: &str, expires: i64) -> String {
    [PREFIX, entry_id, ".", &expires.to_string(), ".", &signature(secret, entry_id, expires)].concat()
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

/// Checks a token against its account's secret at `now` (unix seconds); the entry id.
pub fn verify<'a>(token: &'a str, secret: &str, now: i64) -> Result<&'a str, TokenError> {
    let rest = token.strip_prefix(PREFIX).ok_or(TokenError::Malformed)?;
    let mut parts = rest.splitn(3, '.');
    let (Some(entry_id), Some(expires), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(TokenError::Malformed);
    };
    let expires: i64 = expires.parse().map_err(|_| TokenError::Malformed)?;
    if entry_id.is_empty() {
        return Err(TokenError::Malformed);
    }
    if !constant_time_eq(sig.as_bytes(), signature(secret, entry_id, expires).as_bytes()) {
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
        assert_eq!(verify(&t, SECRET, 1_999), Ok("en_abc"));
        assert_eq!(verify(&t, SECRET, 2_000), Err(TokenError::Expired));
    }

    #[test]
    fn another_secret_entry_or_expiry_fails() {
        let t = mint(SECRET, "en_abc", 2_000);
        assert_eq!(verify(&t, "rotated", 1), Err(TokenError::BadSignature));
        let forged_entry = t.replacen("en_abc", "en_xyz", 1);
        assert_eq!(verify(&forged_entry, SECRET, 1), Err(TokenError::BadSignature));
        let extended = t.replacen(".2000.", ".9999.", 1);
        assert_eq!(verify(&extended, SECRET, 1), Err(TokenError::BadSignature));
    }

    #[test]
    fn malformed_tokens() {
        for bad in ["", "rtp_", "rtp_en", "rtp_en.x.sig", "rt_pk_abc", "rtp_.1.sig"] {
            assert_eq!(verify(bad, SECRET, 1), Err(TokenError::Malformed), "{bad}");
        }
        assert_eq!(claimed_entry("nope"), None);
    }
}
