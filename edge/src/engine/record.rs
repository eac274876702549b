//! The final standings as bytes (issue 25): read from the frozen `standings`
//! in pages of ranks, the same pages for the open URL and for the hash
//! published at finalize, so the two cannot differ.

use crate::db::record::standing_lines;
use crate::domain::ids::ContestId;
use crate::domain::record::push_standing_line;
use crate::domain::signature::hex;
use crate::error::ApiResult;
use sha2::{Digest, Sha256};
use worker::D1Database;

/// Places per read: 100,000 places are 10 reads.
pub const STANDINGS_PAGE: u32 = 10_000;

/// The text of the places after `after_rank` (one page), and the rank the
/// next page starts after (`None`: this was the last).
pub async fn standings_page(db: &D1Database, id: &ContestId, after_rank: i64) -> ApiResult<(String, Option<i64>)> {
    let lines = standing_lines(db, id, after_rank, STANDINGS_PAGE).await?;
    let mut text = String::with_capacity(lines.len() * 64);
    for l in &lines {
        push_standing_line(&mut text, l.rank, &l.entry_id, l.points, &l.reached_at);
    }
    let next = lines.last().filter(|_| lines.len() == STANDINGS_PAGE as usize).map(|l| l.rank);
    Ok((text, next))
}

/// Lowercase hex SHA-256 of the whole standings' bytes, hashed page by page.
pub async fn standings_hash(db: &D1Database, id: &ContestId) -> ApiResult<String> {
    let mut hasher = Sha256::new();
    let mut after = Some(0);
    while let Some(rank) = after {
        let (text, next) = standings_page(db, id, rank).await?;
        hasher.update(text.as_bytes());
        after = next;
    }
    Ok(hex(&hasher.finalize()))
}
