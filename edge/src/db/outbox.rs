//! The webhook outbox and its deliveries (tables of migrations/0009).
//!
//! An event row is written in the batch of the change it reports (`record`),
//! only when that change happened (its `Guard`) and only when the account has
//! an enabled endpoint subscribed to its type, so accounts without webhooks pay
//! nothing but the check. The queue consumer fans it out (`fan_out`: the signed
//! body rendered once, one delivery per endpoint) and delivers each delivery.

use super::guard::Guard;
use super::DbResult;
use crate::domain::rewards::Side;
use crate::domain::trust::AwardStatus;
use crate::domain::webhooks::{DeliveryStatus, EventType};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement, D1Result};

/// An event to record with a change.
pub struct Event<'a> {
    pub id: String,
    pub account_id: &'a str,
    pub kind: EventType,
    /// What changed: the entry, purchase, award… the payload is rendered from.
    pub subject_id: &'a str,
    pub created_at: &'a str,
}

impl<'a> Event<'a> {
    /// A new event (a fresh `evt_` id) of the account about `subject_id`.
    pub fn new(account_id: &'a str, kind: EventType, subject_id: &'a str, created_at: &'a str) -> Self {
        Self { id: crate::platform::new_id("evt"), account_id, kind, subject_id, created_at }
    }
}

/// Every event insert here binds `?1` its id, `?2` its type and `?3` its
/// time, then what it needs from `?4` on.
const INSERT_EVENT: &str = "INSERT INTO webhook_events (id, account_id, type, subject_id, created_at) ";

/// The condition every event insert ends with: an enabled endpoint of
/// `account` (an SQL expression) listens for the type; `RETURNING` tells the
/// batch what was written (`written_in`).
fn listened_to(account: &str) -> String {
    [
        " AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = ",
        account,
        " AND w.enabled = 1 AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?2))
         RETURNING id AS outbox_event_id",
    ]
    .concat()
}

/// The event's insert, if `guard` holds and an enabled endpoint of the
/// account listens for its type.
pub fn record(db: &D1Database, e: &Event, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(6);
    let sql = [INSERT_EVENT, "SELECT ?1, ?4, ?2, ?5, ?3 WHERE ", &condition, &listened_to("?4")].concat();
    Ok(query!(db, &sql, &e.id, e.kind.as_str(), e.created_at, e.account_id, e.subject_id, guard_id)?)
}

/// `record` for a purchase known by its order (`e.subject_id`): the subject
/// becomes the id of the contest's purchase of that order.
pub fn record_for_order(db: &D1Database, e: &Event, contest_id: &str, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(7);
    let sql = [
        INSERT_EVENT,
        "SELECT ?1, ?4, ?2, p.id, ?3 FROM purchases p WHERE p.contest_id = ?5 AND p.order_id = ?6 AND ",
        &condition,
        &listened_to("?4"),
    ]
    .concat();
    Ok(query!(db, &sql, &e.id, e.kind.as_str(), e.created_at, e.account_id, contest_id, e.subject_id, guard_id)?)
}

#[derive(Deserialize)]
struct Id {
    id: String,
}

/// An event a statement of this module wrote (`RETURNING id AS outbox_event_id`:
/// a name no other statement answers, so a batch's results can be scanned).
#[derive(Deserialize)]
struct Written {
    outbox_event_id: Option<String>,
}

/// The id `record`'s statement wrote, if it wrote one.
pub fn written(result: &D1Result) -> DbResult<Option<String>> {
    Ok(super::first_of::<Written>(result)?.and_then(|r| r.outbox_event_id))
}

/// Every event a batch wrote, whichever of its statements wrote them: the use
/// case answers them in its `Committed`, and `ctx.commit` sends them.
pub fn written_in(results: &super::Results) -> DbResult<Vec<String>> {
    let mut ids = Vec::new();
    for result in results.all() {
        ids.extend(result.results::<Written>()?.into_iter().filter_map(|r| r.outbox_event_id));
    }
    Ok(ids)
}

