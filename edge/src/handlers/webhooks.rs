//! Inbound webhooks: signups and purchases from the owner's systems (shared
//! secret), and Stripe's `checkout.session.completed` (signed).

use crate::ctx::Ctx;
use crate::db::contests::ContestRow;
use crate::db::entries::PurchaseReads;
use crate::db::purchases::PurchaseRow;
use crate::domain::email::Email;
use crate::domain::money::{from_minor_units, parse_currency};
use crate::domain::refunds::StripeRefs;
use crate::domain::signature::{constant_time_eq, verify_stripe_signature, SignatureError, STRIPE_TOLERANCE_SECS};
use crate::domain::trust::RefundKind;
use crate::engine::purchase::PurchaseReport;
use crate::engine::refund::{self, RefundRequest, Refunded};
use crate::engine::{self, join, Committed, RefundAmount, Source};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Amount};
use crate::requests::{PurchaseBody, SignupBody};
use crate::{db, http, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

async fn webhook_contest(ctx: &Ctx) -> ApiResult<ContestRow> {
    db::contests::find(&ctx.db, &ctx.contest_id()?).await?.ok_or_else(|| ApiError::not_found("Contest not found"))
}

/// The contest's webhook secret, from the `x-webhook-secret` header or the
/// body's `secret`.
fn check_secret(contest: &ContestRow, req: &Request, body_secret: Option<&str>) -> ApiResult<()> {
    let header = req.headers().get("x-webhook-secret").ok().flatten();
    let given = header.as_deref().or(body_secret).map(str::trim).unwrap_or_default();
    match contest.webhook_secret.as_deref() {
        Some(expected) if !given.is_empty() && constant_time_eq(expected.as_bytes(), given.as_bytes()) => Ok(()),
        _ => Err(ApiError::WebhookUnauthorized("Invalid webhook secret")),
    }
}

#[derive(Deserialize)]
struct WithSecret<T> {
    secret: Option<String>,
    #[serde(flatten)]
    body: T,
}

/// `POST /api/webhooks/signup/:contestId` `{email, name?, referralCode?, secret?}`.
pub async fn signup(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = webhook_contest(ctx).await?;
    let bytes = http::read_body(req).await?;
    let parsed: WithSecret<SignupBody> = http::parse_json(&bytes)?;
    check_secret(&contest, req, parsed.secret.as_deref())?;
    let valid = parsed.body.validate(false)?;
    let joined = ctx.commit(join::signup(&ctx.db, &contest, &valid, Source::Webhook, None).await?).await;
    http::data(200, views::referral::signup(&joined))
}

/// `POST /api/webhooks/purchase/:contestId` `{email, orderId, amount, currency?, referralCode?, secret?}`.
pub async fn purchase(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = webhook_contest(ctx).await?;
    let bytes = http::read_body(req).await?;
    let parsed: WithSecret<PurchaseBody> = http::parse_json(&bytes)?;
    check_secret(&contest, req, parsed.secret.as_deref())?;
    let valid = parsed.body.validate()?;
    let recorded = ctx.commit(engine::purchase::record(&ctx.db, &contest, None, &valid, Source::Webhook).await?).await;
    http::data(200, views::purchases::recorded(&recorded))
}

#[derive(Deserialize)]
struct StripeEvent<T> {
    #[serde(rename = "type")]
    kind: String,
    data: StripeEventData<T>,
}

#[derive(Deserialize)]
struct StripeEventData<T> {
    object: T,
}

#[derive(Deserialize)]
struct CheckoutSession {
    id: String,
    client_reference_id: Option<String>,
    customer_details: Option<CustomerDetails>,
    customer_email: Option<String>,
    amount_total: Option<i64>,
    currency: Option<String>,
    payment_status: Option<String>,
    /// Payment mode; null for a subscription, whose invoice is named instead.
    #[serde(default, deserialize_with = "stripe_id")]
    payment_intent: Option<String>,
    #[serde(default, deserialize_with = "stripe_id")]
    invoice: Option<String>,
    #[serde(default, deserialize_with = "stripe_id")]
    subscription: Option<String>,
    #[serde(default, deserialize_with = "stripe_id")]
    customer: Option<String>,
}

/// A Stripe reference: its id, or the `id` of the object when expanded; blank is none.
fn stripe_id<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let id = value.as_str().or_else(|| value["id"].as_str()).filter(|s| !s.is_empty());
    Ok(id.map(str::to_string))
}

