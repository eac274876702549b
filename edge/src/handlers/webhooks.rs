//! Inbound webhooks: signups and purchases from the owner's systems (shared
//! secret), and Stripe's `checkout.session.completed` (signed).

use super::referral::{self, PurchaseBody, SignupBody};
use crate::app::Ctx;
use crate::db::contests::ContestRow;
use crate::domain::email::Email;
use crate::domain::money::{from_minor_units, parse_currency};
use crate::domain::signature::{constant_time_eq, verify_stripe_signature, SignatureError, STRIPE_TOLERANCE_SECS};
use crate::engine::Source;
use crate::error::{ApiError, ApiResult};
use crate::{db, http, platform};
use serde::Deserialize;
use serde_json::json;
use worker::{Request, Response};

async fn webhook_contest(ctx: &Ctx) -> ApiResult<ContestRow> {
    db::contests::find(&ctx.db, ctx.param("contestId")?)
        .await?
        .ok_or_else(|| ApiError::not_found("Contest not found"))
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
    let joined = referral::signup(ctx, &contest, &valid, Source::Webhook, None).await?;
    Ok(referral::signup_response(&joined))
}

/// `POST /api/webhooks/purchase/:contestId` `{email, orderId, amount, currency?, referralCode?, secret?}`.
pub async fn purchase(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = webhook_contest(ctx).await?;
    let bytes = http::read_body(req).await?;
    let parsed: WithSecret<PurchaseBody> = http::parse_json(&bytes)?;
    check_secret(&contest, req, parsed.secret.as_deref())?;
    let valid = parsed.body.validate()?;
    let recorded = referral::purchase(ctx, &contest, &valid, Source::Webhook).await?;
    Ok(referral::purchase_response(&recorded))
}

#[derive(Deserialize)]
struct StripeEvent {
    #[serde(rename = "type")]
    kind: String,
    data: StripeEventData,
}

#[derive(Deserialize)]
struct StripeEventData {
    object: CheckoutSession,
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
}

#[derive(Deserialize)]
struct CustomerDetails {
    email: Option<String>,
}

fn ignored(reason: &str) -> ApiResult<Response> {
    Ok(http::json_response(200, &json!({ "received": true, "ignored": true, "reason": reason })))
}

/// `POST /api/webhooks/stripe/:contestId`: verifies `Stripe-Signature` with the
/// contest's Stripe signing secret and records a completed, paid Checkout
/// Session as a purchase: referral code from `client_reference_id`, buyer from
/// `customer_details.email`, amount from `amount_total` in minor units.
/// Idempotent by session id, so Stripe's retries award nothing twice.
pub async fn stripe(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = webhook_contest(ctx).await?;
    let secret = contest
        .stripe_webhook_secret
        .clone()
        .ok_or_else(|| ApiError::bad_request("Stripe is not configured for this contest (set stripeWebhookSecret)"))?;
    let header = req
        .headers()
        .get("Stripe-Signature")
        .ok()
        .flatten()
        .ok_or_else(|| ApiError::bad_request("Missing Stripe-Signature header"))?;
    let body = http::read_body(req).await?;
    verify_stripe_signature(&header, &body, &secret, platform::now_ms() / 1000, STRIPE_TOLERANCE_SECS).map_err(|e| {
        ApiError::bad_request(match e {
            SignatureError::Malformed => "Malformed Stripe-Signature header",
            SignatureError::Stale => "Stripe signature timestamp is outside the 5-minute tolerance",
            SignatureError::Mismatch => "Invalid Stripe signature",
        })
    })?;
    let kind: serde_json::Value = http::parse_json(&body)?;
    let kind = kind["type"].as_str().unwrap_or_default();
    if kind != "checkout.session.completed" && kind != "checkout.session.async_payment_succeeded" {
        return ignored("event type not handled");
    }
    let event: StripeEvent = http::parse_json(&body)?;
    let session = event.data.object;
    if event.kind == "checkout.session.completed" && session.payment_status.as_deref() == Some("unpaid") {
        return ignored("payment not completed yet");
    }
    let minor = session.amount_total.unwrap_or(0);
    if minor <= 0 {
        return ignored("nothing was paid");
    }
    let currency = session.currency.as_deref().and_then(parse_currency).unwrap_or_else(|| "USD".into());
    let raw_email = session.customer_details.and_then(|d| d.email).or(session.customer_email);
    let email = raw_email
        .as_deref()
        .and_then(|e| Email::parse(e).ok())
        .ok_or_else(|| ApiError::bad_request("Checkout Session has no customer email"))?;
    let purchase = referral::ValidPurchase {
        email,
        order_id: session.id,
        amount: from_minor_units(minor, &currency),
        currency,
        referral_code: session.client_reference_id.filter(|c| !c.is_empty()),
    };
    let recorded = referral::purchase(ctx, &contest, &purchase, Source::Stripe).await?;
    Ok(http::json_response(
        200,
        &json!({
            "received": true,
            "purchaseId": recorded.purchase_id,
            "entryId": recorded.entry_id(),
            "creditedEntryId": recorded.credited_entry_id,
            "pointsAwarded": recorded.points_awarded,
            "alreadyExists": recorded.already_exists,
        }),
    ))
}
