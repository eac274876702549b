//! The points ledger. Every award is a row with a status; an entry's
//! `total_points` (confirmed rows) and `pending_points` (pending rows) are
//! recomputed from its rows in the same batch as every change, so they always
//! equal those sums. The cost is one indexed range over that entry's own rows
//! (`ledger_by_entry` covers it), never the contest's.

use super::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::{AwardStatus, Hold};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// Awards are guarded writes; callers name the guard from here.
pub use super::guard::Guard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    ReferralAdvocate,
    ReferralFriend,
    Purchase,
    PurchaseRefund,
    BonusAction,
    Adjustment,
}

impl Reason {
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::ReferralAdvocate,
            Self::ReferralFriend,
            Self::Purchase,
            Self::PurchaseRefund,
            Self::BonusAction,
            Self::Adjustment,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReferralAdvocate => "referral_advocate",
            Self::ReferralFriend => "referral_friend",
            Self::Purchase => "purchase",
            Self::PurchaseRefund => "purchase_refund",
            Self::BonusAction => "bonus_action",
            Self::Adjustment => "adjustment",
        }
    }
}

crate::domain::text_enum!(Reason);

pub struct Award<'a> {
    pub entry_id: &'a EntryId,
    pub contest_id: &'a ContestId,
    pub delta: i64,
    pub reason: Reason,
    /// What caused it; (entry, reason, ref) is unique, so a cause awards once.
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
    /// `None`: confirmed. `Some`: pending, and why.
    pub hold: Option<Hold>,
    /// When a pending award confirms itself (holdDays), if ever.
    pub confirm_after: Option<&'a str>,
}

impl Award<'_> {
    pub fn status(&self) -> AwardStatus {
        crate::domain::trust::status_of(self.hold)
    }
}

/// The award insert of `insert`, guarded by `condition` (on `?8`).
pub(super) fn insert_sql(condition: &str) -> String {
    let mut sql = String::from(
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?9, ?10, ?11 WHERE ",
    );
    sql.push_str(condition);
    sql.push_str(" ON CONFLICT (entry_id, reason, ref_id) DO NOTHING");
    sql
}

/// Writes an award once per cause, if `guard` holds.
pub fn insert(db: &D1Database, a: &Award, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    Ok(query!(
        db,
        &insert_sql(&condition),
        a.entry_id,
        a.contest_id,
        a.delta,
        a.reason.as_str(),
        a.ref_id,
        a.note,
        a.created_at,
        guard_id,
        a.status().as_str(),
        a.hold.map(Hold::as_str),
        a.confirm_after
    )?)
}

/// An award and its entry's recomputed totals: the pair every award writes,
/// in this order, in the caller's batch.
pub fn award(db: &D1Database, a: &Award, guard: Guard) -> DbResult<[D1PreparedStatement; 3]> {
    Ok([
        insert(db, a, guard)?,
        recompute_total(db, a.entry_id, a.created_at)?,
        // The webhook event of a new award, when the account listens for it.
        super::outbox::award_created(db, a.entry_id, a.reason.as_str(), a.ref_id, a.created_at)?,
    ])
}

/// `insert_sql` for a referral award of a screened (tracker) signup: status,
/// hold and due date are the `[status, hold, confirm_after]` that `?9` (JSON,
/// one per `trust::Counted`) gives for what the signup's own insert counted
/// (`screen_counts` of the entry `?10`, written earlier in the batch).
pub(super) fn insert_screened_sql(condition: &str) -> String {
    let pick = |i: &str| ["json_extract(?9, '$[' || e.screen_counts || '][", i, "]')"].concat();
    let mut sql = String::from(
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ",
    );
    sql.extend([pick("0"), ", ".into(), pick("1"), ", ".into(), pick("2")]);
    sql.push_str(" FROM entries e WHERE e.id = ?10 AND e.screen_counts IS NOT NULL AND ");
    sql.push_str(condition);
    sql.push_str(" ON CONFLICT (entry_id, reason, ref_id) DO NOTHING");
    sql
}

