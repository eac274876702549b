//! The end of a contest: the final standings and the open results.

use super::draws::{draw, DrawView};
use super::prizes::{rule, Ranks, ThresholdView};
use crate::db::standings::{ResultsRead, StandingRow};
use crate::domain::contest::ContestStatus;
use crate::domain::draw::Chain;
use crate::domain::privacy::masked_name;
use serde::Serialize;

/// A name as this viewer sees it: whole for a private key, `Ada L.` otherwise
/// (the leaderboard's masking).
fn name_for(name: Option<&str>, full: bool) -> Option<String> {
    name.map(|n| if full { n.to_string() } else { masked_name(n) })
}

/// One place of the final standings.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Standing<'a> {
    rank: i64,
    entry_id: &'a str,
    name: Option<String>,
    points: i64,
    reached_at: &'a str,
}

pub fn standings(rows: &[StandingRow], full_names: bool) -> Vec<Standing<'_>> {
    rows.iter()
        .map(|r| Standing {
            rank: r.rank,
            entry_id: &r.entry_id,
            name: name_for(r.name.as_deref(), full_names),
            points: r.points,
            reached_at: &r.reached_at,
        })
        .collect()
}

/// The open results of a contest.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Results<'a> {
    contest_id: &'a str,
    name: &'a str,
    status: ContestStatus,
    ends_at: Option<&'a str>,
    finalized_at: Option<&'a str>,
    prizes: Vec<ResultPrizeView<'a>>,
}

#[derive(Serialize)]
pub struct WinnerView {
    rank: i64,
    name: Option<String>,
}

/// A prize on the results page: its rule, how many earned it, and its
/// winners once the contest is finalized (rank prizes).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultPrizeView<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    image_url: Option<&'a str>,
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    threshold: Option<ThresholdView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ranks: Option<Ranks>,
    earned_count: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    winners: Option<Vec<WinnerView>>,
    /// Draw prizes: the public record anyone can check (docs/DRAWS.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    draw: Option<DrawView<'a>>,
}

pub fn results<'a>(read: &'a ResultsRead, status: ContestStatus, chain: &Chain, origin: &str) -> Results<'a> {
    let ResultsRead { contest, prizes, winners, draws, picks } = read;
    let finalized = contest.finalized_at.is_some();
    let prizes = prizes
        .iter()
        .map(|p| {
            let (threshold, ranks) = rule(p.threshold_referrals, p.threshold_points, p.rank_from, p.rank_to);
            let winners = (finalized && ranks.is_some()).then(|| {
                winners
                    .iter()
                    .filter(|w| w.prize_id == p.id)
                    .map(|w| WinnerView { rank: w.rank, name: name_for(w.name.as_deref(), false) })
                    .collect()
            });
            ResultPrizeView {
                id: &p.id,
                name: &p.name,
                description: p.description.as_deref(),
                image_url: p.image_url.as_deref(),
                kind: &p.kind,
                threshold,
                ranks,
                earned_count: p.earned_count,
                winners,
                draw: draws.iter().find(|d| *d.prize_id == *p.id).map(|d| draw(d, picks, chain, origin)),
            }
        })
        .collect();
    Results {
        contest_id: &contest.id,
        name: &contest.name,
        status,
        ends_at: contest.ends_at.as_deref(),
        finalized_at: contest.finalized_at.as_deref(),
        prizes,
    }
}
