//! Referral awards held for an unconfirmed address (`hold = 'email_unconfirmed'`):
//! the hold the contest's rules chose waits in `after_hold` and is taken when
//! the address is confirmed; past the time they are rejected.

use super::Reason;
use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub(in crate::db) const HOLD_UNCONFIRMED: &str =
    "UPDATE ledger SET after_hold = hold, hold = 'email_unconfirmed', status = 'pending', confirm_after = NULL
     WHERE entry_id = ?1 AND reason = ?2 AND ref_id = ?3 AND status != 'rejected'
       AND hold IS NOT 'email_unconfirmed'
       AND EXISTS (SELECT 1 FROM entries WHERE id = ?4 AND email_confirmation = 'pending')";

/// Holds the award (entry, reason, ref) just written for the signup `signup_id`
/// while its address waits: between the award's insert and its totals, so
/// nothing is counted or earned meanwhile.
pub fn hold_unconfirmed(
    db: &D1Database,
    entry_id: &EntryId,
    reason: Reason,
    ref_id: &str,
    signup_id: &EntryId,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, HOLD_UNCONFIRMED, entry_id, reason.as_str(), ref_id, signup_id)?)
}

pub(in crate::db) const HELD_FOR: &str =
    "SELECT id, contest_id FROM ledger WHERE entry_id = ?1 AND status = 'pending' AND hold = 'email_unconfirmed'
     UNION ALL
     SELECT id, contest_id FROM ledger WHERE ref_id = ?1 AND reason = 'referral_advocate'
       AND status = 'pending' AND hold = 'email_unconfirmed'";

#[derive(Debug, Deserialize)]
pub struct HeldAward {
    pub id: i64,
    pub contest_id: ContestId,
}

/// The awards held for `signup_id`'s address: its own referral award and its
/// advocate's.
pub fn held_for(db: &D1Database, signup_id: &EntryId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, HELD_FOR, signup_id)?)
}

pub async fn held_awards(db: &D1Database, signup_id: &EntryId) -> DbResult<Vec<HeldAward>> {
    crate::db::all(held_for(db, signup_id)?).await
}

pub(in crate::db) const RELEASE: &str = "UPDATE ledger SET hold = after_hold,
       status = CASE WHEN after_hold IS NULL THEN 'confirmed' ELSE 'pending' END,
       reviewed_at = CASE WHEN after_hold IS NULL THEN ?2 END,
       confirm_after = CASE WHEN after_hold IN ('review', 'velocity') THEN ?3 END
     WHERE id = ?1 AND status = 'pending' AND hold = 'email_unconfirmed'
       AND EXISTS (SELECT 1 FROM entries WHERE id = ?4 AND email_confirmed_at = ?2)";

/// The address of `signup_id` was confirmed by this batch (`now`): the award
/// takes the hold the rules gave it (with `holdDays`' due date `due`, counted
/// from now) or, without one, confirms.
pub fn release(
    db: &D1Database,
    award_id: i64,
    now: &str,
    due: Option<&str>,
    signup_id: &EntryId,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, RELEASE, award_id, now, due, signup_id)?)
}

pub(in crate::db) const REJECT_UNCONFIRMED: &str =
    "UPDATE ledger SET status = 'rejected', reviewed_at = ?2, confirm_after = NULL
     WHERE id = ?1 AND status = 'pending' AND hold = 'email_unconfirmed'";

/// The address was never confirmed in time: the held award is rejected.
pub fn reject_unconfirmed(db: &D1Database, award_id: i64, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REJECT_UNCONFIRMED, award_id, now)?)
}
