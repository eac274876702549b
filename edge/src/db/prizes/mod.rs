//! Prizes, their code pools and their awards (migrations/0019, kept by the
//! triggers of 0020: a milestone is earned, voided or clawed back in the batch
//! that moves the entry's totals; a new award takes its code, its credit and
//! its event; an upload serves waiting awards).
//!
//! Here: the prize rows; the pools are in `codes`, the awards in `awards`.

pub(super) mod awards;
pub(super) mod codes;

pub use awards::{
    entry_prizes, find_award, find_owned_award, fulfil, list_awards, void, AwardFilter, AwardRow, EntryAward,
    EntryPrizes, MilestoneRow, Moved, Refill,
};
pub use codes::{add_codes, list_codes, AddedCodes, CodeRow};

use super::{Batch, DbResult, StorageError};
use crate::domain::ids::{AccountId, ContestId, PrizeId};
use crate::domain::prizes::{FulfilmentType, Kind};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// A prize with what its views count: awards not void, free codes.
#[derive(Debug, Deserialize)]
pub struct PrizeRow {
    pub id: PrizeId,
    pub contest_id: ContestId,
    pub name: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub kind: Kind,
    pub threshold_referrals: Option<i64>,
    pub threshold_points: Option<i64>,
    pub rank_from: Option<i64>,
    pub rank_to: Option<i64>,
    pub fulfilment: FulfilmentType,
    pub credit_amount: Option<f64>,
    pub credit_currency: Option<String>,
    pub quantity: Option<i64>,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub earned_count: i64,
    pub codes_available: i64,
    /// The contest's `rewardCurrency` (a credit's currency must be it).
    pub reward_currency: String,
    /// A draw's rule and commitment (`prize_draws`; null for other kinds).
    pub winners: Option<i64>,
    pub min_points: Option<i64>,
    pub min_referrals: Option<i64>,
    pub weighting: Option<crate::domain::draw_rule::Weighting>,
    pub seed_commitment: Option<String>,
    /// The contest has started finalizing: a draw's rule is fixed.
    #[serde(deserialize_with = "crate::db::flag")]
    pub finalizing: bool,
}

/// A prize's columns as written.
pub struct PrizeFields<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub image_url: Option<&'a str>,
    pub kind: Kind,
    pub threshold_referrals: Option<i64>,
    pub threshold_points: Option<i64>,
    pub rank_from: Option<i64>,
    pub rank_to: Option<i64>,
    pub fulfilment: FulfilmentType,
    pub credit_amount: Option<f64>,
    pub credit_currency: Option<&'a str>,
    pub quantity: Option<i64>,
}

const PRIZE: &str = "SELECT p.id, p.contest_id, p.name, p.description, p.image_url, p.kind,
   p.threshold_referrals, p.threshold_points, p.rank_from, p.rank_to, p.fulfilment, p.credit_amount,
   p.credit_currency, p.quantity, p.created_at, p.updated_at,
   (SELECT COUNT(*) FROM prize_awards a WHERE a.prize_id = p.id AND a.status != 'void') AS earned_count,
   (SELECT COUNT(*) FROM prize_codes k WHERE k.prize_id = p.id AND k.award_id IS NULL AND k.burned_at IS NULL)
     AS codes_available,
   c.reward_currency, d.winners, d.min_points, d.min_referrals, d.weighting, d.seed_commitment,
   (c.finalize_started_at IS NOT NULL OR c.finalized_at IS NOT NULL) AS finalizing
 FROM prizes p JOIN contests c ON c.id = p.contest_id LEFT JOIN prize_draws d ON d.prize_id = p.id ";

fn select_sql(rest: &str) -> String {
    [PRIZE, rest].concat()
}

pub(in crate::db) fn owned_sql() -> String {
    select_sql("WHERE p.id = ?1 AND c.account_id = ?2")
}

fn select_owned(db: &D1Database, account_id: &AccountId, id: &PrizeId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &owned_sql(), id, account_id)?)
}

/// A prize of one of the account's contests.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &PrizeId) -> DbResult<Option<PrizeRow>> {
    super::first(select_owned(db, account_id, id)?).await
}

