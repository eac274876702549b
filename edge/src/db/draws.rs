//! Draw prizes (migrations/0023, docs/DRAWS.md): the `prize_draws` row made
//! with its prize, the eligible list read from the frozen standings, the
//! listing written by the finalize batch, the draw's batch (beacon, seed
//! revealed, one award per pick) and a void's refill from the same sequence.

use super::{Batch, DbResult};
use crate::domain::draw_rule::{Eligibility, Weighting};
use crate::domain::ids::{ContestId, EntryId, EventId, PrizeAwardId, PrizeId};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// A draw prize's row, with its contest's `finalized_at`.
#[derive(Debug, Clone, Deserialize)]
pub struct DrawRow {
    pub prize_id: PrizeId,
    pub contest_id: ContestId,
    pub winners: i64,
    pub min_points: Option<i64>,
    pub min_referrals: Option<i64>,
    pub weighting: Weighting,
    pub seed: String,
    pub seed_commitment: String,
    pub list_hash: Option<String>,
    pub list_entries: Option<i64>,
    pub list_weight: Option<String>,
    pub chain_hash: Option<String>,
    pub beacon_round: Option<i64>,
    pub listed_at: Option<String>,
    pub randomness: Option<String>,
    pub signature: Option<String>,
    pub drawn_at: Option<String>,
    pub next_k: Option<i64>,
}

impl DrawRow {
    pub fn eligibility(&self) -> Eligibility {
        Eligibility { min_points: self.min_points, min_referrals: self.min_referrals }
    }
}

const DRAW: &str = "SELECT prize_id, contest_id, winners, min_points, min_referrals, weighting, seed,
   seed_commitment, list_hash, list_entries, list_weight, chain_hash, beacon_round, listed_at, randomness,
   signature, drawn_at, next_k FROM prize_draws ";

pub(super) fn by_prize_sql() -> String {
    [DRAW, "WHERE prize_id = ?1"].concat()
}

pub(super) fn of_contest_sql() -> String {
    // No order needed: the results find each prize's draw by id.
    [DRAW, "WHERE contest_id = ?1 LIMIT 100"].concat()
}

pub(super) fn waiting_sql() -> String {
    [DRAW, "WHERE list_hash IS NOT NULL AND drawn_at IS NULL ORDER BY beacon_round LIMIT ?1"].concat()
}

pub async fn find(db: &D1Database, prize_id: &PrizeId) -> DbResult<Option<DrawRow>> {
    super::first(query!(db, &by_prize_sql(), prize_id)?).await
}

/// A contest's draws (a contest has a handful of prizes).
pub fn of_contest(db: &D1Database, contest_id: &ContestId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &of_contest_sql(), contest_id)?)
}

pub async fn of_contest_rows(db: &D1Database, contest_id: &ContestId) -> DbResult<Vec<DrawRow>> {
    super::all(of_contest(db, contest_id)?).await
}

/// Listed draws not drawn yet, earliest round first (the cron's backstop).
pub async fn waiting(db: &D1Database, limit: u32) -> DbResult<Vec<DrawRow>> {
    super::all(query!(db, &waiting_sql(), limit)?).await
}

/// A draw prize's row, made in its prize's batch: the rule, the seed and its
/// commitment.
pub(super) const INSERT: &str = "INSERT INTO prize_draws
   (prize_id, contest_id, winners, min_points, min_referrals, weighting, seed, seed_commitment)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// The secret and public halves of a draw's seed (lowercase hex).
pub struct Seed<'a> {
    pub seed: &'a str,
    pub commitment: &'a str,
}

/// A draw's rule as written.
pub struct Rule {
    pub winners: i64,
    pub eligibility: Eligibility,
    pub weighting: Weighting,
}

pub fn insert(
    db: &D1Database,
    prize_id: &PrizeId,
    contest_id: &ContestId,
    rule: &Rule,
    seed: &Seed<'_>,
) -> DbResult<D1PreparedStatement> {
    let e = rule.eligibility;
    Ok(query!(
        db,
        INSERT,
        prize_id,
        contest_id,
        rule.winners,
        e.min_points,
        e.min_referrals,
        rule.weighting.as_str(),
        seed.seed,
        seed.commitment
    )?)
}

