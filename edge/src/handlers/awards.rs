//! The owner's review of awards (ledger rows): the queue of a contest, and
//! confirming or rejecting pending ones, one at a time or in bulk.

use crate::ctx::{owned_contest, Ctx};
use crate::db::ledger::AwardRow;
use crate::domain::trust::AwardStatus;
use crate::engine::review;
use crate::error::{ApiError, ApiResult};
use crate::views::awards::{BulkReviewed, Reviewed};
use crate::{db, http, views};
use serde::Deserialize;
use worker::{Request, Response};

fn status_filter(req: &Request) -> ApiResult<Option<AwardStatus>> {
    let query = http::query_pairs(req)?;
    http::query_typed(&query, "status")
        .map(|s| {
            AwardStatus::parse(s)
                .ok_or_else(|| ApiError::bad_request("status must be one of confirmed, pending, rejected"))
        })
        .transpose()
}

/// `detail=true|false` (default false): the review's details on each award.
fn detail_wanted(req: &Request) -> ApiResult<bool> {
    let query = http::query_pairs(req)?;
    match http::query_typed(&query, "detail") {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::bad_request("detail must be true or false")),
    }
}

/// `GET /api/v1/contests/:contestId/awards?status=&page=&limit=&detail=`:
/// newest first; with `detail=true` each award also says what the owner
/// reviews it by (its friend or advocate, purchase, fraud signals).
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let detail = detail_wanted(req)?;
    let (rows, total) = db::ledger::list_for_contest(&ctx.db, &contest.id, status_filter(req)?, page).await?;
    http::paged(rows.iter().map(|r| views::awards::review(r, detail)).collect::<Vec<_>>(), page, total)
}

/// The award named by the path, of one of the caller's contests.
async fn owned_award(ctx: &Ctx) -> ApiResult<AwardRow> {
    let not_found = || ApiError::not_found("Award not found");
    let id: i64 = ctx.param("awardId")?.parse().ok().filter(|id| (1..=MAX_ID).contains(id)).ok_or_else(not_found)?;
    db::ledger::find_owned(&ctx.db, ctx.account_id()?, id).await?.ok_or_else(not_found)
}

/// `POST /api/v1/awards/:awardId/confirm` and `/reject`: settles a pending
/// award. The same decision again changes nothing (200, `changed: false`); the
/// opposite decision on a settled award is a 409.
pub async fn review(ctx: &Ctx, to: AwardStatus) -> ApiResult<Response> {
    let award = owned_award(ctx).await?;
    let decided = ctx.commit(review::review_award(&ctx.db, &award, to).await?).await;
    http::data(200, Reviewed { award: views::awards::award(&decided.award), changed: decided.changed })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BulkReview {
    #[serde(default, deserialize_with = "crate::input::int_vec")]
    confirm: Vec<i64>,
    #[serde(default, deserialize_with = "crate::input::int_vec")]
    reject: Vec<i64>,
}

/// Award ids are ledger row ids: positive, and exact in JavaScript.
const MAX_ID: i64 = 9_007_199_254_740_991;

/// At most this many awards per bulk review (two statements each, one batch).
const MAX_BULK: usize = 100;

/// `POST /api/v1/contests/:contestId/awards/review {"confirm":[ids],"reject":[ids]}`:
/// one batch. Only pending awards of this contest move; the answer counts them.
pub async fn review_bulk(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let body: BulkReview = http::read_json(req).await?;
    if body.confirm.len() + body.reject.len() > MAX_BULK {
        return Err(ApiError::bad_request("Invalid request body: at most 100 award ids per review"));
    }
    if body.confirm.iter().chain(&body.reject).any(|id| !(1..=MAX_ID).contains(id)) {
        return Err(ApiError::bad_request("Invalid request body: award ids are integers from 1 to 9007199254740991"));
    }
    if body.confirm.iter().any(|id| body.reject.contains(id)) {
        return Err(ApiError::bad_request("Invalid request body: an award cannot be both confirmed and rejected"));
    }
    let changed = ctx.commit(review::review_awards(&ctx.db, &contest.id, &body.confirm, &body.reject).await?).await;
    http::data(200, BulkReviewed { requested: body.confirm.len() + body.reject.len(), changed })
}
