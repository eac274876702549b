//! From an event to its deliveries: the event and its subject read back, the
//! body kept and one delivery made per listening endpoint; events the queue
//! missed, and the retention.

use crate::db::DbResult;
use crate::domain::ids::{AccountId, ContestId, DeliveryId, EntryId, EventId};
use crate::domain::rewards::Side;
use crate::domain::webhooks::EventType;
use serde::Deserialize;
use worker::{query, D1Database};

#[derive(Deserialize)]
struct Id<T> {
    id: T,
}

#[derive(Deserialize)]
pub struct RewardRow {
    pub id: i64,
    pub entry_id: EntryId,
    pub contest_id: ContestId,
    pub side: Side,
    pub amount: f64,
    pub ref_id: String,
    pub note: Option<String>,
    pub created_at: String,
}

pub(in crate::db) const REWARD: &str =
    "SELECT id, entry_id, contest_id, side, amount, ref_id, note, created_at FROM rewards WHERE id = ?1";

/// A rewards row by id (a reward event's subject).
pub async fn find_reward(db: &D1Database, id: i64) -> DbResult<Option<RewardRow>> {
    crate::db::first(query!(db, REWARD, id)?).await
}

#[derive(Deserialize)]
pub struct EventRow {
    pub id: EventId,
    pub account_id: AccountId,
    #[serde(rename = "type")]
    pub kind: EventType,
    pub subject_id: String,
    pub payload: Option<String>,
    pub created_at: String,
}

pub(in crate::db) const EVENT: &str =
    "SELECT id, account_id, type, subject_id, payload, created_at FROM webhook_events WHERE id = ?1";

pub async fn find_event(db: &D1Database, id: &EventId) -> DbResult<Option<EventRow>> {
    crate::db::first(query!(db, EVENT, id)?).await
}

pub(in crate::db) const KEEP_BODY: &str =
    "UPDATE webhook_events SET payload = COALESCE(payload, ?2), fanned_out_at = COALESCE(fanned_out_at, ?3)
         WHERE id = ?1";

pub(in crate::db) const MAKE_DELIVERIES: &str =
    "INSERT INTO webhook_deliveries (id, event_id, endpoint_id, created_at, updated_at)
         SELECT 'msg_' || lower(hex(randomblob(16))), ?1, w.id, ?4, ?4 FROM webhook_endpoints w
          WHERE w.account_id = ?2 AND w.enabled = 1
            AND (CASE WHEN ?3 = 'ping' THEN w.id = ?5
                      ELSE EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = ?3) END)
         ON CONFLICT (event_id, endpoint_id) DO NOTHING
         RETURNING id";

/// Fans an event out, in one batch: its body is kept (the first rendering
/// wins, so every attempt signs the same bytes), and a delivery is made for
/// each enabled endpoint listening for its type (a ping: its endpoint only)
/// that has none yet. Answers the new deliveries' ids: only they go to the
/// queue, so a second fan-out of the same event sends nothing twice.
pub async fn fan_out(db: &D1Database, event: &EventRow, payload: &str, now: &str) -> DbResult<Vec<DeliveryId>> {
    let keep = query!(db, KEEP_BODY, &event.id, payload, now)?;
    let deliveries =
        query!(db, MAKE_DELIVERIES, &event.id, &event.account_id, event.kind.as_str(), now, &event.subject_id)?;
    let mut batch = crate::db::Batch::new();
    batch.push(keep);
    let deliveries = batch.push(deliveries);
    let made = deliveries.rows::<Id<DeliveryId>>(&batch.run(db).await?)?;
    Ok(made.into_iter().map(|r| r.id).collect())
}

pub(in crate::db) const WAITING_EVENTS: &str =
    "SELECT id FROM webhook_events WHERE fanned_out_at IS NULL AND created_at < ?1 ORDER BY created_at LIMIT ?2";

/// Events the queue never fanned out (the worker stopped between its batch
/// and the send, or the send failed), written before `before`; oldest first.
pub async fn waiting_events(db: &D1Database, before: &str, limit: u32) -> DbResult<Vec<EventId>> {
    let rows: Vec<Id<EventId>> = crate::db::all(query!(db, WAITING_EVENTS, before, limit)?).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

pub(in crate::db) const FORGET_DELIVERIES: &str = "DELETE FROM webhook_deliveries WHERE created_at < ?1";

pub(in crate::db) const FORGET_EVENTS: &str =
    "DELETE FROM webhook_events WHERE created_at < ?1 AND fanned_out_at IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id)";

/// Deletes deliveries made before `before`, then events with none left that
/// were fanned out before it (kept 30 days: the cron's retention).
pub async fn forget_before(db: &D1Database, before: &str) -> DbResult<()> {
    let deliveries = query!(db, FORGET_DELIVERIES, before)?;
    let events = query!(db, FORGET_EVENTS, before)?;
    crate::db::batch(db, vec![deliveries, events]).await?;
    Ok(())
}
