//! Payouts of reward balances: who is owed what (the payouts export), and
//! recording a payout (`payouts` row + one redemption per entry and side, in
//! the `rewards` ledger). An entry's balance is the sum of its rewards rows,
//! both sides; disqualified and erased entries are owed nothing here.

use super::DbResult;
use crate::domain::ids::ContestId;
use crate::domain::rewards::Side;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// An owed entry, as the export writes it.
#[derive(Debug, Deserialize)]
pub struct OwedRow {
    pub entry_id: String,
    pub email: String,
    pub name: Option<String>,
    pub balance: f64,
}

/// The rewards of a contest in entry order (the index's order: no sort), each
/// entry's balance summed, owed ones (`>= ?3`) of live entries only.
pub(super) const OWED_PAGE: &str =
    "SELECT r.entry_id AS entry_id, e.email_display AS email, e.name AS name, SUM(r.amount) AS balance
  FROM rewards r CROSS JOIN entries e ON e.id = r.entry_id
  WHERE r.contest_id = ?1 AND r.entry_id > ?2 AND e.disqualified = 0 AND e.erased_at IS NULL
  GROUP BY r.entry_id HAVING SUM(r.amount) >= ?3
  ORDER BY r.entry_id LIMIT ?4 OFFSET ?5";

/// The next `limit` owed entries after `after` (an entry id, `""` first),
/// `skip` owed ones skipped first (a part's start).
pub async fn owed_page(
    db: &D1Database,
    contest_id: &ContestId,
    after: &str,
    min_owed: f64,
    limit: u32,
    skip: u64,
) -> DbResult<Vec<OwedRow>> {
    super::all(query!(db, OWED_PAGE, contest_id, after, min_owed, limit, skip as f64)?).await
}

/// The owed entries of a contest, which `owed_count_sql` counts.
pub(super) const OWED_ENTRIES: &str = "SELECT r.entry_id FROM rewards r CROSS JOIN entries e ON e.id = r.entry_id
  WHERE r.contest_id = ?1 AND e.disqualified = 0 AND e.erased_at IS NULL
  GROUP BY r.entry_id HAVING SUM(r.amount) >= ?2";

pub(super) fn owed_count_sql() -> String {
    ["SELECT COUNT(*) AS n FROM (", OWED_ENTRIES, ")"].concat()
}

/// How many entries of the contest are owed at least `min_owed`.
pub async fn owed_count(db: &D1Database, contest_id: &ContestId, min_owed: f64) -> DbResult<u64> {
    let n = super::first::<super::Count>(query!(db, &owed_count_sql(), contest_id, min_owed)?).await?;
    Ok(n.map_or(0, |c| c.n.max(0) as u64))
}

/// A payout as the batch writes it.
pub struct Payout<'a> {
    pub contest_id: &'a ContestId,
    pub reference: &'a str,
    pub currency: &'a str,
    /// This batch's mark: the redemptions are written only if the payout row is its own.
    pub token: &'a str,
    /// The entry ids, a JSON array.
    pub entry_ids: &'a str,
    pub min_owed: f64,
    pub now: &'a str,
}

pub(super) const OPEN: &str = "INSERT INTO payouts (contest_id, reference, currency, token, created_at)
 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (contest_id, reference) DO NOTHING";

/// The payout's row, once per contest and reference: a retry writes nothing.
pub fn open(db: &D1Database, p: &Payout) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, OPEN, p.contest_id, p.reference, p.currency, p.token, p.now)?)
}

/// One side's redemptions: each listed live entry of the contest whose whole
/// balance is owed (`>= ?7`) pays this side's positive balance, but never more
/// than the whole balance (a side below zero nets against the other). The
/// balances are read by the insert itself, so a payout running at the same
/// time (serialized by D1) finds what this one left: nothing is paid twice.
pub(super) const PAY_SIDE: &str =
    "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
 SELECT id, contest_id, ?3, 'redeemed', -MIN(side_balance, balance), 'payout:' || ?4, 'payout', ?5
 FROM (SELECT e.id, e.contest_id,
     (SELECT COALESCE(SUM(w.amount), 0) FROM rewards w WHERE w.entry_id = e.id AND w.side = ?3) AS side_balance,
     (SELECT COALESCE(SUM(w.amount), 0) FROM rewards w WHERE w.entry_id = e.id) AS balance
   FROM entries e
   WHERE e.id IN (SELECT value FROM json_each(?1)) AND e.contest_id = ?2 AND e.disqualified = 0 AND e.erased_at IS NULL)
 WHERE balance >= ?7 AND side_balance > 0
   AND EXISTS (SELECT 1 FROM payouts p WHERE p.contest_id = ?2 AND p.reference = ?4 AND p.token = ?6)
 ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING";

/// `PAY_SIDE` for one side.
pub fn pay_side(db: &D1Database, p: &Payout, side: Side) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, PAY_SIDE, p.entry_ids, p.contest_id, side.as_str(), p.reference, p.now, p.token, p.min_owed)?)
}

/// `reward.redeemed` for each redemption this batch wrote.
pub fn events(db: &D1Database, p: &Payout) -> DbResult<D1PreparedStatement> {
    super::outbox::payout_events(db, p.reference, p.entry_ids, p.contest_id, p.token, p.now)
}

/// What a payout paid one entry (both sides).
#[derive(Debug, Deserialize)]
pub struct PaidRow {
    pub entry_id: String,
    pub amount: f64,
}

pub(super) const PAID: &str = "SELECT r.entry_id AS entry_id, -SUM(r.amount) AS amount
  FROM json_each(?1) j JOIN rewards r ON r.entry_id = j.value
  WHERE r.contest_id = ?2 AND r.kind = 'redeemed' AND r.ref_id = 'payout:' || ?3
  GROUP BY r.entry_id ORDER BY r.entry_id";

/// What the payout `reference` paid each of the listed entries (by this batch
/// or by the first call with that reference).
pub fn paid(db: &D1Database, p: &Payout) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, PAID, p.entry_ids, p.contest_id, p.reference)?)
}

/// The payout's row as read back.
#[derive(Debug, Deserialize)]
pub struct PayoutRow {
    pub created_at: String,
    /// True when this batch opened it; false for a retried reference.
    #[serde(deserialize_with = "super::flag")]
    pub fresh: bool,
}

pub(super) const FIND: &str =
    "SELECT created_at, token = ?3 AS fresh FROM payouts WHERE contest_id = ?1 AND reference = ?2";

pub fn find(db: &D1Database, p: &Payout) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, FIND, p.contest_id, p.reference, p.token)?)
}
