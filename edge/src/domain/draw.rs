//! A draw prize's selection (issue 25), exactly as docs/DRAWS.md states it, so
//! anyone's code can recompute the picks from public data: the eligible list's
//! bytes, the beacon round a finalize time commits to, the key from seed,
//! beacon randomness and list hash, and the HMAC sequence that picks winners
//! without modulo bias. Pure: the worker and the tests share it; the published
//! verifier (JavaScript) is a second implementation.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// drand quicknet: the chain the beacon is taken from.
pub const QUICKNET_CHAIN_HASH: &str = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971";
pub const QUICKNET_GENESIS: u64 = 1_692_803_367;
pub const QUICKNET_PERIOD: u64 = 3;
/// The HMAC message prefix of every step k.
const DOMAIN: &[u8] = b"rocket-draw";

/// The first round whose time (genesis + (R - 1) x period) is at least
/// `at_secs`: a round nobody could know when the list was published.
pub fn beacon_round(at_secs: u64, genesis: u64, period: u64) -> u64 {
    if at_secs <= genesis || period == 0 {
        return 1;
    }
    (at_secs - genesis).div_ceil(period) + 1
}

/// The eligible list as published: `<entryId>\t<weight>\n` per entry, sorted
/// by entry id (ascending bytes). Entries of weight 0 are not eligible.
pub fn list_bytes(entries: &[(&str, u64)]) -> (String, Vec<u64>) {
    let mut sorted: Vec<&(&str, u64)> = entries.iter().filter(|(_, w)| *w > 0).collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut text = String::new();
    for (id, weight) in &sorted {
        text.push_str(id);
        text.push('\t');
        text.push_str(&weight.to_string());
        text.push('\n');
    }
    (text, sorted.iter().map(|(_, w)| *w).collect())
}

/// `key` = SHA-256(seed || randomness || listHash), each its 32 raw bytes.
pub fn draw_key(seed: &[u8; 32], randomness: &[u8; 32], list_hash: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed);
    h.update(randomness);
    h.update(list_hash);
    h.finalize().into()
}

/// `x` of step `k`: the first 16 bytes of HMAC-SHA256(key, "rocket-draw" ||
/// k as 4 bytes big-endian), an unsigned big-endian integer.
pub fn step_value(key: &[u8; 32], k: u32) -> u128 {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        // HMAC takes a key of any length; this cannot fail.
        return 0;
    };
    mac.update(DOMAIN);
    mac.update(&k.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let mut first = [0u8; 16];
    first.copy_from_slice(&h[..16]);
    u128::from_be_bytes(first)
}

/// Which remaining entry `x` picks, given the remaining weights in list order
/// (`None` for a picked entry): the index of the first whose running total
/// exceeds `x mod W`, or `None` when `x` falls in the rejected top
/// (`x >= floor(2^128 / W) x W`), which keeps every entry's chance exact.
pub fn pick(x: u128, remaining: &[Option<u64>]) -> Option<usize> {
    let total: u128 = remaining.iter().flatten().map(|w| u128::from(*w)).sum();
    if total == 0 {
        return None;
    }
    // floor(2^128 / W) x W: 2^128 itself when W divides it (a power of two),
    // then nothing is rejected; else floor((2^128 - 1) / W) x W.
    if !total.is_power_of_two() && x >= (u128::MAX / total) * total {
        return None;
    }
    let t = x % total;
    let mut running: u128 = 0;
    for (i, w) in remaining.iter().enumerate() {
        if let Some(w) = w {
            running += u128::from(*w);
            if running > t {
                return Some(i);
            }
        }
    }
    None
}

/// One step that picked: its `k` and the entry's index in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub k: u32,
    pub index: usize,
}

/// The sequence of picks over a list: `next` goes on from the last `k`, so
/// filling a voided winner's place continues the same sequence.
pub struct Draw {
    key: [u8; 32],
    remaining: Vec<Option<u64>>,
    next_k: u32,
}

impl Draw {
    pub fn new(key: [u8; 32], weights: &[u64]) -> Self {
        let remaining = weights.iter().map(|w| (*w > 0).then_some(*w)).collect();
        Self { key, remaining, next_k: 0 }
    }

    /// The next pick, or `None` when the list is empty (or k ran out).
    pub fn next_pick(&mut self) -> Option<Pick> {
        while self.remaining.iter().any(Option::is_some) {
            let k = self.next_k;
            self.next_k = k.checked_add(1)?;
            if let Some(index) = pick(step_value(&self.key, k), &self.remaining) {
                self.remaining[index] = None;
                return Some(Pick { k, index });
            }
        }
        None
    }