/// An award event's insert up to its conditions: the subject is the ledger
/// row's id, as text; the account is its contest's.
const AWARD_EVENT: &str = "SELECT ?1, c.account_id, ?2, CAST(l.id AS TEXT), ?3
  FROM ledger l JOIN contests c ON c.id = l.contest_id WHERE ";

/// `award.created` for the award (entry, reason, ref) if this batch wrote it
/// (its `created_at` is the batch's time: a retry's row is older).
pub fn award_created(
    db: &D1Database,
    entry_id: &str,
    reason: &str,
    ref_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    let condition = "l.entry_id = ?4 AND l.reason = ?5 AND l.ref_id = ?6 AND l.created_at = ?3";
    let sql = [INSERT_EVENT, AWARD_EVENT, condition, &listened_to("c.account_id")].concat();
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &sql, &id, EventType::AwardCreated.as_str(), now, entry_id, reason, ref_id)?)
}

/// `reward.earned` or `reward.redeemed` for the rewards row (entry, side,
/// kind, ref) if this batch wrote it (its `created_at` is the batch's time).
/// `rewards::event` calls it with a reward's fields.
pub(super) fn reward_event(
    db: &D1Database,
    entry_id: &str,
    side: Side,
    ref_id: &str,
    created_at: &str,
    redeemed: bool,
) -> DbResult<D1PreparedStatement> {
    let (kind, row_kind) =
        if redeemed { (EventType::RewardRedeemed, "redeemed") } else { (EventType::RewardEarned, "earned") };
    let sql = [
        INSERT_EVENT,
        "SELECT ?1, c.account_id, ?2, CAST(r.id AS TEXT), ?3 FROM rewards r JOIN contests c ON c.id = r.contest_id
          WHERE r.entry_id = ?4 AND r.side = ?5 AND r.kind = ?6 AND r.ref_id = ?7 AND r.created_at = ?3",
        &listened_to("c.account_id"),
    ]
    .concat();
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &sql, &id, kind.as_str(), created_at, entry_id, side.as_str(), row_kind, ref_id)?)
}

/// `reward.earned` for the referee reward of the entry `friend` (an SQL
/// expression on `?4`, bound to `subject`) if this batch (`now`) wrote it.
pub fn referee_reward_event(
    db: &D1Database,
    friend: &str,
    subject: impl serde::Serialize,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    let sql = [
        INSERT_EVENT,
        "SELECT ?1, c.account_id, ?2, CAST(r.id AS TEXT), ?3 FROM rewards r JOIN contests c ON c.id = r.contest_id
          WHERE r.entry_id = ",
        friend,
        " AND r.side = 'referee' AND r.kind = 'earned' AND r.created_at = ?3",
        &listened_to("c.account_id"),
    ]
    .concat();
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &sql, &id, EventType::RewardEarned.as_str(), now, subject)?)
}

#[derive(Deserialize)]
pub struct RewardRow {
    pub id: i64,
    pub entry_id: String,
    pub contest_id: String,
    pub side: Side,
    pub amount: f64,
    pub ref_id: String,
    pub note: Option<String>,
    pub created_at: String,
}

/// A rewards row by id (a reward event's subject).
pub async fn find_reward(db: &D1Database, id: i64) -> DbResult<Option<RewardRow>> {
    super::first(query!(
        db,
        "SELECT id, entry_id, contest_id, side, amount, ref_id, note, created_at FROM rewards WHERE id = ?1",
        id
    )?)
    .await
}

/// `award.confirmed` or `award.rejected` for an award this batch moved to
/// `status` (reviewed now).
pub fn award_settled(db: &D1Database, award_id: i64, status: AwardStatus, now: &str) -> DbResult<D1PreparedStatement> {
    let kind = if status == AwardStatus::Confirmed { EventType::AwardConfirmed } else { EventType::AwardRejected };
    let condition = "l.id = ?4 AND l.status = ?5 AND l.reviewed_at = ?3";
    let sql = [INSERT_EVENT, AWARD_EVENT, condition, &listened_to("c.account_id")].concat();
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &sql, &id, kind.as_str(), now, award_id, status.as_str())?)
}

