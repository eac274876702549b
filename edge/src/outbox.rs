//! Outbound webhooks, the runtime side: the queue (`WEBHOOKS` binding) and
//! its consumer, the HTTP attempt, the cron's sweep. The rules (signatures,
//! URL checks, the retry schedule) are `domain::webhooks`; the rows are
//! `db::outbox`.
//!
//! The flow: a change writes its event row in its own batch (`db::outbox::record`);
//! its use case answers a `Committed` and the handler's `ctx.commit` (the
//! cron's `commit`) sends the event ids to the queue. The consumer
//! fans the event out (one delivery per listening endpoint, each its own
//! message) and attempts each delivery; a failed attempt is retried after the
//! schedule's delay, in the queue. Messages the queue gives up on arrive on
//! the dead-letter queue and fail their delivery. The cron re-sends events
//! that were never fanned out, so a worker that stopped between its batch and
//! its send loses nothing.

use crate::db::outbox::{self as rows, Attempt, DeliveryJob, EventRow, Outcome};
use crate::domain::ids::{ContestId, DeliveryId, EntryId, EventId, PurchaseId};
use crate::domain::time;
use crate::domain::webhooks::{self, EventType};
use crate::engine::Committed;
use crate::error::{ApiError, ApiResult};
use crate::{db, http, platform, views};
use futures_util::future::{select, Either};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use worker::{
    D1Database, Delay, Env, Fetch, Headers, Message, MessageBatch, MessageExt, Method, QueueRetryOptionsBuilder,
    Request, RequestInit, RequestRedirect,
};

/// The queue's binding (wrangler.toml `[[queues.producers]]`).
const QUEUE: &str = "WEBHOOKS";
/// The dead-letter queue's name: its batches fail their deliveries.
const DEAD_LETTERS: &str = "rocket-webhooks-dlq";
/// How long a receiver may take to answer.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tests and local development: retry at once instead of after the schedule's delay.
const RETRY_AT_ONCE: &str = "WEBHOOK_RETRY_AT_ONCE";
/// Events the cron re-sends per run, and how old they must be.
const SWEEP_LIMIT: u32 = 500;
const SWEEP_AFTER_MS: i64 = 60_000;
/// Deliveries (and their events) are kept this long.
const RETENTION_MS: i64 = 30 * 86_400_000;

/// One queue message: an event to fan out (`{"event": id}`), or a delivery
/// to attempt (`{"delivery": id}`), by id.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Job {
    Event(EventId),
    Delivery(DeliveryId),
}

/// The one place a use case's events are sent: sends the events its batch
/// wrote to the queue and answers its value (`Ctx::commit` for handlers).
pub async fn commit<T>(env: &Env, committed: Committed<T>) -> T {
    let (value, events) = committed.into_parts();
    send(env, &events).await;
    value
}

/// Sends the events a batch wrote to the queue. A failure is only logged: the
/// rows are written, and the cron sends what was never fanned out.
async fn send(env: &Env, event_ids: &[EventId]) {
    if event_ids.is_empty() {
        return;
    }
    let jobs: Vec<Job> = event_ids.iter().map(|id| Job::Event(id.clone())).collect();
    let sent = match env.queue(QUEUE) {
        Ok(queue) => queue.send_batch(jobs).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        worker::console_error!("webhooks: events not sent to the queue (the cron will): {}", e);
    }
}

/// Queues a delivery restarted by its owner.
pub async fn redeliver(env: &Env, delivery_id: &DeliveryId) -> ApiResult<()> {
    env.queue(QUEUE)?.send(Job::Delivery(delivery_id.clone())).await?;
    Ok(())
}

/// The queue consumer. Every message is acked or retried here; the handler
/// itself never fails (a failing handler would retry the whole batch).
pub async fn consume(batch: MessageBatch<Job>, env: Env) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(e) => {
            worker::console_error!("webhooks: no D1: {}", e);
            return batch.retry_all();
        }
    };
    let dead = batch.queue() == DEAD_LETTERS;
    for message in batch.iter() {
        // A body that is not a job is dropped (acked with the batch).
        let Ok(message) = message else { continue };
        let handled = match (dead, message.body()) {
            (true, Job::Delivery(id)) => give_up(&db, id, "The queue gave up on this delivery").await,
            (true, Job::Event(id)) => {
                worker::console_error!("webhooks: event {} dead-lettered before its fan-out", id);
                Ok(Next::Done)
            }
            (false, Job::Event(id)) => fan_out(&db, &env, id).await,
            (false, Job::Delivery(id)) => attempt(&db, &env, id).await,
        };
        settle(&message, handled);
    }
}

/// What becomes of a message.
enum Next {
    Done,
    RetryIn(u32),
}

