//! Purchases of a contest: record (trusted), list, refund.

use crate::ctx::{owned_contest, Ctx};
use crate::db::purchases::PurchaseStatus;
use crate::domain::trust::RefundKind;
use crate::engine::refund::{refund_purchase, RefundRequest};
use crate::engine::{purchase, RefundAmount, Source};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Amount};
use crate::requests::PurchaseBody;
use crate::{db, http, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

/// `POST /api/v1/contests/:contestId/purchases`: a trusted report. 201 the
/// first time (also when it verifies what a browser reported); 200 with
/// `alreadyExists: true` and 0 points for a repeated orderId. The email must
/// match an existing entry.
pub async fn record(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let body: PurchaseBody = http::read_json(req).await?;
    let p = body.validate()?;
    let buyer = db::entries::find_by_email(&ctx.db, &contest.id, p.email.normalized())
        .await?
        // The contest (the path) exists; its entries refuse this email: 409, not 404.
        .ok_or_else(|| ApiError::conflict("No entry for this email in this contest"))?;
    let r = ctx.commit(purchase::record(&ctx.db, &contest, Some(&buyer), &p, Source::Api).await?).await;
    http::data(if r.already_exists { 200 } else { 201 }, views::purchases::recorded(&r))
}

/// `GET /api/v1/contests/:contestId/purchases?status=&page=&limit=`: newest first.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let query = http::query_pairs(req)?;
    let status = http::query_typed(&query, "status")
        .map(|s| {
            PurchaseStatus::parse(s)
                .ok_or_else(|| ApiError::bad_request("status must be one of unverified, verified, refunded"))
        })
        .transpose()?;
    let (rows, total) = db::purchases::list(&ctx.db, &contest.id, status, page).await?;
    http::paged(rows.iter().map(views::purchases::purchase).collect::<Vec<_>>(), page, total)
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RefundBody {
    amount: Option<Amount>,
}

/// `POST /api/v1/purchases/:purchaseId/refund` `{amount?}`: refunds the rest, or
/// `amount` of it. Reverses the award in proportion; an `Idempotency-Key`
/// makes a retry apply nothing twice (200 `alreadyApplied`).
pub async fn refund(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let purchase = db::purchases::find_owned(&ctx.db, ctx.account_id()?, &ctx.purchase_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Purchase not found"))?;
    let bytes = http::read_body(req).await?;
    let body: RefundBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { RefundBody::default() } else { http::parse_json(&bytes)? };
    // More than remains is refused by the engine, after it has looked for a replay.
    let amount = match body.amount {
        None => RefundAmount::Rest,
        Some(a) => RefundAmount::Exactly(a.positive()?),
    };
    let key =
        match req.headers().get("Idempotency-Key").ok().flatten().as_deref().map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => ["key:", &input::required("Idempotency-Key", Some(k), 200)?].concat(),
            None => platform::new_id("rfk"),
        };
    let request = RefundRequest { key: &key, kind: RefundKind::Refund, amount, source: Source::Api };
    let r = ctx
        .commit(refund_purchase(&ctx.db, ctx.account_id()?, &purchase.id, request).await?)
        .await
        .ok_or_else(|| ApiError::conflict("Purchase is already fully refunded"))?;
    http::data(if r.applied { 201 } else { 200 }, views::purchases::refunded(&r))
}
