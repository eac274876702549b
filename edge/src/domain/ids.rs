//! Identifiers and referral codes, made from random bytes the caller supplies
//! (so the rules are testable without a random source).

/// Unambiguous alphabet: no 0/O, 1/I/L, so a code read aloud or typed survives.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const REFERRAL_CODE_LEN: usize = 8;

/// A referral code such as `K7QX2MPA`, from at least 8 random bytes.
pub fn referral_code(random: &[u8]) -> String {
    encode(random, CODE_ALPHABET, REFERRAL_CODE_LEN)
}

/// An opaque id with a type prefix, e.g. `en_3kq9...` (16 random chars, ~82 bits).
pub fn prefixed_id(prefix: &str, random: &[u8]) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut id = String::with_capacity(prefix.len() + 17);
    id.push_str(prefix);
    id.push('_');
    id.push_str(&encode(random, ALPHABET, 16));
    id
}

// Modulo bias is < 1% per char for these alphabets and 256 values: acceptable
// for identifiers whose uniqueness is also enforced by the database.
fn encode(random: &[u8], alphabet: &[u8], len: usize) -> String {
    random.iter().cycle().take(len).map(|b| alphabet[*b as usize % alphabet.len()] as char).collect()
}

/// What a referral code looks like at all (1 to 64 letters, digits, `-` and `_`,
/// imported codes like `REF-XYZ789` included): the rule the tracker applies too,
/// from the shared `rocket-rules` crate. Codes minted here always fit it.
pub use rocket_rules::ReferralCode;

/// Ids that must not be mixed up (an entry's id where a contest's is wanted
/// compiles as `&str`; as these it does not). Transparent in JSON and rows;
/// they read as `&str` (`Deref`) wherever text is enough.
macro_rules! id_type {
    ($($name:ident),+) => {$(
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }
    )+};
}

id_type!(AccountId, ContestId, EntryId, BonusActionId, PurchaseId, EndpointId, KeyId, EventId, DeliveryId);
// Prizes (`prz_`) and their awards (`pa_`), issue 24.
id_type!(PrizeId, PrizeAwardId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referral_codes_use_the_unambiguous_alphabet() {
        let code = referral_code(&[0, 1, 2, 30, 31, 255, 128, 64]);
        assert_eq!(code.len(), REFERRAL_CODE_LEN);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_eq!(&code[..2], "23");
    }

    #[test]
    fn different_bytes_give_different_ids() {
        let a = prefixed_id("en", &[1; 16]);
        let b = prefixed_id("en", &[2; 16]);
        assert!(a.starts_with("en_") && a.len() == 19);
        assert_ne!(a, b);
    }

    /// `query!` binds an id through serde: typed, it must bind as the same text.
    #[test]
    fn typed_ids_bind_and_read_as_their_text() {
        assert_eq!(serde_json::to_string(&ContestId::new("ct_1")).ok().as_deref(), Some("\"ct_1\""));
        let id: Option<PurchaseId> = serde_json::from_str("\"pu_1\"").ok();
        assert_eq!(id.as_deref(), Some("pu_1"));
        assert!(EntryId::new("en_1") == *"en_1");
    }

    #[test]
    fn plausible_codes() {
        assert!(ReferralCode::parse("REF-XYZ789").is_some());
        assert!(ReferralCode::parse("8Mnu09TD").is_some());
        assert!(ReferralCode::parse("").is_none());
        assert!(ReferralCode::parse("a b").is_none());
        assert!(ReferralCode::parse("<script>").is_none());
        assert!(ReferralCode::parse(&"A".repeat(65)).is_none());
    }

    #[test]
    fn minted_codes_are_referral_codes() {
        for random in [[0u8; 8], [255; 8], [7, 1, 200, 31, 62, 93, 124, 155]] {
            let code = referral_code(&random);
            assert_eq!(ReferralCode::parse(&code).map(ReferralCode::as_str), Some(code.as_str()));
        }
    }
}
