//! The owner's review of pending awards (one, or many at once), and the cron's
//! sweep that confirms held awards whose `holdDays` passed. Whatever moves an
//! award also settles what follows it in the same batch (`settled`).

use super::Committed;
use crate::db::ledger::AwardRow;
use crate::db::rewards::Friend;
use crate::db::{self, Batch, Handle};
use crate::domain::ids::ContestId;
use crate::domain::trust::AwardStatus;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::{D1Database, D1PreparedStatement};

/// An award after the owner's decision.
pub struct Decided {
    pub award: AwardRow,
    /// False when the award already was what the owner decided.
    pub changed: bool,
}

/// The owner's decision on one award: confirm or reject a pending one. The
/// same decision again changes nothing (`changed: false`); the opposite
/// decision on a settled award, or one that lands between our read and our
/// write, is a 409.
pub async fn review_award(db: &D1Database, award: &AwardRow, to: AwardStatus) -> ApiResult<Committed<Decided>> {
    if award.status != AwardStatus::Pending && award.status != to {
        return Err(ApiError::conflict(["Award is already ", award.status.as_str()].concat()));
    }
    let (confirm, reject) =
        if to == AwardStatus::Confirmed { (vec![award.id], vec![]) } else { (vec![], vec![award.id]) };
    let (moved, events) = review_awards(db, &award.contest_id, &confirm, &reject).await?.into_parts();
    let after = db::first::<AwardRow>(db::ledger::select_award(db, award.id)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Award not found"))?;
    if after.status != to {
        return Err(ApiError::conflict("Award was reviewed concurrently"));
    }
    Ok(Committed::new(Decided { award: after, changed: moved > 0 }, events))
}

/// The owner's review: confirms and rejects pending awards of a contest, in one
/// batch. Answers how many rows moved; rows not pending are left as they are.
/// Its events: `award.confirmed`/`rejected`, and what settling wrote.
pub async fn review_awards(
    db: &D1Database,
    contest_id: &ContestId,
    confirm: &[i64],
    reject: &[i64],
) -> ApiResult<Committed<u64>> {
    let now = platform::now_iso();
    let mut batch = Batch::new();
    let mut moves = Vec::with_capacity(confirm.len() + reject.len());
    let decisions = confirm
        .iter()
        .map(|id| (*id, AwardStatus::Confirmed))
        .chain(reject.iter().map(|id| (*id, AwardStatus::Rejected)));
    for (id, to) in decisions {
        moves.push(batch.push(db::ledger::review(db, id, contest_id, to, &now)?));
        batch.extend(settled(db, id, contest_id, &now)?);
    }
    if batch.is_empty() {
        return Ok(Committed::without_events(0));
    }
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    Ok(Committed::new(moved(&moves, &results)?, events))
}

/// How many of the one-row moves wrote their row (not D1's changes, which
/// count the triggers' too).
pub(super) fn moved(moves: &[Handle], results: &db::Results) -> ApiResult<u64> {
    let mut n = 0;
    for m in moves {
        n += u64::from(m.changed(results)?);
    }
    Ok(n)
}

/// What follows an award this batch (`now`) moved to `to`, in the same batch:
/// its entry's totals, its link (a referral's: confirmed, a held link counts;
/// rejected, the link goes), the friend's referee reward a confirmed referral
/// earns. (Its `award.confirmed` or `award.rejected` is written by the move's
/// trigger, migration 0027.)
pub(super) fn settled(
    db: &D1Database,
    id: i64,
    contest_id: &ContestId,
    now: &str,
) -> ApiResult<[D1PreparedStatement; 4]> {
    let [reward, reward_event] = db::rewards::earn_referee(db, Friend::OfAward(id), now)?;
    Ok([
        db::ledger::recompute_for_award(db, id, contest_id, now)?,
        db::entries::settle_link(db, id, now)?,
        reward,
        reward_event,
    ])
}

/// The scheduled sweep: pending awards whose `holdDays` passed confirm
/// themselves (review and velocity holds only; fraud holds never do).
/// Bounded per run; the next run takes the rest. Answers how many confirmed.
pub async fn confirm_due_holds(db: &D1Database) -> ApiResult<Committed<u64>> {
    const BATCH: u32 = 100;
    let mut confirmed = 0;
    let mut events = Vec::new();
    for _ in 0..10 {
        let now = platform::now_iso();
        let due = db::ledger::due(db, &now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let mut batch = Batch::new();
        let mut moves = Vec::with_capacity(due.len());
        for award in &due {
            moves.push(batch.push(db::ledger::confirm_due(db, award.id, &now)?));
            batch.extend(settled(db, award.id, &award.contest_id, &now)?);
        }
        // The events its triggers wrote (awards, prizes), sent with the rest.
        batch.push(db::outbox::triggered_events(db, &now)?);
        let results = batch.run(db).await?;
        confirmed += moved(&moves, &results)?;
        events.extend(db::outbox::written_in(&results)?);
        if (due.len() as u32) < BATCH {
            break;
        }
    }
    Ok(Committed::new(confirmed, events))
}
