//! A purchase, and what recording or refunding one answers.

use crate::db::purchases::PurchaseRow;
use crate::domain::trust::{AwardStatus, PurchaseStatus, RefundKind, Source};
use crate::engine::purchase::Recorded;
use crate::engine::refund::Refunded;
use serde::Serialize;

/// The state of a purchase's award as clients see it: `none` when it credits nobody.
fn award_status(p: &PurchaseRow) -> &'static str {
    p.award_status.map_or("none", AwardStatus::as_str)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseView<'a> {
    id: &'a str,
    contest_id: &'a str,
    order_id: &'a str,
    email: &'a str,
    entry_id: Option<&'a str>,
    credited_entry_id: Option<&'a str>,
    amount: f64,
    currency: &'a str,
    refunded_amount: f64,
    points_awarded: i64,
    award_status: &'static str,
    referral_code: Option<&'a str>,
    source: Source,
    status: PurchaseStatus,
    verified_at: Option<&'a str>,
    created_at: &'a str,
}

pub fn purchase(p: &PurchaseRow) -> PurchaseView<'_> {
    PurchaseView {
        id: &p.id,
        contest_id: &p.contest_id,
        order_id: &p.order_id,
        email: &p.buyer_email,
        entry_id: p.buyer_entry_id.as_deref(),
        credited_entry_id: p.credited_entry_id.as_deref(),
        amount: p.amount,
        currency: &p.currency,
        refunded_amount: p.refunded_amount,
        points_awarded: p.points_awarded,
        award_status: award_status(p),
        referral_code: p.referral_code.as_deref(),
        source: p.source,
        status: p.status,
        verified_at: p.verified_at.as_deref(),
        created_at: &p.created_at,
    }
}

/// A recorded purchase as every purchase endpoint answers it: the seed's
/// fields; `status` is the state of its award (`confirmed`, `pending`,
/// `rejected`, or `none` when it credits nobody) and `purchaseStatus` the
/// purchase's (`unverified`, `verified`, `refunded`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseRecorded<'a> {
    purchase_id: &'a str,
    entry_id: Option<&'a str>,
    credited_entry_id: Option<&'a str>,
    points_awarded: i64,
    already_exists: bool,
    status: &'static str,
    purchase_status: PurchaseStatus,
    message: &'static str,
}

pub fn recorded(r: &Recorded) -> PurchaseRecorded<'_> {
    PurchaseRecorded {
        purchase_id: &r.purchase.id,
        entry_id: r.entry_id(),
        credited_entry_id: r.purchase.credited_entry_id.as_deref(),
        points_awarded: r.points_awarded,
        already_exists: r.already_exists,
        status: award_status(&r.purchase),
        purchase_status: r.purchase.status,
        message: if r.already_exists { "Purchase already recorded" } else { "Purchase recorded successfully" },
    }
}

/// `POST /purchases/:id/refund`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundResult<'a> {
    refund_id: &'a str,
    amount: f64,
    points_reversed: i64,
    already_applied: bool,
    purchase: PurchaseView<'a>,
}

pub fn refunded(r: &Refunded) -> RefundResult<'_> {
    RefundResult {
        refund_id: &r.refund.id,
        amount: r.refund.amount,
        points_reversed: if r.applied { r.refund.points } else { 0 },
        already_applied: !r.applied,
        purchase: purchase(&r.purchase),
    }
}

/// What the Stripe webhook answers Stripe (logged in its dashboard).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StripeReceived<'a> {
    received: bool,
    purchase_id: &'a str,
    entry_id: Option<&'a str>,
    credited_entry_id: Option<&'a str>,
    points_awarded: i64,
    already_exists: bool,
    status: &'static str,
}

pub fn stripe_recorded(r: &Recorded) -> StripeReceived<'_> {
    StripeReceived {
        received: true,
        purchase_id: &r.purchase.id,
        entry_id: r.entry_id(),
        credited_entry_id: r.purchase.credited_entry_id.as_deref(),
        points_awarded: r.points_awarded,
        already_exists: r.already_exists,
        status: award_status(&r.purchase),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StripeRefundReceived<'a> {
    received: bool,
    purchase_id: &'a str,
    refund_id: &'a str,
    points_reversed: i64,
    /// A won dispute (`charge.dispute.closed`): the points it gave back.
    #[serde(skip_serializing_if = "Option::is_none")]
    points_reinstated: Option<i64>,
    already_applied: bool,
    purchase_status: PurchaseStatus,
}

pub fn stripe_refunded(r: &Refunded) -> StripeRefundReceived<'_> {
    let points = if r.applied { r.refund.points } else { 0 };
    let won = r.refund.kind == RefundKind::DisputeWon;
    StripeRefundReceived {
        received: true,
        purchase_id: &r.purchase.id,
        refund_id: &r.refund.id,
        points_reversed: if won { 0 } else { points },
        points_reinstated: won.then_some(points),
        already_applied: !r.applied,
        purchase_status: r.purchase.status,
    }
}

/// A subscription invoice's payment intent stored with its purchase.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StripeLinked<'a> {
    received: bool,
    purchase_id: &'a str,
    linked: bool,
}

impl<'a> StripeLinked<'a> {
    pub fn new(purchase_id: &'a str) -> Self {
        Self { received: true, purchase_id, linked: true }
    }
}

/// A Stripe event received and deliberately ignored, with why.
#[derive(Serialize)]
pub struct StripeIgnored<'a> {
    pub received: bool,
    pub ignored: bool,
    pub reason: &'a str,
}