#[derive(Deserialize)]
pub struct EventRow {
    pub id: String,
    pub account_id: String,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub subject_id: String,
    pub payload: Option<String>,
    pub created_at: String,
}

pub async fn find_event(db: &D1Database, id: &str) -> DbResult<Option<EventRow>> {
    super::first(query!(
        db,
        "SELECT id, account_id, type, subject_id, payload, created_at FROM webhook_events WHERE id = ?1",
        id
    )?)
    .await
}

/// Fans an event out, in one batch: its body is kept (the first rendering
/// wins, so every attempt signs the same bytes), and a delivery is made for
/// each enabled endpoint listening for its type (a ping: its endpoint only)
/// that has none yet. Answers the new deliveries' ids: only they go to the
/// queue, so a second fan-out of the same event sends nothing twice.
pub async fn fan_out(db: &D1Database, event: &EventRow, payload: &str, now: &str) -> DbResult<Vec<String>> {
    let keep = query!(
        db,
        "UPDATE webhook_events SET payload = COALESCE(payload, ?2), fanned_out_at = COALESCE(fanned_out_at, ?3)
         WHERE id = ?1",
        &event.id,
        payload,
        now
    )?;
    let deliveries = query!(
        db,
        "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, created_at, updated_at)
         SELECT 'msg_' || lower(hex(randomblob(16))), ?1, w.id, ?4, ?4 FROM webhook_endpoints w
          WHERE w.account_id = ?2 AND w.enabled = 1
            AND (CASE WHEN ?3 = 'ping' THEN w.id = ?5
                      ELSE EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?3) END)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING
         RETURNING id",
        &event.id,
        &event.account_id,
        event.kind.as_str(),
        now,
        &event.subject_id
    )?;
    let mut batch = super::Batch::new();
    batch.push(keep);
    let deliveries = batch.push(deliveries);
    let made = deliveries.rows::<Id>(&batch.run(db).await?)?;
    Ok(made.into_iter().map(|r| r.id).collect())
}

/// Events the queue never fanned out (the worker stopped between its batch
/// and the send, or the send failed), written before `before`; oldest first.
pub async fn waiting_events(db: &D1Database, before: &str, limit: u32) -> DbResult<Vec<String>> {
    let rows: Vec<Id> = super::all(query!(
        db,
        "SELECT id FROM webhook_events WHERE fanned_out_at IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2",
        before,
        limit
    )?)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Deletes deliveries made before `before`, then events with none left that
/// were fanned out before it (kept 30 days: the cron's retention).
pub async fn forget_before(db: &D1Database, before: &str) -> DbResult<()> {
    let deliveries = query!(db, "DELETE FROM webhook_deliveries WHERE created_at < ?1", before)?;
    let events = query!(
        db,
        "DELETE FROM webhook_events WHERE created_at < ?1 AND fanned_out_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)",
        before
    )?;
    super::batch(db, vec![deliveries, events]).await?;
    Ok(())
}

/// A delivery with what an attempt needs: where, the keys, the body.
#[derive(Deserialize)]
pub struct DeliveryJob {
    pub id: String,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub endpoint_id: String,
    pub url: String,
    #[serde(deserialize_with = "super::flag")]
    pub enabled: bool,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_expires_at: Option<String>,
    pub payload: Option<String>,
}

pub async fn delivery_job(db: &D1Database, id: &str) -> DbResult<Option<DeliveryJob>> {
    super::first(query!(
        db,
        "SELECT d.id, d.status, d.attempts, d.endpoint_id, w.url, w.enabled, w.secret, w.previous_secret,
                w.previous_expires_at, e.payload
           FROM webhook_deliveries d
           JOIN webhook_endpoints w ON w.id = d.endpoint_id
           JOIN webhook_events e ON e.id = d.event_id
          WHERE d.id = ?1",
        id
    )?)
    .await
}

/// What one attempt gave.
pub struct Attempt<'a> {
    pub status_code: Option<u16>,
    pub duration_ms: i64,
    pub answer: Option<&'a str>,
    pub error: Option<&'a str>,
    pub at: &'a str,
}

