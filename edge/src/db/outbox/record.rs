//! Writing events: each in the batch of the change it reports, only when the
//! change happened and an enabled endpoint listens; a test ping's.

use super::{listened_to, new_event_id, written, Event, INSERT_EVENT};
use crate::db::guard::Guard;
use crate::db::DbResult;
use crate::domain::ids::{AccountId, ContestId, EndpointId, EntryId, EventId};
use crate::domain::rewards::Side;
use crate::domain::webhooks::EventType;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// The event's insert, if `guard` holds and an enabled endpoint of the
/// account listens for its type.
pub fn record(db: &D1Database, e: &Event, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(6);
    Ok(query!(db, &record_sql(&condition), &e.id, e.kind.as_str(), e.created_at, e.account_id, e.subject_id, guard_id)?)
}

/// The insert of `record`, guarded by `condition` (on `?6`).
pub(in crate::db) fn record_sql(condition: &str) -> String {
    [INSERT_EVENT, "SELECT ?1, ?4, ?2, ?5, ?3 WHERE ", condition, &listened_to("?4")].concat()
}

/// `record` for a purchase known by its order (`e.subject_id`): the subject
/// becomes the id of the contest's purchase of that order.
pub fn record_for_order(
    db: &D1Database,
    e: &Event,
    contest_id: &ContestId,
    guard: Guard,
) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(7);
    let sql = record_for_order_sql(&condition);
    Ok(query!(db, &sql, &e.id, e.kind.as_str(), e.created_at, e.account_id, contest_id, e.subject_id, guard_id)?)
}

/// The insert of `record_for_order`, guarded by `condition` (on `?7`).
pub(in crate::db) fn record_for_order_sql(condition: &str) -> String {
    [
        INSERT_EVENT,
        "SELECT ?1, ?4, ?2, p.id, ?3 FROM purchases p WHERE p.contest_id = ?5 AND p.order_id = ?6 AND ",
        condition,
        &listened_to("?4"),
    ]
    .concat()
}

/// `reward.earned` or `reward.redeemed` for the rewards row (entry, side,
/// kind, ref) if this batch wrote it (its `created_at` is the batch's time).
/// `rewards::event` calls it with a reward's fields.
pub(in crate::db) fn reward_event(
    db: &D1Database,
    entry_id: &EntryId,
    side: Side,
    ref_id: &str,
    created_at: &str,
    redeemed: bool,
) -> DbResult<D1PreparedStatement> {
    let (kind, row_kind) =
        if redeemed { (EventType::RewardRedeemed, "redeemed") } else { (EventType::RewardEarned, "earned") };
    let id = new_event_id();
    Ok(query!(db, &reward_event_sql(), &id, kind.as_str(), created_at, entry_id, side.as_str(), row_kind, ref_id)?)
}

pub(in crate::db) fn reward_event_sql() -> String {
    [
        INSERT_EVENT,
        "SELECT ?1, c.account_id, ?2, CAST(r.id AS TEXT), ?3 FROM rewards r JOIN contests c ON c.id = r.contest_id
          WHERE r.entry_id = ?4 AND r.side = ?5 AND r.kind = ?6 AND r.ref_id = ?7 AND r.created_at = ?3",
        &listened_to("c.account_id"),
    ]
    .concat()
}

/// `reward.redeemed` for every redemption row of the payout `reference` of
/// the contest written for `entry_ids` (a JSON array), if this batch opened
/// the payout (its `token`). Event ids made in SQL: the rows may be many.
pub fn payout_events(
    db: &D1Database,
    reference: &str,
    entry_ids: &str,
    contest_id: &str,
    token: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    let kind = EventType::RewardRedeemed.as_str();
    Ok(query!(db, &payout_events_sql(), reference, kind, now, entry_ids, contest_id, token)?)
}

/// `payout_events`' insert: `?1` is the payout's reference (not an event id).
pub(in crate::db) fn payout_events_sql() -> String {
    [
        INSERT_EVENT,
        "SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, ?2, CAST(r.id AS TEXT), ?3
          FROM json_each(?4) j JOIN rewards r ON r.entry_id = j.value JOIN contests c ON c.id = r.contest_id
          WHERE r.kind = 'redeemed' AND r.ref_id = 'payout:' || ?1 AND r.contest_id = ?5 AND r.created_at = ?3
            AND EXISTS (SELECT 1 FROM payouts p WHERE p.contest_id = ?5 AND p.reference = ?1 AND p.token = ?6)",
        &listened_to("c.account_id"),
    ]
    .concat()
}

/// `reward.earned` for the referee reward of the entry `friend` (an SQL
/// expression on `?4`, bound to `subject`) if this batch (`now`) wrote it.
pub fn referee_reward_event(
    db: &D1Database,
    friend: &str,
    subject: impl serde::Serialize,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    let id = new_event_id();
    Ok(query!(db, &referee_reward_event_sql(friend), &id, EventType::RewardEarned.as_str(), now, subject)?)
}

pub(in crate::db) fn referee_reward_event_sql(friend: &str) -> String {
    [
        INSERT_EVENT,
        "SELECT ?1, c.account_id, ?2, CAST(r.id AS TEXT), ?3 FROM rewards r JOIN contests c ON c.id = r.contest_id
          WHERE r.entry_id = ",
        friend,
        " AND r.side = 'referee' AND r.kind = 'earned' AND r.created_at = ?3",
        &listened_to("c.account_id"),
    ]
    .concat()
}

/// An endpoint of the account, as a test ping needs it.
#[derive(Deserialize)]
pub struct PingTarget {
    pub id: EndpointId,
    #[serde(deserialize_with = "crate::db::flag")]
    pub enabled: bool,
}

pub(in crate::db) const PING_TARGET: &str =
    "SELECT id, enabled FROM webhook_endpoints WHERE id = ?1 AND account_id = ?2";

pub async fn ping_target(
    db: &D1Database,
    account_id: &AccountId,
    endpoint_id: &EndpointId,
) -> DbResult<Option<PingTarget>> {
    crate::db::first(query!(db, PING_TARGET, endpoint_id, account_id)?).await
}

/// Writes a `ping` event for the endpoint; its id when written (the endpoint
/// is enabled).
pub async fn record_ping(
    db: &D1Database,
    account_id: &AccountId,
    endpoint_id: &EndpointId,
    now: &str,
) -> DbResult<Option<EventId>> {
    let id = new_event_id();
    let statement = query!(db, &record_ping_sql(), &id, EventType::Ping.as_str(), now, endpoint_id, account_id)?;
    written(&crate::db::run(statement).await?)
}

pub(in crate::db) fn record_ping_sql() -> String {
    [
        INSERT_EVENT,
        "SELECT ?1, w.account_id, ?2, w.id, ?3 FROM webhook_endpoints w
          WHERE w.id = ?4 AND w.account_id = ?5 AND w.enabled = 1
         RETURNING id AS outbox_event_id",
    ]
    .concat()
}