/// A PATCH of the rule: only while the contest has not started finalizing
/// (the list is decided from it then), so it never changes a published list.
pub(super) const UPDATE_RULE: &str = "UPDATE prize_draws SET winners = ?2, min_points = ?3, min_referrals = ?4,
   weighting = ?5
 WHERE prize_id = ?1 AND list_hash IS NULL
   AND NOT EXISTS (SELECT 1 FROM contests c WHERE c.id = prize_draws.contest_id AND c.finalize_started_at IS NOT NULL)";

pub fn update_rule(db: &D1Database, prize_id: &PrizeId, rule: &Rule) -> DbResult<D1PreparedStatement> {
    let e = rule.eligibility;
    Ok(query!(db, UPDATE_RULE, prize_id, rule.winners, e.min_points, e.min_referrals, rule.weighting.as_str())?)
}

/// One place of the frozen standings, as a list reads it.
#[derive(Debug, Deserialize)]
pub struct Standing {
    pub entry_id: String,
    pub points: i64,
    pub referrals: i64,
}

/// The standings in entry id order (byte order: TEXT's BINARY collation), a
/// page after `?2` (the unique (contest, entry) index).
pub(super) const LIST_PAGE: &str = "SELECT entry_id, points, referrals FROM standings
  WHERE contest_id = ?1 AND entry_id > ?2 ORDER BY entry_id LIMIT ?3";

pub async fn list_page(db: &D1Database, contest_id: &ContestId, after: &str, limit: u32) -> DbResult<Vec<Standing>> {
    super::all(query!(db, LIST_PAGE, contest_id, after, limit)?).await
}

/// What the finalize batch publishes of one draw.
pub struct Listing<'a> {
    pub prize_id: &'a PrizeId,
    pub list_hash: &'a str,
    pub entries: i64,
    pub weight: &'a str,
    pub chain_hash: &'a str,
    pub round: i64,
}

/// Written by the batch that finalizes (`?7` its time), once: a second run
/// changes nothing; a contest already finalized is left as it was.
pub(super) const LISTED: &str = "UPDATE prize_draws SET list_hash = ?2, list_entries = ?3, list_weight = ?4,
   chain_hash = ?5, beacon_round = ?6, listed_at = ?7
 WHERE prize_id = ?1 AND list_hash IS NULL
   AND EXISTS (SELECT 1 FROM contests c WHERE c.id = prize_draws.contest_id AND c.finalized_at IS NULL)";

pub fn listed(db: &D1Database, l: &Listing<'_>, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, LISTED, l.prize_id, l.list_hash, l.entries, l.weight, l.chain_hash, l.round, now)?)
}

/// The beacon a draw took.
pub struct Beacon<'a> {
    pub randomness: &'a str,
    pub signature: &'a str,
}

/// One pick: its step and entry.
pub struct NewPick<'a> {
    pub award_id: PrizeAwardId,
    pub k: i64,
    pub entry_id: &'a str,
}

/// The draw, once: `?2` randomness, `?3` signature, `?4` now, `?5` next_k.
pub(super) const DRAWN: &str = "UPDATE prize_draws SET randomness = ?2, signature = ?3, drawn_at = ?4, next_k = ?5
  WHERE prize_id = ?1 AND drawn_at IS NULL AND list_hash IS NOT NULL";

/// A pick's award, written only when `?7` holds (this batch drew, or this
/// batch's void moved `next_k` on); `ON CONFLICT` leaves a step taken twice
/// (two runs of the same millisecond) at one award.
pub(super) const PICK: &str = "INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, earned_at, draw_k)
  SELECT ?1, d.prize_id, d.contest_id, ?3, 'earned', ?4, ?5 FROM prize_draws d
   WHERE d.prize_id = ?2 AND d.drawn_at IS NOT NULL AND d.next_k = ?6 AND (d.drawn_at = ?4 OR ?7 = 'void')
  ON CONFLICT DO NOTHING";

