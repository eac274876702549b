//! Entries: a contest's participants, their referral codes and who referred them.
//!
//! Here: the row, its columns and the lookups of one entry, and the changes
//! to one entry. Many entries at a time (list, search, leaderboard, export
//! pages) are in `lists`, how an entry is made in `signup`, erasure and the
//! access request in `privacy`; their items are re-exported here.

pub(super) mod confirmation;
pub(super) mod lists;
pub(super) mod privacy;
pub(super) mod signup;

pub use confirmation::{
    await_confirmation, confirm, confirm_by, confirmation_due, confirmation_state, enqueue_confirm, expire,
    ConfirmationState, Unconfirmed,
};
pub use lists::{
    contains_pattern, export_page, leaderboard, list, list_after, rank_and_rewards, EntryOrder, Search, SearchIn,
};
pub use privacy::{erase, export, Export, EXPORT_LIMIT};
pub use signup::{
    insert_if_new, insert_screened, purchase_reads, signup_reads, take_over, NewEntry, PurchaseReads, Screen,
    SignupReads,
};

use super::DbResult;
use crate::domain::fraud::FraudScore;
use crate::domain::ids::{AccountId, ContestId, EntryId};
use crate::domain::trust::Source;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// The advocate behind a referral code, as `validate-code` shows it.
#[derive(Debug, Deserialize)]
pub struct Referrer {
    pub contest_id: String,
    pub email_display: String,
    pub name: Option<String>,
    /// The contest's `exposeReferrerEmail`.
    #[serde(deserialize_with = "super::flag")]
    pub expose_referrer_email: bool,
}

/// An entry with what is derived from its neighbours (referrer's code, referral count).
#[derive(Debug, Clone, Deserialize)]
pub struct EntryRow {
    pub id: EntryId,
    pub contest_id: ContestId,
    pub email: String,
    pub email_display: String,
    pub name: Option<String>,
    pub referral_code: String,
    pub referred_by_entry_id: Option<EntryId>,
    pub referred_by_code: Option<String>,
    pub total_points: i64,
    pub pending_points: i64,
    #[serde(deserialize_with = "super::flag")]
    pub disqualified: bool,
    pub disqualified_reason: Option<String>,
    pub source: Source,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub referral_count: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub qualified_at: Option<String>,
    pub qualified_amount: Option<f64>,
    pub fraud_score: Option<FraudScore>,
    pub erased_at: Option<String>,
    /// Why its referral link earns no purchase credit yet (migrations/0015).
    #[serde(default)]
    pub referral_hold: Option<crate::domain::trust::Hold>,
    /// What its signup's write batch counted (`trust::Counted::index`), if screened.
    #[serde(default)]
    pub screen_counts: Option<i64>,
    /// Double opt-in (migrations/0025): None, confirmed or never asked;
    /// "pending" waiting for the confirm link; "expired" never confirmed.
    #[serde(default)]
    pub email_confirmation: Option<String>,
    /// When its address was confirmed through the link (None: never asked, or not yet).
    #[serde(default)]
    pub email_confirmed_at: Option<String>,
    /// Until when its confirm link works (set when it was asked to confirm).
    #[serde(default)]
    pub confirm_by: Option<String>,
}

impl EntryRow {
    pub fn is_disqualified(&self) -> bool {
        self.disqualified
    }

    /// Made by the browser (the tracker's signup) and not yet taken over by a
    /// trusted source: its attribution is a claim.
    pub fn is_browser_claim(&self) -> bool {
        self.source == Source::Tracker
    }

    /// Whether its referral link earns purchase credit: not a browser-made
    /// link whose referral award still waits (`trust::link_hold`).
    pub fn link_counts(&self) -> bool {
        self.referral_hold.is_none()
    }
}

/// The columns of `EntryRow`, for `SELECT ... FROM entries e` + `FROM_ENTRIES`.
pub const ENTRY_COLUMNS: &str = "e.id, e.contest_id, e.email, e.email_display, e.name, e.referral_code,
  e.referred_by_entry_id, r.referral_code AS referred_by_code, e.total_points, e.pending_points, e.disqualified,
  e.disqualified_reason, e.source, e.created_at, e.updated_at,
  (SELECT COUNT(*) FROM entries x WHERE x.referred_by_entry_id = e.id) AS referral_count,
  e.first_name, e.last_name, e.qualified_at, e.qualified_amount, e.fraud_score, e.erased_at, e.referral_hold,
  e.screen_counts, e.email_confirmation, e.email_confirmed_at, e.confirm_by";

pub const FROM_ENTRIES: &str = " FROM entries e LEFT JOIN entries r ON r.id = e.referred_by_entry_id ";

fn select(rest: &str) -> String {
    ["SELECT ", ENTRY_COLUMNS, FROM_ENTRIES, rest].concat()
}

pub(super) const FIND_REFERRER: &str = "SELECT e.contest_id, e.email_display, e.name, c.expose_referrer_email
 FROM entries e JOIN contests c ON c.id = e.contest_id
 WHERE e.contest_id = ?1 AND e.referral_code = ?2 AND e.disqualified = 0";

