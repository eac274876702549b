//! Payouts of reward balances: the payout files (PayPal, Wise, generic CSV),
//! streamed like the other exports, in parts of the format's row limit; and
//! recording a payout.

use crate::ctx::{owned_contest, Ctx};
use crate::db::contests::ContestRow;
use crate::domain::ids::ContestId;
use crate::domain::money::parse_currency;
use crate::domain::payouts::{self, Format};
use crate::engine::payouts::pay;
use crate::error::{ApiError, ApiResult};
use crate::{db, http, respond, views};
use futures_util::stream;
use serde::Deserialize;
use std::collections::HashSet;
use worker::{Env, Request, Response};

/// Rows read per D1 statement while streaming.
const PAGE: u64 = 500;

/// The largest `part` asked for (1,000 parts of 5,000: five million entries).
const MAX_PART: u64 = 1_000_000;

/// `currency`, if given, must be the contest's reward currency: another one is
/// a 409 (the request is well formed; the contest's setting refuses it).
fn check_currency(c: &ContestRow, given: Option<&str>) -> ApiResult<()> {
    match given {
        Some(code) if parse_currency(code).as_deref() != Some(c.reward_currency.as_str()) => Err(ApiError::Conflict(
            ["currency must be the contest's rewardCurrency (", &c.reward_currency, ")"].concat(),
        )),
        _ => Ok(()),
    }
}

/// `GET /api/v1/contests/:contestId/export/payouts.csv?format=&currency=&part=`.
pub async fn export(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let format = http::query_typed(&query, "format")
        .and_then(Format::parse)
        .ok_or_else(|| ApiError::bad_request("format must be one of paypal, wise, generic"))?;
    check_currency(&contest, http::query_typed(&query, "currency"))?;
    let part = match http::query_typed(&query, "part") {
        None => 1,
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|p| (1..=MAX_PART).contains(p))
            .ok_or_else(|| ApiError::bad_request("part must be an integer from 1 to 1000000"))?,
    };
    let currency = contest.reward_currency.clone();
    let min_owed = payouts::min_owed(&currency);
    let rows = db::payouts::owed_count(&ctx.db, &contest.id, min_owed).await?;
    let parts = payouts::parts(rows, format);
    if part > parts {
        return Err(ApiError::NotFound(["No such part: the file has ", &parts.to_string(), " part(s)"].concat()));
    }
    let note = ["Rewards from ", &contest.name].concat();
    let stream_of = Stream {
        env: ctx.env.clone(),
        contest_id: contest.id.clone(),
        format,
        currency,
        note,
        min_owed,
        offset: payouts::part_offset(part, format),
    };
    let body =
        stream::unfold(Some(Next { after: String::new(), left: format.part_size(), first: true }), move |next| {
            let s = stream_of.clone();
            async move {
                let chunk = s.chunk(next?).await;
                Some(match chunk {
                    Ok((text, next)) => (Ok::<Vec<u8>, worker::Error>(text.into_bytes()), next),
                    // Headers are sent: the body ends with the error (the download fails).
                    Err(e) => (Err(worker::Error::RustError(e.message())), None),
                })
            }
        });
    let headers = respond::api_headers();
    let _ = headers.set("Content-Type", "text/csv; charset=utf-8");
    let name = ["attachment; filename=\"payouts-", format.as_str(), "-", &contest.id, "-", &part.to_string(), ".csv\""];
    let _ = headers.set("Content-Disposition", &name.concat());
    let _ = headers.set("X-Total-Parts", &parts.to_string());
    let _ = headers.set("X-Total-Count", &rows.to_string());
    let _ = headers.set("Access-Control-Expose-Headers", "Content-Disposition, X-Total-Parts, X-Total-Count");
    Ok(Response::builder().with_headers(headers).from_stream(body)?)
}

/// What every page of one download needs.
#[derive(Clone)]
struct Stream {
    env: Env,
    contest_id: ContestId,
    format: Format,
    currency: String,
    note: String,
    min_owed: f64,
    /// Owed entries before this part.
    offset: u64,
}

/// Where the next page starts and how many rows the part still takes.
struct Next {
    after: String,
    left: u64,
    first: bool,
}

impl Stream {
    /// The text of one page (after the header row on the first) and the next
    /// page, `None` after the part's last.
    async fn chunk(&self, next: Next) -> ApiResult<(String, Option<Next>)> {
        let db = self.env.d1("DB")?;
        let mut out = String::new();
        if let Some(header) = self.format.header().filter(|_| next.first) {
            crate::domain::csv::push_text_row(&mut out, header);
        }
        let limit = PAGE.min(next.left);
        let skip = if next.first { self.offset } else { 0 };
        let rows =
            db::payouts::owed_page(&db, &self.contest_id, &next.after, self.min_owed, limit as u32, skip).await?;
        views::payouts::owed(&mut out, self.format, &rows, &self.currency, &self.note);
        let left = next.left - rows.len() as u64;
        let more = rows.len() as u64 == limit && left > 0;
        let after = rows.last().filter(|_| more).map(|r| Next { after: r.entry_id.clone(), left, first: false });
        Ok((out, after))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PayoutBody {
    reference: Option<String>,
    entry_ids: Option<Vec<String>>,
    currency: Option<String>,
}

/// A payout's body: 5,000 entry ids of ~20 characters fit.
const BODY_LIMIT: usize = 256 * 1024;

/// `POST /api/v1/contests/:contestId/payouts {"reference","entryIds","currency"}`.
pub async fn record(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let body: PayoutBody = http::parse_json(&http::read_body_up_to(req, BODY_LIMIT).await?)?;
    let reference = body.reference.unwrap_or_default();
    if !payouts::valid_reference(&reference) {
        return Err(ApiError::bad_request("reference must be 1 to 100 letters, digits or any of - _ . : / #"));
    }
    let ids = body.entry_ids.unwrap_or_default();
    if ids.is_empty()
        || ids.len() > payouts::MAX_ENTRIES
        || ids.iter().any(|id| id.is_empty() || id.chars().count() > 64)
    {
        return Err(ApiError::bad_request("entryIds must list 1 to 5000 entry ids"));
    }
    let Some(currency) = body.currency else {
        return Err(ApiError::bad_request("currency is required"));
    };
    check_currency(&contest, Some(&currency))?;
    let mut seen = HashSet::new();
    let ids: Vec<String> = ids.into_iter().filter(|id| seen.insert(id.clone())).collect();
    let out = ctx.commit(pay(&ctx.db, &contest, &reference, &ids).await?).await;
    http::data(200, views::payouts::payout(&reference, &contest.reward_currency, &ids, out))
}
