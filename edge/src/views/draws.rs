//! A draw prize's public record on the open results (docs/DRAWS.md): the
//! rule, the commitment (the seed once drawn), the list's hash and URL, the
//! beacon, the picks in step order (voided ones kept, with why and when).

use super::prizes::{eligibility, EligibilityView};
use crate::db::draws::{DrawRow, PickRow};
use crate::domain::draw::Chain;
use crate::domain::draw_rule::Weighting;
use crate::domain::privacy::masked_name;
use crate::domain::prizes::AwardStatus;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BeaconView<'a> {
    chain_hash: &'a str,
    genesis: u64,
    period: u64,
    round: i64,
    randomness: Option<&'a str>,
    signature: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PickView<'a> {
    k: i64,
    entry_id: &'a str,
    name: Option<String>,
    voided: bool,
    void_reason: Option<&'a str>,
    voided_at: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrawView<'a> {
    winners: i64,
    weighting: Weighting,
    eligibility: EligibilityView,
    seed_commitment: &'a str,
    /// Secret until drawn.
    seed: Option<&'a str>,
    list_hash: Option<&'a str>,
    list_url: Option<String>,
    list_entries: Option<i64>,
    list_weight: Option<&'a str>,
    beacon: Option<BeaconView<'a>>,
    drawn_at: Option<&'a str>,
    picks: Vec<PickView<'a>>,
}

/// The path of a draw's list (the API's base, origin or origin + `/rt`, + this is its URL).
pub fn list_path(prize_id: &str) -> String {
    ["/api/referral/results/", prize_id, "/draw-list"].concat()
}

/// A draw's record; `chain` gives the genesis and period of its chain
/// (the configured one: a draw's `chain_hash` is the configured chain's).
pub fn draw<'a>(d: &'a DrawRow, picks: &'a [PickRow], chain: &Chain, origin: &str) -> DrawView<'a> {
    let drawn = d.drawn_at.is_some();
    let beacon = d.beacon_round.map(|round| BeaconView {
        chain_hash: d.chain_hash.as_deref().unwrap_or_default(),
        genesis: chain.genesis,
        period: chain.period,
        round,
        randomness: d.randomness.as_deref().filter(|_| drawn),
        signature: d.signature.as_deref().filter(|_| drawn),
    });
    DrawView {
        winners: d.winners,
        weighting: d.weighting,
        eligibility: eligibility(d.eligibility()),
        seed_commitment: &d.seed_commitment,
        seed: Some(d.seed.as_str()).filter(|_| drawn),
        list_hash: d.list_hash.as_deref(),
        list_url: d.list_hash.as_ref().map(|_| [origin, &list_path(&d.prize_id)].concat()),
        list_entries: d.list_entries,
        list_weight: d.list_weight.as_deref(),
        beacon,
        drawn_at: d.drawn_at.as_deref(),
        picks: picks
            .iter()
            .filter(|p| p.prize_id == d.prize_id)
            .map(|p| PickView {
                k: p.k,
                entry_id: &p.entry_id,
                name: p.name.as_deref().map(masked_name),
                voided: p.status == AwardStatus::Void,
                void_reason: p.void_reason.as_deref(),
                voided_at: p.voided_at.as_deref(),
            })
            .collect(),
    }
}
