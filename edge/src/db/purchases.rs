//! Purchases: unique per contest and order id. A browser's report is
//! `unverified`; a trusted report (API, webhook, Stripe) inserts or verifies it.

use super::DbResult;
use crate::domain::ids::{AccountId, ContestId, EntryId, PurchaseId};
use crate::domain::refunds::{StripeRefs, TakenBack};
use crate::domain::trust::{AwardStatus, Source};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub use crate::domain::trust::PurchaseStatus;

pub struct NewPurchase<'a> {
    pub id: &'a PurchaseId,
    pub contest_id: &'a ContestId,
    pub order_id: &'a str,
    pub buyer_email: &'a str,
    pub buyer_entry_id: Option<&'a str>,
    pub credited_entry_id: Option<&'a str>,
    pub amount: f64,
    pub currency: &'a str,
    pub points_awarded: i64,
    pub referral_code: Option<&'a str>,
    pub source: Source,
    /// Stripe's ids (Checkout Sessions only), to match refunds and disputes later.
    pub stripe: &'a StripeRefs,
    pub created_at: &'a str,
}

/// A purchase with the status of its award (to its credited entry).
#[derive(Debug, Deserialize)]
pub struct PurchaseRow {
    pub id: PurchaseId,
    pub contest_id: ContestId,
    pub order_id: String,
    pub buyer_email: String,
    pub buyer_entry_id: Option<EntryId>,
    pub credited_entry_id: Option<EntryId>,
    pub amount: f64,
    pub currency: String,
    pub points_awarded: i64,
    pub referral_code: Option<String>,
    pub source: Source,
    pub status: PurchaseStatus,
    /// Taken back in all: `MIN(amount, refunds_total + disputed_amount)`.
    pub refunded_amount: f64,
    pub refunds_total: f64,
    pub disputed_amount: f64,
    pub payment_intent: Option<String>,
    pub verify_token: Option<String>,
    pub verified_at: Option<String>,
    pub created_at: String,
    pub award_status: Option<AwardStatus>,
}

const SELECT: &str = "SELECT p.id, p.contest_id, p.order_id, p.buyer_email, p.buyer_entry_id, p.credited_entry_id,
  p.amount, p.currency, p.points_awarded, p.referral_code, p.source, p.status, p.refunded_amount, p.refunds_total,
  p.disputed_amount, p.payment_intent,
  p.verify_token, p.verified_at, p.created_at,
  (SELECT l.status FROM ledger l WHERE l.reason = 'purchase' AND l.ref_id = p.id AND l.entry_id = p.credited_entry_id)
    AS award_status
  FROM purchases p ";

fn select(rest: &str) -> String {
    [SELECT, rest].concat()
}

/// A browser's report: inserts an unverified purchase unless the order id was
/// already recorded in this contest (by anyone).
pub fn insert_unverified(db: &D1Database, p: &NewPurchase) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO purchases (id, contest_id, order_id, buyer_email, buyer_entry_id, credited_entry_id, amount,
           currency, points_awarded, referral_code, source, created_at, status, payment_intent)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'unverified', ?13)
         ON CONFLICT (contest_id, order_id) DO NOTHING",
        p.id,
        p.contest_id,
        p.order_id,
        p.buyer_email,
        p.buyer_entry_id,
        p.credited_entry_id,
        p.amount,
        p.currency,
        p.points_awarded,
        p.referral_code,
        p.source.as_str(),
        p.created_at,
        p.stripe.payment_intent.as_deref()
    )?)
}

