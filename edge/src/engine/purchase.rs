//! Recording a purchase (tracker, webhook, Stripe, v1 API) once per (contest,
//! order id) with its award, and linking a Stripe invoice's payment to it.

use super::{ensure_contest_open, Committed, Source};
use crate::db::contests::ContestRow;
use crate::db::entries::{EntryRow, PurchaseReads};
use crate::db::ledger::{Award, Guard, Reason};
use crate::db::outbox::Event as OutboxEvent;
use crate::db::purchases::{NewPurchase, PurchaseRow};
use crate::db::{self, Batch};
use crate::domain::email::Email;
use crate::domain::ids::{ContestId, PurchaseId};
use crate::domain::money::rate_to;
use crate::domain::points::{purchase_award, purchase_recipient};
use crate::domain::referral;
use crate::domain::refunds::{points_left, StripeRefs};
use crate::domain::trust::purchase_hold;
use crate::domain::webhooks::EventType;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::{D1Database, D1PreparedStatement};

/// A validated purchase report, whatever surface it came from.
pub struct PurchaseReport {
    pub email: Email,
    pub order_id: String,
    pub amount: f64,
    pub currency: String,
    /// A referral code given with the purchase (tracker cookie, Stripe
    /// `client_reference_id`); otherwise the buyer's own referrer counts.
    pub referral_code: Option<String>,
    /// Stripe's ids (Checkout Sessions only), to match refunds and disputes later.
    pub stripe: StripeRefs,
}

pub struct Recorded {
    pub purchase: PurchaseRow,
    /// Points confirmed by this request (0 for a duplicate or a held award).
    pub points_awarded: i64,
    /// The order was recorded before (a trusted report that verified a
    /// browser's claim is not a duplicate).
    pub already_exists: bool,
}

impl Recorded {
    /// The entry a response names: the buyer's, else the one credited.
    pub fn entry_id(&self) -> Option<&str> {
        self.purchase.buyer_entry_id.as_deref().or(self.purchase.credited_entry_id.as_deref())
    }
}

/// Records a validated purchase in `contest`; the buyer is the entry of the
/// purchase's email unless the caller already knows it. Two round trips: what
/// it reads (one batch), then what it writes.
pub async fn record(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: &PurchaseReport,
    source: Source,
) -> ApiResult<Committed<Recorded>> {
    let reads = db::entries::purchase_reads(db, &contest.id, p.email.normalized(), p.referral_code.as_deref()).await?;
    record_with(db, contest, buyer, p, source, reads).await
}

/// `record` with what it reads already read (a handler that read the
/// contest in the same batch).
pub async fn record_with(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: &PurchaseReport,
    source: Source,
    mut reads: PurchaseReads,
) -> ApiResult<Committed<Recorded>> {
    let read_buyer = reads.buyer.take();
    let buyer = buyer.or(read_buyer.as_ref());
    let advocate = referral::purchase_advocate(
        contest.referral_enabled,
        reads.code_owner,
        p.email.normalized(),
        buyer.is_some_and(EntryRow::link_counts),
        reads.buyers_referrer,
    );
    record_purchase(db, contest, buyer, advocate, p, source).await
}

/// Stripe told which payment intent paid a subscription's invoice: the
/// purchase of that invoice keeps it (once), so its disputes, which name only
/// the payment intent, find it. Answers the purchase linked now, if any.
pub async fn link_invoice_payment(
    db: &D1Database,
    contest_id: &ContestId,
    invoice: &str,
    payment_intent: &str,
) -> ApiResult<Option<PurchaseId>> {
    Ok(db::purchases::link_payment_intent(db, contest_id, invoice, payment_intent).await?.map(|l| l.id))
}

/// A purchase's webhook event (`subject`: the purchase id), written if `guard` holds.
fn purchase_event(
    db: &D1Database,
    contest: &ContestRow,
    kind: EventType,
    subject: &str,
    now: &str,
    guard: Guard,
) -> ApiResult<D1PreparedStatement> {
    let event = OutboxEvent::new(&contest.account_id, kind, subject, now);
    Ok(db::outbox::record(db, &event, guard)?)
}

/// `purchase.verified` for the order's purchase, whose id a trusted report
/// learns only in the batch (it may verify a browser's row).
fn purchase_event_by_order(
    db: &D1Database,
    contest: &ContestRow,
    order_id: &str,
    now: &str,
    guard: Guard,
) -> ApiResult<D1PreparedStatement> {
    let event = OutboxEvent::new(&contest.account_id, EventType::PurchaseVerified, order_id, now);
    Ok(db::outbox::record_for_order(db, &event, &contest.id, guard)?)
}

fn purchase_missing() -> ApiError {
    ApiError::Internal("purchase missing after write".into())
}

