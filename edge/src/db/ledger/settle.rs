//! Moving awards already written: confirmed or rejected by a verified
//! purchase, a takeover, the owner's review or the due-hold sweep, repriced by
//! a refund.

use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::AwardStatus;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub(in crate::db) const REJECT_SUPERSEDED_PURCHASE_AWARDS: &str =
    "UPDATE ledger SET status = 'rejected', reviewed_at = ?5, confirm_after = NULL
         WHERE reason = 'purchase' AND status != 'rejected'
           AND ref_id = (SELECT id FROM purchases WHERE contest_id = ?1 AND order_id = ?2 AND verify_token = ?3)
           AND (?4 IS NULL OR entry_id != ?4)";

/// Rejects what the browser's claim awarded for a purchase that this batch
/// verified (`token`), except the award to `keep` (the trusted recipient).
pub fn reject_superseded_purchase_awards(
    db: &D1Database,
    contest_id: &ContestId,
    order_id: &str,
    token: &str,
    keep: Option<&EntryId>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REJECT_SUPERSEDED_PURCHASE_AWARDS, contest_id, order_id, token, keep, now)?)
}

pub(in crate::db) const CONFIRM_ON_PURCHASE: &str = "UPDATE ledger SET status = 'confirmed', reviewed_at = ?5
         WHERE reason = 'referral_advocate' AND ref_id = ?1 AND status = 'pending' AND hold = 'on_purchase'
           AND EXISTS (SELECT 1 FROM purchases
                       WHERE contest_id = ?2 AND order_id = ?3 AND verify_token = ?4 AND buyer_entry_id = ?1)";

/// `referralAwards: "onPurchase"`: the friend's purchase, verified by this
/// batch (`token`), confirms their advocate's held award.
pub fn confirm_on_purchase(
    db: &D1Database,
    buyer_entry_id: &EntryId,
    contest_id: &ContestId,
    order_id: &str,
    token: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, CONFIRM_ON_PURCHASE, buyer_entry_id, contest_id, order_id, token, now)?)
}

pub(in crate::db) const REJECT_REFERRAL_AWARDS: &str =
    "UPDATE ledger SET status = 'rejected', reviewed_at = ?3, confirm_after = NULL
         WHERE status != 'rejected' AND (
           (entry_id = ?2 AND reason = 'referral_advocate' AND ref_id = ?1) OR
           (entry_id = ?1 AND reason = 'referral_friend' AND ref_id = ?2))";

/// A trusted signup took over a browser-made entry and named another advocate:
/// the browser's referral awards for it are rejected.
pub fn reject_referral_awards(
    db: &D1Database,
    entry_id: &EntryId,
    old_advocate_id: &EntryId,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REJECT_REFERRAL_AWARDS, entry_id, old_advocate_id, now)?)
}

pub(in crate::db) const REVIEW: &str = "UPDATE ledger SET status = ?3, reviewed_at = ?4, confirm_after = NULL
         WHERE id = ?1 AND contest_id = ?2 AND status = 'pending'";

/// Moves a pending award to `to` (the owner's review). Only pending rows move.
pub fn review(
    db: &D1Database,
    award_id: i64,
    contest_id: &ContestId,
    to: AwardStatus,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REVIEW, award_id, contest_id, to.as_str(), now)?)
}

pub(in crate::db) const REPRICE_PENDING: &str = "UPDATE ledger SET delta = ?2,
           status = CASE WHEN ?2 <= 0 THEN 'rejected' ELSE status END,
           reviewed_at = CASE WHEN ?2 <= 0 THEN ?4 ELSE reviewed_at END
         WHERE id = ?1 AND status = 'pending' AND EXISTS (SELECT 1 FROM refunds WHERE id = ?3)";

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
    Ok(query!(db, REPRICE_PENDING, award_id, delta.max(0), refund_id, now)?)
}

#[derive(Debug, Deserialize)]
pub struct DueAward {
    pub id: i64,
    pub contest_id: ContestId,
}

pub(in crate::db) const DUE: &str =
    "SELECT id, contest_id FROM ledger WHERE status = 'pending' AND confirm_after IS NOT NULL AND confirm_after <= ?1
   AND hold IN ('review', 'velocity')
 ORDER BY confirm_after LIMIT ?2";

/// Pending awards whose hold period has passed (holdDays), oldest first. Only
/// the holds that may confirm on their own, even if a date was set on another.
pub async fn due(db: &D1Database, now: &str, limit: u32) -> DbResult<Vec<DueAward>> {
    crate::db::all(query!(db, DUE, now, limit)?).await
}

pub(in crate::db) const CONFIRM_DUE: &str = "UPDATE ledger SET status = 'confirmed', reviewed_at = ?2
         WHERE id = ?1 AND status = 'pending' AND confirm_after IS NOT NULL AND confirm_after <= ?2
           AND hold IN ('review', 'velocity')";

/// Confirms a due award (still pending, still due) for the scheduled sweep.
pub fn confirm_due(db: &D1Database, award_id: i64, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, CONFIRM_DUE, award_id, now)?)
}
