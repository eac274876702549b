//! A contest's totals, read in one batch.

use super::DbResult;
use crate::domain::ids::ContestId;
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
    /// Verified purchases only (migrations/0017).
    pub purchases: i64,
    /// (currency, count, revenue) of verified purchases.
    pub revenue: Vec<(String, i64, f64)>,
    /// The same of purchases no trusted source verified (browsers' claims).
    pub unverified_purchases: i64,
    pub unverified_revenue: Vec<(String, i64, f64)>,
    /// The referred signups' own verified purchases, and how many of those
    /// signups made at least one (the funnel's last step).
    pub referred_purchases: i64,
    pub referred_buyers: i64,
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
    unverified_n: i64,
    unverified_revenue: f64,
}

/// The counters the triggers of migrations/0010, 0012 and 0017 keep on the contest
/// row: one row read, however many entries, visits and purchases it has.
pub(super) const TOTALS: &str = "SELECT visit_count AS visits, entry_count AS signups, referred_count AS referred,
   points_total AS points, pending_total AS pending FROM contests WHERE id = ?1";

/// Purchases and revenue per currency, verified and not, as the triggers keep them.
pub(super) const REVENUE: &str = "SELECT currency, purchases AS n, amount AS revenue,
   unverified_purchases AS unverified_n, unverified_amount AS unverified_revenue FROM contest_revenue
 WHERE contest_id = ?1 AND (purchases > 0 OR unverified_purchases > 0) ORDER BY currency";

/// The funnel's last step: verified purchases whose buyer is an entry some
/// advocate referred, and how many such buyers. No counter keeps it: a walk of
/// the contest's purchases (`purchases_by_status`), each buyer by its key.
pub(super) const REFERRED_PURCHASES: &str = "SELECT COUNT(*) AS purchases, COUNT(DISTINCT p.buyer_entry_id) AS buyers
 FROM purchases p JOIN entries e ON e.id = p.buyer_entry_id
 WHERE p.contest_id = ?1 AND p.verified_at IS NOT NULL AND e.referred_by_entry_id IS NOT NULL";

#[derive(Deserialize, Default)]
struct ReferredPurchases {
    purchases: i64,
    buyers: i64,
}

pub async fn for_contest(db: &D1Database, contest_id: &ContestId) -> DbResult<ContestStats> {
    let mut batch = super::Batch::new();
    let totals = batch.push(query!(db, TOTALS, contest_id)?);
    let revenue = batch.push(query!(db, REVENUE, contest_id)?);
    let referred = batch.push(query!(db, REFERRED_PURCHASES, contest_id)?);
    let results = batch.run(db).await?;
    let referred = referred.first::<ReferredPurchases>(&results)?.unwrap_or_default();
    let totals = totals.first::<Totals>(&results)?.unwrap_or_default();
    let revenue: Vec<Revenue> = revenue.rows(&results)?;
    let (verified, unverified): (Vec<_>, Vec<_>) = (
        revenue.iter().filter(|r| r.n > 0).map(|r| (r.currency.clone(), r.n, r.revenue)).collect(),
        revenue
            .iter()
            .filter(|r| r.unverified_n > 0)
            .map(|r| (r.currency.clone(), r.unverified_n, r.unverified_revenue))
            .collect(),
    );
    Ok(ContestStats {
        visits: totals.visits,
        signups: totals.signups,
        referred_signups: totals.referred,
        points: totals.points,
        pending_points: totals.pending,
        purchases: verified.iter().map(|r| r.1).sum(),
        revenue: verified,
        unverified_purchases: unverified.iter().map(|r| r.1).sum(),
        unverified_revenue: unverified,
        referred_purchases: referred.purchases,
        referred_buyers: referred.buyers,
    })
}

/// What happened on one UTC day (`YYYY-MM-DD`): the counters migration 0013's
/// triggers keep per contest and day (purchases: verified ones, since 0017).
#[derive(Debug, Default, Deserialize)]
pub struct DayTotals {
    pub day: String,
    pub visits: i64,
    pub signups: i64,
    pub referred: i64,
    pub points: i64,
}

/// Purchases of one UTC day in one currency.
#[derive(Debug, Default, Deserialize)]
pub struct DayRevenue {
    pub day: String,
    pub currency: String,
    pub purchases: i64,
    pub amount: f64,
}

pub(super) const DAYS: &str = "SELECT day, visits, signups, referred, points FROM contest_days
 WHERE contest_id = ?1 AND day >= ?2 AND day < ?3";

pub(super) const DAY_REVENUE: &str = "SELECT day, currency, purchases, amount FROM contest_day_revenue
 WHERE contest_id = ?1 AND day >= ?2 AND day < ?3 AND purchases > 0";

/// The per-day counters of a contest over the UTC days `[first_day, end_day)`
/// (`YYYY-MM-DD`), in one batch: at most a row per day (and currency), however
/// many rows the contest has.
pub async fn by_day(
    db: &D1Database,
    contest_id: &ContestId,
    first_day: &str,
    end_day: &str,
) -> DbResult<(Vec<DayTotals>, Vec<DayRevenue>)> {
    let mut batch = super::Batch::new();
    let days = batch.push(query!(db, DAYS, contest_id, first_day, end_day)?);
    let revenue = batch.push(query!(db, DAY_REVENUE, contest_id, first_day, end_day)?);
    let results = batch.run(db).await?;
    Ok((days.rows(&results)?, revenue.rows(&results)?))
}

/// What a contest has seen of its setup (the owner's getting-started checklist).
#[derive(Debug, Default, Deserialize)]
pub struct Seen {
    pub visits: i64,
    pub referred: i64,
    pub widget_seen_at: Option<String>,
    pub stripe_secret: bool,
    pub stripe_purchase: bool,
}

/// One row: the counters of migrations/0012, the widget's mark of 0028, whether
/// a Stripe secret is set, and whether a Stripe event made a purchase (the
/// first such row of the contest's purchases, `purchases_by_contest`).
pub(super) const SEEN: &str = "SELECT visit_count AS visits, referred_count AS referred, widget_seen_at,
   stripe_webhook_secret IS NOT NULL AS stripe_secret,
   EXISTS (SELECT 1 FROM purchases p WHERE p.contest_id = contests.id AND p.source = 'stripe') AS stripe_purchase
 FROM contests WHERE id = ?1";

pub async fn seen(db: &D1Database, contest_id: &ContestId) -> DbResult<Seen> {
    #[derive(Deserialize)]
    struct Row {
        visits: i64,
        referred: i64,
        widget_seen_at: Option<String>,
        stripe_secret: i64,
        stripe_purchase: i64,
    }
    let row: Option<Row> = super::first(query!(db, SEEN, contest_id)?).await?;
    Ok(row.map_or_else(Seen::default, |r| Seen {
        visits: r.visits,
        referred: r.referred,
        widget_seen_at: r.widget_seen_at,
        stripe_secret: r.stripe_secret != 0,
        stripe_purchase: r.stripe_purchase != 0,
    }))
}
