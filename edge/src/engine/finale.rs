//! The end of a contest: the owner's end, finalizing (the standings frozen in
//! keyset pages, then the rank prizes and `finalized_at` in one batch), and
//! the cron's part (ends it notices, contests it finalizes by their setting).
//! A contest too large for one request goes on through the `FINALIZE` queue
//! (`crate::finalizing`), with the cron as the backstop.

use super::Committed;
use crate::db::contests::ContestRow;
use crate::db::standings;
use crate::domain::contest::effective_status;
use crate::domain::finale::{auto_finalize_due, may_finalize};
use crate::domain::ids::{AccountId, ContestId};
use crate::domain::time::{self, parse_instant_ms};
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// Ends the contest now (200 with the contest unchanged when it has ended
/// already), with `contest.ended` once per contest.
pub async fn end_contest(db: &D1Database, account_id: &AccountId, id: &ContestId) -> ApiResult<Committed<ContestRow>> {
    let (contest, events) = standings::end(db, id, account_id, &platform::now_iso()).await?;
    let contest = contest.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    Ok(Committed::new(contest, events))
}

/// How far finalizing got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The standings are complete and the contest finalized.
    Finalized,
    /// Pages remain: the queue (or the cron) goes on.
    Finalizing,
}

/// How much one run writes: places per statement, statements per run; and
/// the beacon chain the contest's draws are listed for when it finishes.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub page_size: u32,
    pub pages: u32,
    pub chain: crate::domain::draw::Chain,
}

/// Finalizes the contest, or goes on with it: the first call checks it may
/// (409: not ended; awards pending unless `exclude_pending`) and starts; every
/// call writes up to `budget` of the standings and, after the last page,
/// assigns the rank prizes and sets `finalized_at` in one batch. A finalized
/// contest is left as it is.
pub async fn finalize(
    db: &D1Database,
    contest: &ContestRow,
    exclude_pending: bool,
    budget: Budget,
) -> ApiResult<Committed<Progress>> {
    if contest.finalized_at.is_some() {
        return Ok(Committed::without_events(Progress::Finalized));
    }
    let mut noticed = Vec::new();
    if contest.finalize_started_at.is_none() {
        let effective = effective_status(contest.status, contest.ends_at.as_deref(), &platform::now_iso());
        let pending = if exclude_pending { 0 } else { standings::pending_awards(db, &contest.id).await? };
        may_finalize(effective, pending, exclude_pending).map_err(|r| ApiError::conflict(r.message()))?;
        // An end the cron has not noted yet is noted first (`contest.ended`
        // before `contest.finalized`).
        let now = platform::now_iso();
        noticed = standings::notice_end(db, &contest.id, &now).await?;
        standings::start(db, &contest.id, &now).await?;
    }
    let (progress, mut events) = go_on(db, &contest.id, budget).await?.into_parts();
    noticed.append(&mut events);
    Ok(Committed::new(progress, noticed))
}

/// Writes up to `budget` pages of a started contest's standings; after the
/// last, finishes. The standings are complete when a page writes nothing and
/// no other run moved the last place meanwhile.
pub async fn go_on(db: &D1Database, id: &ContestId, budget: Budget) -> ApiResult<Committed<Progress>> {
    standings::touch(db, id, &platform::now_iso()).await?;
    for _ in 0..budget.pages {
        let last = standings::last_ranked(db, id).await?;
        if standings::write_page(db, id, last.as_ref(), budget.page_size).await? > 0 {
            continue;
        }
        if standings::last_ranked(db, id).await? == last {
            let standings_hash = super::record::standings_hash(db, id, budget.page_size).await?;
            let now = platform::now_ms();
            let draws = super::draws::listings(db, id, budget.chain, (now / 1000) as u64, budget.page_size).await?;
            let rows: Vec<_> = draws.iter().map(super::draws::Published::row).collect();
            let events = standings::finish(db, id, &time::iso8601(now), &standings_hash, &rows).await?;
            return Ok(Committed::new(Progress::Finalized, events));
        }
    }
    Ok(Committed::without_events(Progress::Finalizing))
}

/// The cron: notes the ends it has not seen (an `endsAt` passed, a status
/// set to ended by PATCH), writing their `contest.ended`.
pub async fn notice_ends(db: &D1Database, limit: u32) -> ApiResult<Committed<usize>> {
    let now = platform::now_iso();
    let ids = standings::unnoticed_ends(db, &now, limit).await?;
    let mut events = Vec::new();
    for id in &ids {
        events.extend(standings::notice_end(db, id, &now).await?);
    }
    Ok(Committed::new(ids.len(), events))
}

/// The cron: finalizing contests no run touched since `before` (their queue
/// message lost), gone on with here as far as `budget` allows; those still
/// unfinished.
pub async fn go_on_stalled(
    db: &D1Database,
    before: &str,
    limit: u32,
    budget: Budget,
) -> ApiResult<Committed<Vec<ContestId>>> {
    let mut events = Vec::new();
    let mut unfinished = Vec::new();
    for id in standings::stalled(db, before, limit).await? {
        let (progress, written) = go_on(db, &id, budget).await?.into_parts();
        events.extend(written);
        if progress == Progress::Finalizing {
            unfinished.push(id);
        }
    }
    Ok(Committed::new(unfinished, events))
}

/// The cron: contests whose `autoFinalizeAfterHours` passed since their end,
/// finalized with pending awards left out (started here, gone on with as far
/// as `budget` allows; the queue or the next run goes on).
pub async fn auto_finalize(db: &D1Database, limit: u32, budget: Budget) -> ApiResult<Committed<Vec<ContestId>>> {
    let now = platform::now_ms();
    let mut events = Vec::new();
    let mut unfinished = Vec::new();
    for candidate in standings::auto_finalize_candidates(db, &platform::now_iso(), limit).await? {
        if !auto_finalize_due(parse_instant_ms(&candidate.ended_at), Some(candidate.auto_finalize_after_hours), now) {
            continue;
        }
        let Some(contest) = standings::contest(db, &candidate.id).await? else { continue };
        match finalize(db, &contest, true, budget).await {
            Ok(done) => {
                let (progress, written) = done.into_parts();
                events.extend(written);
                if progress == Progress::Finalizing {
                    unfinished.push(contest.id.clone());
                }
            }
            // Reopened since it ended (an endsAt moved on): not now.
            Err(ApiError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Committed::new(unfinished, events))
}
