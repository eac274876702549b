//! Visits through an advocate's link: once per (contest, advocate, client
//! address, day), the address only as an HMAC.

use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database};

#[derive(Deserialize)]
struct Seen {
    seen: i64,
}

/// The visit, if the contest is open and the code live, once per address and day.
pub(super) const RECORD_IF_LIVE: &str = "INSERT INTO visits (id, contest_id, entry_id, url, created_at, ip_hash, day)
 SELECT ?1, c.id, e.id, ?4, ?5, ?6, ?7
 FROM contests c JOIN entries e ON e.contest_id = c.id AND e.referral_code = ?3 AND e.disqualified = 0
 WHERE c.id = ?2 AND c.status = 'active' AND (c.ends_at IS NULL OR c.ends_at > ?5)
 ON CONFLICT (contest_id, entry_id, ip_hash, day) DO NOTHING";

/// Whether this address visited through this code on this day.
pub(super) const SEEN: &str = "SELECT EXISTS (SELECT 1 FROM visits v JOIN entries e ON e.id = v.entry_id
   WHERE v.contest_id = ?1 AND e.referral_code = ?2 AND e.contest_id = ?1 AND v.ip_hash = ?3 AND v.day = ?4) AS seen";

/// Records a visit if the contest is open and the code live (one statement),
/// unless this address already visited through this code today. True when
/// the visit is (now or already) recorded; false when the code or contest
/// refuses it. One round trip either way.
pub async fn record_if_live(
    db: &D1Database,
    id: &str,
    contest_id: &str,
    code: &str,
    url: Option<&str>,
    ip_hash: &str,
    now: &str,
) -> ApiResult<bool> {
    let day = &now[..10.min(now.len())];
    let results = super::batch(
        db,
        vec![
            query!(db, RECORD_IF_LIVE, id, contest_id, code, url, now, ip_hash, day)?,
            query!(db, SEEN, contest_id, code, ip_hash, day)?,
        ],
    )
    .await?;
    if super::changes(&results[0]) == 1 {
        return Ok(true);
    }
    Ok(super::first_of::<Seen>(&results[1])?.is_some_and(|s| s.seen == 1))
}
