//! A code prize's pool: uploads (duplicates of the pool ignored by its UNIQUE;
//! each new code serves the oldest waiting award in the same batch, the
//! `prize_codes_uploaded` trigger) and the paged list.

use crate::db::{Batch, Count, DbResult};
use crate::domain::ids::PrizeId;
use crate::domain::prizes::CodeStatus;
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database};

/// Codes per insert statement: one JSON parameter each, well under D1's
/// limit on a bound value.
const CHUNK: usize = 500;

pub(in crate::db) const POOL_SIZE: &str = "SELECT COUNT(*) AS n FROM prize_codes WHERE prize_id = ?1";

pub(in crate::db) const AVAILABLE: &str =
    "SELECT COUNT(*) AS n FROM prize_codes WHERE prize_id = ?1 AND award_id IS NULL AND burned_at IS NULL";

/// The codes of `?2` (a JSON array) not yet in the pool, oldest first in the
/// order given.
pub(in crate::db) const INSERT_CODES: &str = "INSERT INTO prize_codes (prize_id, code, created_at)
  SELECT ?1, value, ?3 FROM json_each(?2) WHERE 1 ORDER BY key
  ON CONFLICT (prize_id, code) DO NOTHING";

/// What an upload did.
pub struct AddedCodes {
    pub added: u64,
    /// Free codes after the upload (and after the waiting awards it served).
    pub available: u64,
}

/// Adds `codes` (distinct, validated) to the pool in one batch: the pool's
/// size read before and after counts what was new.
pub async fn add_codes(db: &D1Database, prize_id: &PrizeId, codes: &[&str], now: &str) -> DbResult<AddedCodes> {
    let mut batch = Batch::new();
    let before = batch.push(query!(db, POOL_SIZE, prize_id)?);
    for chunk in codes.chunks(CHUNK) {
        let json = serde_json::to_string(chunk).map_err(|e| crate::db::StorageError::D1(e.to_string()))?;
        batch.push(query!(db, INSERT_CODES, prize_id, json, now)?);
    }
    let after = batch.push(query!(db, POOL_SIZE, prize_id)?);
    let available = batch.push(query!(db, AVAILABLE, prize_id)?);
    let results = batch.run(db).await?;
    let n = |h: crate::db::Handle| -> DbResult<u64> { Ok(h.first::<Count>(&results)?.map_or(0, |c| c.n as u64)) };
    Ok(AddedCodes { added: n(after)?.saturating_sub(n(before)?), available: n(available)? })
}

#[derive(Debug, Deserialize)]
pub struct CodeRow {
    pub code: String,
    pub award_id: Option<String>,
    pub entry_id: Option<String>,
    pub assigned_at: Option<String>,
    pub burned_at: Option<String>,
    pub created_at: String,
}

/// `?2`: NULL (every code), 'available' or 'assigned' (burned ones included).
const FILTER: &str = "WHERE c.prize_id = ?1 AND (?2 IS NULL
   OR (?2 = 'available' AND c.award_id IS NULL AND c.burned_at IS NULL)
   OR (?2 = 'assigned' AND c.award_id IS NOT NULL))";

pub(in crate::db) fn codes_page_sql() -> String {
    [
        "SELECT c.code, c.award_id, a.entry_id, c.assigned_at, c.burned_at, c.created_at
         FROM prize_codes c LEFT JOIN prize_awards a ON a.id = c.award_id ",
        FILTER,
        " ORDER BY c.id LIMIT ?3 OFFSET ?4",
    ]
    .concat()
}

pub(in crate::db) fn codes_count_sql() -> String {
    ["SELECT COUNT(*) AS n FROM prize_codes c ", FILTER].concat()
}

/// A page of the pool in upload order.
pub async fn list_codes(
    db: &D1Database,
    prize_id: &PrizeId,
    status: Option<CodeStatus>,
    page: PageRequest,
) -> DbResult<(Vec<CodeRow>, u64)> {
    let status = status.map(CodeStatus::as_str);
    crate::db::page::read(
        db,
        query!(db, &codes_page_sql(), prize_id, status, page.limit, page.offset())?,
        query!(db, &codes_count_sql(), prize_id, status)?,
    )
    .await
}
