//! Bonus actions and their completions.

use super::{DbResult, StorageError};
use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::domain::bonus::{CompletionStatus, ConfirmationType};
use crate::domain::ids::{AccountId, BonusActionId, ContestId, EntryId};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Deserialize)]
pub struct ActionRow {
    pub id: BonusActionId,
    pub contest_id: ContestId,
    pub action: String,
    pub description: String,
    pub icon: Option<String>,
    pub icon_color: Option<String>,
    pub points: i64,
    pub confirmation_type: ConfirmationType,
    pub destination_url: Option<String>,
    pub correct_answer: Option<String>,
    pub sort_order: i64,
    pub created_at: String,
}

/// An entry's completion of one action, as its action list shows it.
#[derive(Debug, Deserialize)]
pub struct EntryCompletion {
    pub bonus_action_id: BonusActionId,
    pub status: CompletionStatus,
    pub completed_at: Option<String>,
    pub points_awarded: i64,
}

#[derive(Debug, Deserialize)]
pub struct CompletionRow {
    pub id: String,
    pub entry_id: EntryId,
    pub bonus_action_id: BonusActionId,
    pub status: CompletionStatus,
    pub points_awarded: i64,
    pub created_at: String,
    pub completed_at: Option<String>,
}

pub struct ActionFields<'a> {
    pub action: &'a str,
    pub description: &'a str,
    pub icon: Option<&'a str>,
    pub icon_color: Option<&'a str>,
    pub points: i64,
    pub confirmation_type: ConfirmationType,
    pub destination_url: Option<&'a str>,
    pub correct_answer: Option<&'a str>,
    pub sort_order: i64,
}

const ACTION_COLUMNS: &str = "SELECT id, contest_id, action, description, icon, icon_color, points, confirmation_type,
  destination_url, correct_answer, sort_order, created_at FROM bonus_actions ";

fn select(rest: &str) -> String {
    [ACTION_COLUMNS, rest].concat()
}

/// Creates an action and reads it back, in one batch.
pub async fn insert(
    db: &D1Database,
    id: &BonusActionId,
    contest_id: &ContestId,
    f: &ActionFields<'_>,
    now: &str,
) -> DbResult<ActionRow> {
    let insert = query!(
        db,
        "INSERT INTO bonus_actions (id, contest_id, action, description, icon, icon_color, points, confirmation_type,
           destination_url, correct_answer, sort_order, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        id,
        contest_id,
        f.action,
        f.description,
        f.icon,
        f.icon_color,
        f.points,
        f.confirmation_type.as_str(),
        f.destination_url,
        f.correct_answer,
        f.sort_order,
        now
    )?;
    super::write_then_read(db, insert, select_live(db, contest_id, id)?)
        .await?
        .ok_or_else(|| StorageError::D1("action missing".into()))
}

/// Writes every setting of an action and reads it back, in one batch (`None`:
/// the action is gone).
pub async fn update(
    db: &D1Database,
    contest_id: &ContestId,
    id: &BonusActionId,
    f: &ActionFields<'_>,
) -> DbResult<Option<ActionRow>> {
    let update = query!(
        db,
        "UPDATE bonus_actions SET action = ?2, description = ?3, icon = ?4, icon_color = ?5, points = ?6,
           confirmation_type = ?7, destination_url = ?8, correct_answer = ?9, sort_order = ?10
         WHERE id = ?1",
        id,
        f.action,
        f.description,
        f.icon,
        f.icon_color,
        f.points,
        f.confirmation_type.as_str(),
        f.destination_url,
        f.correct_answer,
        f.sort_order
    )?;
    super::write_then_read(db, update, select_live(db, contest_id, id)?).await
}

/// Soft delete: completions and the points they earned stay.
pub async fn delete(db: &D1Database, id: &BonusActionId, now: &str) -> DbResult<()> {
    query!(db, "UPDATE bonus_actions SET deleted_at = ?2 WHERE id = ?1", id, now)?.run().await?;
    Ok(())
}

pub(super) fn live_sql() -> String {
    select("WHERE id = ?1 AND contest_id = ?2 AND deleted_at IS NULL")
}

fn select_live(db: &D1Database, contest_id: &ContestId, id: &BonusActionId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &live_sql(), id, contest_id)?)
}

/// A live action of the contest.
pub async fn find(db: &D1Database, contest_id: &ContestId, id: &BonusActionId) -> DbResult<Option<ActionRow>> {
    super::first(select_live(db, contest_id, id)?).await
}

/// A live action of the entry `?2`'s contest.
pub(super) fn live_of_entry_sql() -> String {
    select("WHERE id = ?1 AND contest_id = (SELECT contest_id FROM entries WHERE id = ?2) AND deleted_at IS NULL")
}

