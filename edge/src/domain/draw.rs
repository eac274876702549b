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

    /// The step after the last one taken (stored as `next_k`).
    pub fn next_k(&self) -> u32 {
        self.next_k
    }

    /// The picks of steps before `next_k` again, in order (they are fixed by
    /// the key and the list), so `next_pick` then goes on where a stored draw
    /// stopped.
    pub fn replay(&mut self, next_k: u32) -> Vec<Pick> {
        let mut made = Vec::new();
        while self.next_k < next_k {
            let k = self.next_k;
            let Some(i) = pick(step_value(&self.key, k), &self.remaining) else {
                if self.remaining.iter().all(Option::is_none) {
                    break;
                }
                self.next_k = k + 1;
                continue;
            };
            self.remaining[i] = None;
            self.next_k = k + 1;
            made.push(Pick { k, index: i });
        }
        made
    }
}

/// One line of the list: `<entryId>\t<weight>\n`.
pub fn push_line(out: &mut String, entry_id: &str, weight: u64) {
    out.push_str(entry_id);
    out.push('\t');
    out.push_str(&weight.to_string());
    out.push('\n');
}

/// The list built a page at a time (entries given in id order): its hash,
/// size and total weight, what is published at finalize.
#[derive(Default)]
pub struct Listing {
    hash: Sha256,
    entries: u64,
    weight: u128,
}

/// What a listing publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub hash: [u8; 32],
    pub entries: u64,
    pub weight: u128,
}

impl Listing {
    /// Adds an entry (weight 0: not eligible, left out).
    pub fn push(&mut self, entry_id: &str, weight: u64) {
        if weight == 0 {
            return;
        }
        let mut line = String::new();
        push_line(&mut line, entry_id, weight);
        self.hash.update(line.as_bytes());
        self.entries += 1;
        self.weight += u128::from(weight);
    }

    pub fn finish(self) -> Listed {
        Listed { hash: self.hash.finalize().into(), entries: self.entries, weight: self.weight }
    }
}

/// The beacon chain a draw takes its round from, and the delay after
/// finalize (configuration: `DRAND_*`, `DRAW_BEACON_DELAY_SECS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chain {
    pub hash: [u8; 32],
    pub genesis: u64,
    pub period: u64,
    pub delay_secs: u64,
}

impl Chain {
    /// The round a list published at `finalized_secs` commits to.
    pub fn round_for(&self, finalized_secs: u64) -> u64 {
        beacon_round(finalized_secs.saturating_add(self.delay_secs), self.genesis, self.period)
    }

    /// When `round` is produced (seconds).
    pub fn time_of(&self, round: u64) -> u64 {
        round_time(round, self.genesis, self.period)
    }
}

/// Why a beacon answer is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BadBeacon {
    Round,
    Hex,
    Randomness,
}

/// A beacon answer's own checks (the BLS signature is checked apart): it is
/// the round asked for, and its randomness is SHA-256 of its signature.
/// Answers the randomness and the signature's bytes.
pub fn check_beacon(
    asked: u64,
    round: u64,
    randomness: &str,
    signature: &str,
) -> Result<([u8; 32], Vec<u8>), BadBeacon> {
    if round != asked {
        return Err(BadBeacon::Round);
    }
    let (Some(randomness), Some(signature)) = (from_hex32(randomness), from_hex(signature)) else {
        return Err(BadBeacon::Hex);
    };
    if <[u8; 32]>::from(Sha256::digest(&signature)) != randomness {
        return Err(BadBeacon::Randomness);
    }
    Ok((randomness, signature))
}

/// The time of round `round` (seconds): genesis + (round - 1) x period.
pub fn round_time(round: u64, genesis: u64, period: u64) -> u64 {
    genesis.saturating_add(round.saturating_sub(1).saturating_mul(period))
}

/// 32 bytes from 64 hex digits (either case).
pub fn from_hex32(hex: &str) -> Option<[u8; 32]> {
    let bytes = from_hex(hex)?;
    bytes.try_into().ok()
}

/// Bytes from hex digits (either case); `None` for an odd length or a non-digit.
pub fn from_hex(hex: &str) -> Option<Vec<u8>> {
    let digits = hex.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    let value = |c: u8| (c as char).to_digit(16);
    digits.chunks(2).map(|p| Some((value(p[0])? * 16 + value(p[1])?) as u8)).collect()
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
    fn a_replay_stops_where_the_stored_draw_did() {
        let key = draw_key(&[4; 32], &[5; 32], &[6; 32]);
        let weights = [3, 1, 4, 1, 5];
        let all = Draw::new(key, &weights).picks(5);
        let mut draw = Draw::new(key, &weights);
        let first = draw.picks(2);
        let mut again = Draw::new(key, &weights);
        assert_eq!(again.replay(draw.next_k()), first);
        assert_eq!(again.next_pick(), Some(all[2]));
        // Replaying past the end of the list stops there.
        assert_eq!(Draw::new(key, &weights).replay(u32::MAX), all);
    }

    #[test]
    fn a_listing_hashes_the_list_bytes_page_by_page() {
        let (text, _) = list_bytes(&[("ent_b", 5), ("ent_a", 1), ("ent_Z", 2), ("ent_c", 0)]);
        let mut listing = Listing::default();
        for (id, w) in [("ent_Z", 2), ("ent_a", 1), ("ent_b", 5), ("ent_c", 0)] {
            listing.push(id, w);
        }
        let listed = listing.finish();
        assert_eq!(listed.hash, <[u8; 32]>::from(Sha256::digest(text.as_bytes())));
        assert_eq!((listed.entries, listed.weight), (3, 8));
        assert_eq!(Listing::default().finish().hash, <[u8; 32]>::from(Sha256::digest(b"")));
    }

    #[test]
    fn a_beacon_is_the_round_asked_with_randomness_from_its_signature() {
        let sig = [7u8; 48];
        let rand = super::super::signature::hex(&Sha256::digest(sig));
        let sig_hex = super::super::signature::hex(&sig);
        assert_eq!(
            check_beacon(5, 5, &rand, &sig_hex).map(|(r, s)| (r.to_vec(), s)),
            Ok((from_hex(&rand).unwrap(), sig.to_vec()))
        );
        assert_eq!(check_beacon(5, 6, &rand, &sig_hex), Err(BadBeacon::Round));
        assert_eq!(check_beacon(5, 5, &rand, "zz"), Err(BadBeacon::Hex));
        assert_eq!(check_beacon(5, 5, &"00".repeat(32), &sig_hex), Err(BadBeacon::Randomness));
        let chain = Chain { hash: [0; 32], genesis: 100, period: 3, delay_secs: 60 };
        assert_eq!(chain.round_for(100), 21);
        assert_eq!(chain.time_of(21), 160);
    }

    #[test]
    fn round_times_and_hex() {
        assert_eq!(round_time(1, 100, 3), 100);
        assert_eq!(round_time(3, 100, 3), 106);
        let t = QUICKNET_GENESIS + 61;
        assert!(round_time(beacon_round(t, QUICKNET_GENESIS, 3), QUICKNET_GENESIS, 3) >= t);
        assert_eq!(from_hex("00ffA0"), Some(vec![0, 255, 160]));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex32(QUICKNET_CHAIN_HASH).map(|b| b[0]), Some(0x52));
        assert_eq!(from_hex32("00"), None);
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
