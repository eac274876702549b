//! `GET /api/referral/confirm?token=`: the double opt-in link of the `confirm`
//! email (docs/API.md, "Email: confirmed signups").

use crate::ctx::Ctx;
use crate::engine::confirmation::{self, Confirmation};
use crate::error::{ApiError, ApiResult};
use crate::{http, input, respond};
use worker::{Request, Response};

/// Confirms the signup's address (once) and sends the browser to the contest's
/// hosted page: 303 to `/r/<contestId>?confirmed=1`, or `?confirmed=already`
/// when the link was used before (nothing more is awarded). A forged token is
/// a 401, an expired one (or an entry the cron already rejected) a 409, a
/// missing one or one without the `rtc_` prefix a 400; all JSON errors.
pub async fn confirm(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let token = input::required("token", http::query_param(&query, "token"), 200)?;
    // Not a confirm token at all: the request is malformed (anything else
    // under the prefix is checked, and refused as a forgery).
    if !token.starts_with(crate::domain::confirm_token::PREFIX) {
        return Err(ApiError::bad_request("Invalid token: not a confirmation link's token"));
    }
    let (contest_id, how) = ctx.commit(confirmation::confirm(&ctx.db, &token).await?).await;
    let state = if how == Confirmation::Confirmed { "1" } else { "already" };
    let location = [http::origin(req).as_str(), "/r/", contest_id.as_str(), "?confirmed=", state].concat();
    let headers = respond::api_headers();
    headers.set("Location", &location)?;
    headers.set("Cache-Control", "no-store")?;
    Ok(Response::empty()?.with_status(303).with_headers(headers))
}