/// `award` for a referral of the screened signup `signup_id`: its status,
/// hold and due date are chosen among `outcomes` by the batch's count (the
/// award's own `hold` and `confirm_after` are not used).
pub fn award_screened(
    db: &D1Database,
    a: &Award,
    outcomes: &str,
    signup_id: &str,
    guard: Guard,
) -> DbResult<[D1PreparedStatement; 3]> {
    let (condition, guard_id) = guard.condition(8);
    Ok([
        query!(
            db,
            &insert_screened_sql(&condition),
            a.entry_id,
            a.contest_id,
            a.delta,
            a.reason.as_str(),
            a.ref_id,
            a.note,
            a.created_at,
            guard_id,
            outcomes,
            signup_id
        )?,
        recompute_total(db, a.entry_id, a.created_at)?,
        super::outbox::award_created(db, a.entry_id, a.reason.as_str(), a.ref_id, a.created_at)?,
    ])
}

const RECOMPUTE: &str = "UPDATE entries SET
   total_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'confirmed'),
   pending_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id AND status = 'pending'),
   updated_at = ?1
 WHERE ";

fn recompute(condition: &str) -> String {
    [RECOMPUTE, condition].concat()
}

pub(super) fn recompute_total_sql() -> String {
    recompute("id = ?2")
}

/// Sets the entry's totals to the sums of its confirmed and pending rows.
pub fn recompute_total(db: &D1Database, entry_id: &str, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_total_sql(), now, entry_id)?)
}

pub(super) fn recompute_for_order_sql() -> String {
    recompute(
        "id IN (SELECT entry_id FROM ledger WHERE reason = 'purchase'
           AND ref_id = (SELECT id FROM purchases WHERE contest_id = ?2 AND order_id = ?3))",
    )
}

/// Recomputes every entry holding an award of the purchase of `order_id`.
pub fn recompute_for_order(
    db: &D1Database,
    contest_id: &str,
    order_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_for_order_sql(), now, contest_id, order_id)?)
}

pub(super) fn recompute_referrer_of_sql() -> String {
    recompute("id = (SELECT referred_by_entry_id FROM entries WHERE id = ?2)")
}

/// Recomputes whoever referred `entry_id`.
pub fn recompute_referrer_of(db: &D1Database, entry_id: &str, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_referrer_of_sql(), now, entry_id)?)
}

pub(super) fn recompute_for_award_sql() -> String {
    recompute("id = (SELECT entry_id FROM ledger WHERE id = ?2 AND contest_id = ?3)")
}

/// Recomputes the entry an award of `contest_id` belongs to.
pub fn recompute_for_award(
    db: &D1Database,
    award_id: i64,
    contest_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &recompute_for_award_sql(), now, award_id, contest_id)?)
}

/// The award a verified purchase confirms, from the trusted figures: written,
/// or (when the browser's claim already wrote one for this entry) replaced, but
/// only if the purchase was verified by this very batch (`token`). A refund
/// made before verification stays taken back: the award is on what remains
/// (`points::refund_points` in SQL: the refunded share of the award, rounded
/// half away from zero), and rejected when nothing remains.
pub fn award_verified_purchase(
    db: &D1Database,
    a: &Award,
    contest_id: &str,
    order_id: &str,
    token: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO ledger (entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold)
         SELECT ?1, ?2, remaining, 'purchase', id, ?4, ?5, CASE WHEN remaining > 0 THEN ?6 ELSE 'rejected' END, ?7
         FROM (SELECT p.id, ?3 - CAST(ROUND(?3 * MIN(1.0, MAX(0.0, p.refunded_amount / p.amount))) AS INTEGER) AS remaining
               FROM purchases p WHERE p.contest_id = ?8 AND p.order_id = ?9 AND p.verify_token = ?10)
         WHERE 1
         ON CONFLICT (entry_id, reason, ref_id) DO UPDATE SET
           delta = excluded.delta, status = excluded.status, hold = excluded.hold, note = excluded.note,
           confirm_after = NULL, reviewed_at = excluded.created_at",
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

/// Rejects what the browser's claim awarded for a purchase that this batch
/// verified (`token`), except the award to `keep` (the trusted recipient).
pub fn reject_superseded_purchase_awards(
    db: &D1Database,
    contest_id: &str,
    order_id: &str,
    token: &str,
    keep: Option<&str>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET status = 'rejected', reviewed_at = ?5, confirm_after = NULL
         WHERE reason = 'purchase' AND status != 'rejected'
           AND ref_id = (SELECT id FROM purchases WHERE contest_id = ?1 AND order_id = ?2 AND verify_token = ?3)
           AND (?4 IS NULL OR entry_id != ?4)",
        contest_id,
        order_id,
        token,
        keep,
        now
    )?)
}

