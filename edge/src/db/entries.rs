//! Entries: a contest's participants and their referral codes.

use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database};

/// The advocate behind a referral code, as `validate-code` shows it.
#[derive(Debug, Deserialize)]
pub struct Referrer {
    pub contest_id: String,
    pub email_display: String,
    pub name: Option<String>,
}

/// The (non-disqualified) entry owning `code` in `contest_id`.
pub async fn find_referrer(db: &D1Database, contest_id: &str, code: &str) -> ApiResult<Option<Referrer>> {
    super::first(query!(
        db,
        "SELECT contest_id, email_display, name FROM entries
         WHERE contest_id = ?1 AND referral_code = ?2 AND disqualified = 0",
        contest_id,
        code
    )?)
    .await
}
