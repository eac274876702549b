//! Participant email (migration 0024): the messages a contest decided to send
//! (`emails`, one row per cause), who asked not to hear from it
//! (`email_suppressions`), and what the sender needs to render and send one.
//!
//! `enqueue` is the one way a message is decided: its statement goes into
//! the caller's batch, decides the status in SQL (suppressed, erased, capped,
//! queued) and writes nothing when the cause (`dedupe_key`) already has a row;
//! `RETURNING` tells the batch which queued ids to send (`queued_in`).

use super::{DbResult, Results};
use crate::domain::email_templates::{Locale, MessageKind};
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// The daily cap: messages to one address on one UTC day, per contest.
pub const DAILY_CAP: i64 = 10;

/// A message to decide.
pub struct NewEmail<'a> {
    pub contest_id: &'a ContestId,
    pub entry_id: Option<&'a EntryId>,
    pub kind: MessageKind,
    /// The normalized address.
    pub to_address: &'a str,
    /// What the message is about (a ledger row, a prize award...).
    pub ref_id: Option<&'a str>,
    /// Its cause: a second message with the same key in the contest is never written.
    pub dedupe_key: &'a str,
    /// ISO-8601; its date is the day the cap counts.
    pub now: &'a str,
}

/// The insert: `?1` id, `?2` contest, `?3` entry, `?4` kind, `?5` address,
/// `?6` ref, `?7` dedupe key, `?8` day, `?9` now. `confirm`, `portal` and
/// `test` were asked for by the person: no suppression stops them.
pub(in crate::db) const ENQUEUE: &str = "INSERT INTO emails
  (id, contest_id, entry_id, kind, to_address, ref_id, dedupe_key, status, day, created_at)
  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7,
    CASE
      WHEN ?3 IS NOT NULL AND EXISTS (SELECT 1 FROM entries e WHERE e.id = ?3 AND e.erased_at IS NOT NULL) THEN 'erased'
      WHEN ?4 NOT IN ('confirm', 'portal', 'test')
        AND EXISTS (SELECT 1 FROM email_suppressions s WHERE s.contest_id = ?2 AND s.address = ?5) THEN 'suppressed'
      WHEN (SELECT COUNT(*) FROM emails m WHERE m.contest_id = ?2 AND m.to_address = ?5 AND m.day = ?8
              AND m.status IN ('queued', 'sent', 'failed')) >= 10 THEN 'capped'
      ELSE 'queued' END,
    ?8, ?9
  WHERE true
  ON CONFLICT (contest_id, dedupe_key) DO NOTHING
  RETURNING id AS queued_email_id, status AS queued_email_status";

/// The statement deciding one message, for the caller's batch. After the
/// batch, `queued_in` answers the ids to hand to `mailing::send_queued`.
pub fn enqueue(db: &D1Database, e: &NewEmail) -> DbResult<D1PreparedStatement> {
    let id = crate::platform::new_id("em");
    let day = e.now.get(..10).unwrap_or(e.now);
    Ok(query!(
        db,
        ENQUEUE,
        &id,
        e.contest_id,
        e.entry_id,
        e.kind.as_str(),
        e.to_address,
        e.ref_id,
        e.dedupe_key,
        day,
        e.now
    )?)
}

#[derive(Deserialize)]
struct Enqueued {
    queued_email_id: Option<String>,
    queued_email_status: Option<String>,
}

