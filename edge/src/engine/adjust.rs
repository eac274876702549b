//! The owner's hand adjustment of an entry's points.

use super::Committed;
use crate::db::entries::EntryRow;
use crate::db::ledger::{Award, AwardRow, Guard, Reason};
use crate::db::{self, Batch};
use crate::domain::points::check_adjustment;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

pub struct Adjusted {
    /// False when this `ref_id` was applied before (a retry).
    pub applied: bool,
    pub row: AwardRow,
    /// The entry after.
    pub entry: EntryRow,
}

/// Adjusts an entry's points, once per `ref_id` (the `Idempotency-Key`, else
/// a fresh id). Within ± the contest's `maxPointsPerAdjustment` (its setting,
/// so 409 past it).
pub async fn adjust_points(
    db: &D1Database,
    entry: &EntryRow,
    points: i64,
    reason: &str,
    ref_id: &str,
) -> ApiResult<Committed<Adjusted>> {
    let contest =
        db::contests::find(db, &entry.contest_id).await?.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    check_adjustment(points, contest.max_points_per_adjustment).map_err(ApiError::Conflict)?;
    let now = platform::now_iso();
    let award = Award {
        entry_id: &entry.id,
        contest_id: &entry.contest_id,
        delta: points,
        reason: Reason::Adjustment,
        ref_id,
        note: Some(reason),
        created_at: &now,
        hold: None,
        confirm_after: None,
    };
    let mut batch = Batch::new();
    let [insert, rest @ ..] = db::ledger::award(db, &award, Guard::None)?;
    let insert = batch.push(insert);
    batch.extend(rest);
    let row = batch.push(db::ledger::select_for_ref(db, &entry.id, Reason::Adjustment, ref_id)?);
    let after = batch.push(db::entries::select_by_id(db, &entry.id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let row: AwardRow = row.first(&results)?.ok_or_else(|| ApiError::Internal("ledger row missing".into()))?;
    let entry: EntryRow = after.first(&results)?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    let events = db::outbox::written_in(&results)?;
    let applied = insert.changed(&results)?;
    Ok(Committed::new(Adjusted { applied, row, entry }, events))
}