#[derive(Deserialize)]
struct CustomerDetails {
    email: Option<String>,
}

/// `charge.refunded`: `amount_refunded` is the charge's refunded total so far
/// (refunds only, not disputes). A subscription invoice's charge names its
/// invoice (API versions before 2025-03-31).
#[derive(Deserialize)]
struct Charge {
    id: String,
    #[serde(default, deserialize_with = "stripe_id")]
    payment_intent: Option<String>,
    #[serde(default, deserialize_with = "stripe_id")]
    invoice: Option<String>,
    amount_refunded: i64,
    currency: Option<String>,
}

/// `charge.dispute.created` and `charge.dispute.closed` (`status`: `won`,
/// `warning_closed`, `lost`).
#[derive(Deserialize)]
struct Dispute {
    id: String,
    #[serde(default, deserialize_with = "stripe_id")]
    payment_intent: Option<String>,
    amount: i64,
    currency: Option<String>,
    status: Option<String>,
}

/// `invoice.paid` / `invoice.payment_succeeded` (API versions before
/// 2025-03-31 name the invoice's payment intent).
#[derive(Deserialize)]
struct Invoice {
    id: String,
    #[serde(default, deserialize_with = "stripe_id")]
    payment_intent: Option<String>,
}

/// `invoice_payment.paid` (later API versions): an invoice and the payment that paid it.
#[derive(Deserialize)]
struct InvoicePayment {
    #[serde(default, deserialize_with = "stripe_id")]
    invoice: Option<String>,
    payment: Option<InvoicePaymentPayment>,
}

#[derive(Deserialize)]
struct InvoicePaymentPayment {
    #[serde(default, deserialize_with = "stripe_id")]
    payment_intent: Option<String>,
}

fn ignored(reason: &str) -> ApiResult<Response> {
    Ok(http::json_response(200, &views::purchases::StripeIgnored { received: true, ignored: true, reason }))
}

/// `POST /api/webhooks/stripe/:contestId`: verifies `Stripe-Signature` with the
/// contest's Stripe signing secret, then: a completed, paid Checkout Session is
/// a verified purchase (`checkout.session.completed`,
/// `checkout.session.async_payment_succeeded`); `charge.refunded` and
/// `charge.dispute.created` reverse its award and `charge.dispute.closed` won
/// gives the disputed part back (matched by payment intent, then by invoice).
/// Every event is idempotent, so Stripe's retries change nothing twice.
pub async fn stripe(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body = http::read_body(req).await?;
    // A Checkout Session's purchase reads the contest, the buyer and the code's
    // owner: read together in one round trip. Nothing the body says is trusted
    // before its signature is checked; it only chooses what to read.
    let parsed: ApiResult<serde_json::Value> = http::parse_json(&body);
    let kind = parsed.as_ref().ok().and_then(|v| v["type"].as_str()).unwrap_or_default().to_string();
    let checkout = is_checkout(&kind).then(|| http::parse_json::<StripeEvent<CheckoutSession>>(&body));
    let (contest, reads) = match &checkout {
        Some(Ok(event)) => {
            let email = session_email(&event.data.object).map(|e| e.normalized().to_string()).unwrap_or_default();
            let code = event.data.object.client_reference_id.as_deref().filter(|c| !c.is_empty());
            let mut reads = db::entries::purchase_reads(&ctx.db, &ctx.contest_id()?, &email, code).await?;
            (reads.contest.take(), Some(reads))
        }
        _ => (db::contests::find(&ctx.db, &ctx.contest_id()?).await?, None),
    };
    let contest = contest.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    let secret = contest
        .stripe_webhook_secret
        .clone()
        .ok_or_else(|| ApiError::not_found("Stripe is not configured for this contest (set stripeWebhookSecret)"))?;
    // Like the other webhooks: a missing or wrong signature is a 401.
    let header = req
        .headers()
        .get("Stripe-Signature")
        .ok()
        .flatten()
        .filter(|h| !h.trim().is_empty())
        .ok_or(ApiError::WebhookUnauthorized("Missing Stripe-Signature header"))?;
    verify_stripe_signature(&header, &body, &secret, platform::now_ms() / 1000, STRIPE_TOLERANCE_SECS).map_err(
        |e| {
            ApiError::WebhookUnauthorized(match e {
                SignatureError::Malformed => "Malformed Stripe-Signature header",
                SignatureError::Stale => "Stripe signature timestamp is outside the 5-minute tolerance",
                SignatureError::Mismatch => "Invalid Stripe signature",
            })
        },
    )?;
    parsed?;
    match checkout {
        Some(event) => {
            let event = event?;
            // A session that parsed had its reads made with the contest's.
            let reads = reads.ok_or_else(|| ApiError::Internal("checkout reads missing".into()))?;
            stripe_checkout(ctx, &contest, event, reads).await
        }
        None => match kind.as_str() {
            "charge.refunded" => stripe_refund(ctx, &contest, http::parse_json(&body)?).await,
            "charge.dispute.created" => stripe_dispute(ctx, &contest, http::parse_json(&body)?).await,
            "charge.dispute.closed" => stripe_dispute_closed(ctx, &contest, http::parse_json(&body)?).await,
            "invoice.paid" | "invoice.payment_succeeded" => {
                let invoice: StripeEvent<Invoice> = http::parse_json(&body)?;
                let invoice = invoice.data.object;
                invoice_paid(ctx, &contest, &invoice.id, invoice.payment_intent.as_deref()).await
            }
            "invoice_payment.paid" => {
                let paid: StripeEvent<InvoicePayment> = http::parse_json(&body)?;
                let paid = paid.data.object;
                let pi = paid.payment.and_then(|p| p.payment_intent);
                match paid.invoice {
                    Some(invoice) => invoice_paid(ctx, &contest, &invoice, pi.as_deref()).await,
                    None => ignored("no purchase for this payment"),
                }
            }
            _ => ignored("event type not handled"),
        },
    }
}

