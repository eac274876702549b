//! Double opt-in: an entry waiting for its address to be confirmed
//! (`entries.email_confirmation`), its confirmation (once) and its expiry.

use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub(in crate::db) const AWAIT_CONFIRMATION: &str = "UPDATE entries SET email_confirmation = 'pending', confirm_by = ?3
     WHERE id = ?1 AND created_at = ?2 AND email_confirmation IS NULL";

/// The entry `id` this batch created (at `now`) waits for its address until
/// `confirm_by`. Written before its awards, which it holds.
pub fn await_confirmation(db: &D1Database, id: &EntryId, now: &str, confirm_by: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, AWAIT_CONFIRMATION, id, now, confirm_by)?)
}

pub(in crate::db) const CONFIRM: &str =
    "UPDATE entries SET email_confirmation = NULL, email_confirmed_at = ?2, updated_at = ?2
     WHERE id = ?1 AND email_confirmation = 'pending' AND confirm_by > ?2";

/// Confirms a waiting entry, once: a second use changes nothing, and what
/// follows in the batch is guarded by `email_confirmed_at = now`.
pub fn confirm(db: &D1Database, id: &EntryId, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, CONFIRM, id, now)?)
}

pub(in crate::db) const EXPIRE: &str = "UPDATE entries SET email_confirmation = 'expired', updated_at = ?2
     WHERE id = ?1 AND email_confirmation = 'pending' AND confirm_by <= ?2";

/// A waiting entry past its time: never confirmed, never ranked.
pub fn expire(db: &D1Database, id: &EntryId, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, EXPIRE, id, now)?)
}

pub(in crate::db) const DUE: &str = "SELECT id, contest_id FROM entries
     WHERE email_confirmation = 'pending' AND confirm_by <= ?1 ORDER BY confirm_by LIMIT ?2";

#[derive(Debug, Deserialize)]
pub struct Unconfirmed {
    pub id: EntryId,
    pub contest_id: ContestId,
}

/// Waiting entries past their time (`entries_confirm_due`), oldest first.
pub async fn confirmation_due(db: &D1Database, now: &str, limit: u32) -> DbResult<Vec<Unconfirmed>> {
    crate::db::all(query!(db, DUE, now, limit)?).await
}

pub(in crate::db) const CONFIRMATION_STATE: &str =
    "SELECT e.id, e.contest_id, e.email_confirmation, e.email_confirmed_at, a.token_secret,
            c.hold_days
     FROM entries e JOIN contests c ON c.id = e.contest_id JOIN accounts a ON a.id = c.account_id
     WHERE e.id = ?1 AND e.erased_at IS NULL";

/// What the confirm link is checked against.
#[derive(Debug, Deserialize)]
pub struct ConfirmationState {
    pub id: EntryId,
    pub contest_id: ContestId,
    /// None: confirmed (or never asked); "pending"; "expired".
    pub email_confirmation: Option<String>,
    pub email_confirmed_at: Option<String>,
    pub token_secret: Option<String>,
    pub hold_days: i64,
}

pub async fn confirmation_state(db: &D1Database, id: &EntryId) -> DbResult<Option<ConfirmationState>> {
    crate::db::first(query!(db, CONFIRMATION_STATE, id)?).await
}

pub(in crate::db) const ENQUEUE_CONFIRM: &str =
    "INSERT INTO emails (id, contest_id, entry_id, kind, to_address, ref_id, dedupe_key, status, day, created_at)
     SELECT ?1, ?2, ?3, 'confirm', ?4, ?3, 'confirm:' || ?3, 'queued', substr(?5, 1, 10), ?5
     WHERE EXISTS (SELECT 1 FROM entries WHERE id = ?3 AND email_confirmation = 'pending')
     ON CONFLICT (contest_id, dedupe_key) DO NOTHING";

/// STAND-IN for helper F's `db::emails::enqueue` (issue 26): the `confirm`
/// message of the entry this batch created waiting for its address, queued
/// once (`confirm:<entry id>`). Guarded by the entry (a signup of an email
/// already in writes nothing; `emails.entry_id` references the entry).
pub fn enqueue_confirm(
    db: &D1Database,
    id: &str,
    contest_id: &ContestId,
    entry_id: &EntryId,
    to: &str,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, ENQUEUE_CONFIRM, id, contest_id, entry_id, to, now)?)
}

pub(in crate::db) const CONFIRM_BY: &str =
    "SELECT confirm_by FROM entries WHERE id = ?1 AND email_confirmation = 'pending' AND erased_at IS NULL";

#[derive(Deserialize)]
struct ConfirmBy {
    confirm_by: Option<String>,
}

/// Until when a waiting entry's confirm link works; none once it is not waiting.
pub async fn confirm_by(db: &D1Database, id: &EntryId) -> DbResult<Option<String>> {
    let row: Option<ConfirmBy> = crate::db::first(query!(db, CONFIRM_BY, id)?).await?;
    Ok(row.and_then(|r| r.confirm_by))
}
