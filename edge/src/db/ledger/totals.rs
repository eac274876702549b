//! An entry's `total_points` and `pending_points`, recomputed from its rows,
//! with its `confirmed_referrals` (its confirmed `referral_advocate` rows) and
//! `points_reached_at` (the batch's time, when the confirmed total moved: the
//! final standings' tie-breaker). The prize triggers of migrations/0020 fire
//! on this update: milestones are earned and voided by it.

use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use worker::{query, D1Database, D1PreparedStatement};

const RECOMPUTE: &str = "UPDATE entries SET
   total_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'confirmed'),
   pending_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'pending'),
   confirmed_referrals = (SELECT COUNT(*) FROM ledger
     WHERE entry_id = entries.id AND reason = 'referral_advocate' AND status = 'confirmed'),
   points_reached_at = CASE
     WHEN total_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'confirmed')
     THEN points_reached_at ELSE ?1 END,
   updated_at = ?1
 WHERE ";

fn recompute(condition: &str) -> String {
    [RECOMPUTE, condition].concat()
}

pub(in crate::db) fn recompute_total_sql() -> String {
    recompute("id = ?2")
}

/// Sets the entry's totals to the sums of its confirmed and pending rows.
pub fn recompute_total(db: &D1Database, entry_id: &EntryId, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_total_sql(), now, entry_id)?)
}

pub(in crate::db) fn recompute_for_order_sql() -> String {
    recompute(
        "id IN (SELECT entry_id FROM ledger WHERE reason = 'purchase'
           AND ref_id = (SELECT id FROM purchases WHERE contest_id = ?2 AND order_id = ?3))",
    )
}

/// Recomputes every entry holding an award of the purchase of `order_id`.
pub fn recompute_for_order(
    db: &D1Database,
    contest_id: &ContestId,
    order_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_for_order_sql(), now, contest_id, order_id)?)
}

pub(in crate::db) fn recompute_referrer_of_sql() -> String {
    recompute("id = (SELECT referred_by_entry_id FROM entries WHERE id = ?2)")
}

/// Recomputes whoever referred `entry_id`.
pub fn recompute_referrer_of(db: &D1Database, entry_id: &EntryId, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_referrer_of_sql(), now, entry_id)?)
}

pub(in crate::db) fn recompute_for_award_sql() -> String {
    recompute("id = (SELECT entry_id FROM ledger WHERE id = ?2 AND contest_id = ?3)")
}

/// Recomputes the entry an award of `contest_id` belongs to.
pub fn recompute_for_award(
    db: &D1Database,
    award_id: i64,
    contest_id: &ContestId,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_for_award_sql(), now, award_id, contest_id)?)
}
