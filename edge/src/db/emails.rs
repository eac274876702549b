//! STAND-IN for helper F's `db::emails` (branch i26-mail), with the shared
//! interface only, so the portal link builds before that branch lands: on
//! merge, take F's file (its `enqueue` decides on/off, suppression, erasure
//! and the daily cap; this one queues every row).

use super::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use worker::{query, D1Database, D1PreparedStatement};

/// A message to decide and queue.
pub struct NewEmail<'a> {
    pub contest_id: &'a ContestId,
    pub entry_id: Option<&'a EntryId>,
    pub kind: &'a str,
    pub to_address: &'a str,
    pub ref_id: Option<&'a str>,
    pub dedupe_key: &'a str,
    /// ISO 8601.
    pub now: &'a str,
}

const ENQUEUE: &str = "INSERT INTO emails (id, contest_id, entry_id, kind, to_address, ref_id, dedupe_key, status,
  day, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', substr(?8, 1, 10), ?8)
 ON CONFLICT (contest_id, dedupe_key) DO NOTHING";

/// The row of one message, once per (contest, dedupe key), for the caller's batch.
pub fn enqueue(db: &D1Database, e: &NewEmail) -> DbResult<D1PreparedStatement> {
    let id = crate::platform::new_id("eml");
    Ok(query!(db, ENQUEUE, id, e.contest_id, e.entry_id, e.kind, e.to_address, e.ref_id, e.dedupe_key, e.now)?)
}
