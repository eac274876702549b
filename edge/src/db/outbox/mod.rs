//! The webhook outbox and its deliveries (tables of migrations/0009).
//!
//! An event row is written in the batch of the change it reports (`record`),
//! only when that change happened (its `Guard`) and only when the account has
//! an enabled endpoint subscribed to its type, so accounts without webhooks pay
//! nothing but the check. The queue consumer fans it out (`fan_out`: the signed
//! body rendered once, one delivery per endpoint) and delivers each delivery.
//!
//! Here: the event, the SQL every event insert shares and reading back what a
//! batch wrote. Writing events is in `record`, fanning them out in `fan_out`,
//! delivering in `deliveries`, erasure's part in `scrub`; their items are
//! re-exported here.

pub(super) mod contest_events;
pub(super) mod deliveries;
pub(super) mod fan_out;
pub(super) mod record;
pub(super) mod scrub;

pub use contest_events::{contest_ended, contest_finalized};
pub use deliveries::{
    delivery_job, give_up, owned_delivery, record_attempt, restart, Attempt, DeliveryJob, Outcome, OwnedDelivery,
};
pub use fan_out::{fan_out, find_event, find_reward, forget_before, waiting_events, EventRow, RewardRow};
pub(super) use record::reward_event;
pub use record::{payout_events, ping_target, record, record_for_order, record_ping, referee_reward_event, PingTarget};
pub use scrub::scrub_person;

use super::DbResult;
use crate::domain::ids::{AccountId, EventId};
use crate::domain::webhooks::EventType;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// An event to record with a change.
pub struct Event<'a> {
    pub id: EventId,
    pub account_id: &'a AccountId,
    pub kind: EventType,
    /// What changed: the entry, purchase, award… the payload is rendered from.
    pub subject_id: &'a str,
    pub created_at: &'a str,
}

impl<'a> Event<'a> {
    /// A new event (a fresh `evt_` id) of the account about `subject_id`.
    pub fn new(account_id: &'a AccountId, kind: EventType, subject_id: &'a str, created_at: &'a str) -> Self {
        Self { id: new_event_id(), account_id, kind, subject_id, created_at }
    }
}

/// A fresh `evt_` id.
fn new_event_id() -> EventId {
    EventId::new(crate::platform::new_id("evt"))
}

/// Every event insert here binds `?1` its id, `?2` its type and `?3` its
/// time, then what it needs from `?4` on.
const INSERT_EVENT: &str = "INSERT INTO webhook_events (id, account_id, type, subject_id, created_at) ";

/// The condition every event insert ends with: an enabled endpoint of
/// `account` (an SQL expression) listens for the type; `RETURNING` tells the
/// batch what was written (`written_in`).
/// Or a contest of the account has the email message the type sends on
/// (`engine::emails::message_for`): the event then carries the lifecycle email.
/// (`award.created`, `award.confirmed` and `award.rejected` are written by
/// migration 0027's triggers on the ledger, with the same two conditions.)
/// (`COUNT(*) > 0` over `json_each`: inside the CASE, an `EXISTS` there would be
/// planned as a join that scans it, which schema.spec refuses.)
fn listened_to(account: &str) -> String {
    [
        " AND CASE WHEN EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = ",
        account,
        " AND w.enabled = 1 AND (SELECT COUNT(*) FROM json_each(w.events) WHERE value = ?2) > 0)
          THEN 1 ELSE EXISTS (SELECT 1 FROM contests ec JOIN email_templates et ON et.contest_id = ec.id
                      WHERE ec.account_id = ",
        account,
        " AND et.enabled = 1 AND et.kind = CASE ?2 WHEN 'entry.created' THEN 'welcome'
                      WHEN 'contest.finalized' THEN 'contest.results' END) END
         RETURNING id AS outbox_event_id",
    ]
    .concat()
}

/// An event a statement of this module wrote (`RETURNING id AS outbox_event_id`:
/// a name no other statement answers, so a batch's results can be scanned).
#[derive(Deserialize)]
struct Written {
    outbox_event_id: Option<EventId>,
}

/// The id `record`'s statement wrote, if it wrote one.
pub fn written(result: &D1Result) -> DbResult<Option<EventId>> {
    Ok(super::first_of::<Written>(result)?.and_then(|r| r.outbox_event_id))
}

/// The events this batch's triggers wrote (at the batch's time `?1`): the
/// award events (migration 0027: every new ledger row, every row moved to
/// confirmed or rejected) and the `prize.*` events (0020). Read back so the use case sends them at once
/// (`written_in` reads `outbox_event_id`); the cron's sweep sends any other.
/// Another batch of the same millisecond may be read too: a fan-out is
/// idempotent.
pub(in crate::db) const TRIGGERED_EVENTS_AT: &str = "SELECT id AS outbox_event_id FROM webhook_events
  WHERE fanned_out_at IS NULL AND created_at = ?1
    AND type IN ('award.created', 'award.confirmed', 'award.rejected', 'prize.earned', 'prize.fulfilled', 'prize.voided')";

/// The statement reading back the events a batch at `now` wrote by trigger:
/// the last of every batch that writes ledger rows, moves confirmed totals or
/// moves prize awards.
pub fn triggered_events(db: &D1Database, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(worker::query!(db, TRIGGERED_EVENTS_AT, now)?)
}

/// Every event a batch wrote, whichever of its statements wrote them: the use
/// case answers them in its `Committed`, and `ctx.commit` sends them.
pub fn written_in(results: &super::Results) -> DbResult<Vec<EventId>> {
    let mut ids = Vec::new();
    for result in results.all() {
        for id in result.results::<Written>()?.into_iter().filter_map(|r| r.outbox_event_id) {
            // The triggered events a batch reads back may be read by two of its statements.
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}