fn settle(message: &Message<Job>, handled: ApiResult<Next>) {
    match handled {
        Ok(Next::Done) => message.ack(),
        Ok(Next::RetryIn(seconds)) => {
            message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(seconds).build())
        }
        Err(e) => {
            // D1 or the queue failed us: the queue's own retry (and in the end
            // its dead-letter queue) takes over.
            worker::console_error!("webhooks: {}", e.message());
            message.retry();
        }
    }
}

/// Renders the event's body once, makes its deliveries and queues them.
async fn fan_out(db: &D1Database, env: &Env, event_id: &EventId) -> ApiResult<Next> {
    let Some(event) = rows::find_event(db, event_id).await? else { return Ok(Next::Done) };
    let payload = match &event.payload {
        Some(p) => p.clone(),
        None => render(db, &event).await?,
    };
    let made = rows::fan_out(db, &event, &payload, &platform::now_iso()).await?;
    if !made.is_empty() {
        let jobs: Vec<Job> = made.iter().map(|id| Job::Delivery(id.clone())).collect();
        env.queue(QUEUE)?.send_batch(jobs).await?;
    }
    // The lifecycle email the event decides (once per cause: a retried fan-out writes nothing new).
    let queued = crate::engine::emails::for_event(db, &event).await?;
    crate::mailing::send_queued(env, &queued).await;
    Ok(Next::Done)
}

/// The signed body: `{"type", "timestamp", "data"}`, `data` the view the API
/// answers for the subject as it is now (normally within a second of the change).
async fn render(db: &D1Database, event: &EventRow) -> ApiResult<String> {
    let (kind, at, subject) = (event.kind, event.created_at.as_str(), event.subject_id.as_str());
    // A subject gone since (erased, deleted): the event still says what
    // happened, to which id.
    let gone = || json(kind, at, views::events::Gone { id: subject });
    match kind {
        EventType::EntryCreated | EventType::ReferralCreated | EventType::EntryDisqualified => {
            match db::entries::find(db, &EntryId::new(subject)).await? {
                Some(entry) => json(kind, at, views::entry(&entry, true)),
                None => gone(),
            }
        }
        EventType::PurchaseRecorded | EventType::PurchaseVerified | EventType::PurchaseRefunded => {
            match db::first::<crate::db::purchases::PurchaseRow>(db::purchases::select_by_id(
                db,
                &PurchaseId::new(subject),
            )?)
            .await?
            {
                Some(purchase) => json(kind, at, views::purchases::purchase(&purchase)),
                None => gone(),
            }
        }
        EventType::BonusActionCompleted => match db::bonus::find_completion_by_id(db, subject).await? {
            Some(c) => json(kind, at, views::events::completion(&c)),
            None => gone(),
        },
        EventType::AwardCreated | EventType::AwardConfirmed | EventType::AwardRejected => {
            let row = match subject.parse::<i64>() {
                Ok(id) => db::first::<crate::db::ledger::AwardRow>(db::ledger::select_award(db, id)?).await?,
                Err(_) => None,
            };
            match row {
                Some(award) => json(kind, at, views::awards::award(&award)),
                None => gone(),
            }
        }
        EventType::RewardEarned | EventType::RewardRedeemed => {
            let row = match subject.parse::<i64>() {
                Ok(id) => rows::find_reward(db, id).await?,
                Err(_) => None,
            };
            match row {
                Some(reward) => json(kind, at, views::events::reward(&reward)),
                None => gone(),
            }
        }
        // The owner's private channel: the award as the owner's list shows it, code included.
        EventType::PrizeEarned | EventType::PrizeFulfilled | EventType::PrizeVoided => {
            match db::prizes::find_award(db, &crate::domain::ids::PrizeAwardId::new(subject)).await? {
                Some(award) => json(kind, at, views::prizes::award(&award)),
                None => gone(),
            }
        }
        EventType::ContestEnded | EventType::ContestFinalized => {
            match db::standings::contest(db, &ContestId::new(subject)).await? {
                Some(contest) => json(kind, at, views::contest(&contest, false)),
                None => gone(),
            }
        }
        EventType::Ping => json(kind, at, views::events::Ping { endpoint_id: subject }),
    }
}

fn json<T: Serialize>(kind: EventType, timestamp: &str, data: T) -> ApiResult<String> {
    serde_json::to_string(&views::events::body(kind, timestamp, data)).map_err(|e| ApiError::Internal(e.to_string()))
}

