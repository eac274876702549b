//! API keys: public keys read (and complete bonus actions), private keys do
//! everything. Keys are shown once; only their SHA-256 is stored.

use super::signature::sha256_hex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Public,
    Private,
}

impl KeyKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(Self::Public),
            "private" => Some(Self::Private),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Private => "private",
        }
    }
    fn prefix(self) -> &'static str {
        match self {
            Self::Public => "rt_pk_",
            Self::Private => "rt_sk_",
        }
    }
}

/// A fresh key: `rt_pk_` or `rt_sk_` and 32 random base-36 characters (~165 bits).
pub fn generate(kind: KeyKind, random: &[u8; 32]) -> String {
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut key = String::from(kind.prefix());
    key.extend(random.iter().map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char));
    key
}

/// The shortest `ADMIN_TOKEN` accepted: a short one refuses every admin call.
pub const MIN_ADMIN_TOKEN: usize = 32;

/// An operator token long enough to be worth checking (trimmed).
pub fn admin_token_usable(token: &str) -> bool {
    token.trim().chars().count() >= MIN_ADMIN_TOKEN
}

/// What is stored and looked up.
pub fn hash(key: &str) -> String {
    sha256_hex(key.as_bytes())
}

/// What may be shown again later: enough to tell keys apart.
pub fn display_prefix(key: &str) -> String {
    key.chars().take(10).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_their_kind_and_hash_stably() {
        let k = generate(KeyKind::Private, &[7; 32]);
        assert!(k.starts_with("rt_sk_") && k.len() == 38);
        assert_eq!(hash(&k), hash(&k.clone()));
        assert_ne!(hash(&k), hash(&generate(KeyKind::Private, &[8; 32])));
        assert_eq!(display_prefix(&k), &k[..10]);
        assert!(generate(KeyKind::Public, &[0; 32]).starts_with("rt_pk_"));
    }

    #[test]
    fn admin_tokens_need_32_characters() {
        assert!(!admin_token_usable("test-admin-token"));
        assert!(!admin_token_usable("   short-but-padded-with-spaces   "));
        assert!(admin_token_usable(&"x".repeat(32)));
        assert!(admin_token_usable("0123456789abcdef0123456789abcdef0123456789abcdef"));
    }
}

super::text_enum!(KeyKind);
