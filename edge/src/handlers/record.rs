//! The public record besides the draws (issue 25): the final standings as
//! the bytes whose SHA-256 the results publish as `standingsHash`.

use crate::ctx::Ctx;
use crate::engine::record::standings_page;
use crate::error::{ApiError, ApiResult};
use crate::limits::{self, Limit};
use crate::{db, finalizing, respond};
use futures_util::stream;
use worker::{Request, Response};

/// `GET /api/referral/results/:contestId/standings`: keyless, CORS-open,
/// `text/plain`: `rank\tentryId\tpoints\treachedAt\n` per place, by rank
/// (docs/DRAWS.md, "Final standings"), streamed a read of ranks at a time (`engine::record`).
/// 404 for an unknown contest (a guess), 409 before it is finalized.
pub async fn standings(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let id = ctx.contest_id()?;
    limits::open_endpoint(&ctx.env, req, Limit::Reads, id.as_str()).await?;
    let contest =
        db::standings::contest(&ctx.db, &id).await?.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    if contest.finalized_at.is_none() {
        return Err(ApiError::conflict("Contest is not finalized: its standings are published when it is"));
    }
    let page_size = finalizing::budget(&ctx.env, 1).page_size;
    let env = ctx.env.clone();
    // Frozen once finalized: the same bytes for everyone, for good.
    let body = stream::unfold(Some(0), move |after| {
        let (env, id) = (env.clone(), id.clone());
        async move {
            let page = match env.d1("DB") {
                Ok(db) => standings_page(&db, &id, after?, page_size).await,
                Err(e) => Err(e.into()),
            };
            Some(match page {
                Ok((text, next)) => (Ok::<Vec<u8>, worker::Error>(text.into_bytes()), next),
                // Headers are sent: the body ends with the error (the download fails).
                Err(e) => (Err(worker::Error::RustError(e.message())), None),
            })
        }
    });
    let headers = respond::api_headers();
    let _ = headers.set("Content-Type", "text/plain; charset=utf-8");
    let _ = headers.set("Cache-Control", "public, max-age=300");
    Ok(Response::builder().with_headers(headers).from_stream(body)?)
}
