//! D1 access, one module per table group. Handlers never write SQL.
//!
//! Writes that must happen together are returned as statements for one
//! `batch()` (one transaction); duplicates are settled by unique constraints
//! inside that batch, never by read-then-write.

pub mod accounts;
pub mod bonus;
pub mod contests;
pub mod entries;
pub mod error;
pub mod guard;
pub mod ledger;
pub mod outbox;
pub mod page;
pub mod participants;
pub mod purchases;
#[cfg(test)]
mod query_plans;
pub mod refunds;
pub mod rewards;
pub mod stats;
pub mod visits;
pub mod webhooks;

pub use error::{DbResult, StorageError, Unique};

use error::classify;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use worker::{D1Database, D1PreparedStatement, D1Result};

/// First row of a statement as `T`, or `None`.
pub async fn first<T: DeserializeOwned>(stmt: D1PreparedStatement) -> DbResult<Option<T>> {
    Ok(stmt.first::<T>(None).await?)
}

/// All rows of a statement as `T`.
pub async fn all<T: DeserializeOwned>(stmt: D1PreparedStatement) -> DbResult<Vec<T>> {
    Ok(stmt.all().await?.results::<T>()?)
}

/// Runs statements as one atomic batch.
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> DbResult<Vec<D1Result>> {
    db.batch(statements).await.map_err(classify)
}

/// Runs one write statement.
pub async fn run(stmt: D1PreparedStatement) -> DbResult<D1Result> {
    stmt.run().await.map_err(classify)
}

/// The first row of one batch result.
pub fn first_of<T: DeserializeOwned>(result: &D1Result) -> DbResult<Option<T>> {
    Ok(result.results::<T>()?.into_iter().next())
}

/// Rows changed by a write statement, counting those its triggers changed
/// (D1's `changes`): an UPDATE of an entry's referrer also moves its
/// contest's counters (migrations/0012).
pub fn changes(result: &D1Result) -> u64 {
    result.meta().ok().flatten().and_then(|m| m.changes).map_or(0, |c| c as u64)
}

/// Whether a one-row write statement wrote its row (whatever its triggers did).
pub fn changed(result: &D1Result) -> bool {
    changes(result) > 0
}

/// A 0/1 column as a bool (`#[serde(deserialize_with = "db::flag")]`).
pub fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(d)? != 0)
}

#[derive(Deserialize)]
pub struct Count {
    pub n: i64,
}
