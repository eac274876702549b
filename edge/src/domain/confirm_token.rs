//! The double opt-in link's token (`GET /api/referral/confirm?token=`):
//! `rtc_<entryId>.<expires unix secs>.<hex HMAC-SHA256(account secret,
//! "confirm.<entryId>.<expires>")>`. Signed with the account's token secret
//! like participant tokens, but under its own prefix and message, so neither
//! passes for the other. Single use is the entry's state, not the token's.

use super::signature::{constant_time_eq, hmac_sha256_hex};

pub const PREFIX: &str = "rtc_";

/// Until when a signup at `now_ms` may confirm its address: `days` later
/// (the contest's `confirmationDays`); the link expires then, and the cron
/// rejects what is still unconfirmed.
pub fn deadline(days: i64, now_ms: i64) -> String {
    super::time::iso8601(now_ms + days * 86_400_000)
}

/// The `confirm` message's link (`{{confirmLink}}`): the entry's token,
/// expiring at its `confirm_by` (ISO 8601, as stored), under the worker's
/// public `origin`. None for an unreadable `confirm_by`.
pub fn link(origin: &str, secret: &str, entry_id: &str, confirm_by: &str) -> Option<String> {
    let expires = super::time::parse_instant_ms(confirm_by)?.div_euclid(1000);
    Some([origin, "/api/referral/confirm?token=", &mint(secret, entry_id, expires)].concat())
}

fn signature(secret: &str, entry_id: &str, expires: i64) -> String {
    hmac_sha256_hex(secret.as_bytes(), &[b"confirm.", entry_id.as_bytes(), b".", expires.to_string().as_bytes()])
}

/// The confirm token of `entry_id`, valid until `expires` (unix seconds).
pub fn mint(secret: &str, entry_id: &str, expires: i64) -> String {
    [PREFIX, entry_id, ".", &expires.to_string(), ".", &signature(secret, entry_id, expires)].concat()
}

/// The entry a token names, read without checking it (to find its account's secret).
pub fn claimed_entry(token: &str) -> Option<&str> {
    let (entry_id, _) = token.strip_prefix(PREFIX)?.split_once('.')?;
    (!entry_id.is_empty() && entry_id.len() <= 64).then_some(entry_id)
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Expired,
    BadSignature,
}

/// Checks a token against its account's secret at `now` (unix seconds): the entry id.
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

    #[test]
    fn a_minted_token_verifies_until_it_expires() {
        let t = mint("s", "en_abc", 2_000);
        assert!(t.starts_with("rtc_en_abc.2000."));
        assert_eq!(claimed_entry(&t), Some("en_abc"));
        assert_eq!(verify(&t, "s", 1_999), Ok("en_abc"));
        assert_eq!(verify(&t, "s", 2_000), Err(TokenError::Expired));
    }

    #[test]
    fn the_deadline_is_days_after_the_signup_and_the_link_expires_then() {
        assert_eq!(deadline(7, 0), "1970-01-08T00:00:00.000Z");
        let url = link("https://w.example", "s", "en_abc", &deadline(7, 0)).unwrap();
        assert_eq!(url, ["https://w.example/api/referral/confirm?token=", &mint("s", "en_abc", 604_800)].concat());
        assert_eq!(verify(url.split_once("token=").unwrap().1, "s", 604_799), Ok("en_abc"));
        assert_eq!(link("o", "s", "en_abc", "not a date"), None);
    }

    #[test]
    fn a_forged_or_foreign_token_is_refused() {
        let t = mint("s", "en_abc", 2_000);
        assert_eq!(verify(&t, "other", 1), Err(TokenError::BadSignature));
        let moved = t.replace("2000", "3000");
        assert_eq!(verify(&moved, "s", 1), Err(TokenError::BadSignature));
        // A participant token of the same entry and expiry is not a confirm token.
        let participant = super::super::participant_token::mint("s", "en_abc", 2_000);
        assert_eq!(verify(&participant, "s", 1), Err(TokenError::Malformed));
        let as_confirm = participant.replacen("rtp_", PREFIX, 1);
        assert_eq!(verify(&as_confirm, "s", 1), Err(TokenError::BadSignature));
        assert_eq!(verify("rtc_x", "s", 1), Err(TokenError::Malformed));
    }
}
