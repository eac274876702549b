//! A drand beacon round's check (issue 25): the draw's randomness is only
//! taken from a round whose BLS signature the chain's public key verifies,
//! so neither the owner nor a man in the middle can choose it. Scheme
//! `bls-unchained-g1-rfc9380` (drand quicknet, and the local test chain):
//! the signature on G1 (48 bytes compressed), the public key on G2 (96
//! bytes), the message SHA-256(round as 8 bytes big-endian) hashed to G1
//! with DST `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_` (RFC 9380). The
//! curve arithmetic is the `drand-verify` crate's (zkcrypto's `bls12_381`).
//! Cost: about 27 KB gzip of the worker's wasm, and one check took about
//! 27-32 ms of CPU in V8 (wasm, opt-level z, on a loaded 2-core dev box):
//! more than the Workers Free plan's 10 ms per invocation, so call it once
//! per round fetched, never per request.

use drand_verify::{G2PubkeyRfc, Pubkey};
use sha2::{Digest, Sha256};

/// Whether `signature` is the chain's signature of `round`: false for a
/// key or signature that is not a valid point of its group, or any mismatch.
pub fn verify(public_key: &[u8], round: u64, signature: &[u8]) -> bool {
    let Ok(key) = G2PubkeyRfc::from_variable(public_key) else {
        return false;
    };
    // Unchained: no previous signature in the message.
    key.verify(round, &[], signature).unwrap_or(false)
}

/// The round's randomness: SHA-256 of the signature's bytes.
pub fn randomness(signature: &[u8]) -> [u8; 32] {
    Sha256::digest(signature).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(hex: &str) -> Vec<u8> {
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// drand quicknet's public key (`GET https://api.drand.sh/52db9b.../info`).
    const QUICKNET_KEY: &str = "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a";
    /// Quicknet round 657413 as published, from the README of
    /// github.com/mcdcam/python-drand-verify (`verify_quicknet(657413, ...)`
    /// answering this randomness).
    const ROUND: u64 = 657_413;
    const SIGNATURE: &str =
        "b713718a38ae728dfd477991af2822e08d2f305e47718cef9f7848ce4050e7be41076862b98fad56e91a6b85b89cd97b";
    const RANDOMNESS: &str = "fc1873a13f3545aeade8401532ef5519920652eee6b0d2b19ca12643b87b3587";
    /// Quicknet round 9367912, from a comment in
    /// github.com/stylus-bataille/stylus-drand-verify (`src/lib.rs`).
    const ROUND_2: u64 = 9_367_912;
    const SIGNATURE_2: &str =
        "845091b99635a8a5f93a15cd8622fae0c7ee5307fb5b888dc67ee4fe997b5b326dbd637bd7ab39e3188fd507ea94b314";

    /// A test chain's round, signed with @noble/curves 2.4.0
    /// (`bls12_381.shortSignatures`, same DST) by a fixed secret key,
    /// SHA-256("rocket-tracker beacon.rs unit test key") with its first byte
    /// masked by 0x3f: 25c4f4fc...5de667cb. Not drand: only a second signer.
    const TEST_KEY: &str = "b3cbcf3f9a56c0b85abf4b48531f106fc6fd2d9bbe647a4ee0faead4358ff096e1478bb9dc1553bd0ca06656b3421ade0c341cf437761ed26afbf2a15691c1616d6a0e318b50a3c9106f30534ab1a05b218f369eaf5240e07c78d844c8088054";
    const TEST_ROUND: u64 = 42;
    const TEST_SIGNATURE: &str =
        "b378453b024776b8c6c981609825b81ecdc145e1790325fbc68c1b675e9a4d12b898cf3a70b7b4763a2f51f635843042";
    const TEST_RANDOMNESS: &str = "9df99f33ebb94fda28b2491acc7b0a34eadc7428b137c2856967bdc690add928";

    #[test]
    fn a_published_quicknet_round_verifies_and_gives_its_randomness() {
        let key = bytes(QUICKNET_KEY);
        assert!(verify(&key, ROUND, &bytes(SIGNATURE)));
        assert!(verify(&key, ROUND_2, &bytes(SIGNATURE_2)));
        assert_eq!(hex(&randomness(&bytes(SIGNATURE))), RANDOMNESS);
    }

    #[test]
    fn another_round_signature_or_key_fails() {
        let key = bytes(QUICKNET_KEY);
        let signature = bytes(SIGNATURE);
        assert!(!verify(&key, ROUND + 1, &signature));
        assert!(!verify(&key, ROUND - 1, &signature));
        // Another round's genuine signature: a valid point, the wrong one.
        assert!(!verify(&key, ROUND, &bytes(SIGNATURE_2)));
        // Another chain's key.
        assert!(!verify(&bytes(TEST_KEY), ROUND, &signature));
        // One bit changed: no longer a point of G1, or not this one.
        let mut flipped = signature.clone();
        flipped[47] ^= 1;
        assert!(!verify(&key, ROUND, &flipped));
        let mut flipped_key = key.clone();
        flipped_key[95] ^= 1;
        assert!(!verify(&flipped_key, ROUND, &signature));
        // Wrong lengths and garbage.
        assert!(!verify(&key, ROUND, &signature[..47]));
        assert!(!verify(&key[..95], ROUND, &signature));
        assert!(!verify(&[], ROUND, &[]));
        assert!(!verify(&[0xff; 96], ROUND, &[0xff; 48]));
    }

    #[test]
    fn a_round_signed_with_noble_curves_verifies_against_its_key() {
        let key = bytes(TEST_KEY);
        let signature = bytes(TEST_SIGNATURE);
        assert!(verify(&key, TEST_ROUND, &signature));
        assert_eq!(hex(&randomness(&signature)), TEST_RANDOMNESS);
        assert!(!verify(&key, TEST_ROUND + 1, &signature));
        assert!(!verify(&bytes(QUICKNET_KEY), TEST_ROUND, &signature));
    }
}