/// Everything a completion reads before its one write batch, in one round
/// trip: the entry (if the account owns it), the live action of its contest,
/// a completion made before, and the contest.
pub struct CompletionReads {
    pub entry: Option<EntryRow>,
    pub action: Option<ActionRow>,
    pub existing: Option<CompletionRow>,
    pub contest: Option<ContestRow>,
    /// The entry's wrong answers to this action since `misses_since`.
    pub misses: Misses,
}

/// Wrong quiz answers in the window: how many, and when the oldest was.
#[derive(Deserialize, Default)]
pub struct Misses {
    pub n: i64,
    pub oldest: Option<String>,
}

/// Wrong answers of the entry `?1` to the action `?2` after `?3`.
pub(super) const MISSES: &str =
    "SELECT COUNT(*) AS n, MIN(at) AS oldest FROM quiz_misses WHERE entry_id = ?1 AND bonus_action_id = ?2 AND at > ?3";

pub(super) const FORGET_OLD_MISSES: &str =
    "DELETE FROM quiz_misses WHERE entry_id = ?1 AND bonus_action_id = ?2 AND at <= ?3";

pub(super) const RECORD_MISS: &str = "INSERT INTO quiz_misses (entry_id, bonus_action_id, at)
             SELECT ?1, ?2, ?3 WHERE (SELECT COUNT(*) FROM quiz_misses
               WHERE entry_id = ?1 AND bonus_action_id = ?2 AND at > ?4) < ?5
             RETURNING at";

/// A wrong answer, written only while the window holds fewer than `max`
/// (`RETURNING` says whether it was), with the entry's older ones for the
/// action deleted: the caller answers 429 when it was not written.
pub fn record_miss(
    db: &D1Database,
    entry_id: &EntryId,
    action_id: &BonusActionId,
    now: &str,
    since: &str,
    max: i64,
) -> DbResult<[D1PreparedStatement; 2]> {
    Ok([
        query!(db, FORGET_OLD_MISSES, entry_id, action_id, since)?,
        query!(db, RECORD_MISS, entry_id, action_id, now, since, max)?,
    ])
}

pub async fn completion_reads(
    db: &D1Database,
    account_id: &AccountId,
    entry_id: &EntryId,
    action_id: &BonusActionId,
    misses_since: &str,
) -> DbResult<CompletionReads> {
    let mut batch = super::Batch::new();
    let entry = batch.push(query!(db, &super::entries::owned_sql(), entry_id, account_id)?);
    let action = batch.push(query!(db, &live_of_entry_sql(), action_id, entry_id)?);
    let existing = batch.push(select_completion(db, entry_id, action_id)?);
    let contest = batch.push(query!(db, &super::contests::of_entry_sql(), entry_id)?);
    let misses = batch.push(query!(db, MISSES, entry_id, action_id, misses_since)?);
    let results = batch.run(db).await?;
    Ok(CompletionReads {
        entry: entry.first(&results)?,
        action: action.first(&results)?,
        existing: existing.first(&results)?,
        contest: contest.first(&results)?,
        misses: misses.first(&results)?.unwrap_or_default(),
    })
}

pub async fn list(db: &D1Database, contest_id: &ContestId) -> DbResult<Vec<ActionRow>> {
    super::all(query!(db, &live_in_order_sql(), contest_id)?).await
}

/// A contest's live actions in their order.
pub(super) fn live_in_order_sql() -> String {
    select("WHERE contest_id = ?1 AND deleted_at IS NULL ORDER BY sort_order, created_at, id")
}

pub(super) const COMPLETIONS_OF_ENTRY: &str =
    "SELECT bonus_action_id, status, completed_at, points_awarded FROM bonus_completions WHERE entry_id = ?1";

/// The contest's live actions and this entry's completions, in one batch.
pub async fn list_for_entry(
    db: &D1Database,
    contest_id: &ContestId,
    entry_id: &EntryId,
) -> DbResult<(Vec<ActionRow>, Vec<EntryCompletion>)> {
    let mut batch = super::Batch::new();
    let actions = batch.push(query!(db, &live_in_order_sql(), contest_id)?);
    let completions = batch.push(query!(db, COMPLETIONS_OF_ENTRY, entry_id)?);
    let results = batch.run(db).await?;
    Ok((actions.rows(&results)?, completions.rows(&results)?))
}

pub struct NewCompletion<'a> {
    pub id: &'a str,
    pub entry_id: &'a EntryId,
    pub bonus_action_id: &'a BonusActionId,
    pub status: CompletionStatus,
    pub proof: Option<&'a str>,
    pub answer: Option<&'a str>,
    pub points_awarded: i64,
    pub completed_at: Option<&'a str>,
    pub created_at: &'a str,
    /// The start of the wrong-answer window (see `record_miss`).
    pub misses_since: &'a str,
    pub max_misses: i64,
}

