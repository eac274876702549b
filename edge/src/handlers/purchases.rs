//! `POST /api/v1/contests/:contestId/purchases`: a participant's purchase.

use super::referral::PurchaseBody;
use crate::app::{owned_contest, Ctx};
use crate::engine::Source;
use crate::error::{ApiError, ApiResult};
use crate::{db, http};
use worker::{Request, Response};

/// 201 the first time; 200 with `alreadyExists: true` and 0 points for a
/// repeated orderId. The email must match an existing entry.
pub async fn record(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let body: PurchaseBody = http::read_json(req).await?;
    let p = body.validate()?;
    let buyer = db::entries::find_by_email(&ctx.db, &contest.id, p.email.normalized())
        .await?
        .ok_or_else(|| ApiError::not_found("Entry not found for this email"))?;
    let r = super::referral::record(ctx, &contest, Some(&buyer), &p, Source::Api).await?;
    http::data(if r.already_exists { 200 } else { 201 }, super::referral::purchase_json(&r))
}
