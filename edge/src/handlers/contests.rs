//! Contests: create, read, update, leaderboard and stats.

use crate::contest_settings::{ContestSettings, SettingsPatch};
use crate::ctx::{owned_contest, Ctx};
use crate::domain::ids::ContestId;
use crate::domain::series::DayRange;
use crate::error::{ApiError, ApiResult};
use crate::input;
use crate::{cache, db, http, platform, views};
use worker::{Request, Response};

/// `POST /api/v1/contests`: 201 with the contest (its id in `data.id`).
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let patch: SettingsPatch = http::read_json(req).await?;
    input::required("name", patch.name.as_deref(), 200)?;
    let mut settings = ContestSettings::default();
    let given = settings.apply(patch)?;
    settings.default_reward_type(&given);
    let id = ContestId::new(platform::new_id("ct"));
    let webhook_secret = new_webhook_secret();
    let contest =
        db::contests::insert(&ctx.db, &id, ctx.account_id()?, &webhook_secret, &settings, &platform::now_iso()).await?;
    http::data(201, views::contest(&contest, true))
}

/// `GET /api/v1/contests?page=&limit=`.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let page = http::page_request(req)?;
    let (rows, total) = db::contests::list_owned(&ctx.db, ctx.account_id()?, page).await?;
    let private = ctx.caller()?.is_private();
    http::paged(rows.iter().map(|c| views::contest(c, private)).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/contests/:contestId`. A participant's read is the widget's:
/// the checklist's "add the widget" is seen.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    if ctx.caller()?.is_participant() {
        ctx.note_widget(&contest).await;
    }
    http::data(200, views::contest(&contest, ctx.caller()?.is_private()))
}

/// `GET /api/v1/contests/:contestId/checklist`: which parts of a setup the
/// contest has seen (the dashboard's getting-started checklist).
pub async fn checklist(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let seen = db::stats::seen(&ctx.db, &contest.id).await?;
    http::data(200, views::contests::checklist(&contest.id, &seen))
}

/// `PATCH /api/v1/contests/:contestId`: only the fields given change, in one
/// UPDATE of their columns (never a read row written back, which would undo
/// another owner's change made meanwhile). The given fields are validated on
/// their own, over the defaults; the other settings are not written.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let patch: SettingsPatch = http::read_json(req).await?;
    let mut settings = ContestSettings::default();
    let given = settings.apply(patch)?;
    let updated =
        db::contests::update(&ctx.db, &contest.id, ctx.account_id()?, &settings, &given, &platform::now_iso())
            .await?
            .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    // Its open answers (a code's check, the leaderboard) follow the new settings.
    cache::forget_contest(&contest.id).await;
    http::data(200, views::contest(&updated, true))
}

/// `POST /api/v1/contests/:contestId/rotate-webhook-secret`: a new inbound
/// webhook secret; the old one stops working at once (a leaked secret lets
/// anyone confirm signups and purchases, so there is no grace period).
pub async fn rotate_webhook_secret(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let updated = db::contests::set_webhook_secret(
        &ctx.db,
        &contest.id,
        ctx.account_id()?,
        &new_webhook_secret(),
        &platform::now_iso(),
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    http::data(200, views::contest(&updated, true))
}

/// `whk_` and 48 hex digits of randomness.
fn new_webhook_secret() -> String {
    ["whk_", &crate::domain::signature::hex(&platform::random_bytes::<24>())].concat()
}

/// `GET /api/v1/contests/:contestId/leaderboard?limit=` (default 10, max 100):
/// points descending, earlier entry first on ties. Public keys see masked emails.
/// What public keys and participant tokens read is cached for `cache::TTL_SECS`
/// under their own credential (`cached_leaderboard`); the owner's private key
/// always reads D1.
pub async fn leaderboard(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let limit = match http::query_typed(&query, "limit") {
        None => 10,
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|l| *l >= 1)
            .ok_or_else(|| ApiError::bad_request("limit must be a positive integer"))?
            .min(100),
    };
    let rows = db::entries::leaderboard(&ctx.db, &contest.id, limit).await?;
    let viewer = ctx.caller()?;
    let board = views::contests::leaderboard(&rows, viewer.sees_emails(), viewer.sees_names());
    if viewer.is_private() {
        return http::data(200, board);
    }
    let json = http::data_text(board);
    cache::put(&leaderboard_key(req, &contest.id).await, 200, &json).await;
    Ok(cache::answer(200, &json, false))
}

/// A leaderboard this credential read within `cache::TTL_SECS`, before any
/// D1 read (authentication included): the same URL with the same credential
/// was answered 200, so it is answered again. A revoked public key or token
/// may therefore read it for up to the TTL more.
pub async fn cached_leaderboard(req: &Request, contest_id: &str) -> Option<Response> {
    let (status, json) = cache::get(&leaderboard_key(req, contest_id).await).await?;
    Some(cache::answer(status, &json, false))
}

async fn leaderboard_key(req: &Request, contest_id: &str) -> String {
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    cache::contest_key("leaderboard", contest_id, &[&req.inner().url(), &header("x-api-key"), &header("authorization")])
        .await
}

/// `GET /api/v1/contests/:contestId/stats`: revenue and purchases are verified
/// ones; a private key also sees the unverified claims (`unverified`).
pub async fn stats(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let s = db::stats::for_contest(&ctx.db, &contest.id).await?;
    http::data(200, views::contests::stats(&contest.id, &s, ctx.caller()?.is_private()))
}

/// `GET /api/v1/contests/:contestId/timeseries?from=&to=`: per UTC day (both
/// ends included, the last 30 days by default, at most 366), visits, signups,
/// referred signups, purchases, revenue per currency and confirmed points;
/// days with nothing are zeros.
pub async fn timeseries(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let range = DayRange::parse(http::query_typed(&query, "from"), http::query_typed(&query, "to"), platform::now_ms())
        .map_err(ApiError::bad_request)?;
    let (start, end) = range.bounds();
    // Bounds are midnights: their dates are the counters' days.
    let rows = db::stats::by_day(&ctx.db, &contest.id, &start[..10], &end[..10]).await?;
    http::data(200, views::contests::timeseries(&contest.id, range.days(), rows))
}