/// The ids of the messages a batch queued (written with status `queued`),
/// whichever of its statements wrote them.
pub fn queued_in(results: &Results) -> DbResult<Vec<String>> {
    let mut ids = Vec::new();
    for result in results.all() {
        for row in result.results::<Enqueued>()? {
            if let (Some(id), Some("queued")) = (row.queued_email_id, row.queued_email_status.as_deref()) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// Decides one message alone: its id and status (`queued`, `capped`...), or
/// none when its cause already had a row.
pub async fn decide_one(db: &D1Database, e: &NewEmail<'_>) -> DbResult<Option<(String, String)>> {
    let row: Option<Enqueued> = super::first(enqueue(db, e)?).await?;
    Ok(row.and_then(|r| Some((r.queued_email_id?, r.queued_email_status?))))
}

/// Runs `statements` (enqueues) as one batch; the ids queued.
pub async fn enqueue_all(db: &D1Database, statements: Vec<D1PreparedStatement>) -> DbResult<Vec<String>> {
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = super::Batch::new();
    for s in statements {
        batch.push(s);
    }
    queued_in(&batch.run(db).await?)
}

/// What sending one message needs: the row, its contest's sender and its
/// override of the message, the entry.
#[derive(Deserialize)]
pub struct EmailJob {
    pub id: String,
    pub contest_id: ContestId,
    pub entry_id: Option<EntryId>,
    pub kind: MessageKind,
    pub to_address: String,
    pub ref_id: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub contest_name: String,
    pub email_from: Option<String>,
    pub email_from_name: Option<String>,
    pub email_reply_to: Option<String>,
    pub email_locale: Locale,
    pub campaign_url: Option<String>,
    pub entry_name: Option<String>,
    pub referral_code: Option<String>,
    pub entry_locale: Option<Locale>,
    pub points: Option<i64>,
    pub subject: Option<String>,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    /// A prize award's prize and code (`prize.earned`), a final rank (`contest.results`).
    pub prize_name: Option<String>,
    pub code: Option<String>,
    pub rank: Option<i64>,
}

pub(in crate::db) const JOB: &str = "SELECT m.id, m.contest_id, m.entry_id, m.kind, m.to_address, m.ref_id,
  m.status, m.attempts, c.name AS contest_name, c.email_from, c.email_from_name, c.email_reply_to,
  c.email_locale, c.campaign_url, e.name AS entry_name, e.referral_code, e.locale AS entry_locale,
  e.total_points AS points, t.subject, t.body_text, t.body_html,
  (SELECT p.name FROM prize_awards a JOIN prizes p ON p.id = a.prize_id
    WHERE m.kind = 'prize.earned' AND a.id = m.ref_id) AS prize_name,
  (SELECT pc.code FROM prize_codes pc WHERE m.kind = 'prize.earned' AND pc.award_id = m.ref_id) AS code,
  (SELECT s.rank FROM standings s
    WHERE m.kind = 'contest.results' AND s.contest_id = m.contest_id AND s.entry_id = m.entry_id) AS rank
  FROM emails m JOIN contests c ON c.id = m.contest_id
  LEFT JOIN entries e ON e.id = m.entry_id
  LEFT JOIN email_templates t ON t.contest_id = m.contest_id
    AND t.kind = CASE m.kind WHEN 'test' THEN m.ref_id ELSE m.kind END
  WHERE m.id = ?1";

pub async fn job(db: &D1Database, id: &str) -> DbResult<Option<EmailJob>> {
    super::first(query!(db, JOB, id)?).await
}

pub(in crate::db) const MARK_SENT: &str =
    "UPDATE emails SET status = 'sent', attempts = attempts + 1, message_id = ?2, sent_at = ?3, last_error = NULL
      WHERE id = ?1 AND status = 'queued'";

/// The message went: its id at the provider.
pub async fn mark_sent(db: &D1Database, id: &str, message_id: &str, now: &str) -> DbResult<()> {
    super::run(query!(db, MARK_SENT, id, message_id, now)?).await.map(|_| ())
}

pub(in crate::db) const RECORD_FAILURE: &str = "UPDATE emails SET attempts = attempts + 1, last_error = ?2,
       status = CASE WHEN ?3 = 1 THEN 'failed' ELSE status END
      WHERE id = ?1 AND status = 'queued'";

/// An attempt failed: its error, and `failed` when it was the last.
pub async fn record_failure(db: &D1Database, id: &str, error: &str, last: bool) -> DbResult<()> {
    super::run(query!(db, RECORD_FAILURE, id, error, i32::from(last))?).await.map(|_| ())
}

pub(in crate::db) const GIVE_UP: &str =
    "UPDATE emails SET status = 'failed', last_error = COALESCE(?2, last_error) WHERE id = ?1 AND status = 'queued'";

/// Fails a message without an attempt (no sender, the dead-letter queue).
pub async fn give_up(db: &D1Database, id: &str, error: Option<&str>) -> DbResult<()> {
    super::run(query!(db, GIVE_UP, id, error)?).await.map(|_| ())
}

pub(in crate::db) const LOST: &str =
    "SELECT id FROM emails WHERE status = 'queued' AND created_at < ?1 ORDER BY created_at LIMIT ?2";

#[derive(Deserialize)]
struct Id {
    id: String,
}

/// Queued messages older than `before` (their queue message was lost): the cron sends them again.
pub async fn lost(db: &D1Database, before: &str, limit: u32) -> DbResult<Vec<String>> {
    Ok(super::all::<Id>(query!(db, LOST, before, limit)?).await?.into_iter().map(|r| r.id).collect())
}

pub(in crate::db) const SUPPRESS: &str = "INSERT INTO email_suppressions (contest_id, address, source, created_at)
  SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM contests WHERE id = ?1)
  ON CONFLICT (contest_id, address) DO NOTHING";

/// The address hears no more optional messages of the contest.
pub async fn suppress(db: &D1Database, contest_id: &str, address: &str, source: &str, now: &str) -> DbResult<()> {
    super::run(query!(db, SUPPRESS, contest_id, address, source, now)?).await.map(|_| ())
}

/// A message as the owner's list shows it.
#[derive(Deserialize)]
pub struct EmailRow {
    pub id: String,
    pub kind: MessageKind,
    pub to_address: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

const LIST_COLUMNS: &str =
    "SELECT id, kind, to_address, status, attempts, last_error, created_at, sent_at FROM emails WHERE contest_id = ?1 ";
pub(in crate::db) fn list_sql() -> String {
    [LIST_COLUMNS, "ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"].concat()
}
pub(in crate::db) fn list_of_status_sql() -> String {
    [LIST_COLUMNS, "AND status = ?4 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"].concat()
}
pub(in crate::db) const COUNT: &str = "SELECT COUNT(*) AS n FROM emails WHERE contest_id = ?1";
pub(in crate::db) const COUNT_OF_STATUS: &str =
    "SELECT COUNT(*) AS n FROM emails WHERE contest_id = ?1 AND status = ?2";

/// The owner's list, newest first, of one status or all.
pub async fn list(
    db: &D1Database,
    contest_id: &ContestId,
    status: Option<&str>,
    page: PageRequest,
) -> DbResult<(Vec<EmailRow>, u64)> {
    let (rows, count) = match status {
        Some(s) => (
            query!(db, &list_of_status_sql(), contest_id, page.limit, page.offset(), s)?,
            query!(db, COUNT_OF_STATUS, contest_id, s)?,
        ),
        None => (query!(db, &list_sql(), contest_id, page.limit, page.offset())?, query!(db, COUNT, contest_id)?),
    };
    super::page::read(db, rows, count).await
}

/// Whether the contest has the message on (`email_templates.enabled`; absent: off).
pub(in crate::db) const ENABLED: &str =
    "SELECT 1 AS n FROM email_templates WHERE contest_id = ?1 AND kind = ?2 AND enabled = 1";

pub async fn enabled(db: &D1Database, contest_id: &ContestId, kind: MessageKind) -> DbResult<bool> {
    Ok(super::first::<serde_json::Value>(query!(db, ENABLED, contest_id, kind.as_str())?).await?.is_some())
}

/// An entry's address and contest, for a lifecycle message (not erased).
#[derive(Deserialize)]
pub struct Recipient {
    pub entry_id: EntryId,
    pub contest_id: ContestId,
    pub email: String,
}

pub(in crate::db) const ENTRY_RECIPIENT: &str = "SELECT id AS entry_id, contest_id, email FROM entries WHERE id = ?1";

pub async fn entry_recipient(db: &D1Database, entry_id: &EntryId) -> DbResult<Option<Recipient>> {
    super::first(query!(db, ENTRY_RECIPIENT, entry_id)?).await
}

/// The entry of a confirmed referral award (ledger row `award_id`), `referral_advocate` only.
pub(in crate::db) const ADVOCATE_OF_AWARD: &str = "SELECT e.id AS entry_id, e.contest_id, e.email
  FROM ledger l JOIN entries e ON e.id = l.entry_id
  WHERE l.id = ?1 AND l.reason = 'referral_advocate' AND l.status = 'confirmed'";

pub async fn advocate_of_award(db: &D1Database, award_id: i64) -> DbResult<Option<Recipient>> {
    super::first(query!(db, ADVOCATE_OF_AWARD, award_id)?).await
}

/// The entry of a prize award holding what it won (a code award waiting for
/// its code is told once the code comes, by the cron's `prizes_untold`).
pub(in crate::db) const PRIZE_WINNER: &str = "SELECT e.id AS entry_id, e.contest_id, e.email
  FROM prize_awards a JOIN entries e ON e.id = a.entry_id WHERE a.id = ?1 AND a.status IN ('earned', 'fulfilled')";

pub async fn prize_winner(db: &D1Database, award_id: &str) -> DbResult<Option<Recipient>> {
    super::first(query!(db, PRIZE_WINNER, award_id)?).await
}

/// One page of a finalized contest's ranked entries (after `after_rank`).
pub(in crate::db) const RANKED: &str = "SELECT e.id AS entry_id, e.contest_id, e.email, s.rank
  FROM standings s JOIN entries e ON e.id = s.entry_id
  WHERE s.contest_id = ?1 AND s.rank > ?2 ORDER BY s.rank LIMIT ?3";

#[derive(Deserialize)]
pub struct Ranked {
    pub entry_id: EntryId,
    pub contest_id: ContestId,
    pub email: String,
    pub rank: i64,
}

pub async fn ranked(db: &D1Database, contest_id: &ContestId, after_rank: i64, limit: u32) -> DbResult<Vec<Ranked>> {
    super::all(query!(db, RANKED, contest_id, after_rank, limit)?).await
}

/// Prize awards earned since `since` in contests with `prize.earned` on and no
/// message yet: migration 0020's trigger writes the `prize.earned` event only
/// for a listening webhook endpoint, so the cron tells the others.
pub(in crate::db) const PRIZES_UNTOLD: &str = "SELECT a.id FROM email_templates t
  JOIN prize_awards a ON a.contest_id = t.contest_id AND a.status IN ('earned', 'fulfilled') AND a.earned_at > ?1
  WHERE t.kind = 'prize.earned' AND t.enabled = 1
    AND NOT EXISTS (SELECT 1 FROM emails m WHERE m.contest_id = a.contest_id AND m.dedupe_key = 'prize.earned:' || a.id)
  LIMIT ?2";

pub async fn prizes_untold(db: &D1Database, since: &str, limit: u32) -> DbResult<Vec<String>> {
    Ok(super::all::<Id>(query!(db, PRIZES_UNTOLD, since, limit)?).await?.into_iter().map(|r| r.id).collect())
}