fn pick(
    db: &D1Database,
    prize_id: &PrizeId,
    p: &NewPick<'_>,
    now: &str,
    next_k: i64,
    why: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, PICK, &p.award_id, prize_id, p.entry_id, now, p.k, next_k, why)?)
}

/// The draw in one batch: the beacon and `next_k` (once: `drawn_at IS
/// NULL`), the picks' awards only if that update applied (their codes,
/// credits and `prize.earned` by the triggers of 0020); the events written.
pub async fn draw(
    db: &D1Database,
    prize_id: &PrizeId,
    beacon: &Beacon<'_>,
    picks: &[NewPick<'_>],
    next_k: i64,
    now: &str,
) -> DbResult<(bool, Vec<EventId>)> {
    let mut batch = Batch::new();
    let drawn = batch.push(query!(db, DRAWN, prize_id, beacon.randomness, beacon.signature, now, next_k)?);
    for p in picks {
        batch.push(pick(db, prize_id, p, now, next_k, "draw")?);
    }
    batch.push(super::outbox::triggered_events(db, now)?);
    let results = batch.run(db).await?;
    Ok((drawn.changed(&results)?, super::outbox::written_in(&results)?))
}

/// A void goes on from `?3` (the `next_k` it read): `?2` the new next_k.
pub(super) const MOVE_ON: &str = "UPDATE prize_draws SET next_k = ?2 WHERE prize_id = ?1 AND next_k = ?3
  AND EXISTS (SELECT 1 FROM prize_awards a WHERE a.id = ?4 AND a.status = 'void' AND a.voided_at = ?5)";

/// The statements a draw award's void adds to its batch (after the void):
/// `next_k` moved on from `from` (only if the void applied and nobody moved it
/// meanwhile) and the refill's award (only if it moved).
pub fn refill(
    db: &D1Database,
    voided: &PrizeAwardId,
    prize_id: &PrizeId,
    from: i64,
    next: Option<&NewPick<'_>>,
    now: &str,
) -> DbResult<Vec<D1PreparedStatement>> {
    let Some(next) = next else { return Ok(Vec::new()) };
    let next_k = next.k + 1;
    Ok(vec![query!(db, MOVE_ON, prize_id, next_k, from, voided, now)?, pick(db, prize_id, next, now, next_k, "void")?])
}

/// An entry's picks still standing (earned or waiting; a fulfilled one is
/// only marked for clawback), by their
/// award id and prize.
#[derive(Debug, Deserialize)]
pub struct StandingPick {
    pub id: PrizeAwardId,
    pub prize_id: PrizeId,
}

pub(super) const STANDING_PICKS: &str = "SELECT id, prize_id FROM prize_awards
  WHERE entry_id = ?1 AND draw_k IS NOT NULL AND status IN ('earned', 'waiting') LIMIT 100";

/// The picks of an entry a disqualification voids (0020's trigger): each
/// place is refilled from its draw's sequence in the same batch.
pub async fn standing_picks(db: &D1Database, entry_id: &EntryId) -> DbResult<Vec<StandingPick>> {
    super::all(query!(db, STANDING_PICKS, entry_id)?).await
}

/// A pick as the results show it: its step, the entry, its name now, and
/// whether (why, when) it was voided.
#[derive(Debug, Deserialize)]
pub struct PickRow {
    pub prize_id: PrizeId,
    pub k: i64,
    pub entry_id: EntryId,
    pub name: Option<String>,
    pub status: crate::domain::prizes::AwardStatus,
    pub void_reason: Option<String>,
    pub voided_at: Option<String>,
}

pub(super) const PICKS: &str = "SELECT a.prize_id, a.draw_k AS k, a.entry_id, e.name, a.status, a.void_reason,
   a.voided_at FROM prize_awards a JOIN entries e ON e.id = a.entry_id
  WHERE a.prize_id IN (SELECT prize_id FROM prize_draws WHERE contest_id = ?1) AND a.draw_k IS NOT NULL
  ORDER BY a.prize_id, a.draw_k LIMIT 10000";

/// The picks of a contest's draws, by prize and step.
pub fn picks(db: &D1Database, contest_id: &ContestId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, PICKS, contest_id)?)
}
