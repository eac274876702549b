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

#[derive(Deserialize, Default)]
struct Totals {
    visits: i64,
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

/// The counters the triggers of migrations/0010 and 0012 keep on the contest
/// row: one row read, however many entries, visits and purchases it has.
pub(super) const TOTALS: &str = "SELECT visit_count AS visits, entry_count AS signups, referred_count AS referred,
   points_total AS points, pending_total AS pending FROM contests WHERE id = ?1";

/// Purchases and revenue per currency, as the triggers keep them.
pub(super) const REVENUE: &str = "SELECT currency, purchases AS n, amount AS revenue FROM contest_revenue
 WHERE contest_id = ?1 AND purchases > 0 ORDER BY currency";

pub async fn for_contest(db: &D1Database, contest_id: &str) -> ApiResult<ContestStats> {
    let results = super::batch(db, vec![query!(db, TOTALS, contest_id)?, query!(db, REVENUE, contest_id)?]).await?;
    let totals = super::first_of::<Totals>(&results[0])?.unwrap_or_default();
    let revenue: Vec<Revenue> = results[1].results()?;
    Ok(ContestStats {
        visits: totals.visits,
        signups: totals.signups,
        referred_signups: totals.referred,
        points: totals.points,
        pending_points: totals.pending,
        purchases: revenue.iter().map(|r| r.n).sum(),
        revenue: revenue.into_iter().map(|r| (r.currency, r.n, r.revenue)).collect(),
    })
}

/// What happened on one UTC day (`YYYY-MM-DD`), per kind, from indexed ranges
/// over the contest's rows created in `[start, end)`.
#[derive(Debug, Default, Deserialize)]
pub struct DayCounts {
    pub day: String,
    #[serde(default)]
    pub n: i64,
    #[serde(default)]
    pub referred: i64,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub amount: f64,
}

// `GROUP BY 1`, not `GROUP BY day`: visits has a column named `day`, which
// SQLite would group by instead of the alias.
pub(super) const VISITS_BY_DAY: &str = "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n FROM visits
 WHERE contest_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY 1";

pub(super) const SIGNUPS_BY_DAY: &str =
    "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS n, COUNT(referred_by_entry_id) AS referred FROM entries
 WHERE contest_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY day";

pub(super) const PURCHASES_BY_DAY: &str =
    "SELECT substr(created_at, 1, 10) AS day, currency, COUNT(*) AS n, SUM(amount) AS amount FROM purchases
 WHERE contest_id = ?1 AND created_at >= ?2 AND created_at < ?3 GROUP BY day, currency";

/// Confirmed points by the day their row was written.
pub(super) const POINTS_BY_DAY: &str = "SELECT substr(created_at, 1, 10) AS day, SUM(delta) AS n FROM ledger
 WHERE contest_id = ?1 AND created_at >= ?2 AND created_at < ?3 AND status = 'confirmed' GROUP BY day";

/// The four per-day series of a contest over `[start, end)`, in one batch:
/// (visits, signups with referred ones, purchases per currency, confirmed points).
pub async fn by_day(db: &D1Database, contest_id: &str, start: &str, end: &str) -> ApiResult<[Vec<DayCounts>; 4]> {
    let results = super::batch(
        db,
        vec![
            query!(db, VISITS_BY_DAY, contest_id, start, end)?,
            query!(db, SIGNUPS_BY_DAY, contest_id, start, end)?,
            query!(db, PURCHASES_BY_DAY, contest_id, start, end)?,
            query!(db, POINTS_BY_DAY, contest_id, start, end)?,
        ],
    )
    .await?;
    Ok([results[0].results()?, results[1].results()?, results[2].results()?, results[3].results()?])
}
