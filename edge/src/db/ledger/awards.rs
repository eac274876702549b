//! Writing awards: once per cause, guarded, each with its entry's totals and
//! its webhook event; a verified purchase's award from the trusted figures.

use super::{recompute_total, Award, Guard};
use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::Hold;
use worker::{query, D1Database, D1PreparedStatement};

/// The award insert of `insert`, guarded by `condition` (on `?8`).
pub(in crate::db) fn insert_sql(condition: &str) -> String {
    [
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10, ?11 WHERE ",
        condition,
        " ON CONFLICT (entry_id, reason, ref_id) DO NOTHING",
    ]
    .concat()
}

/// Both award inserts' one bind list: the award `$a` as `?1` to `?7`, the
/// guard's id `?8`, then the insert's own values from `?9` on.
macro_rules! bind_award {
    ($db:expr, $sql:expr, $a:expr, $guard_id:expr, $($own:expr),+) => {
        query!(
            $db,
            $sql,
            $a.entry_id,
            $a.contest_id,
            $a.delta,
            $a.reason.as_str(),
            $a.ref_id,
            $a.note,
            $a.created_at,
            $guard_id,
            $($own),+
        )
    };
}

/// Writes an award once per cause, if `guard` holds.
pub fn insert(db: &D1Database, a: &Award, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    let sql = insert_sql(&condition);
    Ok(bind_award!(db, &sql, a, guard_id, a.status().as_str(), a.hold.map(Hold::as_str), a.confirm_after)?)
}

/// An award and its entry's recomputed totals: the pair every award writes,
/// in this order, in the caller's batch. (Its `award.created` event is
/// written by the insert's trigger, migration 0027, and read back by
/// `outbox::triggered_events`.)
pub fn award(db: &D1Database, a: &Award, guard: Guard) -> DbResult<[D1PreparedStatement; 2]> {
    Ok([insert(db, a, guard)?, recompute_total(db, a.entry_id, a.created_at)?])
}

/// `insert_sql` for a referral award of a screened (tracker) signup: status,
/// hold and due date are the `[status, hold, confirm_after]` that `?9` (JSON,
/// one per `trust::Counted`) gives for what the signup's own insert counted
/// (`screen_counts` of the entry `?10`, written earlier in the batch).
pub(in crate::db) fn insert_screened_sql(condition: &str) -> String {
    let pick = |i: &str| ["json_extract(?9, '$[' || e.screen_counts || '][", i, "]')"].concat();
    [
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ",
        &pick("0"),
        ", ",
        &pick("1"),
        ", ",
        &pick("2"),
        " FROM entries e WHERE e.id = ?10 AND e.screen_counts IS NOT NULL AND ",
        condition,
        " ON CONFLICT (entry_id, reason, ref_id) DO NOTHING",
    ]
    .concat()
}

/// `award` for a referral of the screened signup `signup_id`: its status,
/// hold and due date are chosen among `outcomes` by the batch's count (the
/// award's own `hold` and `confirm_after` are not used).
pub fn award_screened(
    db: &D1Database,
    a: &Award,
    outcomes: &str,
    signup_id: &EntryId,
    guard: Guard,
) -> DbResult<[D1PreparedStatement; 2]> {
    Ok([insert_screened(db, a, outcomes, signup_id, guard)?, recompute_total(db, a.entry_id, a.created_at)?])
}

/// `insert` for a referral award of the screened signup `signup_id`
/// (`insert_screened_sql`).
fn insert_screened(
    db: &D1Database,
    a: &Award,
    outcomes: &str,
    signup_id: &EntryId,
    guard: Guard,
) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    Ok(bind_award!(db, &insert_screened_sql(&condition), a, guard_id, outcomes, signup_id)?)
}

pub(in crate::db) const VERIFIED_PURCHASE_AWARD: &str = "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold)
         SELECT ?1, ?2, remaining, 'purchase', id, ?4, ?5, CASE WHEN remaining > 0 THEN ?6 ELSE 'rejected' END, ?7
         FROM (SELECT p.id, ?3 - CAST(ROUND(?3 * MIN(1.0, MAX(0.0, p.refunded_amount / p.amount))) AS INTEGER) AS remaining
               FROM purchases p WHERE p.contest_id = ?8 AND p.order_id = ?9 AND p.verify_token = ?10)
         WHERE 1
         ON CONFLICT (entry_id, reason, ref_id) DO UPDATE SET
           delta = excluded.delta, status = excluded.status, hold = excluded.hold, note = excluded.note,
           confirm_after = NULL, reviewed_at = excluded.created_at";

/// The award a verified purchase confirms, from the trusted figures: written,
/// or (when the browser's claim already wrote one for this entry) replaced, but
/// only if the purchase was verified by this very batch (`token`). A refund
/// made before verification stays taken back: the award is on what remains
/// (`points::refund_points` in SQL: the refunded share of the award, rounded
/// half away from zero), and rejected when nothing remains.
pub fn award_verified_purchase(
    db: &D1Database,
    a: &Award,
    contest_id: &ContestId,
    order_id: &str,
    token: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        VERIFIED_PURCHASE_AWARD,
        a.entry_id,
        a.contest_id,
        a.delta,
        a.note,
        a.created_at,
        a.status().as_str(),
        a.hold.map(Hold::as_str),
        contest_id,
        order_id,
        token
    )?)
}