/// A trusted report: inserts a verified purchase, or verifies an unverified one
/// with the trusted figures (amount, buyer, code). A purchase verified before
/// is left alone. `token` marks the row this batch inserted or verified. What
/// was refunded before verification stays taken back, from the trusted amount.
pub fn upsert_verified(db: &D1Database, p: &NewPurchase, token: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO purchases (id, contest_id, order_id, buyer_email, buyer_entry_id, credited_entry_id, amount,
           currency, points_awarded, referral_code, source, created_at, status, payment_intent, verified_at, verify_token,
           stripe_invoice, stripe_subscription, stripe_customer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'verified', ?13, ?12, ?14, ?15, ?16, ?17)
         ON CONFLICT (contest_id, order_id) DO UPDATE SET
           buyer_email = excluded.buyer_email, buyer_entry_id = excluded.buyer_entry_id,
           credited_entry_id = excluded.credited_entry_id, amount = excluded.amount, currency = excluded.currency,
           points_awarded = excluded.points_awarded, referral_code = excluded.referral_code, source = excluded.source,
           status = CASE WHEN ROUND(purchases.refunds_total + purchases.disputed_amount, 6) >= excluded.amount - 0.000001
             THEN 'refunded' ELSE 'verified' END,
           refunded_amount = MIN(excluded.amount, ROUND(purchases.refunds_total + purchases.disputed_amount, 6)),
           payment_intent = COALESCE(excluded.payment_intent, purchases.payment_intent),
           stripe_invoice = COALESCE(excluded.stripe_invoice, purchases.stripe_invoice),
           stripe_subscription = COALESCE(excluded.stripe_subscription, purchases.stripe_subscription),
           stripe_customer = COALESCE(excluded.stripe_customer, purchases.stripe_customer),
           verified_at = excluded.verified_at, verify_token = excluded.verify_token
         WHERE purchases.status = 'unverified'",
        p.id,
        p.contest_id,
        p.order_id,
        p.buyer_email,
        p.buyer_entry_id,
        p.credited_entry_id,
        p.amount,
        p.currency,
        p.points_awarded,
        p.referral_code,
        p.source.as_str(),
        p.created_at,
        p.stripe.payment_intent.as_deref(),
        token,
        p.stripe.invoice.as_deref(),
        p.stripe.subscription.as_deref(),
        p.stripe.customer.as_deref()
    )?)
}

pub(super) fn by_order_sql() -> String {
    select("WHERE p.contest_id = ?1 AND p.order_id = ?2")
}

pub fn select_by_order(db: &D1Database, contest_id: &ContestId, order_id: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_order_sql(), contest_id, order_id)?)
}

pub(super) fn by_id_sql() -> String {
    select("WHERE p.id = ?1")
}

pub fn select_by_id(db: &D1Database, id: &PurchaseId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_id_sql(), id)?)
}

pub(super) fn owned_sql() -> String {
    select("JOIN contests c ON c.id = p.contest_id WHERE p.id = ?1 AND c.account_id = ?2")
}

/// A purchase of a contest the account owns.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &PurchaseId) -> DbResult<Option<PurchaseRow>> {
    super::first(query!(db, &owned_sql(), id, account_id)?).await
}

pub(super) fn by_payment_intent_sql() -> String {
    select("WHERE p.contest_id = ?1 AND p.payment_intent = ?2")
}

/// The purchase a Stripe payment intent paid for.
pub async fn find_by_payment_intent(
    db: &D1Database,
    contest_id: &ContestId,
    payment_intent: &str,
) -> DbResult<Option<PurchaseRow>> {
    super::first(query!(db, &by_payment_intent_sql(), contest_id, payment_intent)?).await
}

pub(super) fn by_invoice_sql() -> String {
    select("WHERE p.contest_id = ?1 AND p.stripe_invoice = ?2")
}

/// The purchase whose Checkout Session's invoice this is (a subscription's).
pub async fn find_by_invoice(db: &D1Database, contest_id: &ContestId, invoice: &str) -> DbResult<Option<PurchaseRow>> {
    super::first(query!(db, &by_invoice_sql(), contest_id, invoice)?).await
}

#[derive(Deserialize)]
pub struct Linked {
    pub id: PurchaseId,
}

