//! Participants: entries as Referral Rocket shows them, with reward balances
//! summed from the rewards ledger.

use super::DbResult;
use crate::domain::fraud::FraudScore;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::spring_pages::{Pageable, SortField};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Deserialize)]
pub struct ParticipantRow {
    pub id: EntryId,
    pub contest_id: ContestId,
    /// Normalized, the participant's identity.
    pub email: String,
    pub email_display: String,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub referral_code: String,
    pub referred_by_entry_id: Option<EntryId>,
    pub referred_by_code: Option<String>,
    pub created_at: String,
    /// When the qualifying event happened: a participant qualifies once.
    pub qualified_at: Option<String>,
    /// Tracker signups only; the API's participants have none.
    pub fraud_score: Option<FraudScore>,
    pub total_points: i64,
    pub pending_points: i64,
    pub referral_count: i64,
    pub referral_earned: f64,
    pub referral_redeemed: f64,
    pub referee_earned: f64,
    pub referee_redeemed: f64,
    /// Why its referral link earns its referrer nothing yet (`EntryRow::referral_hold`).
    #[serde(default)]
    pub referral_hold: Option<crate::domain::trust::Hold>,
}

impl ParticipantRow {
    pub fn is_qualified(&self) -> bool {
        self.qualified_at.is_some()
    }
}

const SELECT: &str = "SELECT e.id, e.contest_id, e.email, e.email_display, e.name, e.first_name, e.last_name,
  e.referral_code, e.referred_by_entry_id, r.referral_code AS referred_by_code, e.created_at,
  e.qualified_at, e.fraud_score, e.total_points, e.pending_points, e.referral_hold,
  (SELECT COUNT(*) FROM entries x WHERE x.referred_by_entry_id = e.id) AS referral_count,
  (SELECT COALESCE(SUM(amount), 0) FROM rewards w WHERE w.entry_id = e.id AND w.side = 'referral' AND w.kind = 'earned') AS referral_earned,
  (SELECT COALESCE(-SUM(amount), 0) FROM rewards w WHERE w.entry_id = e.id AND w.side = 'referral' AND w.kind = 'redeemed') AS referral_redeemed,
  (SELECT COALESCE(SUM(amount), 0) FROM rewards w WHERE w.entry_id = e.id AND w.side = 'referee' AND w.kind = 'earned') AS referee_earned,
  (SELECT COALESCE(-SUM(amount), 0) FROM rewards w WHERE w.entry_id = e.id AND w.side = 'referee' AND w.kind = 'redeemed') AS referee_redeemed
FROM entries e LEFT JOIN entries r ON r.id = e.referred_by_entry_id ";

fn select(rest: &str) -> String {
    [SELECT, rest].concat()
}

pub(super) fn by_email_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.email = ?2")
}

pub fn select_by_email(
    db: &D1Database,
    contest_id: &ContestId,
    normalized_email: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_email_sql(), contest_id, normalized_email)?)
}

pub async fn find_by_email(
    db: &D1Database,
    contest_id: &ContestId,
    normalized_email: &str,
) -> DbResult<Option<ParticipantRow>> {
    super::first(select_by_email(db, contest_id, normalized_email)?).await
}

/// A page of a contest's participants in the order asked for.
pub(super) fn page_sql(sort: SortField, descending: bool) -> String {
    let order = match (sort, descending) {
        (SortField::JoinedAt, false) => "ORDER BY e.created_at, e.id",
        (SortField::JoinedAt, true) => "ORDER BY e.created_at DESC, e.id DESC",
        // Emails are unique in a contest: the order is total.
        (SortField::Email, false) => "ORDER BY e.email",
        (SortField::Email, true) => "ORDER BY e.email DESC",
    };
    select(&["WHERE e.contest_id = ?1 ", order, " LIMIT ?2 OFFSET ?3"].concat())
}

/// A contest's participants, one Spring page, in a stable order.
pub async fn page(db: &D1Database, contest_id: &ContestId, p: Pageable) -> DbResult<(Vec<ParticipantRow>, u64)> {
    super::page::read(
        db,
        query!(db, &page_sql(p.sort, p.descending), contest_id, p.size, p.offset())?,
        query!(db, super::contests::ENTRY_COUNT, contest_id)?,
    )
    .await
}

pub(super) fn referrals_sql() -> String {
    select("WHERE e.referred_by_entry_id = ?1 ORDER BY e.created_at, e.id LIMIT ?2 OFFSET ?3")
}

pub(super) const COUNT_REFERRALS: &str = "SELECT COUNT(*) AS n FROM entries WHERE referred_by_entry_id = ?1";

/// The participants an entry referred, in join order, one Spring page.
pub async fn referrals(db: &D1Database, referrer_id: &EntryId, p: Pageable) -> DbResult<(Vec<ParticipantRow>, u64)> {
    super::page::read(
        db,
        query!(db, &referrals_sql(), referrer_id, p.size, p.offset())?,
        query!(db, COUNT_REFERRALS, referrer_id)?,
    )
    .await
}

pub(super) const QUALIFY: &str =
    "UPDATE entries SET qualified_at = ?3, qualified_amount = ?4, qualified_event_id = ?2, updated_at = ?3
         WHERE id = ?1 AND qualified_at IS NULL";

/// Marks an entry qualified, once: only the first event sets it (and its token).
pub fn qualify(
    db: &D1Database,
    entry_id: &EntryId,
    event_id: &str,
    amount: f64,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, QUALIFY, entry_id, event_id, now, amount)?)
}