pub(in crate::db) fn list_sql() -> String {
    select_sql("WHERE p.contest_id = ?1 ORDER BY p.created_at, p.id")
}

/// A contest's prizes, oldest first (a contest has a handful).
pub async fn list(db: &D1Database, contest_id: &ContestId) -> DbResult<Vec<PrizeRow>> {
    super::all(query!(db, &list_sql(), contest_id)?).await
}

/// `query!` with a prize's settings bound: `?1` the id, `?2`..`?13` the
/// fields, `?14` the time, then what the statement adds (the insert's contest).
macro_rules! bind_prize {
    ($db:expr, $sql:expr, $id:expr, $f:expr, $now:expr $(, $own:expr)*) => {
        query!(
            $db,
            $sql,
            $id,
            $f.name,
            $f.description,
            $f.image_url,
            $f.kind.as_str(),
            $f.threshold_referrals,
            $f.threshold_points,
            $f.rank_from,
            $f.rank_to,
            $f.fulfilment.as_str(),
            $f.credit_amount,
            $f.credit_currency,
            $f.quantity,
            $now
            $(, $own)*
        )
    };
}

const INSERT: &str =
    "INSERT INTO prizes (id, name, description, image_url, kind, threshold_referrals, threshold_points,
   rank_from, rank_to, fulfilment, credit_amount, credit_currency, quantity, created_at, contest_id)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/// Creates a prize (a draw with its `prize_draws` row, `db::draws::insert`)
/// and reads it back, in one batch.
pub async fn insert(
    db: &D1Database,
    account_id: &AccountId,
    id: &PrizeId,
    contest_id: &ContestId,
    f: &PrizeFields<'_>,
    draw: Option<D1PreparedStatement>,
    now: &str,
) -> DbResult<PrizeRow> {
    let mut batch = Batch::new();
    batch.push(bind_prize!(db, INSERT, id, f, now, contest_id)?);
    batch.extend(draw);
    let row = batch.push(select_owned(db, account_id, id)?);
    row.first(&batch.run(db).await?)?.ok_or_else(|| StorageError::D1("prize missing".into()))
}

const UPDATE: &str =
    "UPDATE prizes SET name = ?2, description = ?3, image_url = ?4, kind = ?5, threshold_referrals = ?6,
   threshold_points = ?7, rank_from = ?8, rank_to = ?9, fulfilment = ?10, credit_amount = ?11,
   credit_currency = ?12, quantity = ?13, updated_at = ?14
 WHERE id = ?1";

/// Writes every setting of a prize (a draw's rule too,
/// `db::draws::update_rule`) and reads it back (`None`: gone).
pub async fn update(
    db: &D1Database,
    account_id: &AccountId,
    id: &PrizeId,
    f: &PrizeFields<'_>,
    draw: Option<D1PreparedStatement>,
    now: &str,
) -> DbResult<Option<PrizeRow>> {
    let mut batch = Batch::new();
    batch.push(bind_prize!(db, UPDATE, id, f, now)?);
    batch.extend(draw);
    let row = batch.push(select_owned(db, account_id, id)?);
    row.first(&batch.run(db).await?)
}

pub(in crate::db) const DELETE_UNEARNED: &str = "DELETE FROM prizes
  WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM prize_awards WHERE prize_id = ?1)
    AND NOT EXISTS (SELECT 1 FROM prize_draws WHERE prize_id = ?1 AND list_hash IS NOT NULL) RETURNING id";

/// Deletes a prize nobody has an award of (its codes go with it) and no
/// published draw list; `false` when someone has one or the list is
/// published (the condition is in the DELETE: an award made meanwhile keeps
/// the prize).
pub async fn delete_unearned(db: &D1Database, id: &PrizeId) -> DbResult<bool> {
    #[derive(Deserialize)]
    struct Deleted {
        #[allow(dead_code)]
        id: String,
    }
    Ok(super::first::<Deleted>(query!(db, DELETE_UNEARNED, id)?).await?.is_some())
}
