//! D1 access, one module per table group. Handlers never write SQL.
//!
//! Writes that must happen together are returned as statements for one
//! `batch()` (one transaction); duplicates are settled by unique constraints
//! inside that batch, never by read-then-write.

pub mod accounts;
pub mod bonus;
pub mod contests;
pub mod draws;
pub mod email_templates;
pub mod emails;
pub mod entries;
pub mod error;
pub mod guard;
pub mod ledger;
pub mod outbox;
pub mod page;
pub mod participants;
pub mod payouts;
pub mod prizes;
pub mod purchases;
#[cfg(test)]
mod query_plans;
pub mod record;
pub mod refunds;
pub mod rewards;
pub mod standings;
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

/// Runs statements whose results nobody reads as one atomic batch (a batch
/// that reads its results back is a `Batch`).
pub async fn batch(db: &D1Database, statements: Vec<D1PreparedStatement>) -> DbResult<()> {
    db.batch(statements).await.map_err(classify)?;
    Ok(())
}

/// Statements run as one atomic batch (one D1 transaction). `push` answers
/// the handle its result is read through after `run`, so adding a statement
/// never shifts what another one's reader reads.
#[derive(Default)]
pub struct Batch {
    statements: Vec<D1PreparedStatement>,
}

/// Where one statement's result is in the `Results` of its batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handle(usize);

/// What a batch's statements answered, read through their handles.
pub struct Results(Vec<D1Result>);

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a statement whose result is read (`Handle::rows`, `first`, `changed`).
    pub fn push(&mut self, statement: D1PreparedStatement) -> Handle {
        self.statements.push(statement);
        Handle(self.statements.len() - 1)
    }

    /// Adds statements whose results are not read one by one (scans such as
    /// `outbox::written_in` still see them).
    pub fn extend(&mut self, statements: impl IntoIterator<Item = D1PreparedStatement>) {
        self.statements.extend(statements);
    }

    pub fn is_empty(&self) -> bool {
        self.statements.is_empty()
    }

    pub async fn run(self, db: &D1Database) -> DbResult<Results> {
        Ok(Results(db.batch(self.statements).await.map_err(classify)?))
    }
}

/// Runs a write and a read of what it wrote as one batch: the read's first row.
pub async fn write_then_read<T: DeserializeOwned>(
    db: &D1Database,
    write: D1PreparedStatement,
    read: D1PreparedStatement,
) -> DbResult<Option<T>> {
    let mut batch = Batch::new();
    batch.push(write);
    let read = batch.push(read);
    read.first(&batch.run(db).await?)
}

impl Results {
    /// Every statement's result: for scans that look at all of them (never
    /// a way to find one statement's).
    pub fn all(&self) -> impl Iterator<Item = &D1Result> {
        self.0.iter()
    }

    fn of(&self, handle: Handle) -> DbResult<&D1Result> {
        self.0.get(handle.0).ok_or_else(|| StorageError::D1("batch result missing".into()))
    }
}

impl Handle {
    /// The statement's rows as `T`.
    pub fn rows<T: DeserializeOwned>(self, results: &Results) -> DbResult<Vec<T>> {
        Ok(results.of(self)?.results::<T>()?)
    }

    /// The statement's first row as `T`, or `None`.
    pub fn first<T: DeserializeOwned>(self, results: &Results) -> DbResult<Option<T>> {
        first_of(results.of(self)?)
    }

    /// Rows changed by the write statement, its triggers' included (`changes`).
    pub fn changes(self, results: &Results) -> DbResult<u64> {
        Ok(changes(results.of(self)?))
    }

    /// Whether the one-row write statement wrote its row (`changed`).
    pub fn changed(self, results: &Results) -> DbResult<bool> {
        Ok(changed(results.of(self)?))
    }
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
