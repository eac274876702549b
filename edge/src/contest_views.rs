//! How a contest's leaderboard and stats look in JSON responses (the contest
//! itself is `views::contests`).

use crate::db::entries::EntryRow;
use crate::db::stats::ContestStats;
use crate::views::email_for;
use serde::Serialize;
use std::collections::BTreeMap;

/// One place on the leaderboard.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderView<'a> {
    rank: usize,
    entry_id: &'a str,
    name: Option<&'a str>,
    email: String,
    referral_code: &'a str,
    total_points: i64,
    pending_points: i64,
    referral_count: i64,
}

/// The leaderboard, best first (`rows` in rank order); emails masked unless
/// the viewer sees them.
pub fn leaderboard(rows: &[EntryRow], sees_emails: bool) -> Vec<LeaderView<'_>> {
    rows.iter()
        .enumerate()
        .map(|(i, e)| LeaderView {
            rank: i + 1,
            entry_id: &e.id,
            name: e.name.as_deref(),
            email: email_for(&e.email_display, sees_emails),
            referral_code: &e.referral_code,
            total_points: e.total_points,
            pending_points: e.pending_points,
            referral_count: e.referral_count,
        })
        .collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatsView<'a> {
    contest_id: &'a str,
    visits: i64,
    signups: i64,
    referred_signups: i64,
    purchases: i64,
    /// Currency -> revenue in it.
    revenue: BTreeMap<&'a str, f64>,
    points: i64,
    pending_points: i64,
}

pub fn stats<'a>(contest_id: &'a str, s: &'a ContestStats) -> StatsView<'a> {
    StatsView {
        contest_id,
        visits: s.visits,
        signups: s.signups,
        referred_signups: s.referred_signups,
        purchases: s.purchases,
        // Cents are exact to 1e-9 in f64 at these magnitudes; round the sum's noise away.
        revenue: s
            .revenue
            .iter()
            .map(|(currency, _, amount)| (currency.as_str(), (amount * 100.0).round() / 100.0))
            .collect(),
        points: s.points,
        pending_points: s.pending_points,
    }
}
