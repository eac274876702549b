//! Visits through referral links.

use crate::error::ApiResult;
use worker::{query, D1Database};

pub async fn insert(db: &D1Database, id: &str, contest_id: &str, entry_id: &str, url: Option<&str>, now: &str) -> ApiResult<()> {
    query!(
        db,
        "INSERT INTO visits (id, contest_id, entry_id, url, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        id,
        contest_id,
        entry_id,
        url,
        now
    )?
    .run()
    .await?;
    Ok(())
}
