//! The append-only points ledger. Every award is a row; `entries.total_points`
//! is recomputed from the rows in the same batch, so it always equals their sum.

use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    ReferralAdvocate,
    ReferralFriend,
    Purchase,
    BonusAction,
    Adjustment,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReferralAdvocate => "referral_advocate",
            Self::ReferralFriend => "referral_friend",
            Self::Purchase => "purchase",
            Self::BonusAction => "bonus_action",
            Self::Adjustment => "adjustment",
        }
    }
}

/// The row that must exist for an award to be written: the award follows from
/// a write earlier in the same batch, which a duplicate request did not make.
pub enum Guard<'a> {
    /// The entry with this id was created.
    EntryCreated(&'a str),
    /// The purchase with this id was recorded.
    PurchaseRecorded(&'a str),
    /// The completion with this id is verified.
    CompletionVerified(&'a str),
    /// An entry was qualified by the event with this id.
    QualifiedBy(&'a str),
    /// No condition (adjustments; the unique ref still settles retries).
    None,
}

pub struct Award<'a> {
    pub entry_id: &'a str,
    pub contest_id: &'a str,
    pub delta: i64,
    pub reason: Reason,
    /// What caused it; (entry, reason, ref) is unique, so a cause awards once.
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
}

impl Guard<'_> {
    /// The SQL condition (on parameter `?n`) and the id bound to it.
    pub fn condition(&self, n: u8) -> (String, &str) {
        let (sql, id) = match self {
            Guard::EntryCreated(id) => ("EXISTS (SELECT 1 FROM entries WHERE id = ?N)", *id),
            Guard::PurchaseRecorded(id) => ("EXISTS (SELECT 1 FROM purchases WHERE id = ?N)", *id),
            Guard::CompletionVerified(id) => {
                ("EXISTS (SELECT 1 FROM bonus_completions WHERE id = ?N AND status = 'verified')", *id)
            }
            Guard::QualifiedBy(id) => ("EXISTS (SELECT 1 FROM entries WHERE qualified_event_id = ?N)", *id),
            Guard::None => ("?N = ?N", ""),
        };
        (sql.replace("?N", &["?", &n.to_string()].concat()), id)
    }
}

pub fn insert(db: &D1Database, a: &Award, guard: Guard) -> ApiResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    let mut sql = String::from(
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE ",
    );
    sql.push_str(&condition);
    sql.push_str(" ON CONFLICT (entry_id, reason, ref_id) DO NOTHING");
    Ok(query!(db, &sql, a.entry_id, a.contest_id, a.delta, a.reason.as_str(), a.ref_id, a.note, a.created_at, guard_id)?)
}

/// Sets the entry's total to the sum of its ledger.
pub fn recompute_total(db: &D1Database, entry_id: &str, now: &str) -> ApiResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE entries SET total_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = ?1),
           updated_at = ?2
         WHERE id = ?1",
        entry_id,
        now
    )?)
}

#[derive(Debug, Deserialize)]
pub struct LedgerRow {
    pub id: i64,
    pub delta: i64,
    pub reason: String,
    pub ref_id: String,
    pub note: Option<String>,
    pub created_at: String,
}

pub async fn for_entry(db: &D1Database, entry_id: &str) -> ApiResult<Vec<LedgerRow>> {
    super::all(query!(
        db,
        "SELECT id, delta, reason, ref_id, note, created_at FROM ledger WHERE entry_id = ?1 ORDER BY id",
        entry_id
    )?)
    .await
}

pub fn select_for_ref(db: &D1Database, entry_id: &str, reason: Reason, ref_id: &str) -> ApiResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "SELECT id, delta, reason, ref_id, note, created_at FROM ledger WHERE entry_id = ?1 AND reason = ?2 AND ref_id = ?3",
        entry_id,
        reason.as_str(),
        ref_id
    )?)
}
