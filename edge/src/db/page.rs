//! A page of rows with the count of all of them: the two statements run as
//! one batch, so the total is read in the same snapshot (and round trip) as
//! the page it belongs to. Every list of the API reads its page through here.

use super::{Count, DbResult, StorageError};
use serde::de::DeserializeOwned;
use worker::{D1Database, D1PreparedStatement};

/// The rows `rows` selects (a `LIMIT`/`OFFSET` page) and the total `count`
/// answers (one row, its count named `n`).
pub async fn read<T: DeserializeOwned>(
    db: &D1Database,
    rows: D1PreparedStatement,
    count: D1PreparedStatement,
) -> DbResult<(Vec<T>, u64)> {
    let results = super::batch(db, vec![rows, count]).await?;
    let [rows, count] = results.as_slice() else {
        return Err(StorageError::D1("a page's batch answered other than its two statements".into()));
    };
    let total = super::first_of::<Count>(count)?.map_or(0, |c| c.n as u64);
    Ok((rows.results()?, total))
}
