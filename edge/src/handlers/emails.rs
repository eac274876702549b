//! Participant email's routes: the one-click unsubscribe (RFC 8058: `POST`
//! from the mail client, `GET` from the body's link) and the owner's list of
//! a contest's messages. Sending is `mailing`'s.

use crate::ctx::{owned_contest, Ctx};
use crate::domain::unsubscribe;
use crate::error::{ApiError, ApiResult};
use crate::{db, http, platform, views};
use worker::{Request, Response};

const STATUSES: [&str; 6] = ["queued", "sent", "failed", "suppressed", "capped", "erased"];

/// `GET` and `POST /api/referral/unsubscribe?token=`: the address the signed
/// token names hears no more of the contest's optional messages (`confirm`
/// and `portal` still go). The same answer every time; a token that does not
/// verify is a 403.
pub async fn unsubscribe(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let token = http::query_param(&query, "token").ok_or_else(|| ApiError::bad_request("token is required"))?;
    let secret = ctx
        .env
        .secret("IP_HASH_KEY")
        .map(|s| s.to_string())
        .map_err(|_| ApiError::Internal("IP_HASH_KEY is not set".into()))?;
    let (contest_id, address) =
        unsubscribe::verify(&secret, token).ok_or(ApiError::Forbidden("Invalid unsubscribe link"))?;
    db::emails::suppress(&ctx.db, &contest_id, &address, "unsubscribe", &platform::now_iso()).await?;
    http::data(200, views::emails::Unsubscribed { unsubscribed: true })
}

/// `GET /api/v1/contests/:contestId/emails?status=&page=&limit=`: the
/// contest's messages, newest first, with what became of each.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let status = http::query_typed(&query, "status")
        .map(|s| {
            STATUSES.iter().find(|k| **k == s).copied().ok_or_else(|| {
                ApiError::bad_request("status must be one of queued, sent, failed, suppressed, capped, erased")
            })
        })
        .transpose()?;
    let page = http::page_request(req)?;
    let (rows, total) = db::emails::list(&ctx.db, &contest.id, status, page).await?;
    http::paged(rows.iter().map(views::emails::email).collect::<Vec<_>>(), page, total)
}
