//! The one-click unsubscribe link's token: it names a contest and an address
//! and is signed with the deployment's secret, so the link needs no lookup
//! table and cannot be made for another address.
//! `u1.<contestId>.<hex of the address>.<hex HMAC-SHA256(secret, "unsubscribe.<contestId>.<address>")>`.

use super::signature::{constant_time_eq, hex, hmac_sha256_hex};

const PREFIX: &str = "u1.";

fn signature(secret: &str, contest_id: &str, address: &str) -> String {
    hmac_sha256_hex(secret.as_bytes(), &[b"unsubscribe.", contest_id.as_bytes(), b".", address.as_bytes()])
}

/// The token for `address` (normalized) in `contest_id`.
pub fn token(secret: &str, contest_id: &str, address: &str) -> String {
    [PREFIX, contest_id, ".", &hex(address.as_bytes()), ".", &signature(secret, contest_id, address)].concat()
}

/// The contest and address a token names, when its signature holds.
pub fn verify(secret: &str, token: &str) -> Option<(String, String)> {
    let mut parts = token.strip_prefix(PREFIX)?.splitn(3, '.');
    let (contest_id, address_hex, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if contest_id.is_empty() || contest_id.len() > 64 || address_hex.len() > 640 || address_hex.len() % 2 != 0 {
        return None;
    }
    let bytes = (0..address_hex.len())
        .step_by(2)
        .map(|i| address_hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect::<Option<Vec<u8>>>()?;
    let address = String::from_utf8(bytes).ok()?;
    constant_time_eq(sig.as_bytes(), signature(secret, contest_id, &address).as_bytes())
        .then(|| (contest_id.to_owned(), address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_contest_and_address() {
        let t = token("s3cret", "ct_1", "ann@example.com");
        assert!(t.starts_with("u1.ct_1."));
        assert_eq!(verify("s3cret", &t), Some(("ct_1".into(), "ann@example.com".into())));
    }

    #[test]
    fn another_secret_contest_or_address_fails() {
        let t = token("s3cret", "ct_1", "ann@example.com");
        assert_eq!(verify("other", &t), None);
        assert_eq!(verify("s3cret", &t.replacen("ct_1", "ct_2", 1)), None);
        let bob = token("s3cret", "ct_1", "bob@example.com");
        let (_, bob_hex) = bob.rsplit_once('.').unwrap().0.split_at(8);
        let forged = [&t[..8], bob_hex, ".", t.rsplit_once('.').unwrap().1].concat();
        assert_eq!(verify("s3cret", &forged), None);
        for bad in ["", "u1.", "u1.ct_1", "u1.ct_1.zz.00", "u1.ct_1.616.00", "x1.ct_1.61.00"] {
            assert_eq!(verify("s3cret", bad), None, "{bad}");
        }
    }
}
