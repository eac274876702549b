//! An award (a ledger row) as the owner's review queue shows it.

use crate::db::ledger::{AwardRow, Reason};
use crate::domain::trust::{AwardStatus, Hold};
use serde::Serialize;

/// What caused an award, by reason: the entry referred or referring, the
/// purchase, the bonus action, the refund, or the owner's adjustment key.
#[derive(Serialize)]
pub struct Cause<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AwardView<'a> {
    id: i64,
    entry_id: &'a str,
    email: &'a str,
    contest_id: &'a str,
    points: i64,
    reason: Reason,
    cause: Cause<'a>,
    note: Option<&'a str>,
    status: AwardStatus,
    hold_reason: Option<Hold>,
    confirm_after: Option<&'a str>,
    reviewed_at: Option<&'a str>,
    created_at: &'a str,
}

pub fn award(a: &AwardRow) -> AwardView<'_> {
    let kind = match a.reason {
        Reason::ReferralAdvocate => "referredEntry",
        Reason::ReferralFriend => "advocateEntry",
        Reason::Purchase => "purchase",
        Reason::PurchaseRefund => "refund",
        Reason::BonusAction => "bonusAction",
        Reason::Adjustment => "adjustment",
    };
    AwardView {
        id: a.id,
        entry_id: &a.entry_id,
        email: &a.email_display,
        contest_id: &a.contest_id,
        points: a.delta,
        reason: a.reason,
        cause: Cause { kind, id: &a.ref_id },
        note: a.note.as_deref(),
        status: a.status,
        hold_reason: a.hold,
        confirm_after: a.confirm_after.as_deref(),
        reviewed_at: a.reviewed_at.as_deref(),
        created_at: &a.created_at,
    }
}

/// `POST /awards/:id/confirm|reject`: the award after, and whether this call changed it.
#[derive(Serialize)]
pub struct Reviewed<'a> {
    #[serde(flatten)]
    pub award: AwardView<'a>,
    pub changed: bool,
}

/// `POST /contests/:id/awards/review`.
#[derive(Serialize)]
pub struct BulkReviewed {
    pub requested: usize,
    pub changed: u64,
}
