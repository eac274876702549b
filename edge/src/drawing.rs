//! Drawing the draw prizes (docs/DRAWS.md) once their beacon round exists:
//! a delayed message on the `DRAWS` queue per draw when its contest is
//! finalized (due at the round's time), retried until the beacon answers;
//! the cron draws any listed draw whose round has passed (a lost message).
//! The beacon is fetched from `DRAND_URL` and checked (round, randomness,
//! BLS signature against `DRAND_PUBLIC_KEY`) before anything is written.

use crate::db::draws::DrawRow;
use crate::domain::draw::{self, Chain};
use crate::domain::ids::{ContestId, PrizeId};
use crate::error::{ApiError, ApiResult};
use crate::{cache, db, engine, outbox, platform};
use serde::{Deserialize, Serialize};
use worker::{D1Database, Env, Fetch, Message, MessageBatch, MessageBuilder, MessageExt, QueueRetryOptionsBuilder};

/// The queue's binding (wrangler.toml `[[queues.producers]]`) and its name.
const QUEUE: &str = "DRAWS";
pub const QUEUE_NAME: &str = "rocket-draws";
/// A queue delays a message by at most 12 hours; a later round is asked again.
const MAX_DELAY_SECS: u64 = 43_200;
/// Draws the cron takes per run.
const CRON_LIMIT: u32 = 20;

/// One message: draw this prize when its round has come.
#[derive(Serialize, Deserialize)]
pub struct Job {
    pub draw: PrizeId,
}

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.trim().is_empty())
}

fn number(env: &Env, name: &str, default: u64) -> u64 {
    var(env, name).and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

/// The configured chain (`DRAND_CHAIN_HASH`, `DRAND_GENESIS`, `DRAND_PERIOD`)
/// and `DRAW_BEACON_DELAY_SECS`; drand quicknet and 60 s by default.
pub fn chain(env: &Env) -> Chain {
    let hash = var(env, "DRAND_CHAIN_HASH").and_then(|h| draw::from_hex32(h.trim()));
    Chain {
        hash: hash.or_else(|| draw::from_hex32(draw::QUICKNET_CHAIN_HASH)).unwrap_or([0; 32]),
        genesis: number(env, "DRAND_GENESIS", draw::QUICKNET_GENESIS),
        period: number(env, "DRAND_PERIOD", draw::QUICKNET_PERIOD).max(1),
        delay_secs: number(env, "DRAW_BEACON_DELAY_SECS", 60),
    }
}

fn now_secs() -> u64 {
    u64::try_from(platform::now_ms() / 1000).unwrap_or(0)
}

/// Seconds until round `round` exists (plus one), 0 once it has.
fn wait_for(chain: &Chain, round: u64) -> u64 {
    (chain.time_of(round) + 1).saturating_sub(now_secs())
}

/// Queues a message per listed, undrawn draw of a just-finalized contest,
/// due when its round comes; a failure is only logged (the cron draws it).
pub async fn send_for_contest(db: &D1Database, env: &Env, contest_id: &ContestId) {
    let draws = match db::draws::of_contest_rows(db, contest_id).await {
        Ok(rows) => rows,
        Err(e) => {
            return worker::console_error!("draws: not queued (the cron draws them): {}", ApiError::from(e).message())
        }
    };
    let chain = chain(env);
    for d in draws.iter().filter(|d| d.drawn_at.is_none()) {
        let Some(round) = d.beacon_round else { continue };
        send(env, &d.prize_id, wait_for(&chain, round as u64)).await;
    }
}

async fn send(env: &Env, prize_id: &PrizeId, delay: u64) {
    let job = Job { draw: prize_id.clone() };
    let sent = match env.queue(QUEUE) {
        Ok(queue) => {
            let delay = u32::try_from(delay.min(MAX_DELAY_SECS)).unwrap_or(0);
            queue.send(MessageBuilder::new(job).delay_seconds(delay).build()).await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("draws: not queued (the cron draws it): {}", e);
    }
}

/// What one attempt at a draw came to.
enum Attempt {
    /// Drawn now or before, or nothing to draw.
    Done,
    /// The round is not there yet: again in this many seconds.
    Later(u64),
}

/// The consumer: each message is one draw; a round not yet produced (or a
/// beacon that did not answer) is retried when it should be there.
pub async fn consume<T>(batch: MessageBatch<T>, env: Env) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(e) => {
            worker::console_error!("draws: no D1: {}", e);
            return batch.retry_all();
        }
    };
    for raw in batch.raw_iter() {
        let Ok(message) = Message::<Job>::try_from(raw) else { continue };
        let retry_in = |secs: u64| QueueRetryOptionsBuilder::new().with_delay_seconds(secs.min(MAX_DELAY_SECS) as u32);
        match attempt(&db, &env, &message.body().draw).await {
            Ok(Attempt::Done) => message.ack(),
            Ok(Attempt::Later(secs)) => message.retry_with_options(&retry_in(secs).build()),
            Err(e) => {
                worker::console_error!("draws: {}", e.message());
                message.retry_with_options(&retry_in(chain(&env).period).build());
            }
        }
    }
}

