//! Double opt-in (`requireEmailConfirmation`): the confirm link confirms a
//! waiting signup's address once, releasing its referral awards to the holds
//! the contest's rules gave them; the cron rejects what waited past
//! `confirmationDays`. Each is one batch.

use super::review::{moved, settled};
use super::Committed;
use crate::db::rewards::Friend;
use crate::db::{self, Batch};
use crate::domain::confirm_token::{self, TokenError};
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::{confirm_after, Hold};
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// What the confirm link did.
#[derive(Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// This request confirmed the address.
    Confirmed,
    /// It was confirmed before (the link is single-use: nothing more happens).
    Already,
}

fn invalid() -> ApiError {
    ApiError::WebhookUnauthorized("Invalid confirmation link")
}

fn expired() -> ApiError {
    ApiError::conflict("This confirmation link has expired")
}

/// Confirms the address of the entry `token` names: its awards held
/// `email_unconfirmed` take the hold they would have had (or confirm), its
/// totals, links, referee reward and events follow, in one batch. Answers the
/// entry's contest. Two concurrent uses confirm once (the entry's update is
/// conditional and the awards' moves are guarded by it).
pub async fn confirm(db: &D1Database, token: &str) -> ApiResult<Committed<(ContestId, Confirmation)>> {
    let entry_id = EntryId::new(confirm_token::claimed_entry(token).ok_or_else(invalid)?);
    let state = db::entries::confirmation_state(db, &entry_id).await?.ok_or_else(invalid)?;
    let secret = state.token_secret.as_deref().ok_or_else(invalid)?;
    let now_ms = platform::now_ms();
    match confirm_token::verify(token, secret, now_ms.div_euclid(1000)) {
        Ok(_) => {}
        Err(TokenError::Expired) => return Err(expired()),
        Err(TokenError::Malformed | TokenError::BadSignature) => return Err(invalid()),
    }
    match state.email_confirmation.as_deref() {
        None => return Ok(Committed::without_events((state.contest_id, Confirmation::Already))),
        Some("expired") => return Err(expired()),
        Some(_) => {}
    }
    let held = db::ledger::held_awards(db, &entry_id).await?;
    let now = platform::now_iso();
    // A review or velocity hold's holdDays count from the confirmation.
    let due = confirm_after(Some(Hold::Review), state.hold_days, now_ms);
    let mut batch = Batch::new();
    let confirmed = batch.push(db::entries::confirm(db, &entry_id, &now)?);
    for award in &held {
        batch.push(db::ledger::release(db, award.id, &now, due.as_deref(), &entry_id)?);
        batch.extend(settled(db, award.id, &award.contest_id, &now)?);
    }
    // The referee reward of a referral without a friend's award (friendPoints 0).
    batch.extend(db::rewards::earn_referee(db, Friend::Entry(&entry_id), &now)?);
    // The events its triggers wrote (awards, prizes), sent with the rest.
    batch.push(db::outbox::triggered_events(db, &now)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    if confirmed.changed(&results)? {
        return Ok(Committed::new((state.contest_id, Confirmation::Confirmed), events));
    }
    // Another use got there first, or the time ran out in between.
    let after = db::entries::confirmation_state(db, &entry_id).await?.ok_or_else(invalid)?;
    match after.email_confirmation {
        None => Ok(Committed::new((state.contest_id, Confirmation::Already), events)),
        Some(_) => Err(expired()),
    }
}

/// The cron: entries still unconfirmed past their time are expired and their
/// held awards rejected (with totals, links and `award.rejected` events), a
/// bounded number per run. Answers how many awards were rejected.
pub async fn reject_expired(db: &D1Database) -> ApiResult<Committed<u64>> {
    const BATCH: u32 = 50;
    let mut rejected = 0;
    let mut events = Vec::new();
    for _ in 0..10 {
        let now = platform::now_iso();
        let due = db::entries::confirmation_due(db, &now, BATCH).await?;
        if due.is_empty() {
            break;
        }
        let mut reads = Batch::new();
        let held: Vec<_> =
            due.iter().map(|e| db::ledger::held_for(db, &e.id).map(|s| reads.push(s))).collect::<Result<_, _>>()?;
        let read = reads.run(db).await?;
        let mut batch = Batch::new();
        let mut moves = Vec::new();
        for (entry, held) in due.iter().zip(&held) {
            batch.push(db::entries::expire(db, &entry.id, &now)?);
            for award in held.rows::<db::ledger::HeldAward>(&read)? {
                moves.push(batch.push(db::ledger::reject_unconfirmed(db, award.id, &now)?));
                batch.extend(settled(db, award.id, &award.contest_id, &now)?);
            }
        }
        batch.push(db::outbox::triggered_events(db, &now)?);
        let results = batch.run(db).await?;
        rejected += moved(&moves, &results)?;
        events.extend(db::outbox::written_in(&results)?);
        if (due.len() as u32) < BATCH {
            break;
        }
    }
    Ok(Committed::new(rejected, events))
}
