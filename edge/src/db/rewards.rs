//! The monetary rewards ledger (double-sided referral rewards and payouts).
//! Balances are sums of its rows: earned rows are positive, redemptions negative.

use super::ledger::Guard;
use crate::domain::rewards::Side;
use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub struct Reward<'a> {
    pub entry_id: &'a str,
    pub contest_id: &'a str,
    pub side: Side,
    pub amount: f64,
    /// The cause; (entry, side, kind, ref) is unique, so a cause rewards once.
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
}

/// The insert of `earn`, guarded by `condition` (on `?8`).
pub(super) fn earn_sql(condition: &str) -> String {
    let mut sql = String::from(
        "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
         SELECT ?1, ?2, ?3, 'earned', ?4, ?5, ?6, ?7 WHERE ",
    );
    sql.push_str(condition);
    sql.push_str(" ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING");
    sql
}

/// An earned reward, written only if `guard` holds in the same batch.
pub fn earn(db: &D1Database, r: &Reward, guard: Guard) -> ApiResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    Ok(query!(
        db,
        &earn_sql(&condition),
        r.entry_id,
        r.contest_id,
        r.side.as_str(),
        r.amount,
        r.ref_id,
        r.note,
        r.created_at,
        guard_id
    )?)
}

pub(super) const REDEEM: &str =
    "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
 SELECT ?1, ?2, ?3, 'redeemed', -?4, ?5, ?6, ?7
 WHERE (SELECT COALESCE(SUM(amount), 0) FROM rewards WHERE entry_id = ?1 AND side = ?3) >= ?4 - 0.000001
 ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING";

/// A redemption of `r.amount` from the side's balance, written only if the
/// balance covers it at the moment the statement runs (one statement: atomic).
pub fn redeem(db: &D1Database, r: &Reward) -> ApiResult<D1PreparedStatement> {
    Ok(query!(db, REDEEM, r.entry_id, r.contest_id, r.side.as_str(), r.amount, r.ref_id, r.note, r.created_at)?)
}

/// A redemption as `select_redemption` reads it.
#[derive(Debug, Deserialize)]
pub struct RedemptionRow {
    /// What was paid out (positive).
    pub amount: f64,
}

pub(super) const REDEMPTION: &str =
    "SELECT -amount AS amount, created_at FROM rewards WHERE entry_id = ?1 AND side = ?2 AND kind = 'redeemed' AND ref_id = ?3";

/// The redemption row for a ref, if written (by this batch or an earlier retry).
pub fn select_redemption(db: &D1Database, entry_id: &str, side: Side, ref_id: &str) -> ApiResult<D1PreparedStatement> {
    Ok(query!(db, REDEMPTION, entry_id, side.as_str(), ref_id)?)
}