/// Records a purchase once per (contest, order id) with its award. A browser's
/// report is an unverified claim whose award waits (unless the contest awards
/// browser purchases); a trusted report inserts a verified purchase or
/// verifies the claim with its own figures, in one batch.
async fn record_purchase(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    advocate: Option<EntryRow>,
    p: &PurchaseReport,
    source: Source,
) -> ApiResult<Committed<Recorded>> {
    ensure_contest_open(contest)?;
    let to = contest.purchase_points_to;
    let recipient = purchase_recipient(to, buyer.map(|b| &b.id), advocate.as_ref().map(|a| &a.id));
    let rate = rate_to(&contest.points_currency, &contest.rates(), &p.currency);
    let browser = contest.browser_purchases;
    let hold = purchase_hold(source.is_trusted(), browser, rate.is_some());
    let points = recipient.map_or(0, |_| {
        purchase_award(p.amount, rate, contest.purchase_points_per_unit, contest.max_points_per_purchase)
    });
    let recipient = recipient.filter(|_| points != 0);
    let id = PurchaseId::new(platform::new_id("pu"));
    let now = platform::now_iso();
    let order_id = p.order_id.as_str();
    let new = NewPurchase {
        id: &id,
        contest_id: &contest.id,
        order_id,
        buyer_email: p.email.normalized(),
        buyer_entry_id: buyer.map(|b| b.id.as_str()),
        credited_entry_id: recipient.map(|r| r.as_str()),
        amount: p.amount,
        currency: &p.currency,
        points_awarded: points,
        referral_code: advocate.as_ref().map(|a| a.referral_code.as_str()),
        source,
        stripe: &p.stripe,
        created_at: &now,
    };
    let award = recipient.map(|entry_id| Award {
        entry_id,
        contest_id: &contest.id,
        delta: points,
        reason: Reason::Purchase,
        ref_id: &id,
        note: Some(order_id),
        created_at: &now,
        hold,
        confirm_after: None,
    });
    let confirmed_points = if hold.is_none() { points } else { 0 };
    let mut batch = Batch::new();
    if !source.is_trusted() {
        batch.push(db::purchases::insert_unverified(db, &new)?);
        if let Some(award) = &award {
            batch.extend(db::ledger::award(db, award, Guard::PurchaseRecorded(&id))?);
        }
        let recorded = Guard::PurchaseRecorded(&id);
        batch.push(purchase_event(db, contest, EventType::PurchaseRecorded, &id, &now, recorded)?);
        let row = batch.push(db::purchases::select_by_order(db, &contest.id, order_id)?);
        // The events its triggers wrote (awards, prizes), sent with the rest.
        batch.push(db::outbox::triggered_events(db, &now)?);
        let results = batch.run(db).await?;
        let events = db::outbox::written_in(&results)?;
        let row: PurchaseRow = row.first(&results)?.ok_or_else(purchase_missing)?;
        let created = row.id == id;
        let recorded = Recorded {
            points_awarded: if created { confirmed_points } else { 0 },
            already_exists: !created,
            purchase: row,
        };
        return Ok(Committed::new(recorded, events));
    }
    let token = platform::new_id("vt");
    batch.push(db::purchases::upsert_verified(db, &new, &token)?);
    batch.push(db::ledger::reject_superseded_purchase_awards(db, &contest.id, order_id, &token, recipient, &now)?);
    if let Some(award) = &award {
        batch.push(db::ledger::award_verified_purchase(db, award, &contest.id, order_id, &token)?);
    }
    if let Some(buyer) = buyer {
        batch.push(db::ledger::confirm_on_purchase(db, &buyer.id, &contest.id, order_id, &token, &now)?);
        batch.push(db::ledger::recompute_referrer_of(db, &buyer.id, &now)?);
    }
    batch.push(db::ledger::recompute_for_order(db, &contest.id, order_id, &now)?);
    // A new order is recorded and verified at once; a browser's claim is verified.
    batch.push(purchase_event(db, contest, EventType::PurchaseRecorded, &id, &now, Guard::PurchaseRecorded(&id))?);
    let verified = Guard::PurchaseVerifiedBy(&token);
    batch.push(purchase_event_by_order(db, contest, order_id, &now, verified)?);
    let row = batch.push(db::purchases::select_by_order(db, &contest.id, order_id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let row: PurchaseRow = row.first(&results)?.ok_or_else(purchase_missing)?;
    let ours = row.verify_token.as_deref() == Some(token.as_str());
    // What was refunded before this verification stays taken back.
    let confirmed_points = points_left(confirmed_points, row.amount, row.refunded_amount);
    let recorded =
        Recorded { points_awarded: if ours { confirmed_points } else { 0 }, already_exists: !ours, purchase: row };
    Ok(Committed::new(recorded, events))
}
