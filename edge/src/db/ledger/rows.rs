//! Reading awards: one by id or cause, a contest's or an entry's pages, the
//! export's pages.

use super::Reason;
use crate::db::DbResult;
use crate::domain::ids::{AccountId, ContestId, EntryId, PurchaseId};
use crate::domain::trust::{AwardStatus, Hold, PurchaseStatus, Source};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// An award as the owner's review queue and the entry's ledger show it.
#[derive(Debug, Deserialize)]
pub struct AwardRow {
    pub id: i64,
    pub entry_id: EntryId,
    pub contest_id: ContestId,
    pub email_display: String,
    pub delta: i64,
    pub reason: Reason,
    pub ref_id: String,
    pub note: Option<String>,
    pub status: AwardStatus,
    pub hold: Option<Hold>,
    pub confirm_after: Option<String>,
    pub reviewed_at: Option<String>,
    pub created_at: String,
}

const AWARD_COLUMNS: &str =
    "SELECT l.id, l.entry_id, l.contest_id, e.email_display, l.delta, l.reason, l.ref_id, l.note,
  l.status, l.hold, l.confirm_after, l.reviewed_at, l.created_at
  FROM ledger l JOIN entries e ON e.id = l.entry_id ";

fn select_awards(rest: &str) -> String {
    [AWARD_COLUMNS, rest].concat()
}

pub(in crate::db) fn award_sql() -> String {
    select_awards("WHERE l.id = ?1")
}

pub fn select_award(db: &D1Database, award_id: i64) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &award_sql(), award_id)?)
}

pub(in crate::db) fn owned_sql() -> String {
    select_awards("JOIN contests c ON c.id = l.contest_id WHERE l.id = ?1 AND c.account_id = ?2")
}

/// An award of a contest the account owns.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, award_id: i64) -> DbResult<Option<AwardRow>> {
    crate::db::first(query!(db, &owned_sql(), award_id, account_id)?).await
}

/// An award as the review list shows it: the row, and what its cause tells
/// the owner: the other entry of a referral (the friend of an advocate's
/// award, the advocate of a friend's), both entries' identities and the
/// friend's screening counts (a fraud hold's signals, `domain::fraud`), the
/// purchase of a purchase award.
#[derive(Debug, Deserialize)]
pub struct ReviewRow {
    #[serde(flatten)]
    pub award: AwardRow,
    pub other_id: Option<EntryId>,
    pub other_name: Option<String>,
    pub other_email: Option<String>,
    /// Normalized emails (`entries.email`) and `screen_counts`, of the
    /// award's own entry and of the other one.
    pub own_key: String,
    pub own_counts: Option<i64>,
    pub other_key: Option<String>,
    pub other_counts: Option<i64>,
    pub order_id: Option<String>,
    pub buyer_email: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub purchase_status: Option<PurchaseStatus>,
    pub purchase_source: Option<Source>,
}

/// The review list's columns: an award's, its other entry (by key) and its
/// purchase (by key).
const REVIEW_COLUMNS: &str =
    "SELECT l.id, l.entry_id, l.contest_id, e.email_display, l.delta, l.reason, l.ref_id, l.note,
  l.status, l.hold, l.confirm_after, l.reviewed_at, l.created_at,
  e.email AS own_key, e.screen_counts AS own_counts,
  o.id AS other_id, o.name AS other_name, o.email_display AS other_email, o.email AS other_key,
  o.screen_counts AS other_counts,
  p.order_id, p.buyer_email, p.amount, p.currency, p.status AS purchase_status, p.source AS purchase_source
  FROM ledger l JOIN entries e ON e.id = l.entry_id
  LEFT JOIN entries o ON l.reason IN ('referral_advocate', 'referral_friend') AND o.id = l.ref_id
  LEFT JOIN purchases p ON l.reason = 'purchase' AND p.id = l.ref_id ";

pub(in crate::db) fn contest_page_of_status_sql() -> String {
    [REVIEW_COLUMNS, "WHERE l.contest_id = ?1 AND l.status = ?2 ORDER BY l.id DESC LIMIT ?3 OFFSET ?4"].concat()
}

pub(in crate::db) const COUNT_OF_STATUS: &str =
    "SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?1 AND status = ?2";

pub(in crate::db) fn contest_page_sql() -> String {
    [REVIEW_COLUMNS, "WHERE l.contest_id = ?1 ORDER BY l.id DESC LIMIT ?2 OFFSET ?3"].concat()
}

pub(in crate::db) const COUNT_IN_CONTEST: &str = "SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?1";

/// A contest's awards, newest first, optionally of one status; one page.
pub async fn list_for_contest(
    db: &D1Database,
    contest_id: &ContestId,
    status: Option<AwardStatus>,
    page: PageRequest,
) -> DbResult<(Vec<ReviewRow>, u64)> {
    // Two spellings so each query walks its index (`ledger_by_contest`).
    let (rows, count) = match status {
        Some(s) => (
            query!(db, &contest_page_of_status_sql(), contest_id, s.as_str(), page.limit, page.offset())?,
            query!(db, COUNT_OF_STATUS, contest_id, s.as_str())?,
        ),
        None => (
            query!(db, &contest_page_sql(), contest_id, page.limit, page.offset())?,
            query!(db, COUNT_IN_CONTEST, contest_id)?,
        ),
    };
    crate::db::page::read(db, rows, count).await
}

pub(in crate::db) fn entry_page_sql() -> String {
    select_awards("WHERE l.entry_id = ?1 ORDER BY l.id LIMIT ?2 OFFSET ?3")
}

pub(in crate::db) const COUNT_OF_ENTRY: &str = "SELECT COUNT(*) AS n FROM ledger WHERE entry_id = ?1";

/// An entry's rows, oldest first; one page.
pub async fn page_for_entry(db: &D1Database, entry_id: &EntryId, page: PageRequest) -> DbResult<(Vec<AwardRow>, u64)> {
    crate::db::page::read(
        db,
        query!(db, &entry_page_sql(), entry_id, page.limit, page.offset())?,
        query!(db, COUNT_OF_ENTRY, entry_id)?,
    )
    .await
}

pub(in crate::db) fn for_ref_sql() -> String {
    select_awards("WHERE l.entry_id = ?1 AND l.reason = ?2 AND l.ref_id = ?3")
}

pub fn select_for_ref(
    db: &D1Database,
    entry_id: &EntryId,
    reason: Reason,
    ref_id: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &for_ref_sql(), entry_id, reason.as_str(), ref_id)?)
}

pub(in crate::db) fn live_purchase_award_sql() -> String {
    select_awards("WHERE l.ref_id = ?1 AND l.reason = 'purchase' AND l.status != 'rejected' ORDER BY l.id LIMIT 1")
}

/// The award of a purchase that still counts or may (not rejected), if any.
pub async fn live_purchase_award(db: &D1Database, purchase_id: &PurchaseId) -> DbResult<Option<AwardRow>> {
    crate::db::first(query!(db, &live_purchase_award_sql(), purchase_id)?).await
}

pub(in crate::db) fn export_page_sql() -> String {
    select_awards("WHERE l.contest_id = ?1 AND l.id > ?2 ORDER BY l.id LIMIT ?3")
}

/// The next `limit` ledger rows of a contest after row `after`, oldest first.
pub async fn export_page(db: &D1Database, contest_id: &ContestId, after: i64, limit: u32) -> DbResult<Vec<AwardRow>> {
    crate::db::all(query!(db, &export_page_sql(), contest_id, after, limit)?).await
}
