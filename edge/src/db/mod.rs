//! D1 access, one module per table group. Handlers never write SQL.

pub mod entries;

use crate::error::ApiResult;
use serde::de::DeserializeOwned;
use worker::D1PreparedStatement;

/// First row of a statement as `T`, or `None`.
pub async fn first<T: DeserializeOwned>(stmt: D1PreparedStatement) -> ApiResult<Option<T>> {
    Ok(stmt.first::<T>(None).await?)
}

/// All rows of a statement as `T`.
pub async fn all<T: DeserializeOwned>(stmt: D1PreparedStatement) -> ApiResult<Vec<T>> {
    Ok(stmt.all().await?.results::<T>()?)
}
