//! A contest as its owner (and a public key) sees it, its leaderboard and its stats.

use super::email_for;
use crate::contest_settings::ContestSettings;
use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::db::stats::{ContestStats, DayRevenue, DayTotals, Seen};
use crate::domain::contest::{effective_status, ContestStatus};
use crate::domain::privacy::masked_name;
use crate::platform;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A contest as the API shows it: its settings (`ContestSettings` serialized,
/// the status the effective one) between its id and its times.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContestView<'a> {
    id: &'a str,
    #[serde(flatten)]
    settings: ContestSettings,
    created_at: &'a str,
    updated_at: Option<&'a str>,
    /// The end (docs/API.md, "Prizes: the end of a contest"): when it ended,
    /// whether its standings are being written, when it was finalized.
    ended_at: Option<&'a str>,
    finalizing: bool,
    finalized_at: Option<&'a str>,
    /// Whether the contest rewards in money (`ContestSettings::has_monetary_reward`):
    /// amounts of money are shown only then.
    has_monetary_reward: bool,
    /// Private keys only (then `null` when unset); the Stripe secret never.
    #[serde(skip_serializing_if = "Option::is_none")]
    webhook_secret: Option<Option<&'a str>>,
}

/// The status a client sees: an active contest past its end date has ended.
pub fn contest_status(c: &ContestRow) -> ContestStatus {
    effective_status(c.status, c.ends_at.as_deref(), &platform::now_iso())
}

/// A contest; its webhook secret only to private keys.
pub fn contest(c: &ContestRow, private: bool) -> ContestView<'_> {
    ContestView {
        id: &c.id,
        settings: ContestSettings { status: contest_status(c), ..c.settings.clone() },
        created_at: &c.created_at,
        updated_at: c.updated_at.as_deref(),
        ended_at: c.ended_at.as_deref(),
        finalizing: c.finalize_started_at.is_some() && c.finalized_at.is_none(),
        finalized_at: c.finalized_at.as_deref(),
        has_monetary_reward: c.has_monetary_reward(),
        webhook_secret: private.then_some(c.webhook_secret.as_deref()),
    }
}

/// One place on the leaderboard.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderView<'a> {
    rank: usize,
    entry_id: &'a str,
    name: Option<Cow<'a, str>>,
    email: String,
    referral_code: &'a str,
    total_points: i64,
    pending_points: i64,
    referral_count: i64,
}

/// The leaderboard, best first (`rows` in rank order); emails masked unless
/// the viewer sees them, names masked for participants (`privacy::masked_name`).
pub fn leaderboard(rows: &[EntryRow], sees_emails: bool, sees_names: bool) -> Vec<LeaderView<'_>> {
    rows.iter()
        .enumerate()
        .map(|(i, e)| LeaderView {
            rank: i + 1,
            entry_id: &e.id,
            name: e.name.as_deref().map(|n| if sees_names { Cow::Borrowed(n) } else { Cow::Owned(masked_name(n)) }),
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
    /// Purchases no trusted source verified: the owner's (private key) only.
    #[serde(skip_serializing_if = "Option::is_none")]
    unverified: Option<UnverifiedView<'a>>,
    funnel: FunnelView,
}

/// The referral funnel, one population throughout: visits through referral
/// links, the signups those links brought, the ones of them who bought and
/// their (verified) purchases.
#[derive(Serialize)]
pub struct FunnelView {
    visits: i64,
    signups: i64,
    buyers: i64,
    purchases: i64,
}

/// Browsers' purchase claims, apart from the verified revenue.
#[derive(Serialize)]
pub struct UnverifiedView<'a> {
    purchases: i64,
    revenue: BTreeMap<&'a str, f64>,
}

/// Currency -> amount, to the cent: cents are exact to 1e-9 in f64 at these
/// magnitudes; the sum's noise is rounded away.
fn by_currency(rows: &[(String, i64, f64)]) -> BTreeMap<&str, f64> {
    rows.iter().map(|(currency, _, amount)| (currency.as_str(), (amount * 100.0).round() / 100.0)).collect()
}

/// Revenue and purchases are verified ones; `private` (the owner) also sees the
/// unverified claims apart.
pub fn stats<'a>(contest_id: &'a str, s: &'a ContestStats, private: bool) -> StatsView<'a> {
    StatsView {
        contest_id,
        visits: s.visits,
        signups: s.signups,
        referred_signups: s.referred_signups,
        purchases: s.purchases,
        revenue: by_currency(&s.revenue),
        points: s.points,
        pending_points: s.pending_points,
        unverified: private
            .then(|| UnverifiedView { purchases: s.unverified_purchases, revenue: by_currency(&s.unverified_revenue) }),
        funnel: FunnelView {
            visits: s.visits,
            signups: s.referred_signups,
            buyers: s.referred_buyers,
            purchases: s.referred_purchases,
        },
    }
}

/// One UTC day of a contest's series.
#[derive(Serialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Day {
    day: String,
    visits: i64,
    signups: i64,
    referred_signups: i64,
    purchases: i64,
    /// Currency -> amount purchased that day.
    revenue: BTreeMap<String, f64>,
    /// Confirmed points written that day.
    points: i64,
}

/// `GET /contests/:id/timeseries`: every day of the range, zeros included.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Timeseries<'a> {
    contest_id: &'a str,
    from: Option<String>,
    to: Option<String>,
    days: Vec<Day>,
}

pub fn timeseries(contest_id: &str, days: Vec<String>, rows: (Vec<DayTotals>, Vec<DayRevenue>)) -> Timeseries<'_> {
    let mut by_day: BTreeMap<String, Day> =
        days.into_iter().map(|d| (d.clone(), Day { day: d, ..Day::default() })).collect();
    let (totals, revenue) = rows;
    for r in totals {
        if let Some(d) = by_day.get_mut(&r.day) {
            d.visits = r.visits;
            d.signups = r.signups;
            d.referred_signups = r.referred;
            d.points = r.points;
        }
    }
    for r in revenue {
        if let Some(d) = by_day.get_mut(&r.day) {
            d.purchases += r.purchases;
            // Cents are exact to 1e-9 in f64 at these magnitudes; round the sum's noise away.
            d.revenue.insert(r.currency, (r.amount * 100.0).round() / 100.0);
        }
    }
    let days: Vec<Day> = by_day.into_values().collect();
    Timeseries { contest_id, from: days.first().map(|d| d.day.clone()), to: days.last().map(|d| d.day.clone()), days }
}

/// `GET /contests/:id/checklist`: the getting-started steps, each done once the
/// contest has seen it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChecklistView<'a> {
    contest_id: &'a str,
    /// A visit through a referral link, recorded by the tracker.
    tracker_seen: bool,
    /// The participant widget: its join form or a participant's view of the contest.
    widget_seen: bool,
    /// A Stripe signing secret set, or a purchase Stripe reported.
    stripe_seen: bool,
    /// A signup some advocate referred.
    referral_seen: bool,
    /// All four.
    done: bool,
}

pub fn checklist<'a>(contest_id: &'a str, s: &Seen) -> ChecklistView<'a> {
    let steps = [s.visits > 0, s.widget_seen_at.is_some(), s.stripe_secret || s.stripe_purchase, s.referred > 0];
    ChecklistView {
        contest_id,
        tracker_seen: steps[0],
        widget_seen: steps[1],
        stripe_seen: steps[2],
        referral_seen: steps[3],
        done: steps.iter().all(|&b| b),
    }
}
