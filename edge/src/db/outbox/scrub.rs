//! Erasure's share of the outbox: the person taken out of stored bodies.

use crate::db::DbResult;
use crate::domain::ids::{ContestId, EntryId};
use worker::{query, D1Database, D1PreparedStatement};

/// What an erasure (`entries::erase`) does to stored webhook bodies, in its
/// batch: every body of the account that names the person (their entry id,
/// email or display email, as JSON strings) keeps only its type, timestamp and
/// `{"id": subject}` (what an event of an erased subject is rendered as), and
/// its deliveries forget the receiver's answers (which may echo the body). A
/// redelivery then sends the scrubbed body. Events not yet fanned out have no
/// body: theirs is rendered from the erased entry.
pub fn scrub_person(
    db: &D1Database,
    contest_id: &ContestId,
    entry_id: &EntryId,
    email: &str,
    email_display: &str,
) -> DbResult<Vec<D1PreparedStatement>> {
    const NAMES: &str = "account_id = (SELECT account_id FROM contests WHERE id = ?1) AND payload IS NOT NULL
           AND (instr(payload, '\"' || ?2 || '\"') > 0 OR instr(payload, '\"' || ?3 || '\"') > 0
                OR instr(payload, '\"' || ?4 || '\"') > 0)";
    let answers = [
        "UPDATE webhook_deliveries SET last_answer = NULL WHERE event_id IN (SELECT id FROM webhook_events WHERE ",
        NAMES,
        ")",
    ]
    .concat();
    let bodies = [
        "UPDATE webhook_events SET payload = json_object('type', type, 'timestamp', json_extract(payload, '$.timestamp'),
           'data', json_object('id', subject_id)) WHERE ",
        NAMES,
    ]
    .concat();
    Ok(vec![
        query!(db, &answers, contest_id, entry_id, email, email_display)?,
        query!(db, &bodies, contest_id, entry_id, email, email_display)?,
    ])
}
