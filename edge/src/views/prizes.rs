//! Prizes, their awards and codes, and what an entry shows of them. A prize
//! never shows a code; an award shows its code to the owner (private key,
//! webhooks) and, on the entry view, to that entry's own participant token.

use crate::db::prizes::{AwardRow, CodeRow, EntryPrizes, PrizeRow};
use crate::domain::draw_rule::{Eligibility, Weighting};
use crate::domain::prizes::{self, AwardStatus, FulfilmentType, Kind, Milestone, Threshold};
use serde::Serialize;

/// A milestone's threshold: `{"referrals": n}` or `{"points": n}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ThresholdView {
    Referrals(i64),
    Points(i64),
}

fn threshold_view(t: Threshold) -> ThresholdView {
    match t {
        Threshold::Referrals(n) => ThresholdView::Referrals(n),
        Threshold::Points(n) => ThresholdView::Points(n),
    }
}

#[derive(Serialize)]
pub struct Ranks {
    from: i64,
    to: i64,
}

/// A prize's rule as every view shows it: a milestone's threshold, a rank
/// prize's places (the prize view and the open results share it).
pub fn rule(
    referrals: Option<i64>,
    points: Option<i64>,
    from: Option<i64>,
    to: Option<i64>,
) -> (Option<ThresholdView>, Option<Ranks>) {
    (Threshold::of(referrals, points).map(threshold_view), from.zip(to).map(|(from, to)| Ranks { from, to }))
}

#[derive(Serialize)]
pub struct FulfilmentView<'a> {
    #[serde(rename = "type")]
    kind: FulfilmentType,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrizeView<'a> {
    id: &'a str,
    contest_id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    image_url: Option<&'a str>,
    kind: Kind,
    /// Milestones only (else null).
    threshold: Option<ThresholdView>,
    /// Rank prizes only (else null).
    ranks: Option<Ranks>,
    fulfilment: FulfilmentView<'a>,
    /// How many may earn it (null: no limit).
    quantity: Option<i64>,
    /// Awards that are not void.
    earned_count: i64,
    /// Code prizes, to a private key only: free codes in the pool.
    #[serde(skip_serializing_if = "Option::is_none")]
    codes_available: Option<i64>,
    created_at: &'a str,
    updated_at: Option<&'a str>,
    /// Draws only: how many winners, who is eligible, how they are weighed,
    /// and SHA-256 of the secret seed (never the seed).
    #[serde(skip_serializing_if = "Option::is_none")]
    winners: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    eligibility: Option<EligibilityView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    weighting: Option<Weighting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed_commitment: Option<&'a str>,
}

/// A draw's eligibility: `{}` when it has no minimum.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EligibilityView {
    #[serde(skip_serializing_if = "Option::is_none")]
    min_points: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_referrals: Option<i64>,
}

pub fn eligibility(e: Eligibility) -> EligibilityView {
    EligibilityView { min_points: e.min_points, min_referrals: e.min_referrals }
}

pub fn prize(p: &PrizeRow, private: bool) -> PrizeView<'_> {
    let code = p.fulfilment == FulfilmentType::Code;
    let (threshold, ranks) = rule(p.threshold_referrals, p.threshold_points, p.rank_from, p.rank_to);
    PrizeView {
        id: &p.id,
        contest_id: &p.contest_id,
        name: &p.name,
        description: p.description.as_deref(),
        image_url: p.image_url.as_deref(),
        kind: p.kind,
        threshold,
        ranks,
        fulfilment: FulfilmentView {
            kind: p.fulfilment,
            amount: p.credit_amount.filter(|_| p.fulfilment == FulfilmentType::Credit),
            currency: p.credit_currency.as_deref().filter(|_| p.fulfilment == FulfilmentType::Credit),
        },
        quantity: p.quantity,
        earned_count: p.earned_count,
        codes_available: (code && private).then_some(p.codes_available),
        created_at: &p.created_at,
        updated_at: p.updated_at.as_deref(),
        winners: p.winners,
        eligibility: p
            .winners
            .map(|_| eligibility(Eligibility { min_points: p.min_points, min_referrals: p.min_referrals })),
        weighting: p.weighting,
        seed_commitment: p.seed_commitment.as_deref(),
    }
}

