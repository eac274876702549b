//! The monetary rewards ledger (double-sided referral rewards and payouts).
//! Balances are sums of its rows: earned rows are positive, redemptions negative.

use super::guard::Guard;
use super::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::rewards::Side;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub struct Reward<'a> {
    pub entry_id: &'a EntryId,
    pub contest_id: &'a ContestId,
    pub side: Side,
    pub amount: f64,
    /// The cause; (entry, side, kind, ref) is unique, so a cause rewards once.
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
}

/// `reward.earned` (or `reward.redeemed`) for `r`, if this batch wrote it.
pub fn event(db: &D1Database, r: &Reward, redeemed: bool) -> DbResult<D1PreparedStatement> {
    super::outbox::reward_event(db, r.entry_id, r.side, r.ref_id, r.created_at, redeemed)
}

/// The insert of `earn`, guarded by `condition` (on `?8`).
pub(super) fn earn_sql(condition: &str) -> String {
    [
        "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
         SELECT ?1, ?2, ?3, 'earned', ?4, ?5, ?6, ?7 WHERE ",
        condition,
        " ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING",
    ]
    .concat()
}

/// An earned reward, written only if `guard` holds in the same batch.
pub fn earn(db: &D1Database, r: &Reward, guard: Guard) -> DbResult<D1PreparedStatement> {
    let (condition, guard_id) = guard.condition(8);
    Ok(query!(
        db,
        &earn_sql(&condition),
        r.entry_id,
        r.contest_id,
        r.side.as_str(),
        r.amount,
        r.ref_id,
        r.note,
        r.created_at,
        guard_id
    )?)
}

/// The friend of the referral award `award` (a parameter) that this batch
/// (`now`, a parameter) confirmed.
pub(super) fn friend_of_award(award: &str, now: &str) -> String {
    [
        "(SELECT CASE reason WHEN 'referral_friend' THEN entry_id ELSE ref_id END FROM ledger WHERE id = ",
        award,
        " AND reason IN ('referral_friend', 'referral_advocate') AND status = 'confirmed' AND reviewed_at = ",
        now,
        ")",
    ]
    .concat()
}

/// Whose referee reward to earn: an entry, or the friend of a referral award.
#[derive(Clone, Copy)]
pub enum Friend<'a> {
    Entry(&'a EntryId),
    OfAward(i64),
}

/// The referee reward of the entry `friend` (an SQL expression on `?1`):
/// the contest's `refereeReward`, once per entry, earned only while its
/// referral stands: linked, the link not held (`entries.referral_hold`),
/// the friend's address confirmed (double opt-in) and the friend's own
/// referral award (if any) confirmed. So it is not
/// earned while the referral waits, is earned by the batch that confirms it,
/// and never for a rejected one (rejection removes the link).
pub(super) fn earn_referee_sql(friend: &str) -> String {
    [
        "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
         SELECT f.id, f.contest_id, 'referee', 'earned', c.referee_reward, f.referred_by_entry_id,
           'joined through a referral', ?2
         FROM entries f JOIN contests c ON c.id = f.contest_id
         WHERE f.id = ",
        friend,
        " AND f.referred_by_entry_id IS NOT NULL AND f.referral_hold IS NULL AND c.referee_reward > 0
           AND f.email_confirmation IS NULL
           AND NOT EXISTS (SELECT 1 FROM ledger l WHERE l.entry_id = f.id AND l.reason = 'referral_friend'
             AND l.ref_id = f.referred_by_entry_id AND l.status != 'confirmed')
           AND NOT EXISTS (SELECT 1 FROM rewards w WHERE w.entry_id = f.id AND w.side = 'referee' AND w.kind = 'earned')
         ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING",
    ]
    .concat()
}

/// `earn_referee_sql` and its `reward.earned` webhook event, for `friend`.
pub fn earn_referee(db: &D1Database, friend: Friend, now: &str) -> DbResult<[D1PreparedStatement; 2]> {
    Ok(match friend {
        Friend::Entry(id) => {
            [query!(db, &earn_referee_sql("?1"), id, now)?, super::outbox::referee_reward_event(db, "?4", id, now)?]
        }
        Friend::OfAward(award) => [
            query!(db, &earn_referee_sql(&friend_of_award("?1", "?2")), award, now)?,
            super::outbox::referee_reward_event(db, &friend_of_award("?4", "?3"), award, now)?,
        ],
    })
}

pub(super) const REDEEM: &str =
    "INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
 SELECT ?1, ?2, ?3, 'redeemed', -?4, ?5, ?6, ?7
 WHERE (SELECT COALESCE(SUM(amount), 0) FROM rewards WHERE entry_id = ?1 AND side = ?3) >= ?4 - 0.000001
 ON CONFLICT (entry_id, side, kind, ref_id) DO NOTHING";

/// A redemption of `r.amount` from the side's balance, written only if the
/// balance covers it at the moment the statement runs (one statement: atomic).
pub fn redeem(db: &D1Database, r: &Reward) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REDEEM, r.entry_id, r.contest_id, r.side.as_str(), r.amount, r.ref_id, r.note, r.created_at)?)
}

/// A redemption as `select_redemption` reads it.
#[derive(Debug, Deserialize)]
pub struct RedemptionRow {
    /// What was paid out (positive).
    pub amount: f64,
}

pub(super) const REDEMPTION: &str =
    "SELECT -amount AS amount, created_at FROM rewards WHERE entry_id = ?1 AND side = ?2 AND kind = 'redeemed' AND ref_id = ?3";

/// The redemption row for a ref, if written (by this batch or an earlier retry).
pub fn select_redemption(
    db: &D1Database,
    entry_id: &EntryId,
    side: Side,
    ref_id: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REDEMPTION, entry_id, side.as_str(), ref_id)?)
}
