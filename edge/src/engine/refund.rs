//! Refunds, disputes and won disputes of a purchase (the owner's API, Stripe):
//! what was taken back is tracked by part and the purchase's award follows it
//! (`domain::refunds`).

use super::{Committed, RefundAmount, Source};
use crate::db::ledger::{Award, AwardRow, Guard, Reason};
use crate::db::outbox::Event as OutboxEvent;
use crate::db::purchases::PurchaseRow;
use crate::db::refunds::{NewRefund, RefundRow};
use crate::db::{self, Batch};
use crate::domain::ids::{AccountId, PurchaseId};
use crate::domain::refunds::{self, award_change, AwardChange, Plan, TakenBack};
use crate::domain::trust::RefundKind;
use crate::domain::webhooks::EventType;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// A refund or dispute to apply to a purchase.
pub struct RefundRequest<'a> {
    /// Its identity: replaying the same key applies nothing twice.
    pub key: &'a str,
    pub kind: RefundKind,
    pub amount: RefundAmount,
    pub source: Source,
}

pub struct Refunded {
    pub refund: RefundRow,
    pub purchase: PurchaseRow,
    /// False when this key was applied before.
    pub applied: bool,
}

/// Applies a refund, a dispute or a won dispute once per key. What was taken
/// back is tracked by part (refunds, disputes; never more than the amount) and
/// the award follows it (`refunds::award_change`): a confirmed award by a
/// `purchase_refund` row of the award's share of the change, a pending award
/// repriced instead (rejected when nothing remains). `None` when there is
/// nothing to do (`ToTotal`, `UpTo`, `GiveBack`); the owner's refunds answer 409.
pub async fn refund_purchase(
    db: &D1Database,
    account_id: &AccountId,
    purchase_id: &PurchaseId,
    req: RefundRequest<'_>,
) -> ApiResult<Committed<Option<Refunded>>> {
    for _ in 0..3 {
        match try_refund(db, account_id, purchase_id, &req).await? {
            Attempt::Done(r) => return Ok(r.map(|r| Some(*r))),
            Attempt::Nothing => return Ok(Committed::without_events(None)),
            Attempt::Raced => continue,
        }
    }
    Err(ApiError::conflict("The purchase changed while the refund was applied; try again"))
}

/// Stripe's `charge.dispute.closed` won: gives back what the dispute `dispute_id`
/// took, once (key `<dispute_id>:won`). `None` when that dispute was never recorded
/// against the purchase or gives nothing back.
pub async fn dispute_won(
    db: &D1Database,
    account_id: &AccountId,
    purchase_id: &PurchaseId,
    dispute_id: &str,
    source: Source,
) -> ApiResult<Committed<Option<Refunded>>> {
    let Some(dispute) = db::first::<RefundRow>(db::refunds::select_by_key(db, purchase_id, dispute_id)?).await? else {
        return Ok(Committed::without_events(None));
    };
    if dispute.kind != RefundKind::Dispute {
        return Ok(Committed::without_events(None));
    }
    let key = [dispute_id, ":won"].concat();
    let req = RefundRequest {
        key: &key,
        kind: RefundKind::DisputeWon,
        amount: RefundAmount::GiveBack(dispute.amount),
        source,
    };
    refund_purchase(db, account_id, purchase_id, req).await
}

enum Attempt {
    Done(Committed<Box<Refunded>>),
    Nothing,
    /// A concurrent refund moved the refunded total first: read again.
    Raced,
}

async fn try_refund(
    db: &D1Database,
    account_id: &AccountId,
    purchase_id: &PurchaseId,
    req: &RefundRequest<'_>,
) -> ApiResult<Attempt> {
    let purchase: PurchaseRow = db::first(db::purchases::select_by_id(db, purchase_id)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Purchase not found"))?;
    if let Some(existing) = db::first::<RefundRow>(db::refunds::select_by_key(db, purchase_id, req.key)?).await? {
        let refunded = Refunded { refund: existing, purchase, applied: false };
        return Ok(Attempt::Done(Committed::without_events(Box::new(refunded))));
    }
    let before = TakenBack { refunds: purchase.refunds_total, disputed: purchase.disputed_amount };
    let (part, after) = match refunds::plan(purchase.amount, before, req.amount) {
        Plan::Apply { part, after } => (part, after),
        Plan::Nothing => return Ok(Attempt::Nothing),
        Plan::FullyRefunded => return Err(ApiError::conflict("Purchase is already fully refunded")),
        Plan::OverRemaining => return Err(ApiError::conflict("amount exceeds what remains refundable")),
    };
    let (taken_before, taken_after) = (before.total(purchase.amount), after.total(purchase.amount));
    let award: Option<AwardRow> = db::ledger::live_purchase_award(db, &purchase.id).await?;
    let rid = platform::new_id("rf");
    let now = platform::now_iso();
    // The award's share is of its full points (`points_awarded`): an award confirmed
    // after a refund already holds only what remained then.
    let status = award.as_ref().map(|a| a.status);
    let change = award_change(purchase.points_awarded, purchase.amount, taken_before, taken_after, status);
    let mut batch = Batch::new();
    batch.push(db::refunds::insert(
        db,
        &NewRefund {
            id: &rid,
            contest_id: &purchase.contest_id,
            purchase_id: &purchase.id,
            refund_key: req.key,
            kind: req.kind,
            amount: part,
            points: change.recorded_points(),
            source: req.source,
            created_at: &now,
        },
        &db::refunds::Seen {
            amount: purchase.amount,
            points_awarded: purchase.points_awarded,
            refunds_total: purchase.refunds_total,
            disputed_amount: purchase.disputed_amount,
            status: purchase.status,
        },
    )?);
    batch.push(db::purchases::set_taken_back(db, &purchase.id, &rid, after)?);
    match (&award, change) {
        (Some(a), AwardChange::Confirmed { taken, given }) if taken != given => {
            let change = Award {
                entry_id: &a.entry_id,
                contest_id: &purchase.contest_id,
                delta: given - taken,
                reason: Reason::PurchaseRefund,
                ref_id: &rid,
                note: Some(&purchase.order_id),
                created_at: &now,
                hold: None,
                confirm_after: None,
            };
            batch.extend(db::ledger::award(db, &change, Guard::RefundRecorded(&rid))?);
        }
        (Some(a), AwardChange::Pending { left }) => {
            batch.push(db::ledger::reprice_pending(db, a.id, left, &rid, &now)?);
            batch.push(db::ledger::recompute_total(db, &a.entry_id, &now)?);
        }
        _ => {}
    }
    // A won dispute is told by its award's change (`award.created`), not as a refund.
    if req.kind != RefundKind::DisputeWon {
        let event = OutboxEvent::new(account_id, EventType::PurchaseRefunded, &purchase.id, &now);
        batch.push(db::outbox::record(db, &event, Guard::RefundRecorded(&rid))?);
    }
    let refund = batch.push(db::refunds::select_by_key(db, &purchase.id, req.key)?);
    let after = batch.push(db::purchases::select_by_id(db, &purchase.id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let purchase: PurchaseRow =
        after.first(&results)?.ok_or_else(|| ApiError::Internal("purchase missing after write".into()))?;
    let Some(refund) = refund.first::<RefundRow>(&results)? else {
        return Ok(Attempt::Raced);
    };
    let applied = refund.id == rid;
    Ok(Attempt::Done(Committed::new(Box::new(Refunded { refund, purchase, applied }), events)))
}
