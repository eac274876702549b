//! Short-lived answers in Cloudflare's Cache API. The open reads every visitor
//! of a customer's site makes (validate-code, a code's verdict for track-visit,
//! the leaderboard for public keys and participant tokens) come from here for
//! `TTL_SECS` rather than from D1: a hit costs no D1 round trip.
//!
//! The Cache API is per data centre and only works on a custom domain (not on
//! `*.workers.dev`, where every lookup misses). A change is therefore seen
//! everywhere within the TTL; where the owner's change is made,
//! `forget_contest` drops the contest's answers at once. A cache that fails is
//! a miss, never an error.

use crate::domain::signature::{hex, sha256_hex};
use crate::{platform, respond};
use worker::{Cache, Response};

/// How long a cached answer stands (also its `Cache-Control: max-age`).
pub const TTL_SECS: u32 = 10;
/// A generation outlives the answers made under it.
const GENERATION_TTL_SECS: u32 = 86_400;

/// Keys are URLs on a host nobody serves: the cache is keyed by URL.
const ORIGIN: &str = "https://cache.rocket-tracker.invalid/";

/// The key of `kind` for these parts (hashed: any text, fixed length).
pub fn key(kind: &str, parts: &[&str]) -> String {
    let mut joined = String::new();
    for part in parts {
        joined.push_str(part);
        joined.push('\n');
    }
    [ORIGIN, kind, "/", &sha256_hex(joined.as_bytes())].concat()
}

/// A cached answer: its status and JSON text.
pub async fn get(key: &str) -> Option<(u16, String)> {
    let mut hit = Cache::default().get(key, false).await.ok()??;
    let text = hit.text().await.ok()?;
    Some((hit.status_code(), text))
}

/// Keeps an answer for `TTL_SECS` (stored as `public`: the Cache API keeps
/// nothing `private`; the key, not the URL, says whose answer it is).
pub async fn put(key: &str, status: u16, json: &str) {
    store(key, status, json, TTL_SECS).await;
}

async fn store(key: &str, status: u16, text: &str, ttl_secs: u32) {
    if let Err(e) = Cache::default().put(key, respond::cached_json_response(status, text, ttl_secs, true)).await {
        worker::console_error!("cache put: {}", e);
    }
}

/// A contest's generation: part of the key of every answer about the
/// contest, so that dropping it (`forget_contest`) drops them all at once.
/// This isolate remembers it for `MEMO_MS`, so most lookups skip a cache read.
async fn generation(contest_id: &str) -> String {
    let now = platform::now_ms();
    if let Some(generation) = memo::get(contest_id, now) {
        return generation;
    }
    let key = key("generation", &[contest_id]);
    let generation = match get(&key).await {
        Some((_, generation)) => generation,
        None => {
            let generation = hex(&platform::random_bytes::<8>());
            store(&key, 200, &generation, GENERATION_TTL_SECS).await;
            generation
        }
    };
    memo::put(contest_id, &generation, now);
    generation
}

/// The generations this isolate read in the last `MEMO_MS` (another isolate's
/// `forget_contest` is therefore seen up to that much later).
mod memo {
    use std::cell::RefCell;
    use std::collections::HashMap;

    const MEMO_MS: i64 = 1_000;
    const MAX_CONTESTS: usize = 1_000;

    thread_local! {
        static GENERATIONS: RefCell<HashMap<String, (String, i64)>> = RefCell::new(HashMap::new());
    }

    pub fn get(contest_id: &str, now: i64) -> Option<String> {
        GENERATIONS
            .with(|g| g.borrow().get(contest_id).filter(|(_, at)| now - at < MEMO_MS).map(|(gen, _)| gen.clone()))
    }

    pub fn put(contest_id: &str, generation: &str, now: i64) {
        GENERATIONS.with(|g| {
            let mut g = g.borrow_mut();
            if g.len() >= MAX_CONTESTS {
                g.clear();
            }
            g.insert(contest_id.to_string(), (generation.to_string(), now));
        });
    }

    pub fn forget(contest_id: &str) {
        GENERATIONS.with(|g| g.borrow_mut().remove(contest_id));
    }
}

/// The key of an answer about `contest_id`.
pub async fn contest_key(kind: &str, contest_id: &str, parts: &[&str]) -> String {
    let generation = generation(contest_id).await;
    let mut all = vec![contest_id, generation.as_str()];
    all.extend_from_slice(parts);
    key(kind, &all)
}

/// The owner changed the contest or one of its entries: this data centre's
/// answers about it are dropped at once (others' expire within the TTL).
pub async fn forget_contest(contest_id: &str) {
    memo::forget(contest_id);
    let _ = Cache::default().delete(key("generation", &[contest_id]).as_str(), false).await;
}

/// The answer to send for a cached (or fresh) JSON text; `shared` when every
/// caller gets the same answer.
pub fn answer(status: u16, json: &str, shared: bool) -> Response {
    respond::cached_json_response(status, json, TTL_SECS, shared)
}
