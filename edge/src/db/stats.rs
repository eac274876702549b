//! A contest's totals, read in one batch.

use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database};

#[derive(Debug, Default)]
pub struct ContestStats {
    pub visits: i64,
    pub signups: i64,
    pub referred_signups: i64,
    /// Confirmed points only (what ranks count); pending ones apart.
    pub points: i64,
    pub pending_points: i64,
    pub purchases: i64,
    /// (currency, count, revenue)
    pub revenue: Vec<(String, i64, f64)>,
}

#[derive(Deserialize)]
struct EntryTotals {
    signups: i64,
    referred: i64,
    points: i64,
    pending: i64,
}

#[derive(Deserialize)]
struct Revenue {
    currency: String,
    n: i64,
    revenue: f64,
}

pub(super) const VISITS: &str = "SELECT COUNT(*) AS n FROM visits WHERE contest_id = ?1";

pub(super) const ENTRY_TOTALS: &str = "SELECT COUNT(*) AS signups, COUNT(referred_by_entry_id) AS referred,
   COALESCE(SUM(total_points), 0) AS points, COALESCE(SUM(pending_points), 0) AS pending
 FROM entries WHERE contest_id = ?1";

pub(super) const REVENUE: &str = "SELECT currency, COUNT(*) AS n, SUM(amount) AS revenue FROM purchases
 WHERE contest_id = ?1 GROUP BY currency ORDER BY currency";

pub async fn for_contest(db: &D1Database, contest_id: &str) -> ApiResult<ContestStats> {
    let results = super::batch(
        db,
        vec![query!(db, VISITS, contest_id)?, query!(db, ENTRY_TOTALS, contest_id)?, query!(db, REVENUE, contest_id)?],
    )
    .await?;
    let visits = super::first_of::<super::Count>(&results[0])?.map_or(0, |c| c.n);
    let entries = super::first_of::<EntryTotals>(&results[1])?;
    let revenue: Vec<Revenue> = results[2].results()?;
    Ok(ContestStats {
        visits,
        signups: entries.as_ref().map_or(0, |e| e.signups),
        referred_signups: entries.as_ref().map_or(0, |e| e.referred),
        points: entries.as_ref().map_or(0, |e| e.points),
        pending_points: entries.as_ref().map_or(0, |e| e.pending),
        purchases: revenue.iter().map(|r| r.n).sum(),
        revenue: revenue.into_iter().map(|r| (r.currency, r.n, r.revenue)).collect(),
    })
}
