//! An award (a ledger row) as the owner's review queue shows it.

use crate::db::ledger::{AwardRow, Reason, ReviewRow};
use crate::domain::fraud::{self, Signal};
use crate::domain::trust::{AwardStatus, Counted, Hold, PurchaseStatus, Source};
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

/// Another participant named by an award: the friend of an advocate's
/// referral award, the advocate of a friend's.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Party<'a> {
    entry_id: &'a str,
    name: Option<&'a str>,
    email: &'a str,
}

/// The purchase of a purchase award: who bought, what and how it was reported.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseOf<'a> {
    order_id: &'a str,
    buyer_email: &'a str,
    amount: f64,
    currency: &'a str,
    status: PurchaseStatus,
    source: Source,
}

/// An award of the review list (the owner's): the award and, when asked
/// (`detail=true`), what its cause says, each only where it applies.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView<'a> {
    #[serde(flatten)]
    award: AwardView<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    friend: Option<Party<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    advocate: Option<Party<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    purchase: Option<PurchaseOf<'a>>,
    /// A fraud hold's signals, as they read now (an erased entry's are gone).
    #[serde(skip_serializing_if = "Option::is_none")]
    fraud_signals: Option<Vec<Signal>>,
}

/// An award of the list; with `detail`, what its cause says too.
pub fn review(r: &ReviewRow, detail: bool) -> ReviewView<'_> {
    let a = &r.award;
    if !detail {
        return ReviewView { award: award(a), friend: None, advocate: None, purchase: None, fraud_signals: None };
    }
    let other = r.other_id.as_ref().map(|id| Party {
        entry_id: id.as_str(),
        name: r.other_name.as_deref(),
        email: r.other_email.as_deref().unwrap_or_default(),
    });
    let (friend, advocate) = match a.reason {
        Reason::ReferralAdvocate => (other, None),
        Reason::ReferralFriend => (None, other),
        _ => (None, None),
    };
    let purchase = match (&r.order_id, &r.buyer_email, r.amount, &r.currency, r.purchase_status, r.purchase_source) {
        (Some(order_id), Some(buyer_email), Some(amount), Some(currency), Some(status), Some(source)) => {
            Some(PurchaseOf { order_id, buyer_email, amount, currency, status, source })
        }
        _ => None,
    };
    ReviewView {
        award: award(a),
        friend,
        advocate,
        purchase,
        fraud_signals: (a.hold == Some(Hold::Fraud)).then(|| fraud_signals(r)),
    }
}

/// The signals of the friend's signup: the friend is the other entry of an
/// advocate's award and the award's own entry of a friend's.
fn fraud_signals(r: &ReviewRow) -> Vec<Signal> {
    let own = (Some(r.own_key.as_str()), r.own_counts);
    let other = (r.other_key.as_deref(), r.other_counts);
    let ((friend, counts), (advocate, _)) =
        if r.award.reason == Reason::ReferralAdvocate { (other, own) } else { (own, other) };
    let Some(email) = friend.filter(|e| !e.starts_with("erased:")) else { return Vec::new() };
    let busy_address =
        counts.and_then(|k| usize::try_from(k).ok()).and_then(|k| Counted::ALL.get(k)).is_some_and(|c| c.busy_address);
    fraud::signals(&fraud::Signals {
        email,
        advocate_email: advocate.filter(|e| !e.starts_with("erased:")),
        busy_address,
    })
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
