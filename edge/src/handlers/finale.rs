//! The end of a contest: end, finalize, the final standings, the open results.

use crate::ctx::{owned_contest, Ctx};
use crate::domain::first_party;
use crate::domain::ids::ContestId;
use crate::engine::finale::{self, Progress};
use crate::error::{ApiError, ApiResult};
use crate::limits::{self, Limit};
use crate::{cache, db, finalizing, http, views};
use serde::Deserialize;
use worker::{Request, Response};

/// `POST /api/v1/contests/:contestId/end`: the contest ends now (status
/// `ended`, nothing more recorded); an ended contest answers as it is.
/// `contest.ended` once per contest.
pub async fn end(ctx: &Ctx) -> ApiResult<Response> {
    let ended = finale::end_contest(&ctx.db, ctx.account_id()?, &ctx.contest_id()?).await?;
    let contest = ctx.commit(ended).await;
    cache::forget_contest(&contest.id).await;
    http::data(200, views::contest(&contest, true))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FinalizeBody {
    #[serde(default)]
    exclude_pending: bool,
}

/// `POST /api/v1/contests/:contestId/finalize {"excludePending"?}`: 200 with
/// the finalized contest, or 202 while its standings are still being written
/// (a large contest goes on through the queue); twice changes nothing.
pub async fn finalize(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let bytes = http::read_body(req).await?;
    let body: FinalizeBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { FinalizeBody::default() } else { http::parse_json(&bytes)? };
    let budget = finalizing::budget(&ctx.env, finalizing::REQUEST_PAGES);
    let progress = ctx.commit(finale::finalize(&ctx.db, &contest, body.exclude_pending, budget).await?).await;
    match progress {
        Progress::Finalizing => finalizing::send(&ctx.env, &contest.id).await,
        Progress::Finalized => crate::drawing::send_for_contest(&ctx.db, &ctx.env, &contest.id).await,
    }
    cache::forget_contest(&contest.id).await;
    let now = owned_contest(ctx).await?;
    let status = if progress == Progress::Finalized { 200 } else { 202 };
    http::data(status, views::contest(&now, true))
}

/// `GET /api/v1/contests/:contestId/standings?page=&limit=`: the final
/// standings, best first; full names for private keys, `Ada L.` for public
/// keys and participant tokens. 409 before the contest is finalized.
pub async fn standings(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    if contest.finalized_at.is_none() {
        return Err(ApiError::conflict(if contest.finalize_started_at.is_some() {
            "Contest is finalizing: its standings are being written"
        } else {
            "Contest is not finalized: finalize it first"
        }));
    }
    let page = http::page_request(req)?;
    let (rows, total) = db::standings::standings_page(&ctx.db, &contest.id, page).await?;
    http::paged(views::finale::standings(&rows, ctx.caller()?.is_private()), page, total)
}

/// `GET /api/referral/results?contestId=`: keyless, CORS-open, cached for
/// `cache::TTL_SECS`: the contest's status and prizes, their winners once
/// finalized (masked names). 404 for an unknown contest (a guess: `app`
/// counts it against the address).
pub async fn results(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let Some(contest_id) = http::query_param(&query, "contestId") else {
        return Err(ApiError::bad_request("Missing contestId"));
    };
    // Where this API is reached (the draw list's URL): the origin, under `/rt` first-party.
    let first_party = first_party::strip_prefix(&req.path()).is_some();
    let base = [http::origin(req).as_str(), if first_party { first_party::PREFIX } else { "" }].concat();
    let key = cache::contest_key("results", contest_id, &[&base]).await;
    if let Some((status, json)) = cache::get(&key).await {
        return Ok(cache::answer(status, &json, true));
    }
    limits::open_endpoint(&ctx.env, req, Limit::Reads, contest_id).await?;
    let read = db::standings::results(&ctx.db, &ContestId::new(contest_id))
        .await?
        .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    let status = views::contest_status(&read.contest);
    let chain = crate::drawing::chain(&ctx.env);
    let json = http::data_text(views::finale::results(&read, status, &chain, &base));
    cache::put(&key, 200, &json).await;
    Ok(cache::answer(200, &json, true))
}