/// `referralAwards: "onPurchase"`: the friend's purchase, verified by this
/// batch (`token`), confirms their advocate's held award.
pub fn confirm_on_purchase(
    db: &D1Database,
    buyer_entry_id: &str,
    contest_id: &str,
    order_id: &str,
    token: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET status = 'confirmed', reviewed_at = ?5
         WHERE reason = 'referral_advocate' AND ref_id = ?1 AND status = 'pending' AND hold = 'on_purchase'
           AND EXISTS (SELECT 1 FROM purchases
                       WHERE contest_id = ?2 AND order_id = ?3 AND verify_token = ?4 AND buyer_entry_id = ?1)",
        buyer_entry_id,
        contest_id,
        order_id,
        token,
        now
    )?)
}

/// A trusted signup took over a browser-made entry and named another advocate:
/// the browser's referral awards for it are rejected.
pub fn reject_referral_awards(
    db: &D1Database,
    entry_id: &str,
    old_advocate_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET status = 'rejected', reviewed_at = ?3, confirm_after = NULL
         WHERE status != 'rejected' AND (
           (entry_id = ?2 AND reason = 'referral_advocate' AND ref_id = ?1) OR
           (entry_id = ?1 AND reason = 'referral_friend' AND ref_id = ?2))",
        entry_id,
        old_advocate_id,
        now
    )?)
}

/// Moves a pending award to `to` (the owner's review). Only pending rows move.
pub fn review(
    db: &D1Database,
    award_id: i64,
    contest_id: &str,
    to: AwardStatus,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET status = ?3, reviewed_at = ?4, confirm_after = NULL
         WHERE id = ?1 AND contest_id = ?2 AND status = 'pending'",
        award_id,
        contest_id,
        to.as_str(),
        now
    )?)
}

/// Sets the points of a pending award to what its purchase has left, if this
/// batch recorded the refund `refund_id` (a refund of a purchase never
/// confirmed shrinks the claim, a full one rejects it; a won dispute grows it back).
pub fn reprice_pending(
    db: &D1Database,
    award_id: i64,
    delta: i64,
    refund_id: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET delta = ?2,
           status = CASE WHEN ?2 <= 0 THEN 'rejected' ELSE status END,
           reviewed_at = CASE WHEN ?2 <= 0 THEN ?4 ELSE reviewed_at END
         WHERE id = ?1 AND status = 'pending' AND EXISTS (SELECT 1 FROM refunds WHERE id = ?3)",
        award_id,
        delta.max(0),
        refund_id,
        now
    )?)
}

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

pub(super) fn award_sql() -> String {
    select_awards("WHERE l.id = ?1")
}

pub fn select_award(db: &D1Database, award_id: i64) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &award_sql(), award_id)?)
}

pub(super) fn owned_sql() -> String {
    select_awards("JOIN contests c ON c.id = l.contest_id WHERE l.id = ?1 AND c.account_id = ?2")
}

/// An award of a contest the account owns.
pub async fn find_owned(db: &D1Database, account_id: &str, award_id: i64) -> DbResult<Option<AwardRow>> {
    super::first(query!(db, &owned_sql(), award_id, account_id)?).await
}

