//! The end of a contest (migrations/0021): ending it, the final standings
//! written in keyset pages, the rank prizes they earn, and what the open
//! results page and the cron read.

use super::contests::{by_id_sql, owned_sql, ContestRow};
use super::{Batch, Count, DbResult};
use crate::domain::finale::Cursor;
use crate::domain::ids::{AccountId, ContestId, EventId};
use serde::Deserialize;
use worker::{query, D1Database};

/// Ends the contest now (stored status `ended`) unless it has ended already
/// (by status or `endsAt`): `?1` id, `?2` account, `?3` now.
pub(super) const END: &str = "UPDATE contests SET status = 'ended', updated_at = ?3
  WHERE id = ?1 AND account_id = ?2 AND status != 'ended' AND NOT (ends_at IS NOT NULL AND ends_at <= ?3)";

/// Notes the end of an ended contest once (`?1` id, `?2` now): when it ended
/// (its `endsAt` if that is what ended it, else now) and that its event is
/// written now.
pub(super) const NOTICE_END: &str = "UPDATE contests
  SET ended_at = COALESCE(ended_at, CASE WHEN status != 'ended' THEN ends_at ELSE ?2 END), ended_event_at = ?2
  WHERE id = ?1 AND ended_event_at IS NULL AND (status = 'ended' OR (ends_at IS NOT NULL AND ends_at <= ?2))";

