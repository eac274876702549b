//! The contest's own events (`contest.ended`, `contest.finalized`): each
//! written by the batch that set its column to the batch's time, so once per
//! contest whoever (the owner, the cron, the queue) got there first.

use super::{listened_to, INSERT_EVENT};
use crate::db::DbResult;
use crate::domain::ids::ContestId;
use crate::domain::webhooks::EventType;
use worker::{query, D1Database, D1PreparedStatement};

/// `contest.ended` if this batch (`now`) set the contest's `ended_event_at`.
pub fn contest_ended(db: &D1Database, contest_id: &ContestId, now: &str) -> DbResult<D1PreparedStatement> {
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &contest_ended_sql(), &id, EventType::ContestEnded.as_str(), now, contest_id)?)
}

pub(in crate::db) fn contest_ended_sql() -> String {
    contest_event_sql("c.ended_event_at = ?3")
}

/// `contest.finalized` if this batch (`now`) set the contest's `finalized_at`.
pub fn contest_finalized(db: &D1Database, contest_id: &ContestId, now: &str) -> DbResult<D1PreparedStatement> {
    let id = crate::platform::new_id("evt");
    Ok(query!(db, &contest_finalized_sql(), &id, EventType::ContestFinalized.as_str(), now, contest_id)?)
}

pub(in crate::db) fn contest_finalized_sql() -> String {
    contest_event_sql("c.finalized_at = ?3")
}

fn contest_event_sql(condition: &str) -> String {
    [
        INSERT_EVENT,
        "SELECT ?1, c.account_id, ?2, c.id, ?3 FROM contests c WHERE c.id = ?4 AND ",
        condition,
        &listened_to("c.account_id"),
    ]
    .concat()
}
