//! Visits through the `VISITS` queue: track-visit answers once the visit is
//! queued, and this consumer writes a batch of up to 100 visits in one D1 batch.
//! The rows' unique keys settle duplicates (one visit per address, code and
//! day; one per visit id, as the queue may deliver a message twice).

use crate::db::visits::{self, Visit};
use crate::error::ApiResult;
use worker::{Env, Message, MessageBatch, QueueRetryOptionsBuilder};

/// The queue's binding (wrangler.toml `[[queues.producers]]`) and its name.
const QUEUE: &str = "VISITS";
pub const QUEUE_NAME: &str = "rocket-visits";
/// How long a batch waits before D1 is tried again when it failed.
const RETRY_DELAY_SECS: u32 = 30;

/// Queues a visit; if the queue is missing or refuses it, the visit is written
/// at once instead (one statement), so no visit is lost either way.
pub async fn send(env: &Env, db: &worker::D1Database, visit: Visit) -> ApiResult<()> {
    let sent = match env.queue(QUEUE) {
        Ok(queue) => queue.send(&visit).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("visits: queue unavailable, written directly: {}", e);
        crate::db::batch(db, vec![visits::record(db, &visit)?]).await?;
    }
    Ok(())
}

/// The consumer: one D1 batch for the whole message batch; if D1 fails, the
/// batch is retried later (the handler never fails). A body that is not a
/// visit is dropped.
pub async fn consume<T>(batch: MessageBatch<T>, env: Env) {
    let found: Vec<Visit> =
        batch.raw_iter().filter_map(|m| Message::<Visit>::try_from(m).ok()).map(Message::into_body).collect();
    let written = match env.d1("DB") {
        Ok(db) => write(&db, &found).await,
        Err(e) => Err(e.into()),
    };
    match written {
        Ok(()) => batch.ack_all(),
        Err(e) => {
            worker::console_error!("visits: batch of {} not written, retried: {}", found.len(), e.message());
            batch.retry_all_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(RETRY_DELAY_SECS).build());
        }
    }
}

async fn write(db: &worker::D1Database, found: &[Visit]) -> ApiResult<()> {
    if found.is_empty() {
        return Ok(());
    }
    let statements = found.iter().map(|v| visits::record(db, v)).collect::<crate::db::DbResult<Vec<_>>>()?;
    crate::db::batch(db, statements).await?;
    Ok(())
}
