//! Finalizing a contest through the `FINALIZE` queue: a contest too large for
//! one request goes on in runs of `QUEUE_PAGES` pages, each run queueing the
//! next; the cron (`cron`) notes ends, finalizes by `autoFinalizeAfterHours`
//! and goes on with a finalizing contest no run touched lately (a lost
//! message). The rules and the batches are `engine::finale`'s.

use crate::domain::ids::ContestId;
use crate::domain::time;
use crate::engine::finale::{self, Budget, Progress};
use crate::engine::Committed;
use crate::error::ApiResult;
use crate::{outbox, platform};
use serde::{Deserialize, Serialize};
use worker::{D1Database, Env, Message, MessageBatch, MessageExt};

/// The queue's binding (wrangler.toml `[[queues.producers]]`) and its name.
const QUEUE: &str = "FINALIZE";
pub const QUEUE_NAME: &str = "rocket-finalize";
/// Places written per statement, unless `FINALIZE_PAGE_SIZE` says (tests
/// make it small, so a small contest takes several pages).
const PAGE_SIZE: u32 = 2000;
const PAGE_SIZE_VAR: &str = "FINALIZE_PAGE_SIZE";
/// Pages a request writes before answering 202 and leaving the rest to the
/// queue; pages a queue run writes before queueing the next run.
pub const REQUEST_PAGES: u32 = 5;
const QUEUE_PAGES: u32 = 25;
/// What the cron does per run, and when a finalizing contest has stalled.
const CRON_LIMIT: u32 = 20;
const STALLED_AFTER_MS: i64 = 120_000;

/// One message: go on finalizing this contest.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub finalize: ContestId,
}

/// `pages` pages of the configured size.
pub fn budget(env: &Env, pages: u32) -> Budget {
    let configured = env.var(PAGE_SIZE_VAR).ok().and_then(|v| v.to_string().parse::<u32>().ok());
    Budget { page_size: configured.filter(|s| *s > 0).unwrap_or(PAGE_SIZE), pages, chain: crate::drawing::chain(env) }
}

/// Queues the next run for a contest; a failure is only logged (the cron goes
/// on with a stalled contest).
pub async fn send(env: &Env, id: &ContestId) {
    let sent = match env.queue(QUEUE) {
        Ok(queue) => queue.send(&Job { finalize: id.clone() }).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("finalize: next run not queued (the cron goes on): {}", e);
    }
}

/// The consumer: each message is one run; an unfinished contest queues the
/// next. A failed run is retried by the queue; the handler never fails.
pub async fn consume<T>(batch: MessageBatch<T>, env: Env) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(e) => {
            worker::console_error!("finalize: no D1: {}", e);
            return batch.retry_all();
        }
    };
    for raw in batch.raw_iter() {
        // A body that is not a job is dropped.
        let Ok(message) = Message::<Job>::try_from(raw) else { continue };
        match run(&db, &env, &message.body().finalize).await {
            Ok(()) => message.ack(),
            Err(e) => {
                worker::console_error!("finalize: {}", e.message());
                message.retry();
            }
        }
    }
}

async fn run(db: &D1Database, env: &Env, id: &ContestId) -> ApiResult<()> {
    let progress = outbox::commit(env, finale::go_on(db, id, budget(env, QUEUE_PAGES)).await?).await;
    match progress {
        Progress::Finalizing => send(env, id).await,
        Progress::Finalized => crate::drawing::send_for_contest(db, env, id).await,
    }
    Ok(())
}

/// The cron's part: ends noted (`contest.ended`), contests finalized by their
/// setting, stalled ones gone on with; what remains goes to the queue.
pub async fn cron(db: &D1Database, env: &Env) -> ApiResult<()> {
    let noticed = outbox::commit(env, finale::notice_ends(db, CRON_LIMIT).await?).await;
    let budget = budget(env, REQUEST_PAGES);
    let started = finale::auto_finalize(db, CRON_LIMIT, budget).await?;
    let before = time::iso8601(platform::now_ms() - STALLED_AFTER_MS);
    let stalled = finale::go_on_stalled(db, &before, CRON_LIMIT, budget).await?;
    for id in commit_all(env, [started, stalled]).await {
        send(env, &id).await;
    }
    worker::console_log!("scheduled: {} contest ends noted", noticed);
    Ok(())
}

async fn commit_all(env: &Env, runs: [Committed<Vec<ContestId>>; 2]) -> Vec<ContestId> {
    let mut unfinished = Vec::new();
    for run in runs {
        unfinished.extend(outbox::commit(env, run).await);
    }
    unfinished
}