fn is_checkout(kind: &str) -> bool {
    matches!(kind, "checkout.session.completed" | "checkout.session.async_payment_succeeded")
}

/// The buyer's email: the customer's details, else the session's own.
fn session_email(session: &CheckoutSession) -> Option<Email> {
    let details = session.customer_details.as_ref().and_then(|d| d.email.as_deref());
    details.or(session.customer_email.as_deref()).and_then(|e| Email::parse(e).ok())
}

/// A paid Checkout Session: a verified purchase, idempotent by session id.
async fn stripe_checkout(
    ctx: &Ctx,
    contest: &ContestRow,
    event: StripeEvent<CheckoutSession>,
    reads: PurchaseReads,
) -> ApiResult<Response> {
    let session = event.data.object;
    if event.kind == "checkout.session.completed" && session.payment_status.as_deref() == Some("unpaid") {
        return ignored("payment not completed yet");
    }
    let minor = session.amount_total.unwrap_or(0);
    if minor <= 0 {
        return ignored("nothing was paid");
    }
    // Stripe's lowercase code, upper-cased; anything but an active ISO 4217 code is refused.
    let currency = match session.currency.as_deref() {
        None => "USD".to_string(),
        Some(c) => parse_currency(c).ok_or_else(|| input::invalid("currency", "must be an active ISO 4217 code"))?,
    };
    let email =
        session_email(&session).ok_or_else(|| ApiError::bad_request("Checkout Session has no customer email"))?;
    let report = PurchaseReport {
        email,
        order_id: session.id,
        amount: Amount(from_minor_units(minor, &currency)).positive()?,
        currency,
        referral_code: session.client_reference_id.filter(|c| !c.is_empty()),
        stripe: StripeRefs {
            payment_intent: session.payment_intent,
            invoice: session.invoice,
            subscription: session.subscription,
            customer: session.customer,
        },
    };
    let recorded = engine::purchase::record_with(&ctx.db, contest, None, &report, Source::Stripe, reads).await?;
    let recorded = ctx.commit(recorded).await;
    Ok(http::json_response(200, &views::purchases::stripe_recorded(&recorded)))
}

/// The purchase a charge paid for: by its payment intent (a payment-mode
/// Checkout Session stored it), else by its invoice (a subscription's session
/// has no payment intent, its invoice's charge names the invoice).
async fn paid_purchase(
    ctx: &Ctx,
    contest: &ContestRow,
    payment_intent: Option<&str>,
    invoice: Option<&str>,
) -> ApiResult<Option<PurchaseRow>> {
    if let Some(pi) = payment_intent {
        if let Some(found) = db::purchases::find_by_payment_intent(&ctx.db, &contest.id, pi).await? {
            return Ok(Some(found));
        }
    }
    match invoice {
        Some(invoice) => Ok(db::purchases::find_by_invoice(&ctx.db, &contest.id, invoice).await?),
        None => Ok(None),
    }
}