/// Whether the contest `?1` exists.
pub(super) const CONTEST_EXISTS: &str = "SELECT COUNT(*) AS n FROM contests WHERE id = ?1";

/// The (non-disqualified) entry owning `code` in `contest_id`, and whether
/// that contest exists at all (a made-up id counts against the caller), in
/// one round trip.
pub async fn find_referrer(db: &D1Database, contest_id: &ContestId, code: &str) -> DbResult<(bool, Option<Referrer>)> {
    let mut batch = super::Batch::new();
    let referrer = batch.push(query!(db, FIND_REFERRER, contest_id, code)?);
    let contest = batch.push(query!(db, CONTEST_EXISTS, contest_id)?);
    let results = batch.run(db).await?;
    let exists = contest.first::<super::Count>(&results)?.is_some_and(|c| c.n > 0);
    Ok((exists, referrer.first(&results)?))
}

pub(super) fn by_code_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.referral_code = ?2")
}

pub async fn find_by_code(db: &D1Database, contest_id: &ContestId, code: &str) -> DbResult<Option<EntryRow>> {
    super::first(query!(db, &by_code_sql(), contest_id, code)?).await
}

pub(super) fn by_email_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.email = ?2")
}

pub async fn find_by_email(
    db: &D1Database,
    contest_id: &ContestId,
    normalized_email: &str,
) -> DbResult<Option<EntryRow>> {
    super::first(select_by_email(db, contest_id, normalized_email)?).await
}

pub fn select_by_email(
    db: &D1Database,
    contest_id: &ContestId,
    normalized_email: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_email_sql(), contest_id, normalized_email)?)
}

pub(super) fn by_id_sql() -> String {
    select("WHERE e.id = ?1")
}

pub fn select_by_id(db: &D1Database, id: &EntryId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_id_sql(), id)?)
}

pub async fn find(db: &D1Database, id: &EntryId) -> DbResult<Option<EntryRow>> {
    super::first(select_by_id(db, id)?).await
}

pub(super) fn owned_sql() -> String {
    select("JOIN contests c ON c.id = e.contest_id WHERE e.id = ?1 AND c.account_id = ?2")
}

/// An entry whose contest belongs to the account.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &EntryId) -> DbResult<Option<EntryRow>> {
    super::first(query!(db, &owned_sql(), id, account_id)?).await
}

pub async fn count_in_contest(db: &D1Database, contest_id: &ContestId) -> DbResult<u64> {
    let c: Option<super::Count> = super::first(query!(db, super::contests::ENTRY_COUNT, contest_id)?).await?;
    Ok(c.map_or(0, |c| c.n as u64))
}

pub(super) const SETTLE_LINK: &str = "WITH s (friend, advocate, rejected) AS (
   SELECT CASE l.reason WHEN 'referral_advocate' THEN l.ref_id ELSE l.entry_id END,
     CASE l.reason WHEN 'referral_advocate' THEN l.entry_id ELSE l.ref_id END, l.status = 'rejected'
   FROM ledger l WHERE l.id = ?1 AND l.reviewed_at = ?2 AND l.status IN ('confirmed', 'rejected')
     AND (l.reason = 'referral_advocate' OR (l.reason = 'referral_friend' AND NOT EXISTS (
       SELECT 1 FROM ledger a WHERE a.entry_id = l.ref_id AND a.reason = 'referral_advocate' AND a.ref_id = l.entry_id))))
 UPDATE entries SET referral_hold = NULL, updated_at = ?2,
   referred_by_entry_id = CASE WHEN (SELECT rejected FROM s) THEN NULL ELSE referred_by_entry_id END
 WHERE id = (SELECT friend FROM s) AND referred_by_entry_id = (SELECT advocate FROM s)
   AND (referral_hold IS NOT NULL OR (SELECT rejected FROM s))";

/// The link an award settles, after this batch (`now`) confirmed or rejected
/// it: the advocate's referral award (the friend's, when there is no
/// advocate's) confirmed makes a held link count; rejected, it removes the
/// link (whatever made it), so nothing more is credited through it. Any other
/// award, or one not moved now, changes nothing.
pub fn settle_link(db: &D1Database, award_id: i64, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, SETTLE_LINK, award_id, now)?)
}

pub(super) const UPDATE_PROFILE: &str =
    "UPDATE entries SET email = ?2, email_display = ?3, name = ?4, updated_at = ?5 WHERE id = ?1";

pub async fn update_profile(
    db: &D1Database,
    id: &EntryId,
    email: &str,
    email_display: &str,
    name: Option<&str>,
    now: &str,
) -> DbResult<()> {
    super::run(query!(db, UPDATE_PROFILE, id, email, email_display, name, now)?).await?;
    Ok(())
}

pub(super) const SET_DISQUALIFIED: &str =
    "UPDATE entries SET disqualified = ?2, disqualified_reason = ?3, updated_at = ?4 WHERE id = ?1";

pub fn set_disqualified(
    db: &D1Database,
    id: &EntryId,
    disqualified: bool,
    reason: Option<&str>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, SET_DISQUALIFIED, id, i64::from(disqualified), reason, now)?)
}
