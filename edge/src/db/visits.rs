//! Visits through referral links.

use crate::error::ApiResult;
use worker::{query, D1Database};

/// Records a visit in one statement, if the contest is open (active, not past
/// its end) and `code` names a live entry in it; answers whether it did. The
/// open rule is `domain::contest::ensure_open`'s: a refusal is diagnosed with it.
pub async fn insert_if_live(
    db: &D1Database,
    id: &str,
    contest_id: &str,
    code: &str,
    url: Option<&str>,
    now: &str,
) -> ApiResult<bool> {
    let result = query!(
        db,
        "INSERT INTO visits (id, contest_id, entry_id, url, created_at)
         SELECT ?1, c.id, e.id, ?4, ?5
         FROM contests c JOIN entries e ON e.contest_id = c.id AND e.referral_code = ?3 AND e.disqualified = 0
         WHERE c.id = ?2 AND c.status = 'active' AND (c.ends_at IS NULL OR c.ends_at > ?5)",
        id,
        contest_id,
        code,
        url,
        now
    )?
    .run()
    .await?;
    Ok(super::changes(&result) == 1)
}