async fn attempt(db: &D1Database, env: &Env, prize_id: &PrizeId) -> ApiResult<Attempt> {
    match db::draws::find(db, prize_id).await? {
        Some(d) if d.drawn_at.is_none() && d.beacon_round.is_some() => draw_now(db, env, &d).await,
        _ => Ok(Attempt::Done),
    }
}

/// Draws `d` if its round exists and its beacon checks out.
async fn draw_now(db: &D1Database, env: &Env, d: &DrawRow) -> ApiResult<Attempt> {
    let chain = chain(env);
    let round = d.beacon_round.unwrap_or(0).max(0) as u64;
    let wait = wait_for(&chain, round);
    if wait > 0 {
        return Ok(Attempt::Later(wait));
    }
    let chain_hash = d.chain_hash.as_deref().unwrap_or(draw::QUICKNET_CHAIN_HASH);
    let Some(beacon) = fetch_beacon(env, chain_hash, round).await? else {
        return Ok(Attempt::Later(chain.period));
    };
    let (randomness, signature) = draw::check_beacon(round, beacon.round, &beacon.randomness, &beacon.signature)
        .map_err(|e| ApiError::Internal(format!("beacon round {round} refused: {e:?}")))?;
    signature_checks(env, round, &signature)?;
    outbox::commit(env, engine::draws::draw(db, d, &randomness, &signature).await?).await;
    cache::forget_contest(&d.contest_id).await;
    Ok(Attempt::Done)
}

/// The BLS check of a round's signature against the configured chain's
/// public key (`DRAND_PUBLIC_KEY`, hex): the one place the worker verifies
/// the beacon's signature.
fn signature_checks(env: &Env, round: u64, signature: &[u8]) -> ApiResult<()> {
    let key = var(env, "DRAND_PUBLIC_KEY").and_then(|k| draw::from_hex(k.trim()));
    let key = key.ok_or_else(|| ApiError::Internal("DRAND_PUBLIC_KEY is not set".into()))?;
    if crate::domain::beacon::verify(&key, round, signature) {
        Ok(())
    } else {
        Err(ApiError::Internal(format!("beacon round {round}: the signature does not verify")))
    }
}

/// A beacon's answer.
#[derive(Deserialize)]
struct BeaconAnswer {
    round: u64,
    randomness: String,
    signature: String,
}

/// `GET {DRAND_URL}/{chainHash}/public/{round}`; `None` when it did not
/// answer 200 (not produced yet, or down): try again later.
async fn fetch_beacon(env: &Env, chain_hash: &str, round: u64) -> ApiResult<Option<BeaconAnswer>> {
    let base = var(env, "DRAND_URL").unwrap_or_else(|| "https://api.drand.sh".to_string());
    let url = [base.trim_end_matches('/'), "/", chain_hash, "/public/", &round.to_string()].concat();
    // A JS Request, not worker::Url::parse: the url crate's parser pulls
    // IDNA and Unicode normalization tables into the wasm (measured: 75 KB gzip).
    let request = worker::Request::new(&url, worker::Method::Get)
        .map_err(|_| ApiError::Internal("DRAND_URL is not a URL".into()))?;
    let Ok(mut response) = Fetch::Request(request).send().await else { return Ok(None) };
    if response.status_code() != 200 {
        return Ok(None);
    }
    Ok(response.json::<BeaconAnswer>().await.ok())
}

/// The cron's part (after `finalizing::cron`): listed draws not drawn yet,
/// drawn when their round has passed, else queued for it.
pub async fn cron(db: &D1Database, env: &Env) -> ApiResult<()> {
    let mut drawn = 0;
    for d in db::draws::waiting(db, CRON_LIMIT).await? {
        // One draw's failure (a beacon down or refused) leaves the others be.
        match draw_now(db, env, &d).await {
            Ok(Attempt::Done) => drawn += 1,
            // Not due yet (a contest this cron run finalized): queued for its round.
            Ok(Attempt::Later(secs)) => send(env, &d.prize_id, secs).await,
            Err(e) => worker::console_error!("draws: {}: {}", d.prize_id, e.message()),
        }
    }
    worker::console_log!("scheduled: {} draws taken", drawn);
    Ok(())
}
