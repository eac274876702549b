//! A page of rows with the count of all of them: the two statements run as
//! one batch, so the total is read in the same snapshot (and round trip) as
//! the page it belongs to. Every list of the API reads its page through here.

use super::{Batch, Count, DbResult};
use serde::de::DeserializeOwned;
use worker::{D1Database, D1PreparedStatement};

/// The rows `rows` selects (a `LIMIT`/`OFFSET` page) and the total `count`
/// answers (one row, its count named `n`).
pub async fn read<T: DeserializeOwned>(
    db: &D1Database,
    rows: D1PreparedStatement,
    count: D1PreparedStatement,
) -> DbResult<(Vec<T>, u64)> {
    let mut batch = Batch::new();
    let (rows, count) = (batch.push(rows), batch.push(count));
    let results = batch.run(db).await?;
    let total = count.first::<Count>(&results)?.map_or(0, |c| c.n as u64);
    Ok((rows.rows(&results)?, total))
}