/// Stores the payment intent that paid a subscription's invoice on the purchase
/// of that invoice, once (a purchase that has one keeps it): its disputes name
/// only the payment intent. Answers the purchase linked now.
pub async fn link_payment_intent(
    db: &D1Database,
    contest_id: &ContestId,
    invoice: &str,
    payment_intent: &str,
) -> DbResult<Option<Linked>> {
    super::first(query!(db, LINK_PAYMENT_INTENT, contest_id, invoice, payment_intent)?).await
}

pub(super) const LINK_PAYMENT_INTENT: &str = "UPDATE purchases SET payment_intent = ?3
 WHERE contest_id = ?1 AND stripe_invoice = ?2 AND payment_intent IS NULL
   AND NOT EXISTS (SELECT 1 FROM purchases WHERE contest_id = ?1 AND payment_intent = ?3)
 RETURNING id";

pub(super) fn page_sql() -> String {
    select("WHERE p.contest_id = ?1 ORDER BY p.created_at DESC, p.id DESC LIMIT ?2 OFFSET ?3")
}

pub(super) const COUNT_IN_CONTEST: &str = "SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?1";

pub(super) fn page_of_status_sql() -> String {
    select("WHERE p.contest_id = ?1 AND p.status = ?2 ORDER BY p.created_at DESC, p.id DESC LIMIT ?3 OFFSET ?4")
}

pub(super) const COUNT_OF_STATUS: &str = "SELECT COUNT(*) AS n FROM purchases WHERE contest_id = ?1 AND status = ?2";

/// A contest's purchases, newest first, optionally of one status; one page.
pub async fn list(
    db: &D1Database,
    contest_id: &ContestId,
    status: Option<PurchaseStatus>,
    page: PageRequest,
) -> DbResult<(Vec<PurchaseRow>, u64)> {
    let status = status.map(PurchaseStatus::as_str);
    let (rows, count) = match status {
        None => {
            (query!(db, &page_sql(), contest_id, page.limit, page.offset())?, query!(db, COUNT_IN_CONTEST, contest_id)?)
        }
        Some(s) => (
            query!(db, &page_of_status_sql(), contest_id, s, page.limit, page.offset())?,
            query!(db, COUNT_OF_STATUS, contest_id, s)?,
        ),
    };
    super::page::read(db, rows, count).await
}

pub(super) const SET_TAKEN_BACK: &str = "UPDATE purchases SET refunds_total = ?3, disputed_amount = ?4,
           refunded_amount = MIN(amount, ROUND(?3 + ?4, 6)),
           status = CASE WHEN ROUND(?3 + ?4, 6) >= amount - 0.000001 THEN 'refunded'
             WHEN status = 'refunded' THEN CASE WHEN verified_at IS NULL THEN 'unverified' ELSE 'verified' END
             ELSE status END
         WHERE id = ?1 AND EXISTS (SELECT 1 FROM refunds WHERE id = ?2)";

/// Sets what was taken back from the purchase (its parts and their capped sum),
/// if this batch recorded the refund `refund_id`: a purchase taken back in full
/// becomes `refunded`, and one a won dispute gave something back to is
/// `verified` (or `unverified`) again.
pub fn set_taken_back(
    db: &D1Database,
    purchase_id: &PurchaseId,
    refund_id: &str,
    after: TakenBack,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, SET_TAKEN_BACK, purchase_id, refund_id, after.refunds, after.disputed)?)
}

pub(super) fn export_page_sql() -> String {
    select("WHERE p.contest_id = ?1 AND (p.created_at, p.id) > (?2, ?3) ORDER BY p.created_at, p.id LIMIT ?4")
}

/// The next `limit` purchases of a contest after (`created_at`, `id`), oldest first.
pub async fn export_page(
    db: &D1Database,
    contest_id: &ContestId,
    after: (&str, &str),
    limit: u32,
) -> DbResult<Vec<PurchaseRow>> {
    super::all(query!(db, &export_page_sql(), contest_id, after.0, after.1, limit)?).await
}
