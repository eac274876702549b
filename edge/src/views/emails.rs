//! Participant email as the API shows it: the owner's list, the unsubscribe answer.

use crate::db::emails::EmailRow;
use crate::domain::email_templates::MessageKind;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Email<'a> {
    pub id: &'a str,
    pub kind: MessageKind,
    pub to: &'a str,
    pub status: &'a str,
    pub attempts: i64,
    pub last_error: Option<&'a str>,
    pub created_at: &'a str,
    pub sent_at: Option<&'a str>,
}

pub fn email(row: &EmailRow) -> Email<'_> {
    Email {
        id: &row.id,
        kind: row.kind,
        to: &row.to_address,
        status: &row.status,
        attempts: row.attempts,
        last_error: row.last_error.as_deref(),
        created_at: &row.created_at,
        sent_at: row.sent_at.as_deref(),
    }
}

#[derive(Serialize)]
pub struct Unsubscribed {
    pub unsubscribed: bool,
}
