//! The public record of a contest besides its draws (issue 25): the final
//! standings' lines (served as bytes, hashed at finalize), `standings_hash`,
//! the audit list's reads, and an entry's own final place.

use super::{Batch, DbResult};
use crate::domain::ids::{ContestId, EntryId};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// One place as the standings bytes show it.
#[derive(Deserialize)]
pub struct StandingLine {
    pub rank: i64,
    pub entry_id: String,
    pub points: i64,
    pub reached_at: String,
}

/// Places after rank `?2`, by rank, at most `?3`: ranks are dense, so a page
/// is a range of the primary key.
pub(super) const STANDING_LINES: &str = "SELECT rank, entry_id, points, reached_at FROM standings
  WHERE contest_id = ?1 AND rank > ?2 ORDER BY rank LIMIT ?3";

pub async fn standing_lines(
    db: &D1Database,
    id: &ContestId,
    after_rank: i64,
    limit: u32,
) -> DbResult<Vec<StandingLine>> {
    super::all(query!(db, STANDING_LINES, id, after_rank, limit)?).await
}

/// Publishes the standings' hash once (`?1` id, `?2` hex SHA-256): in the
/// batch that finalizes the contest; a second run changes nothing.
pub(super) const SET_STANDINGS_HASH: &str =
    "UPDATE contests SET standings_hash = ?2 WHERE id = ?1 AND standings_hash IS NULL";

pub fn set_standings_hash(db: &D1Database, id: &ContestId, hash: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, SET_STANDINGS_HASH, id, hash)?)
}

/// At most this many lines of each kind in the audit (the oldest).
pub const AUDIT_LIMIT: u32 = 1000;

/// An audit line as read: `kind` decides how `award`/`hold`/`note` become
/// its reason (`views::finale`).
#[derive(Deserialize)]
pub struct AuditRow {
    pub at: String,
    pub entry_id: String,
    pub name: Option<String>,
    pub points: i64,
    /// The owner's text: an adjustment's reason, a disqualification's.
    pub note: Option<String>,
    /// A rejected award's ledger reason and hold.
    pub award: Option<String>,
    pub hold: Option<String>,
}

/// The owner's adjustments that count (confirmed rows of reason
/// `adjustment`), oldest first (`ledger_by_contest`: the confirmed rows of the
/// contest by id).
pub(super) const AUDIT_ADJUSTMENTS: &str =
    "SELECT l.created_at AS at, l.entry_id, e.name, l.delta AS points, l.note, NULL AS award, NULL AS hold
  FROM ledger l JOIN entries e ON e.id = l.entry_id
  WHERE l.contest_id = ?1 AND l.status = 'confirmed' AND l.reason = 'adjustment' ORDER BY l.id LIMIT ?2";

/// Rejected awards, by the owner or the rules: minus what they would have
/// given, when they were rejected.
pub(super) const AUDIT_REJECTIONS: &str =
    "SELECT COALESCE(l.reviewed_at, l.created_at) AS at, l.entry_id, e.name, -l.delta AS points, NULL AS note,
    l.reason AS award, l.hold
  FROM ledger l JOIN entries e ON e.id = l.entry_id
  WHERE l.contest_id = ?1 AND l.status = 'rejected' ORDER BY l.id LIMIT ?2";

/// Disqualified entries: minus their confirmed points, the owner's reason
/// (none once the person is erased, as erasure clears an adjustment's), and
/// when the entry last changed (its disqualification or later: no column
/// keeps the disqualification's own time).
pub(super) const AUDIT_DISQUALIFICATIONS: &str =
    "SELECT COALESCE(e.updated_at, e.created_at) AS at, e.id AS entry_id, e.name, -e.total_points AS points,
    CASE WHEN e.erased_at IS NULL THEN e.disqualified_reason END AS note, NULL AS award, NULL AS hold
  FROM entries e WHERE e.contest_id = ?1 AND e.disqualified = 1 LIMIT ?2";

#[derive(Deserialize)]
struct Hash {
    standings_hash: Option<String>,
}

/// What the open results add to the contest and its prizes.
pub struct Record {
    pub standings_hash: Option<String>,
    pub adjustments: Vec<AuditRow>,
    pub disqualifications: Vec<AuditRow>,
    pub rejections: Vec<AuditRow>,
}

pub(super) const STANDINGS_HASH: &str = "SELECT standings_hash FROM contests WHERE id = ?1";

/// The standings' hash and the audit's rows, in one batch.
pub async fn record(db: &D1Database, id: &ContestId) -> DbResult<Record> {
    let mut batch = Batch::new();
    let hash = batch.push(query!(db, STANDINGS_HASH, id)?);
    let adjustments = batch.push(query!(db, AUDIT_ADJUSTMENTS, id, AUDIT_LIMIT)?);
    let disqualifications = batch.push(query!(db, AUDIT_DISQUALIFICATIONS, id, AUDIT_LIMIT)?);
    let rejections = batch.push(query!(db, AUDIT_REJECTIONS, id, AUDIT_LIMIT)?);
    let results = batch.run(db).await?;
    Ok(Record {
        standings_hash: hash.first::<Hash>(&results)?.and_then(|h| h.standings_hash),
        adjustments: adjustments.rows(&results)?,
        disqualifications: disqualifications.rows(&results)?,
        rejections: rejections.rows(&results)?,
    })
}

/// An entry's own place in the final standings.
#[derive(Deserialize)]
pub struct FinalStanding {
    pub rank: i64,
    pub points: i64,
}

/// The entry `?2`'s place in `?1`'s final standings, once the contest is
/// finalized (none before, nor for an entry that was not ranked).
pub(super) const FINAL_STANDING: &str = "SELECT s.rank, s.points FROM standings s
  WHERE s.contest_id = ?1 AND s.entry_id = ?2
    AND EXISTS (SELECT 1 FROM contests c WHERE c.id = ?1 AND c.finalized_at IS NOT NULL)";

pub fn final_standing(db: &D1Database, contest_id: &ContestId, entry_id: &EntryId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, FINAL_STANDING, contest_id, entry_id)?)
}