/// The answer to a refund, a dispute or a won dispute (its events sent), or
/// why nothing was done.
async fn refund_answer(ctx: &Ctx, r: Committed<Option<Refunded>>, nothing: &str) -> ApiResult<Response> {
    match ctx.commit(r).await {
        Some(r) => Ok(http::json_response(200, &views::purchases::stripe_refunded(&r))),
        None => ignored(nothing),
    }
}

/// `charge.refunded`: the charge's refunded total grew; the growth is one
/// refund, keyed by (charge, total) so a replay or an older event applies nothing.
async fn stripe_refund(ctx: &Ctx, contest: &ContestRow, event: StripeEvent<Charge>) -> ApiResult<Response> {
    let charge = event.data.object;
    let found = paid_purchase(ctx, contest, charge.payment_intent.as_deref(), charge.invoice.as_deref()).await?;
    let Some(purchase) = found else {
        return ignored("no purchase for this payment");
    };
    // Matched by invoice: its payment intent is learnt, for the disputes (they name no invoice).
    if let (None, Some(pi), Some(invoice)) =
        (&purchase.payment_intent, charge.payment_intent.as_deref(), charge.invoice.as_deref())
    {
        engine::purchase::link_invoice_payment(&ctx.db, &contest.id, invoice, pi).await?;
    }
    let currency = charge.currency.as_deref().and_then(parse_currency).unwrap_or_else(|| purchase.currency.clone());
    let refunded_total = from_minor_units(charge.amount_refunded, &currency);
    let key = [charge.id.as_str(), ":", &charge.amount_refunded.to_string()].concat();
    let request = RefundRequest {
        key: &key,
        kind: RefundKind::Refund,
        amount: RefundAmount::ToTotal(refunded_total),
        source: Source::Stripe,
    };
    let refunded = refund::refund_purchase(&ctx.db, &contest.account_id, &purchase.id, request).await?;
    refund_answer(ctx, refunded, "refund already applied").await
}

/// `charge.dispute.created`: the disputed amount is taken back, once per dispute.
async fn stripe_dispute(ctx: &Ctx, contest: &ContestRow, event: StripeEvent<Dispute>) -> ApiResult<Response> {
    let dispute = event.data.object;
    let Some(purchase) = paid_purchase(ctx, contest, dispute.payment_intent.as_deref(), None).await? else {
        return ignored("no purchase for this payment");
    };
    let currency = dispute.currency.as_deref().and_then(parse_currency).unwrap_or_else(|| purchase.currency.clone());
    let request = RefundRequest {
        key: &dispute.id,
        kind: RefundKind::Dispute,
        amount: RefundAmount::UpTo(from_minor_units(dispute.amount, &currency)),
        source: Source::Stripe,
    };
    let refunded = refund::refund_purchase(&ctx.db, &contest.account_id, &purchase.id, request).await?;
    refund_answer(ctx, refunded, "purchase already fully refunded").await
}

/// `charge.dispute.closed`: `won` (or an inquiry's `warning_closed`, which took
/// no money) gives back what the dispute took, once per dispute; `lost` keeps it.
async fn stripe_dispute_closed(ctx: &Ctx, contest: &ContestRow, event: StripeEvent<Dispute>) -> ApiResult<Response> {
    let dispute = event.data.object;
    if !matches!(dispute.status.as_deref(), Some("won" | "warning_closed")) {
        return ignored("dispute not won: what it took stays taken");
    }
    let Some(purchase) = paid_purchase(ctx, contest, dispute.payment_intent.as_deref(), None).await? else {
        return ignored("no purchase for this payment");
    };
    let won = refund::dispute_won(&ctx.db, &contest.account_id, &purchase.id, &dispute.id, Source::Stripe).await?;
    refund_answer(ctx, won, "no dispute recorded for this purchase").await
}

/// A subscription's invoice was paid by `payment_intent`: the purchase of that
/// invoice (its Checkout Session had no payment intent) keeps it, so disputes,
/// which name only the payment intent, find it.
async fn invoice_paid(
    ctx: &Ctx,
    contest: &ContestRow,
    invoice: &str,
    payment_intent: Option<&str>,
) -> ApiResult<Response> {
    let Some(pi) = payment_intent.filter(|p| !p.is_empty()) else {
        return ignored("no purchase for this payment");
    };
    match engine::purchase::link_invoice_payment(&ctx.db, &contest.id, invoice, pi).await? {
        Some(purchase_id) => Ok(http::json_response(200, &views::purchases::StripeLinked::new(&purchase_id))),
        None => ignored("no purchase for this payment"),
    }
}
