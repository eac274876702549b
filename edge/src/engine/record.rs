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

/// Places per read of the bytes, from the finalize page size (`Budget`'s):
/// five pages, 10,000 places at the default 2,000 (100,000 places are 10
/// reads); 50 in the tests, so they read several pages.
fn per_read(page_size: u32) -> u32 {
    page_size.saturating_mul(5).max(1)
}

/// The text of the places after `after_rank` (one read), and the rank the
/// next read starts after (`None`: this was the last).
pub async fn standings_page(
    db: &D1Database,
    id: &ContestId,
    after_rank: i64,
    page_size: u32,
) -> ApiResult<(String, Option<i64>)> {
    let limit = per_read(page_size);
    let lines = standing_lines(db, id, after_rank, limit).await?;
    let mut text = String::with_capacity(lines.len() * 64);
    for l in &lines {
        push_standing_line(&mut text, l.rank, &l.entry_id, l.points, &l.reached_at);
    }
    let next = lines.last().filter(|_| lines.len() == limit as usize).map(|l| l.rank);
    Ok((text, next))
}

/// Lowercase hex SHA-256 of the whole standings' bytes, hashed read by read.
pub async fn standings_hash(db: &D1Database, id: &ContestId, page_size: u32) -> ApiResult<String> {
    let mut hasher = Sha256::new();
    let mut after = Some(0);
    while let Some(rank) = after {
        let (text, next) = standings_page(db, id, rank, page_size).await?;
        hasher.update(text.as_bytes());
        after = next;
    }
    Ok(hex(&hasher.finalize()))
}
