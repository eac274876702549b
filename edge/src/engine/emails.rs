//! Deciding lifecycle messages: which event of the outbox becomes which
//! message, to whom, once per cause. The rows decide suppression, erasure and
//! the daily cap themselves (`db::emails::enqueue`); a message a contest has
//! not turned on is not written at all.

use crate::db::emails::{self as rows, NewEmail, Recipient};
use crate::db::outbox::EventRow;
use crate::domain::email_templates::MessageKind;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::webhooks::EventType;
use crate::error::ApiResult;
use crate::platform;
use worker::D1Database;

/// Ranked entries read and written per batch of `contest.results`.
const RESULTS_PAGE: u32 = 90;

/// The message an event may send (each only when the contest turned it on).
pub fn message_for(event: EventType) -> Option<MessageKind> {
    match event {
        EventType::EntryCreated => Some(MessageKind::Welcome),
        EventType::AwardCreated | EventType::AwardConfirmed => Some(MessageKind::ReferralConfirmed),
        EventType::PrizeEarned => Some(MessageKind::PrizeEarned),
        EventType::ContestFinalized => Some(MessageKind::ContestResults),
        _ => None,
    }
}

/// The messages an outbox event decides; the ids queued (for `mailing::send_queued`).
/// The same event again writes nothing (each message's cause is its dedupe key).
pub async fn for_event(db: &D1Database, event: &EventRow) -> ApiResult<Vec<String>> {
    match message_for(event.kind) {
        Some(kind) => decide(db, kind, &event.subject_id).await,
        None => Ok(Vec::new()),
    }
}

/// The cron's pass: `prize.earned` for awards of the last day no event told
/// (their event is written only when a webhook endpoint listens).
pub async fn untold_prizes(db: &D1Database, limit: u32) -> ApiResult<Vec<String>> {
    let since = crate::domain::time::iso8601(platform::now_ms() - 86_400_000);
    let mut queued = Vec::new();
    for award in rows::prizes_untold(db, &since, limit).await? {
        queued.extend(decide(db, MessageKind::PrizeEarned, &award).await?);
    }
    Ok(queued)
}

/// The owner's test send: a `test` row whose `ref_id` is the kind it shows
/// (the sender renders that kind with sample values, `render_test`), to `to`.
/// Each request is its own cause; the daily cap bounds them. The row's id and
/// status (`queued`, or `capped`), as the owner's list shows it.
pub async fn send_test(
    db: &D1Database,
    contest_id: &ContestId,
    kind: MessageKind,
    to: &str,
) -> ApiResult<super::Committed<Option<rows::EmailRow>>> {
    let now = platform::now_iso();
    let key = ["test:", &platform::new_id("tst")].concat();
    let email = NewEmail {
        contest_id,
        entry_id: None,
        kind: MessageKind::Test,
        to_address: to,
        ref_id: Some(kind.as_str()),
        dedupe_key: &key,
        now: &now,
    };
    let decided = rows::decide_one(db, &email).await?;
    Ok(super::Committed::without_events(decided.map(|(id, status)| rows::EmailRow {
        id,
        kind: MessageKind::Test,
        to_address: to.to_owned(),
        status,
        attempts: 0,
        last_error: None,
        created_at: now.clone(),
        sent_at: None,
    })))
}

/// The message `kind` about `subject` (an entry, a ledger row, a prize award, a contest).
async fn decide(db: &D1Database, kind: MessageKind, subject: &str) -> ApiResult<Vec<String>> {
    let now = platform::now_iso();
    let one = match kind {
        MessageKind::Welcome => rows::entry_recipient(db, &EntryId::new(subject)).await?,
        MessageKind::ReferralConfirmed => match subject.parse::<i64>() {
            Ok(award) => rows::advocate_of_award(db, award).await?,
            Err(_) => None,
        },
        MessageKind::PrizeEarned => rows::prize_winner(db, subject).await?,
        MessageKind::ContestResults => return results(db, &ContestId::new(subject), &now).await,
        _ => None,
    };
    let Some(to) = one else { return Ok(Vec::new()) };
    if !rows::enabled(db, &to.contest_id, kind).await? {
        return Ok(Vec::new());
    }
    let key = match kind {
        MessageKind::Welcome => [kind.as_str(), ":", to.entry_id.as_str()].concat(),
        _ => [kind.as_str(), ":", subject].concat(),
    };
    let ref_id = (kind != MessageKind::Welcome).then_some(subject);
    let statement = rows::enqueue(db, &new_email(&to, kind, ref_id, &key, &now))?;
    Ok(rows::enqueue_all(db, vec![statement]).await?)
}

fn new_email<'a>(
    to: &'a Recipient,
    kind: MessageKind,
    ref_id: Option<&'a str>,
    key: &'a str,
    now: &'a str,
) -> NewEmail<'a> {
    NewEmail {
        contest_id: &to.contest_id,
        entry_id: Some(&to.entry_id),
        kind,
        to_address: &to.email,
        ref_id,
        dedupe_key: key,
        now,
    }
}

/// `contest.results` to every ranked entry, a page of the standings per batch.
async fn results(db: &D1Database, contest_id: &ContestId, now: &str) -> ApiResult<Vec<String>> {
    let kind = MessageKind::ContestResults;
    if !rows::enabled(db, contest_id, kind).await? {
        return Ok(Vec::new());
    }
    let mut queued = Vec::new();
    let mut after = 0;
    loop {
        let page = rows::ranked(db, contest_id, after, RESULTS_PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.rank;
        let recipients: Vec<(Recipient, String)> = page
            .into_iter()
            .map(|r| {
                let key = [kind.as_str(), ":", r.entry_id.as_str()].concat();
                (Recipient { entry_id: r.entry_id, contest_id: r.contest_id, email: r.email }, key)
            })
            .collect();
        let statements = recipients
            .iter()
            .map(|(to, key)| rows::enqueue(db, &new_email(to, kind, None, key, now)))
            .collect::<Result<Vec<_>, _>>()?;
        queued.extend(rows::enqueue_all(db, statements).await?);
    }
    Ok(queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_map_to_their_messages() {
        assert_eq!(message_for(EventType::EntryCreated), Some(MessageKind::Welcome));
        assert_eq!(message_for(EventType::AwardConfirmed), Some(MessageKind::ReferralConfirmed));
        assert_eq!(message_for(EventType::AwardCreated), Some(MessageKind::ReferralConfirmed));
        assert_eq!(message_for(EventType::PrizeEarned), Some(MessageKind::PrizeEarned));
        assert_eq!(message_for(EventType::ContestFinalized), Some(MessageKind::ContestResults));
        assert_eq!(message_for(EventType::AwardRejected), None);
        assert_eq!(message_for(EventType::ContestEnded), None);
    }
}
