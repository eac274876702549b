//! The worker's draw selection (`edge::domain::draw`) over cases read from
//! stdin, for test/draw/agreement.test.mjs to hold against the published
//! verifier's second implementation.
//!
//! Input, per case: a line `case <seed hex> <randomness hex> <winners> <voids> <n>`
//! then `n` lines `<entryId> <weight>` (any order, weight 0 allowed).
//! Output, per case: one line `<listHash hex> <k>:<entryId> ...`: the list
//! hash of `list_bytes`, then the first `winners` picks and, for each void,
//! the next pick of the same sequence.

use edge::domain::draw::{draw_key, list_bytes, Draw};
use sha2::{Digest, Sha256};
use std::io::{self, BufRead, Write};

fn hex32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One case's answer line, or `None` when its input is malformed.
fn answer(header: &str, lines: &mut impl Iterator<Item = io::Result<String>>) -> Option<String> {
    let parts: Vec<&str> = header.split(' ').collect();
    let [_, seed, randomness, winners, voids, n] = parts.as_slice() else { return None };
    let (seed, randomness) = (hex32(seed)?, hex32(randomness)?);
    let (winners, voids, n): (usize, usize, usize) = (winners.parse().ok()?, voids.parse().ok()?, n.parse().ok()?);
    let mut owned = Vec::with_capacity(n);
    for _ in 0..n {
        let line = lines.next()?.ok()?;
        let (id, weight) = line.split_once(' ')?;
        owned.push((id.to_string(), weight.parse::<u64>().ok()?));
    }
    let entries: Vec<(&str, u64)> = owned.iter().map(|(id, w)| (id.as_str(), *w)).collect();
    let (text, weights) = list_bytes(&entries);
    let list_hash: [u8; 32] = Sha256::digest(text.as_bytes()).into();
    let ids: Vec<&str> = text.lines().filter_map(|l| l.split('\t').next()).collect();
    let mut draw = Draw::new(draw_key(&seed, &randomness, &list_hash), &weights);
    let mut picks = draw.picks(winners);
    picks.extend((0..voids).filter_map(|_| draw.next_pick()));
    let mut out = hex(&list_hash);
    for p in picks {
        out.push_str(&format!(" {}:{}", p.k, ids.get(p.index)?));
    }
    Some(out)
}

fn main() {
    let stdin = io::stdin();
    let mut lines = stdin.lock().lines();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    while let Some(Ok(header)) = lines.next() {
        let line = answer(&header, &mut lines).unwrap_or_else(|| "malformed case".to_string());
        if writeln!(stdout, "{line}").is_err() {
            return;
        }
    }
    let _ = stdout.flush();
}
