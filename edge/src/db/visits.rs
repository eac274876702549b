//! Visits through an advocate's link: once per (contest, advocate, client
//! address, day), the address only as an HMAC.

use super::DbResult;
use crate::domain::contest::ContestStatus;
use crate::domain::ids::ContestId;
use serde::{Deserialize, Serialize};
use worker::{query, D1Database, D1PreparedStatement};

/// The visit, if the contest is open and the code live, once per address and
/// day (and once per visit id: the queue may deliver a message twice).
pub(super) const RECORD_IF_LIVE: &str = "INSERT INTO visits (id, contest_id, entry_id, url, created_at, ip_hash, day)
 SELECT ?1, c.id, e.id, ?4, ?5, ?6, ?7
 FROM contests c JOIN entries e ON e.contest_id = c.id AND e.referral_code = ?3 AND e.disqualified = 0
 WHERE c.id = ?2 AND c.status = 'active' AND (c.ends_at IS NULL OR c.ends_at > ?5)
 ON CONFLICT DO NOTHING";

/// A visit on its way through the `VISITS` queue: what the consumer writes.
#[derive(Serialize, Deserialize)]
pub struct Visit {
    pub id: String,
    pub contest_id: ContestId,
    pub code: String,
    pub url: Option<String>,
    pub ip_hash: String,
    /// When it was made (ISO-8601): its day and its place in the series.
    pub at: String,
}

/// The statement writing one queued visit, if the contest was open then and
/// the code is live now (the stored state is the authority, not the verdict
/// the visitor was answered with).
pub fn record(db: &D1Database, v: &Visit) -> DbResult<D1PreparedStatement> {
    let day = &v.at[..10.min(v.at.len())];
    Ok(query!(db, RECORD_IF_LIVE, &v.id, &v.contest_id, &v.code, v.url.as_deref(), &v.at, &v.ip_hash, day)?)
}

/// What a visit through `code` would meet: the contest's state and whether
/// the code is live in it. None when the contest does not exist.
#[derive(Deserialize)]
pub struct CodeState {
    pub status: ContestStatus,
    pub ends_at: Option<String>,
    pub live: i64,
}

pub(super) const CODE_STATE: &str = "SELECT c.status, c.ends_at,
   EXISTS (SELECT 1 FROM entries e WHERE e.contest_id = c.id AND e.referral_code = ?2 AND e.disqualified = 0) AS live
 FROM contests c WHERE c.id = ?1";

pub async fn code_state(db: &D1Database, contest_id: &ContestId, code: &str) -> DbResult<Option<CodeState>> {
    super::first(query!(db, CODE_STATE, contest_id, code)?).await
}