pub(super) fn contest_page_of_status_sql() -> String {
    select_awards("WHERE l.contest_id = ?1 AND l.status = ?2 ORDER BY l.id DESC LIMIT ?3 OFFSET ?4")
}

pub(super) const COUNT_OF_STATUS: &str = "SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?1 AND status = ?2";

pub(super) fn contest_page_sql() -> String {
    select_awards("WHERE l.contest_id = ?1 ORDER BY l.id DESC LIMIT ?2 OFFSET ?3")
}

pub(super) const COUNT_IN_CONTEST: &str = "SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?1";

/// A contest's awards, newest first, optionally of one status; one page.
pub async fn list_for_contest(
    db: &D1Database,
    contest_id: &str,
    status: Option<AwardStatus>,
    page: PageRequest,
) -> DbResult<(Vec<AwardRow>, u64)> {
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
    super::page::read(db, rows, count).await
}

pub(super) fn entry_page_sql() -> String {
    select_awards("WHERE l.entry_id = ?1 ORDER BY l.id LIMIT ?2 OFFSET ?3")
}

pub(super) const COUNT_OF_ENTRY: &str = "SELECT COUNT(*) AS n FROM ledger WHERE entry_id = ?1";

/// An entry's rows, oldest first; one page.
pub async fn page_for_entry(db: &D1Database, entry_id: &str, page: PageRequest) -> DbResult<(Vec<AwardRow>, u64)> {
    super::page::read(
        db,
        query!(db, &entry_page_sql(), entry_id, page.limit, page.offset())?,
        query!(db, COUNT_OF_ENTRY, entry_id)?,
    )
    .await
}

pub(super) fn for_ref_sql() -> String {
    select_awards("WHERE l.entry_id = ?1 AND l.reason = ?2 AND l.ref_id = ?3")
}

pub fn select_for_ref(db: &D1Database, entry_id: &str, reason: Reason, ref_id: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &for_ref_sql(), entry_id, reason.as_str(), ref_id)?)
}

pub(super) fn live_purchase_award_sql() -> String {
    select_awards("WHERE l.ref_id = ?1 AND l.reason = 'purchase' AND l.status != 'rejected' ORDER BY l.id LIMIT 1")
}

/// The award of a purchase that still counts or may (not rejected), if any.
pub async fn live_purchase_award(db: &D1Database, purchase_id: &str) -> DbResult<Option<AwardRow>> {
    super::first(query!(db, &live_purchase_award_sql(), purchase_id)?).await
}

#[derive(Debug, Deserialize)]
pub struct DueAward {
    pub id: i64,
    pub contest_id: String,
}

pub(super) const DUE: &str =
    "SELECT id, contest_id FROM ledger WHERE status = 'pending' AND confirm_after IS NOT NULL AND confirm_after <= ?1
   AND hold IN ('review', 'velocity')
 ORDER BY confirm_after LIMIT ?2";

/// Pending awards whose hold period has passed (holdDays), oldest first. Only
/// the holds that may confirm on their own, even if a date was set on another.
pub async fn due(db: &D1Database, now: &str, limit: u32) -> DbResult<Vec<DueAward>> {
    super::all(query!(db, DUE, now, limit)?).await
}

/// Confirms a due award (still pending, still due) for the scheduled sweep.
pub fn confirm_due(db: &D1Database, award_id: i64, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE ledger SET status = 'confirmed', reviewed_at = ?2
         WHERE id = ?1 AND status = 'pending' AND confirm_after IS NOT NULL AND confirm_after <= ?2
           AND hold IN ('review', 'velocity')",
        award_id,
        now
    )?)
}

pub(super) fn export_page_sql() -> String {
    select_awards("WHERE l.contest_id = ?1 AND l.id > ?2 ORDER BY l.id LIMIT ?3")
}

/// The next `limit` ledger rows of a contest after row `after`, oldest first.
pub async fn export_page(db: &D1Database, contest_id: &str, after: i64, limit: u32) -> DbResult<Vec<AwardRow>> {
    super::all(query!(db, &export_page_sql(), contest_id, after, limit)?).await
}