/// How a delivery stands after an attempt.
pub enum Outcome<'a> {
    Succeeded,
    /// Another attempt at this time.
    RetryAt(&'a str),
    /// No attempt left: failed for good.
    Failed,
}

/// Records an attempt, in one batch with what it means for the endpoint: a
/// success resets its run of failures; a delivery failed for good adds to it,
/// and the 20th in a row disables the endpoint with the reason.
pub async fn record_attempt(
    db: &D1Database,
    job: &DeliveryJob,
    attempt: &Attempt<'_>,
    outcome: Outcome<'_>,
    disable_after: u32,
) -> DbResult<()> {
    let (status, next) = match outcome {
        Outcome::Succeeded => (DeliveryStatus::Succeeded, None),
        Outcome::RetryAt(at) => (DeliveryStatus::Pending, Some(at)),
        Outcome::Failed => (DeliveryStatus::Failed, None),
    };
    let delivery = query!(
        db,
        "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, last_status_code = ?3,
                last_duration_ms = ?4, last_answer = ?5, last_error = ?6, next_retry_at = ?7, updated_at = ?8
          WHERE id = ?1 AND status = 'pending'",
        &job.id,
        status.as_str(),
        attempt.status_code,
        attempt.duration_ms,
        attempt.answer,
        attempt.error,
        next,
        attempt.at
    )?;
    let mut statements = vec![delivery];
    match status {
        DeliveryStatus::Succeeded => statements.push(query!(
            db,
            "UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ?1",
            &job.endpoint_id
        )?),
        DeliveryStatus::Failed => statements.push(failed_for_good(db, &job.endpoint_id, disable_after, attempt.at)?),
        DeliveryStatus::Pending => {}
    }
    super::batch(db, statements).await?;
    Ok(())
}

/// One more delivery of the endpoint failed for good; at `disable_after` in a
/// row it is disabled, with the reason.
fn failed_for_good(db: &D1Database, endpoint_id: &str, disable_after: u32, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE webhook_endpoints
            SET consecutive_failures = consecutive_failures + 1,
                enabled = CASE WHEN consecutive_failures + 1 >= ?2 THEN 0 ELSE enabled END,
                disabled_reason = CASE WHEN consecutive_failures + 1 >= ?2 AND enabled = 1
                    THEN 'Disabled after ' || CAST(?2 AS INTEGER) || ' failed deliveries in a row' ELSE disabled_reason END,
                updated_at = ?3
          WHERE id = ?1",
        endpoint_id,
        disable_after,
        now
    )?)
}

/// A delivery that cannot be attempted (its endpoint disabled or gone, or the
/// queue gave up on it: the dead-letter queue) fails for good with `error`.
pub async fn give_up(db: &D1Database, id: &str, error: &str, disable_after: u32, now: &str) -> DbResult<()> {
    let Some(job) = delivery_job(db, id).await? else { return Ok(()) };
    let delivery = query!(
        db,
        "UPDATE webhook_deliveries SET status = 'failed', last_error = ?2, next_retry_at = NULL, updated_at = ?3
          WHERE id = ?1 AND status = 'pending'",
        id,
        error,
        now
    )?;
    let mut statements = vec![delivery];
    if job.enabled && job.status == DeliveryStatus::Pending {
        statements.push(failed_for_good(db, &job.endpoint_id, disable_after, now)?);
    }
    super::batch(db, statements).await?;
    Ok(())
}

/// An endpoint of the account, as a test ping needs it.
#[derive(Deserialize)]
pub struct PingTarget {
    pub id: String,
    #[serde(deserialize_with = "super::flag")]
    pub enabled: bool,
}