/// The owner's end, in one batch: the status, the end noted, `contest.ended`
/// if this batch noted it, the contest read back (`None`: not this account's).
pub async fn end(
    db: &D1Database,
    id: &ContestId,
    account_id: &AccountId,
    now: &str,
) -> DbResult<(Option<ContestRow>, Vec<EventId>)> {
    let mut batch = Batch::new();
    batch.push(query!(db, END, id, account_id, now)?);
    batch.push(query!(db, NOTICE_END, id, now)?);
    batch.push(super::outbox::contest_ended(db, id, now)?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    let results = batch.run(db).await?;
    Ok((contest.first(&results)?, super::outbox::written_in(&results)?))
}

/// The cron's notice of an end (an `endsAt` passed, a status set by PATCH):
/// the end noted and `contest.ended`, in one batch; the events written.
pub async fn notice_end(db: &D1Database, id: &ContestId, now: &str) -> DbResult<Vec<EventId>> {
    let mut batch = Batch::new();
    batch.push(query!(db, NOTICE_END, id, now)?);
    batch.push(super::outbox::contest_ended(db, id, now)?);
    super::outbox::written_in(&batch.run(db).await?)
}

#[derive(Deserialize)]
struct Id {
    id: ContestId,
}

/// Ended contests whose end was not yet noted, `?1` now (one may be listed
/// twice: noting it again writes nothing).
pub(super) const UNNOTICED_ENDS: &str = "SELECT id FROM contests WHERE ended_event_at IS NULL AND status = 'ended'
  UNION ALL SELECT id FROM contests WHERE ended_event_at IS NULL AND ends_at <= ?1 LIMIT ?2";

pub async fn unnoticed_ends(db: &D1Database, now: &str, limit: u32) -> DbResult<Vec<ContestId>> {
    let rows: Vec<Id> = super::all(query!(db, UNNOTICED_ENDS, now, limit)?).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A contest the cron may finalize by its setting: when it ended, the hours.
#[derive(Deserialize)]
pub struct AutoFinalize {
    pub id: ContestId,
    pub ended_at: String,
    pub auto_finalize_after_hours: i64,
}

/// Due ones only (`?1` now), so contests not yet due never crowd them out
/// of the limit; `domain::finale::auto_finalize_due` decides again.
pub(super) const AUTO_FINALIZE: &str = "SELECT id, ended_at, auto_finalize_after_hours FROM contests
  WHERE finalized_at IS NULL AND auto_finalize_after_hours IS NOT NULL AND ended_at IS NOT NULL
    AND julianday(ended_at) + auto_finalize_after_hours / 24.0 <= julianday(?1)
  ORDER BY ended_at LIMIT ?2";

/// Not yet finalized contests whose `autoFinalizeAfterHours` passed, by their end.
pub async fn auto_finalize_candidates(db: &D1Database, now: &str, limit: u32) -> DbResult<Vec<AutoFinalize>> {
    super::all(query!(db, AUTO_FINALIZE, now, limit)?).await
}

pub(super) const STALLED: &str = "SELECT id FROM contests
  WHERE finalize_started_at IS NOT NULL AND finalized_at IS NULL AND finalize_touched_at < ?1
  ORDER BY finalize_touched_at LIMIT ?2";

/// Finalizing contests no run touched since `before`: the cron goes on with them.
pub async fn stalled(db: &D1Database, before: &str, limit: u32) -> DbResult<Vec<ContestId>> {
    let rows: Vec<Id> = super::all(query!(db, STALLED, before, limit)?).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// A contest by id (the cron and the queue carry no key).
pub async fn contest(db: &D1Database, id: &ContestId) -> DbResult<Option<ContestRow>> {
    super::first(query!(db, &by_id_sql(), id)?).await
}

/// Awards of the contest still pending (`ledger_by_contest`).
pub(super) const PENDING: &str = "SELECT COUNT(*) AS n FROM ledger WHERE contest_id = ?1 AND status = 'pending'";

pub async fn pending_awards(db: &D1Database, id: &ContestId) -> DbResult<u64> {
    let count: Option<Count> = super::first(query!(db, PENDING, id)?).await?;
    Ok(count.map_or(0, |c| c.n.max(0) as u64))
}

/// Finalizing starts (once): `?1` id, `?2` now.
pub(super) const START: &str = "UPDATE contests SET finalize_started_at = ?2, finalize_touched_at = ?2
  WHERE id = ?1 AND finalize_started_at IS NULL AND finalized_at IS NULL";

pub async fn start(db: &D1Database, id: &ContestId, now: &str) -> DbResult<()> {
    super::run(query!(db, START, id, now)?).await?;
    Ok(())
}

/// A run goes on with the standings now (`?2`): not stalled.
pub(super) const TOUCH: &str = "UPDATE contests SET finalize_touched_at = ?2 WHERE id = ?1 AND finalized_at IS NULL";

pub async fn touch(db: &D1Database, id: &ContestId, now: &str) -> DbResult<()> {
    super::run(query!(db, TOUCH, id, now)?).await?;
    Ok(())
}

/// The last ranked place so far: where the next page starts.
pub(super) const LAST_RANKED: &str = "SELECT rank, points, reached_at, joined_at, entry_id FROM standings
  WHERE contest_id = ?1 ORDER BY rank DESC LIMIT 1";

pub async fn last_ranked(db: &D1Database, id: &ContestId) -> DbResult<Option<Cursor>> {
    super::first(query!(db, LAST_RANKED, id)?).await
}

/// When an entry reached its final total: its last confirmed ledger change,
/// or its join when it has none.
const REACHED: &str = "COALESCE(e.points_reached_at, e.created_at)";

/// "After the cursor" as four index ranges: the same points, reached and
/// join with a greater id; the same points and reached with a later join; the
/// same points with a later reached; fewer points.
pub(super) const AFTER: [&str; 4] = [
    " AND e.total_points = ?3 AND COALESCE(e.points_reached_at, e.created_at) = ?4 AND e.created_at = ?5 AND e.id > ?6",
    " AND e.total_points = ?3 AND COALESCE(e.points_reached_at, e.created_at) = ?4 AND e.created_at > ?5",
    " AND e.total_points = ?3 AND COALESCE(e.points_reached_at, e.created_at) > ?4",
    " AND e.total_points < ?3",
];

/// One arm of a page: ranked entries of `?1` not yet in the standings, past
/// `after` (conditions on `?3` points, `?4` reached, `?5` joined, `?6` id), in
/// the ranking order, at most `?7`. Each arm is an index range of
/// `entries_final_rank` (a row value over an expression is not, so the
/// keyset's "after" is four arms).
pub(super) fn arm_sql(after: &str) -> String {
    [
        "SELECT * FROM (SELECT e.id AS entry_id, e.total_points AS points, ",
        REACHED,
        " AS reached_at, e.created_at AS joined_at, e.confirmed_referrals AS referrals FROM entries e
          WHERE e.contest_id = ?1 AND e.disqualified = 0 AND e.erased_at IS NULL AND e.email_confirmation IS NULL",
        after,
        " AND NOT EXISTS (SELECT 1 FROM standings s WHERE s.contest_id = ?1 AND s.entry_id = e.id)
          ORDER BY e.total_points DESC, ",
        REACHED,
        ", e.created_at, e.id LIMIT ?7)",
    ]
    .concat()
}

/// Writes the next page of the standings: the page's entries ranked after
/// `?2` (the last rank so far). A page run twice at once (the queue and the
/// cron) writes it once: the ranks and entries are unique, and what another
/// run wrote first is left out before numbering.
pub(super) fn page_sql(first: bool) -> String {
    let arms = if first {
        arm_sql("")
    } else {
        [arm_sql(AFTER[0]), arm_sql(AFTER[1]), arm_sql(AFTER[2]), arm_sql(AFTER[3])].join(" UNION ALL ")
    };
    [
        "INSERT INTO standings (contest_id, rank, entry_id, points, reached_at, joined_at, referrals)
         SELECT ?1, ?2 + ROW_NUMBER() OVER (ORDER BY points DESC, reached_at, joined_at, entry_id),
                entry_id, points, reached_at, joined_at, referrals
           FROM (SELECT * FROM (",
        &arms,
        ") ORDER BY points DESC, reached_at, joined_at, entry_id LIMIT ?7)
          WHERE true ON CONFLICT DO NOTHING",
    ]
    .concat()
}

/// Writes one page of at most `size` places after `after` (none: the first
/// page); answers how many places it wrote.
pub async fn write_page(db: &D1Database, id: &ContestId, after: Option<&Cursor>, size: u32) -> DbResult<u64> {
    let statement = match after {
        None => query!(db, &page_sql(true), id, 0, None::<i64>, None::<&str>, None::<&str>, None::<&str>, size)?,
        Some(c) => query!(db, &page_sql(false), id, c.rank, c.points, &c.reached_at, &c.joined_at, &c.entry_id, size)?,
    };
    Ok(super::changes(&super::run(statement).await?))
}

/// The rank prizes of `?1`: one award per place in `rank_from..rank_to` (the
/// first `quantity` places of the range, if set), earned now (`?2`), unless
/// the contest is finalized already. What follows an award (code, credit,
/// `prize.earned`) is the `prize_awards` triggers' (another part of issue 24).
pub(super) const RANK_AWARDS: &str =
    "INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, rank, earned_at)
  SELECT 'pa_' || lower(hex(randomblob(8))), p.id, p.contest_id, s.entry_id, 'earned', s.rank, ?2
    FROM prizes p JOIN standings s ON s.contest_id = p.contest_id
     AND s.rank BETWEEN p.rank_from AND MIN(p.rank_to, p.rank_from + COALESCE(p.quantity, p.rank_to) - 1)
   WHERE p.contest_id = ?1 AND p.kind = 'rank'
     AND EXISTS (SELECT 1 FROM contests c WHERE c.id = ?1 AND c.finalized_at IS NULL)
  ON CONFLICT (prize_id, entry_id) DO NOTHING";

pub(super) const FINALIZED: &str = "UPDATE contests SET finalized_at = ?2 WHERE id = ?1 AND finalized_at IS NULL";

/// The last step, in one batch: the rank prizes (their codes, credits and
/// `prize.earned` by the prize award triggers), the standings' hash
/// (`standings_hash`, read from the complete standings just before), the
/// draws' lists and rounds (`draws`, read just before), the contest
/// finalized now, `contest.finalized` if this batch finalized it; the events
/// written.
pub async fn finish(
    db: &D1Database,
    id: &ContestId,
    now: &str,
    standings_hash: &str,
    draws: &[super::draws::Listing<'_>],
) -> DbResult<Vec<EventId>> {
    let mut batch = Batch::new();
    batch.push(query!(db, RANK_AWARDS, id, now)?);
    batch.push(super::record::set_standings_hash(db, id, standings_hash)?);
    batch.extend(draws.iter().map(|d| super::draws::listed(db, d, now)).collect::<DbResult<Vec<_>>>()?);
    batch.push(query!(db, FINALIZED, id, now)?);
    batch.push(super::outbox::contest_finalized(db, id, now)?);
    // prize.earned of the rank awards (written by their insert's trigger)
    batch.push(super::outbox::triggered_events(db, now)?);
    super::outbox::written_in(&batch.run(db).await?)
}

/// One place of the final standings, with the entry's name now (erasure
/// clears it).
#[derive(Deserialize)]
pub struct StandingRow {
    pub rank: i64,
    pub entry_id: String,
    pub name: Option<String>,
    pub points: i64,
    pub reached_at: String,
}

/// A page of places: ranks are dense, so a page is a range of them.
pub(super) const STANDINGS_PAGE: &str =
    "SELECT s.rank, s.entry_id, e.name, s.points, s.reached_at FROM standings s JOIN entries e ON e.id = s.entry_id
  WHERE s.contest_id = ?1 AND s.rank > ?2 ORDER BY s.rank LIMIT ?3";

pub(super) const STANDINGS_COUNT: &str = "SELECT COALESCE(MAX(rank), 0) AS n FROM standings WHERE contest_id = ?1";

pub async fn standings_page(
    db: &D1Database,
    id: &ContestId,
    page: crate::domain::v1_pages::PageRequest,
) -> DbResult<(Vec<StandingRow>, u64)> {
    super::page::read(db, query!(db, STANDINGS_PAGE, id, page.offset(), page.limit)?, query!(db, STANDINGS_COUNT, id)?)
        .await
}

/// A prize as the open results show it, with how many earned it.
#[derive(Deserialize)]
pub struct ResultPrize {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub image_url: Option<String>,
    pub kind: String,
    pub threshold_referrals: Option<i64>,
    pub threshold_points: Option<i64>,
    pub rank_from: Option<i64>,
    pub rank_to: Option<i64>,
    pub earned_count: i64,
}

pub(super) const RESULT_PRIZES: &str = "SELECT p.id, p.name, p.description, p.image_url, p.kind,
    p.threshold_referrals, p.threshold_points, p.rank_from, p.rank_to,
    (SELECT COUNT(*) FROM prize_awards a WHERE a.prize_id = p.id AND a.status != 'void') AS earned_count
  FROM prizes p WHERE p.contest_id = ?1 ORDER BY p.kind, p.created_at, p.id LIMIT 100";

/// A rank prize's winner: the place and the name now.
#[derive(Deserialize)]
pub struct Winner {
    pub prize_id: String,
    pub rank: i64,
    pub name: Option<String>,
}

pub(super) const WINNERS: &str = "SELECT a.prize_id, a.rank, e.name FROM prizes p
    JOIN prize_awards a ON a.prize_id = p.id JOIN entries e ON e.id = a.entry_id
  WHERE p.contest_id = ?1 AND p.kind = 'rank' AND a.status != 'void' AND a.rank IS NOT NULL
  ORDER BY a.rank, a.prize_id LIMIT 1000";

/// What the open results show: the contest, its prizes, the rank prizes'
/// winners, the draws and their picks.
pub struct ResultsRead {
    pub contest: ContestRow,
    pub prizes: Vec<ResultPrize>,
    pub winners: Vec<Winner>,
    pub draws: Vec<super::draws::DrawRow>,
    pub picks: Vec<super::draws::PickRow>,
}

/// What the open results read, in one batch.
pub async fn results(db: &D1Database, id: &ContestId) -> DbResult<Option<ResultsRead>> {
    let mut batch = Batch::new();
    let contest = batch.push(query!(db, &by_id_sql(), id)?);
    let prizes = batch.push(query!(db, RESULT_PRIZES, id)?);
    let winners = batch.push(query!(db, WINNERS, id)?);
    let draws = batch.push(super::draws::of_contest(db, id)?);
    let picks = batch.push(super::draws::picks(db, id)?);
    let results = batch.run(db).await?;
    let Some(contest) = contest.first::<ContestRow>(&results)? else { return Ok(None) };
    Ok(Some(ResultsRead {
        contest,
        prizes: prizes.rows(&results)?,
        winners: winners.rows(&results)?,
        draws: draws.rows(&results)?,
        picks: picks.rows(&results)?,
    }))
}