    /// The first `winners` picks (fewer when the list runs out).
    pub fn picks(&mut self, winners: usize) -> Vec<Pick> {
        std::iter::from_fn(|| self.next_pick()).take(winners).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_round_is_the_first_at_or_after_the_time() {
        let g = QUICKNET_GENESIS;
        assert_eq!(beacon_round(g, g, 3), 1);
        assert_eq!(beacon_round(g + 1, g, 3), 2);
        assert_eq!(beacon_round(g + 3, g, 3), 2);
        assert_eq!(beacon_round(g + 4, g, 3), 3);
        // round R's time genesis + (R - 1) x 3 is never before the asked time
        for t in [g + 60, g + 61, g + 62, g + 1_000_003] {
            let r = beacon_round(t, g, 3);
            assert!(g + (r - 1) * 3 >= t && g + (r - 2) * 3 < t, "{t} -> {r}");
        }
    }

    #[test]
    fn the_list_is_sorted_by_id_bytes_without_zero_weights() {
        let (text, weights) = list_bytes(&[("ent_b", 5), ("ent_a", 1), ("ent_Z", 2), ("ent_c", 0)]);
        assert_eq!(text, "ent_Z\t2\nent_a\t1\nent_b\t5\n");
        assert_eq!(weights, vec![2, 1, 5]);
    }

    #[test]
    fn a_pick_walks_running_totals_and_skips_picked_entries() {
        let w = [Some(2), Some(1), Some(5)];
        assert_eq!(pick(0, &w), Some(0));
        assert_eq!(pick(1, &w), Some(0));
        assert_eq!(pick(2, &w), Some(1));
        assert_eq!(pick(3, &w), Some(2));
        assert_eq!(pick(7, &w), Some(2));
        assert_eq!(pick(8, &w), Some(0)); // 8 mod 8
        let w = [Some(2), None, Some(5)];
        assert_eq!(pick(2, &w), Some(2));
        assert_eq!(pick(0, &[None, None]), None);
    }

    #[test]
    fn the_top_of_the_range_is_rejected_so_no_modulo_bias() {
        // W = 3: 2^128 = 3q + 1, so only x = 2^128 - 1 is rejected.
        let w = [Some(1), Some(2)];
        assert_eq!(pick(u128::MAX, &w), None);
        assert_eq!(pick(u128::MAX - 1, &w), Some(((u128::MAX - 1) % 3 >= 1) as usize));
        // W = 2^64, a power of two, divides 2^128: nothing is rejected.
        let big = [Some(1u64 << 63), Some(1u64 << 63)];
        assert!(pick(u128::MAX, &big).is_some());
        // W = 2^64 + 1: the rejected top starts at floor(2^128 / W) x W.
        let w = [Some(u64::MAX), Some(2)];
        let total = (1u128 << 64) + 1;
        let limit = (u128::MAX / total) * total;
        assert_eq!(pick(limit, &w), None);
        assert!(pick(limit - 1, &w).is_some());
    }

    #[test]
    fn the_sequence_is_the_hmac_of_the_step() {
        let key = draw_key(&[1; 32], &[2; 32], &[3; 32]);
        // SHA-256 of 32 x 0x01, 32 x 0x02, 32 x 0x03, concatenated.
        let mut h = Sha256::new();
        h.update([[1u8; 32], [2; 32], [3; 32]].concat());
        assert_eq!(key, <[u8; 32]>::from(h.finalize()));
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(b"rocket-draw\x00\x00\x00\x05");
        let expected = u128::from_be_bytes(mac.finalize().into_bytes()[..16].try_into().unwrap());
        assert_eq!(step_value(&key, 5), expected);
        assert_ne!(step_value(&key, 5), step_value(&key, 6));
    }

    #[test]
    fn picks_are_distinct_stop_at_the_list_and_continue_after_a_void() {
        let key = draw_key(&[7; 32], &[8; 32], &[9; 32]);
        let weights = [3, 1, 4, 1, 5, 9, 2, 6];
        let all = Draw::new(key, &weights).picks(100);
        assert_eq!(all.len(), weights.len());
        let mut indexes: Vec<usize> = all.iter().map(|p| p.index).collect();
        indexes.sort_unstable();
        assert_eq!(indexes, (0..weights.len()).collect::<Vec<_>>());
        assert!(all.windows(2).all(|p| p[0].k < p[1].k));
        // Three winners, then one voided: the fourth pick of the same sequence fills it.
        let mut draw = Draw::new(key, &weights);
        let three = draw.picks(3);
        assert_eq!(three, all[..3]);
        assert_eq!(draw.next_pick(), Some(all[3]));
    }

    #[test]
    fn weights_follow_chances_roughly() {
        // Over many keys, an entry of weight 3 is picked first about 3 times as often as weight 1.
        let mut first = [0u32; 2];
        for n in 0..4000u32 {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&n.to_be_bytes());
            let key = draw_key(&seed, &[0; 32], &[0; 32]);
            first[Draw::new(key, &[1, 3]).picks(1)[0].index] += 1;
        }
        let ratio = f64::from(first[1]) / f64::from(first[0]);
        assert!((2.6..3.5).contains(&ratio), "{first:?}");
    }
}
