//! The owner's CSV exports of a contest: participants, purchases and the
//! ledger. Streamed in keyset pages of `PAGE` rows: however big the contest,
//! one page at a time sits in the worker's memory.

use crate::ctx::{owned_contest, Ctx};
use crate::domain::ids::ContestId;
use crate::error::ApiResult;
use crate::{db, respond, views};
use futures_util::stream;
use worker::{Env, Response};

const PAGE: u32 = 500;

#[derive(Debug, Clone, Copy)]
pub enum Export {
    Participants,
    Purchases,
    Ledger,
}

impl Export {
    fn name(self) -> &'static str {
        match self {
            Self::Participants => "participants",
            Self::Purchases => "purchases",
            Self::Ledger => "ledger",
        }
    }

    fn header(self) -> &'static [&'static str] {
        match self {
            Self::Participants => views::exports::PARTICIPANTS_HEADER,
            Self::Purchases => views::exports::PURCHASES_HEADER,
            Self::Ledger => views::exports::LEDGER_HEADER,
        }
    }
}

/// Where the next page starts.
enum Cursor {
    Start,
    /// After this (`created_at`, `id`) (entries, purchases).
    After(String, String),
    /// After this ledger row id.
    AfterRow(i64),
}

/// `GET /api/v1/contests/:contestId/export/{participants,purchases,ledger}.csv`.
pub async fn csv(ctx: &Ctx, export: Export) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let env = ctx.env.clone();
    let contest_id = contest.id.clone();
    let body = stream::unfold(Some(Cursor::Start), move |cursor| {
        let (env, contest_id) = (env.clone(), contest_id.clone());
        async move {
            let chunk = next_chunk(&env, &contest_id, export, cursor?).await;
            Some(match chunk {
                Ok((text, next)) => (Ok::<Vec<u8>, worker::Error>(text.into_bytes()), next),
                // Headers are sent: the body ends with the error (the download fails).
                Err(e) => (Err(worker::Error::RustError(e.message())), None),
            })
        }
    });
    let headers = respond::api_headers();
    let _ = headers.set("Content-Type", "text/csv; charset=utf-8");
    let disposition = ["attachment; filename=\"", export.name(), "-", &contest.id, ".csv\""].concat();
    let _ = headers.set("Content-Disposition", &disposition);
    Ok(Response::builder().with_headers(headers).from_stream(body)?)
}

/// The text of one page (after the header row on the first), and where the
/// next starts (`None` after a short page: the last).
async fn next_chunk(
    env: &Env,
    contest_id: &ContestId,
    export: Export,
    cursor: Cursor,
) -> ApiResult<(String, Option<Cursor>)> {
    let db = env.d1("DB")?;
    let mut out = String::new();
    let (after, after_row) = match &cursor {
        Cursor::Start => (("", ""), 0),
        Cursor::After(at, id) => ((at.as_str(), id.as_str()), 0),
        Cursor::AfterRow(row) => (("", ""), *row),
    };
    if matches!(cursor, Cursor::Start) {
        views::exports::header(&mut out, export.header());
    }
    let full = |n: usize| n == PAGE as usize;
    let next = match export {
        Export::Participants => {
            let rows = db::entries::export_page(&db, contest_id, after, PAGE).await?;
            views::exports::participants(&mut out, &rows);
            rows.last().filter(|_| full(rows.len())).map(|r| Cursor::After(r.created_at.clone(), r.id.to_string()))
        }
        Export::Purchases => {
            let rows = db::purchases::export_page(&db, contest_id, after, PAGE).await?;
            views::exports::purchases(&mut out, &rows);
            rows.last().filter(|_| full(rows.len())).map(|r| Cursor::After(r.created_at.clone(), r.id.to_string()))
        }
        Export::Ledger => {
            let rows = db::ledger::export_page(&db, contest_id, after_row, PAGE).await?;
            views::exports::ledger(&mut out, &rows);
            rows.last().filter(|_| full(rows.len())).map(|r| Cursor::AfterRow(r.id))
        }
    };
    Ok((out, next))
}
