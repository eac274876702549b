//! A draw prize's eligible list, open to anyone: exactly the bytes its
//! `listHash` is the SHA-256 of (docs/DRAWS.md), streamed from the frozen
//! standings a page at a time.

use crate::ctx::Ctx;
use crate::db::draws::DrawRow;
use crate::domain::ids::PrizeId;
use crate::domain::{draw, draw_rule};
use crate::error::{ApiError, ApiResult};
use crate::limits::{self, Limit};
use crate::{db, respond};
use futures_util::stream;
use worker::{Env, Request, Response};

const PAGE: u32 = 1000;

/// `GET /api/referral/results/:prizeId/draw-list`: text/plain, one
/// `<entryId>\t<weight>\n` per eligible entry in entry id order. 404: no such
/// draw prize; 409: its contest is not finalized yet (no list is published).
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let prize_id = PrizeId::new(ctx.param("prizeId")?);
    limits::open_endpoint(&ctx.env, req, Limit::Reads, &prize_id).await?;
    let d = db::draws::find(&ctx.db, &prize_id).await?.ok_or_else(|| ApiError::not_found("Draw prize not found"))?;
    if d.list_hash.is_none() {
        return Err(ApiError::conflict("The contest is not finalized: the list is published at finalize"));
    }
    let env = ctx.env.clone();
    let body = stream::unfold(Some(String::new()), move |after| {
        let env = env.clone();
        let d = d.clone();
        async move {
            let after = after?;
            Some(match page(&env, &d, &after).await {
                Ok((text, next)) => (Ok::<Vec<u8>, worker::Error>(text.into_bytes()), next),
                Err(e) => (Err(worker::Error::RustError(e.message())), None),
            })
        }
    });
    let headers = respond::api_headers();
    let _ = headers.set("Content-Type", "text/plain; charset=utf-8");
    Ok(Response::builder().with_headers(headers).from_stream(body)?)
}

/// One page's lines, and the entry id the next page starts after (`None`
/// after a short page: the last).
async fn page(env: &Env, d: &DrawRow, after: &str) -> ApiResult<(String, Option<String>)> {
    let db = env.d1("DB")?;
    let rows = db::draws::list_page(&db, &d.contest_id, after, PAGE).await?;
    let mut text = String::new();
    for s in &rows {
        let weight = draw_rule::weight(s.points, s.referrals, &d.eligibility(), d.weighting);
        if weight > 0 {
            draw::push_line(&mut text, &s.entry_id, weight);
        }
    }
    let next = rows.last().filter(|_| rows.len() == PAGE as usize).map(|s| s.entry_id.clone());
    Ok((text, next))
}
