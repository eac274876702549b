//! Bonus actions as use cases: completion (by the participant or for them) and
//! the owner's review, each one D1 batch.

use super::{ensure_contest_open, Committed};
use crate::db::bonus::{ActionRow, CompletionReads, CompletionRow, NewCompletion};
use crate::db::entries::EntryRow;
use crate::db::ledger::{Award, Guard, Reason};
use crate::db::outbox::Event as OutboxEvent;
use crate::db::{self, Batch};
use crate::domain::bonus::{
    evaluate, quiz_retry_after, CompletionStatus, INCORRECT_ANSWER, MAX_WRONG_ANSWERS, WRONG_ANSWER_WINDOW_SECS,
};
use crate::domain::ids::AccountId;
use crate::domain::time;
use crate::domain::webhooks::EventType;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::{D1Database, D1PreparedStatement};

/// What the participant sent with a completion, validated.
pub struct Submission<'a> {
    pub proof: Option<&'a str>,
    pub answer: Option<&'a str>,
}

pub enum Completed {
    /// This request completed (or submitted) the action.
    New { completion: CompletionRow, new_total_points: i64 },
    /// The entry completed or submitted it before: nothing changed.
    Already(CompletionRow),
}

/// Completes an action for an entry, once. Auto and click actions complete and
/// award at once; manual ones wait for approval; quiz ones check the answer.
/// A second completion (even a concurrent one) awards nothing.
/// `existing` and `contest` are what `db::bonus::completion_reads` read with
/// the entry and the action (one round trip), so this writes in one more.
pub async fn complete(
    db: &D1Database,
    entry: &EntryRow,
    action: &ActionRow,
    reads: CompletionReads,
    misses_since: &str,
    s: Submission<'_>,
) -> ApiResult<Committed<Completed>> {
    let CompletionReads { existing, contest, misses, .. } = reads;
    if let Some(existing) = existing {
        return Ok(Committed::without_events(Completed::Already(existing)));
    }
    if entry.is_disqualified() {
        return Err(ApiError::conflict("Entry is disqualified"));
    }
    let contest = contest.ok_or_else(|| ApiError::not_found("Contest not found"))?;
    ensure_contest_open(&contest)?;
    let locked = || {
        let oldest = misses.oldest.as_deref().and_then(time::parse_instant_ms);
        ApiError::TooManyWrongAnswers { retry_after: quiz_retry_after(oldest, platform::now_ms()) }
    };
    if misses.n >= MAX_WRONG_ANSWERS {
        return Err(locked());
    }
    let now = platform::now_iso();
    let status = match evaluate(action.confirmation_type, action.correct_answer.as_deref(), s.answer) {
        Ok(outcome) => outcome.status(),
        Err(INCORRECT_ANSWER) => return Err(wrong_answer(db, entry, action, &now, misses_since, locked).await),
        Err(why) => return Err(ApiError::bad_request(why)),
    };
    let verified = status == CompletionStatus::Verified;
    let id = platform::new_id("bc");
    let mut batch = Batch::new();
    batch.push(db::bonus::insert_completion_if_new(
        db,
        &NewCompletion {
            id: &id,
            entry_id: &entry.id,
            bonus_action_id: &action.id,
            status,
            proof: s.proof,
            answer: s.answer,
            points_awarded: if verified { action.points } else { 0 },
            completed_at: verified.then_some(now.as_str()),
            created_at: &now,
            misses_since,
            max_misses: MAX_WRONG_ANSWERS,
        },
    )?);
    if verified {
        batch.extend(award(db, entry, action, &id, &now)?);
        batch.push(completed_event(db, &contest.account_id, &id, &now)?);
    }
    let completion = batch.push(db::bonus::select_completion(db, &entry.id, &action.id)?);
    let after = batch.push(db::entries::select_by_id(db, &entry.id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    // No completion at all: wrong answers given meanwhile locked the quiz.
    let completion: CompletionRow = completion.first(&results)?.ok_or_else(locked)?;
    if completion.id != id {
        return Ok(Committed::new(Completed::Already(completion), events));
    }
    let updated: EntryRow = after.first(&results)?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    Ok(Committed::new(Completed::New { completion, new_total_points: updated.total_points }, events))
}

/// A wrong answer: recorded while the window has room (the 400 it earns),
/// else the quiz is locked (429), parallel guesses included.
async fn wrong_answer(
    db: &D1Database,
    entry: &EntryRow,
    action: &ActionRow,
    now: &str,
    since: &str,
    locked: impl FnOnce() -> ApiError,
) -> ApiError {
    let recorded = async {
        let [miss, recorded] = db::bonus::record_miss(db, &entry.id, &action.id, now, since, MAX_WRONG_ANSWERS)?;
        let mut batch = Batch::new();
        batch.push(miss);
        let recorded = batch.push(recorded);
        let results = batch.run(db).await?;
        Ok::<bool, ApiError>(!recorded.rows::<serde_json::Value>(&results)?.is_empty())
    };
    match recorded.await {
        Ok(true) => ApiError::bad_request(INCORRECT_ANSWER),
        Ok(false) => locked(),
        Err(e) => e,
    }
}

/// The start of the window wrong quiz answers are counted in.
pub fn misses_since() -> String {
    time::iso8601(platform::now_ms() - WRONG_ANSWER_WINDOW_SECS * 1000)
}

pub struct Reviewed {
    pub status: CompletionStatus,
    pub points_added: i64,
    pub new_total_points: i64,
}

/// `bonus_action.completed` for a completion, written once it is verified.
fn completed_event(
    db: &D1Database,
    account_id: &AccountId,
    completion_id: &str,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    let event = OutboxEvent::new(account_id, EventType::BonusActionCompleted, completion_id, now);
    Ok(db::outbox::record(db, &event, Guard::CompletionVerified(completion_id))?)
}

/// The owner's review of a pending completion: approval verifies it and awards
/// the action's points, once; rejection awards nothing.
pub async fn review(
    db: &D1Database,
    account_id: &AccountId,
    entry: &EntryRow,
    action: &ActionRow,
    approve: bool,
) -> ApiResult<Committed<Reviewed>> {
    let completion = db::bonus::find_completion(db, &entry.id, &action.id)
        .await?
        .ok_or_else(|| ApiError::not_found("No completion of this bonus action for this entry"))?;
    if completion.status != CompletionStatus::Pending {
        return Err(ApiError::conflict("Completion is not pending review"));
    }
    let now = platform::now_iso();
    let (status, points) =
        if approve { (CompletionStatus::Verified, action.points) } else { (CompletionStatus::Rejected, 0) };
    let mut batch = Batch::new();
    let reviewed = batch.push(db::bonus::review(db, &completion.id, status, points, &now)?);
    if approve {
        batch.extend(award(db, entry, action, &completion.id, &now)?);
        batch.push(completed_event(db, account_id, &completion.id, &now)?);
    }
    let after = batch.push(db::entries::select_by_id(db, &entry.id)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    if reviewed.changes(&results)? == 0 {
        return Err(ApiError::conflict("Completion is not pending review"));
    }
    let updated: EntryRow = after.first(&results)?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    Ok(Committed::new(Reviewed { status, points_added: points, new_total_points: updated.total_points }, events))
}

/// The action's points for a verified completion and the entry's recomputed
/// totals (nothing for an action worth no points).
fn award(
    db: &D1Database,
    entry: &EntryRow,
    action: &ActionRow,
    completion_id: &str,
    now: &str,
) -> ApiResult<Vec<D1PreparedStatement>> {
    if action.points == 0 {
        return Ok(Vec::new());
    }
    let award = Award {
        entry_id: &entry.id,
        contest_id: &entry.contest_id,
        delta: action.points,
        reason: Reason::BonusAction,
        ref_id: &action.id,
        note: Some(&action.action),
        created_at: now,
        hold: None,
        confirm_after: None,
    };
    Ok(db::ledger::award(db, &award, Guard::CompletionVerified(completion_id))?.into())
}