/// One attempt of a delivery, recorded; the queue retries it after the
/// schedule's delay while attempts remain.
async fn attempt(db: &D1Database, env: &Env, delivery_id: &DeliveryId) -> ApiResult<Next> {
    let Some(job) = rows::delivery_job(db, delivery_id).await? else { return Ok(Next::Done) };
    if job.status != webhooks::DeliveryStatus::Pending {
        return Ok(Next::Done);
    }
    if !job.enabled {
        return give_up(db, delivery_id, "The endpoint is disabled").await;
    }
    let Some(payload) = job.payload.as_deref() else { return give_up(db, delivery_id, "The event has no body").await };
    let started = platform::now_ms();
    let answer = post(&job, payload, started / 1000).await;
    let now = platform::now_ms();
    let at = time::iso8601(now);
    let (status_code, excerpt, error) = match &answer {
        Ok((code, body)) => (Some(*code), Some(webhooks::answer_excerpt(body)), None),
        Err(reason) => (None, None, Some(*reason)),
    };
    let attempt = Attempt { status_code, duration_ms: now - started, answer: excerpt.as_deref(), error, at: &at };
    let number = job.attempts + 1;
    if status_code.is_some_and(webhooks::is_success) {
        rows::record_attempt(db, &job, &attempt, Outcome::Succeeded, webhooks::DISABLE_AFTER_FAILURES).await?;
        return Ok(Next::Done);
    }
    match webhooks::retry_delay_secs(number) {
        Some(delay) => {
            let delay = if env.var(RETRY_AT_ONCE).is_ok_and(|v| v.to_string() == "1") { 0 } else { delay };
            let next = time::iso8601(now + i64::from(delay) * 1000);
            rows::record_attempt(db, &job, &attempt, Outcome::RetryAt(&next), webhooks::DISABLE_AFTER_FAILURES).await?;
            Ok(Next::RetryIn(delay))
        }
        None => {
            rows::record_attempt(db, &job, &attempt, Outcome::Failed, webhooks::DISABLE_AFTER_FAILURES).await?;
            Ok(Next::Done)
        }
    }
}

async fn give_up(db: &D1Database, delivery_id: &DeliveryId, error: &str) -> ApiResult<Next> {
    rows::give_up(db, delivery_id, error, webhooks::DISABLE_AFTER_FAILURES, &platform::now_iso()).await?;
    Ok(Next::Done)
}

/// The keys that sign now: the endpoint's secret, and the previous one until
/// its overlap after a rotation ends.
fn signing_keys(job: &DeliveryJob, now_iso: &str) -> Vec<Vec<u8>> {
    let previous = match (&job.previous_secret, &job.previous_expires_at) {
        (Some(secret), Some(until)) if until.as_str() > now_iso => webhooks::secret_key(secret),
        _ => None,
    };
    webhooks::secret_key(&job.secret).into_iter().chain(previous).collect()
}

/// POSTs the body with the Standard Webhooks headers; the status and body of
/// the answer, or why there was none. Redirects are not followed (their
/// target was never checked against the URL rules).
async fn post(job: &DeliveryJob, payload: &str, timestamp: i64) -> Result<(u16, Vec<u8>), &'static str> {
    let keys = signing_keys(job, &platform::now_iso());
    let key_refs: Vec<&[u8]> = keys.iter().map(Vec::as_slice).collect();
    let signature = webhooks::signature_header(&key_refs, &job.id, timestamp, payload.as_bytes());
    let request = (|| -> worker::Result<Request> {
        let headers = Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set("user-agent", "RocketTracker-Webhooks/1")?;
        headers.set("webhook-id", &job.id)?;
        headers.set("webhook-timestamp", &timestamp.to_string())?;
        headers.set("webhook-signature", &signature)?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_redirect(RequestRedirect::Manual)
            .with_body(Some(payload.into()));
        Request::new_with_init(&job.url, &init)
    })()
    .map_err(|_| "The request could not be made")?;
    let call = async {
        let mut response = Fetch::Request(request).send().await.map_err(|_| "The endpoint could not be reached")?;
        let code = response.status_code();
        // The log keeps an excerpt: read that much (and a character more),
        // never a whole answer of any size.
        let body = match response.stream() {
            Ok(stream) => http::read_at_most(stream, webhooks::EXCERPT_BYTES + 4).await.map(|(b, _)| b),
            Err(_) => response.bytes().await,
        };
        Ok((code, body.unwrap_or_default()))
    };
    match select(Box::pin(call), Box::pin(Delay::from(ATTEMPT_TIMEOUT))).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => Err("The endpoint did not answer within 10 seconds"),
    }
}

/// The cron's part: re-sends events never fanned out, and forgets deliveries
/// older than 30 days. Answers how many events were re-sent.
pub async fn sweep(db: &D1Database, env: &Env) -> ApiResult<usize> {
    let now = platform::now_ms();
    let waiting = rows::waiting_events(db, &time::iso8601(now - SWEEP_AFTER_MS), SWEEP_LIMIT).await?;
    for chunk in waiting.chunks(100) {
        let jobs: Vec<Job> = chunk.iter().map(|id| Job::Event(id.clone())).collect();
        env.queue(QUEUE)?.send_batch(jobs).await?;
    }
    rows::forget_before(db, &time::iso8601(now - RETENTION_MS)).await?;
    Ok(waiting.len())
}