pub(super) const INSERT_COMPLETION: &str = "INSERT INTO bonus_completions (id, entry_id, bonus_action_id, status, proof, answer, points_awarded,
           completed_at, created_at, contest_id)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, a.contest_id FROM bonus_actions a WHERE a.id = ?3
           AND (SELECT COUNT(*) FROM quiz_misses m WHERE m.entry_id = ?2 AND m.bonus_action_id = ?3 AND m.at > ?10) < ?11
         ON CONFLICT (entry_id, bonus_action_id) DO NOTHING";

/// Inserts unless the entry already completed (or submitted) this action, or
/// gave it `max_misses` wrong answers since `misses_since` (a quiz's right
/// answer among parallel guesses counts only while guesses remain).
pub fn insert_completion_if_new(db: &D1Database, c: &NewCompletion) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        INSERT_COMPLETION,
        c.id,
        c.entry_id,
        c.bonus_action_id,
        c.status.as_str(),
        c.proof,
        c.answer,
        c.points_awarded,
        c.completed_at,
        c.created_at,
        c.misses_since,
        c.max_misses
    )?)
}

pub(super) const COMPLETION: &str =
    "SELECT id, entry_id, bonus_action_id, status, points_awarded, created_at, completed_at
 FROM bonus_completions WHERE entry_id = ?1 AND bonus_action_id = ?2";

pub fn select_completion(
    db: &D1Database,
    entry_id: &EntryId,
    bonus_action_id: &BonusActionId,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, COMPLETION, entry_id, bonus_action_id)?)
}

pub(super) const COMPLETION_BY_ID: &str =
    "SELECT id, entry_id, bonus_action_id, status, points_awarded, created_at, completed_at
           FROM bonus_completions WHERE id = ?1";

/// A completion by its id (a webhook event's subject).
pub async fn find_completion_by_id(db: &D1Database, id: &str) -> DbResult<Option<CompletionRow>> {
    super::first(query!(db, COMPLETION_BY_ID, id)?).await
}

pub async fn find_completion(
    db: &D1Database,
    entry_id: &EntryId,
    bonus_action_id: &BonusActionId,
) -> DbResult<Option<CompletionRow>> {
    super::first(select_completion(db, entry_id, bonus_action_id)?).await
}

pub(super) const REVIEW_COMPLETION: &str = "UPDATE bonus_completions
         SET status = ?2, points_awarded = ?3, reviewed_at = ?4,
             completed_at = CASE WHEN ?2 = 'verified' THEN ?4 ELSE completed_at END
         WHERE id = ?1 AND status = 'pending'";

/// Moves a pending completion to `verified` (with its points) or `rejected`.
pub fn review(
    db: &D1Database,
    id: &str,
    status: CompletionStatus,
    points: i64,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, REVIEW_COMPLETION, id, status.as_str(), points, now)?)
}

/// A completion as the owner's review queue shows it: who, which action, the proof.
#[derive(Debug, Deserialize)]
pub struct ReviewRow {
    pub id: String,
    pub entry_id: EntryId,
    pub email_display: String,
    pub bonus_action_id: BonusActionId,
    pub action: String,
    pub status: CompletionStatus,
    pub proof: Option<String>,
    pub points: i64,
    pub created_at: String,
    pub completed_at: Option<String>,
}

pub(super) const REVIEW_PAGE: &str =
    "SELECT c.id, c.entry_id, e.email_display, c.bonus_action_id, a.action, c.status, c.proof, a.points,
   c.created_at, c.completed_at
 FROM bonus_completions c JOIN entries e ON e.id = c.entry_id JOIN bonus_actions a ON a.id = c.bonus_action_id
 WHERE c.contest_id = ?1 AND c.status = ?2 ORDER BY c.created_at, c.id LIMIT ?3 OFFSET ?4";

pub(super) const REVIEW_COUNT: &str =
    "SELECT COUNT(*) AS n FROM bonus_completions WHERE contest_id = ?1 AND status = ?2";

/// A contest's completions of one status, oldest first; one page.
pub async fn review_page(
    db: &D1Database,
    contest_id: &ContestId,
    status: CompletionStatus,
    page: PageRequest,
) -> DbResult<(Vec<ReviewRow>, u64)> {
    super::page::read(
        db,
        query!(db, REVIEW_PAGE, contest_id, status.as_str(), page.limit, page.offset())?,
        query!(db, REVIEW_COUNT, contest_id, status.as_str())?,
    )
    .await
}
