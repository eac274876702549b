//! D1 access, one module per table group. Handlers never write SQL.
//!
//! Writes that must happen together are returned as statements for one
//! `batch()` (one transaction); duplicates are settled by unique constraints
//! inside that batch, never by read-then-write.

pub mod accounts;
pub mod bonus;
pub mod contests;
pub mod entries;
pub mod ledger;
pub mod participants;
pub mod purchases;
pub mod refunds;
pub mod rewards;
pub mod stats;
pub mod visits;

use crate::error::{ApiError, ApiResult};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// First row of a statement as `T`, or `None`.
pub async fn first<T: DeserializeOwned>(stmt: D1PreparedStatement) -> ApiResult<Option<T>> {
    Ok(stmt.first::<T>(None).await?)
}

/// All rows of a statement as `T`.
pub async fn all<T: DeserializeOwned>(stmt: D1PreparedStatement) -> ApiResult<Vec<T>> {
    Ok(stmt.all().await?.results::<T>()?)
}

/// Runs statements as one atomic batch.
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> ApiResult<Vec<D1Result>> {
    db.batch(statements).await.map_err(ApiError::from)
}

/// The first row of one batch result.
pub fn first_of<T: DeserializeOwned>(result: &D1Result) -> ApiResult<Option<T>> {
    Ok(result.results::<T>()?.into_iter().next())
}

/// Rows changed by a write statement.
pub fn changes(result: &D1Result) -> u64 {
    result.meta().ok().flatten().and_then(|m| m.changes).map_or(0, |c| c as u64)
}

#[derive(Deserialize)]
pub struct Count {
    pub n: i64,
}
