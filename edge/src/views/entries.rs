//! An entry, and the answers of the routes that change one.

use super::{email_for, PointsAwarded};
use crate::db::entries::EntryRow;
use crate::db::ledger::{AwardRow, Reason};
use crate::db::participants::ParticipantRow;
use crate::domain::fraud::FraudScore;
use crate::domain::trust::{AwardStatus, Hold, Source};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryView<'a> {
    id: &'a str,
    contest_id: &'a str,
    email: String,
    name: Option<&'a str>,
    referral_code: &'a str,
    referred_by: Option<&'a str>,
    referred_by_code: Option<&'a str>,
    total_points: i64,
    pending_points: i64,
    referral_count: i64,
    status: &'static str,
    disqualified: bool,
    disqualified_reason: Option<&'a str>,
    source: Source,
    /// Screened tracker signups only; shown to private keys alone, so a
    /// participant cannot learn which signals raise it.
    fraud_score: Option<FraudScore>,
    created_at: &'a str,
    updated_at: Option<&'a str>,
    /// Double opt-in: `pending` (waiting for the confirm link until
    /// `confirmBy`), `expired` (never confirmed), null (confirmed, or not asked).
    email_confirmation: Option<&'a str>,
    email_confirmed_at: Option<&'a str>,
    /// Until when the confirm link works; null unless it was asked to confirm.
    confirm_by: Option<&'a str>,
}

/// An entry; its email masked and its fraud score hidden unless the viewer
/// sees emails (private key).
pub fn entry(e: &EntryRow, sees_emails: bool) -> EntryView<'_> {
    EntryView {
        id: &e.id,
        contest_id: &e.contest_id,
        email: email_for(&e.email_display, sees_emails),
        name: e.name.as_deref(),
        referral_code: &e.referral_code,
        referred_by: e.referred_by_entry_id.as_deref(),
        referred_by_code: e.referred_by_code.as_deref(),
        total_points: e.total_points,
        pending_points: e.pending_points,
        referral_count: e.referral_count,
        status: if e.is_disqualified() { "disqualified" } else { "active" },
        disqualified: e.is_disqualified(),
        disqualified_reason: e.disqualified_reason.as_deref(),
        source: e.source,
        fraud_score: e.fraud_score.filter(|_| sees_emails),
        created_at: &e.created_at,
        updated_at: e.updated_at.as_deref(),
        email_confirmation: e.email_confirmation.as_deref(),
        email_confirmed_at: e.email_confirmed_at.as_deref(),
        confirm_by: e.confirm_by.as_deref().filter(|_| e.email_confirmation.is_some()),
    }
}

/// `POST .../entries`: the entry, whether it existed, what was confirmed now.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryCreated<'a> {
    #[serde(flatten)]
    pub entry: EntryView<'a>,
    pub already_exists: bool,
    pub points_awarded: PointsAwarded,
}

/// `GET /entries/:id`: the entry with its rank and reward balances (`null`
/// when the contest has no campaign participant for it).
#[derive(Serialize)]
pub struct EntryDetail<'a> {
    #[serde(flatten)]
    pub entry: EntryView<'a>,
    pub rank: Option<i64>,
    pub rewards: Option<RewardBalances>,
    /// The entry's prizes (not void); codes to a private key or its own token.
    pub prizes: Vec<super::prizes::EntryPrize<'a>>,
    /// The milestone it is closest to earning, or null.
    #[serde(rename = "nextMilestone")]
    pub next_milestone: Option<super::prizes::NextMilestone<'a>>,
    /// Its place in the final standings once the contest is finalized, or null.
    #[serde(rename = "finalStanding")]
    pub final_standing: Option<FinalStandingView>,
}

/// An entry's own line of the final standings (the widget shows it).
#[derive(Serialize)]
pub struct FinalStandingView {
    rank: i64,
    points: i64,
}

pub fn final_standing(s: &crate::db::record::FinalStanding) -> FinalStandingView {
    FinalStandingView { rank: s.rank, points: s.points }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RewardBalances {
    referral_earned: f64,
    referral_balance: f64,
    referee_earned: f64,
    referee_balance: f64,
}

pub fn reward_balances(p: &ParticipantRow) -> RewardBalances {
    RewardBalances {
        referral_earned: p.referral_earned,
        referral_balance: p.referral_earned - p.referral_redeemed,
        referee_earned: p.referee_earned,
        referee_balance: p.referee_earned - p.referee_redeemed,
    }
}

/// `POST /entries/:id/adjust-points`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Adjustment<'a> {
    pub entry_id: &'a str,
    pub ledger_id: i64,
    pub points_added: i64,
    pub already_applied: bool,
    pub reason: Option<&'a str>,
    pub new_total_points: i64,
}

/// One row of an entry's ledger.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerRow<'a> {
    id: i64,
    points: i64,
    reason: Reason,
    ref_id: &'a str,
    note: Option<&'a str>,
    status: AwardStatus,
    hold_reason: Option<Hold>,
    created_at: &'a str,
}

/// `GET /entries/:id/ledger`: one page of the entry's rows with its totals.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryLedger<'a> {
    entry_id: &'a str,
    total_points: i64,
    pending_points: i64,
    entries: Vec<LedgerRow<'a>>,
}

/// Why a row is held, as the viewer may see it: the fraud signal is for
/// private keys; anyone else (a public key, the participant) sees a fraud
/// hold as `review`, held for review, which it is.
fn hold_shown(hold: Option<Hold>, private: bool) -> Option<Hold> {
    match hold {
        Some(Hold::Fraud) if !private => Some(Hold::Review),
        other => other,
    }
}

pub fn ledger<'a>(e: &'a EntryRow, rows: &'a [AwardRow], private: bool) -> EntryLedger<'a> {
    EntryLedger {
        entry_id: &e.id,
        total_points: e.total_points,
        pending_points: e.pending_points,
        entries: rows
            .iter()
            .map(|r| LedgerRow {
                id: r.id,
                points: r.delta,
                reason: r.reason,
                ref_id: &r.ref_id,
                note: r.note.as_deref(),
                status: r.status,
                hold_reason: hold_shown(r.hold, private),
                created_at: &r.created_at,
            })
            .collect(),
    }
}

/// `POST /entries/:id/token`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantToken<'a> {
    pub entry_id: &'a str,
    pub token: String,
    pub expires_at: String,
}

/// `DELETE /entries/:id`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Erased<'a> {
    pub id: &'a str,
    pub erased: bool,
    pub already_erased: bool,
}
