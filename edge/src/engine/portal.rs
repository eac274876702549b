//! Getting back to one's link: the `portal` message (its link is minted when
//! the message is sent, `domain::portal`), asked for by the participant
//! (`POST /api/referral/portal-link`) or sent by the owner.

use super::Committed;
use crate::db::{self, emails::NewEmail, entries::EntryRow, DbResult};
use crate::domain::email_templates::MessageKind;
use crate::domain::portal;
use worker::D1Database;

/// Queues `entry`'s portal message, once per minute (`portal::dedupe_key`);
/// an erased entry gets nothing. Whether it goes out (the cap) is
/// `db::emails::enqueue`'s decision. The ids queued, for `mailing::send_queued`.
pub async fn send_link(db: &D1Database, entry: &EntryRow, now_ms: i64) -> DbResult<Committed<Vec<String>>> {
    if entry.erased_at.is_some() {
        return Ok(Committed::without_events(Vec::new()));
    }
    let now = crate::domain::time::iso8601(now_ms);
    let key = portal::dedupe_key(entry.id.as_str(), now_ms);
    let email = NewEmail {
        contest_id: &entry.contest_id,
        entry_id: Some(&entry.id),
        kind: MessageKind::Portal,
        to_address: &entry.email,
        ref_id: None,
        dedupe_key: &key,
        now: &now,
    };
    let queued = db::emails::enqueue_all(db, vec![db::emails::enqueue(db, &email)?]).await?;
    Ok(Committed::without_events(queued))
}