pub async fn ping_target(db: &D1Database, account_id: &str, endpoint_id: &str) -> DbResult<Option<PingTarget>> {
    super::first(query!(
        db,
        "SELECT id, enabled FROM webhook_endpoints WHERE id = ?1 AND account_id = ?2",
        endpoint_id,
        account_id
    )?)
    .await
}

/// Writes a `ping` event for the endpoint; its id when written (the endpoint
/// is enabled).
pub async fn record_ping(db: &D1Database, account_id: &str, endpoint_id: &str, now: &str) -> DbResult<Option<String>> {
    let sql = [
        INSERT_EVENT,
        "SELECT ?1, w.account_id, ?2, w.id, ?3 FROM webhook_endpoints w
          WHERE w.id = ?4 AND w.account_id = ?5 AND w.enabled = 1
         RETURNING id AS outbox_event_id",
    ]
    .concat();
    let id = crate::platform::new_id("evt");
    let statement = query!(db, &sql, &id, EventType::Ping.as_str(), now, endpoint_id, account_id)?;
    written(&super::run(statement).await?)
}

/// A delivery of the account, with its state and its endpoint's.
#[derive(Deserialize)]
pub struct OwnedDelivery {
    pub id: String,
    pub status: DeliveryStatus,
    #[serde(deserialize_with = "super::flag")]
    pub enabled: bool,
}

pub async fn owned_delivery(db: &D1Database, account_id: &str, delivery_id: &str) -> DbResult<Option<OwnedDelivery>> {
    super::first(query!(
        db,
        "SELECT d.id, d.status, w.enabled FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
          WHERE d.id = ?1 AND w.account_id = ?2",
        delivery_id,
        account_id
    )?)
    .await
}

/// Starts a settled delivery over (attempts from 0, same id); false when it
/// was pending already (a concurrent redelivery, or attempts still to come).
pub async fn restart(db: &D1Database, delivery_id: &str, now: &str) -> DbResult<bool> {
    let result = super::run(query!(
        db,
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_retry_at = NULL, updated_at = ?2
          WHERE id = ?1 AND status != 'pending'",
        delivery_id,
        now
    )?)
    .await?;
    Ok(super::changed(&result))
}

/// What an erasure (`entries::erase`) does to stored webhook bodies, in its
/// batch: every body of the account that names the person (their entry id,
/// email or display email, as JSON strings) keeps only its type, timestamp and
/// `{"id": subject}` (what an event of an erased subject is rendered as), and
/// its deliveries forget the receiver's answers (which may echo the body). A
/// redelivery then sends the scrubbed body. Events not yet fanned out have no
/// body: theirs is rendered from the erased entry.
pub fn scrub_person(
    db: &D1Database,
    contest_id: &str,
    entry_id: &str,
    email: &str,
    email_display: &str,
) -> DbResult<Vec<D1PreparedStatement>> {
    const NAMES: &str = "account_id = (SELECT account_id FROM contests WHERE id = ?1) AND payload IS NOT NULL
           AND (instr(payload, '\"' || ?2 || '\"') > 0 OR instr(payload, '\"' || ?3 || '\"') > 0
                OR instr(payload, '\"' || ?4 || '\"') > 0)";
    let answers = [
        "UPDATE webhook_deliveries SET last_answer = NULL WHERE event_id IN (SELECT id FROM webhook_events WHERE ",
        NAMES,
        ")",
    ]
    .concat();
    let bodies = [
        "UPDATE webhook_events SET payload = json_object('type', type, 'timestamp', json_extract(payload, '$.timestamp'),
           'data', json_object('id', subject_id)) WHERE ",
        NAMES,
    ]
    .concat();
    Ok(vec![
        query!(db, &answers, contest_id, entry_id, email, email_display)?,
        query!(db, &bodies, contest_id, entry_id, email, email_display)?,
    ])
}