/// A prize award, as the owner sees it (list, fulfil, void, webhooks).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwardView<'a> {
    id: &'a str,
    prize_id: &'a str,
    prize_name: &'a str,
    entry_id: &'a str,
    email: &'a str,
    status: AwardStatus,
    code: Option<&'a str>,
    rank: Option<i64>,
    earned_at: &'a str,
    fulfilled_at: Option<&'a str>,
    note: Option<&'a str>,
    voided_at: Option<&'a str>,
    void_reason: Option<&'a str>,
    clawback: bool,
}

pub fn award(a: &AwardRow) -> AwardView<'_> {
    AwardView {
        id: &a.id,
        prize_id: &a.prize_id,
        prize_name: &a.prize_name,
        entry_id: &a.entry_id,
        email: &a.email_display,
        status: a.status,
        code: a.code.as_deref(),
        rank: a.rank,
        earned_at: &a.earned_at,
        fulfilled_at: a.fulfilled_at.as_deref(),
        note: a.fulfil_note.as_deref(),
        voided_at: a.voided_at.as_deref(),
        void_reason: a.void_reason.as_deref(),
        clawback: a.clawback,
    }
}

/// A code of a prize's pool.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeView<'a> {
    code: &'a str,
    /// available, assigned, or burned (kept on the void award it was burned on).
    status: &'static str,
    award_id: Option<&'a str>,
    entry_id: Option<&'a str>,
    assigned_at: Option<&'a str>,
    created_at: &'a str,
}

pub fn code(c: &CodeRow) -> CodeView<'_> {
    let status = match (c.burned_at.is_some(), c.award_id.is_some()) {
        (true, _) => "burned",
        (false, true) => "assigned",
        (false, false) => "available",
    };
    CodeView {
        code: &c.code,
        status,
        award_id: c.award_id.as_deref(),
        entry_id: c.entry_id.as_deref(),
        assigned_at: c.assigned_at.as_deref(),
        created_at: &c.created_at,
    }
}

/// An upload's answer.
#[derive(Serialize)]
pub struct CodesAdded {
    pub added: u64,
    /// Codes of the upload not added: repeated in it, or already in the pool.
    pub duplicates: u64,
    pub available: u64,
}

/// One of the entry's prizes (void ones are not shown).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryPrize<'a> {
    id: &'a str,
    prize_id: &'a str,
    name: &'a str,
    status: AwardStatus,
    /// To a private key or the entry's own participant token; else null.
    code: Option<&'a str>,
    rank: Option<i64>,
    earned_at: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextMilestone<'a> {
    prize_id: &'a str,
    name: &'a str,
    threshold: ThresholdView,
    /// The entry's figure in the threshold's unit (confirmed referrals or points).
    progress: i64,
}

/// The entry view's `prizes` and `nextMilestone`.
pub fn entry_prizes(p: &EntryPrizes, sees_codes: bool) -> (Vec<EntryPrize<'_>>, Option<NextMilestone<'_>>) {
    let prizes = p
        .awards
        .iter()
        .filter(|a| a.status != AwardStatus::Void)
        .map(|a| EntryPrize {
            id: &a.id,
            prize_id: &a.prize_id,
            name: &a.name,
            status: a.status,
            code: a.code.as_deref().filter(|_| sees_codes),
            rank: a.rank,
            earned_at: &a.earned_at,
        })
        .collect();
    let milestones: Vec<Milestone> = p
        .milestones
        .iter()
        .filter_map(|m| {
            Some(Milestone {
                prize_id: &m.id,
                name: &m.name,
                threshold: Threshold::of(m.threshold_referrals, m.threshold_points)?,
                held: m.held,
                sold_out: m.sold_out,
            })
        })
        .collect();
    let next = prizes::next_milestone(&milestones, p.confirmed_referrals, p.total_points).map(|(m, progress)| {
        // Borrow from the rows, not the temporary list.
        let row = p.milestones.iter().find(|r| *r.id == *m.prize_id);
        (row, m.threshold, progress)
    });
    let next = next.and_then(|(row, threshold, progress)| {
        row.map(|r| NextMilestone { prize_id: &r.id, name: &r.name, threshold: threshold_view(threshold), progress })
    });
    (prizes, next)
}
