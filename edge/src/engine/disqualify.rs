//! Disqualifying an entry (off the leaderboard, credited nothing more) and
//! reinstating it.

use super::Committed;
use crate::db::entries::EntryRow;
use crate::db::ledger::Guard;
use crate::db::outbox::Event as OutboxEvent;
use crate::db::{self, Batch};
use crate::domain::ids::AccountId;
use crate::domain::webhooks::EventType;
use crate::error::ApiResult;
use crate::platform;
use worker::D1Database;

/// Disqualifies an entry or reinstates it, in one batch with the
/// `entry.disqualified` webhook event when it was not disqualified before.
pub async fn set_disqualified(
    db: &D1Database,
    account_id: &AccountId,
    entry: &EntryRow,
    disqualified: bool,
    reason: Option<&str>,
) -> ApiResult<Committed<()>> {
    let now = platform::now_iso();
    // A draw's pick the disqualification voids is refilled in the same batch.
    let refills = if disqualified && !entry.is_disqualified() {
        super::draws::refills_on_disqualify(db, &entry.id, &now).await?
    } else {
        Vec::new()
    };
    let mut batch = Batch::new();
    batch.push(db::entries::set_disqualified(db, &entry.id, disqualified, reason, &now)?);
    batch.extend(refills);
    if disqualified && !entry.is_disqualified() {
        let event = OutboxEvent::new(account_id, EventType::EntryDisqualified, &entry.id, &now);
        batch.push(db::outbox::record(db, &event, Guard::None)?);
    }
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    Ok(Committed::new((), db::outbox::written_in(&results)?))
}
