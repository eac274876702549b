//! A contest's own versions of its messages (`email_templates`, migration
//! 0024): whether each is on and its subject, text and HTML (NULL: the
//! shipped text). The sender reads them with the message (`emails::JOB`);
//! the owner's editor reads and writes them here.

use super::DbResult;
use crate::domain::email_templates::edit::Change;
use crate::domain::email_templates::{MessageKind, Template};
use crate::domain::ids::ContestId;
use serde::Deserialize;
use worker::{query, D1Database};

/// One stored override (absent: the defaults).
#[derive(Debug, Deserialize)]
pub struct TemplateRow {
    pub kind: MessageKind,
    /// None: never set (off for the optional kinds).
    pub enabled: Option<i64>,
    pub subject: Option<String>,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub updated_at: String,
}

impl TemplateRow {
    pub fn template(&self) -> Template {
        Template { subject: self.subject.clone(), text: self.body_text.clone(), html: self.body_html.clone() }
    }

    pub fn enabled(&self) -> Option<bool> {
        self.enabled.map(|e| e == 1)
    }
}

pub(in crate::db) const OF_CONTEST: &str =
    "SELECT kind, enabled, subject, body_text, body_html, updated_at FROM email_templates WHERE contest_id = ?1";

/// The contest's overrides, any order.
pub async fn of_contest(db: &D1Database, contest_id: &ContestId) -> DbResult<Vec<TemplateRow>> {
    super::all(query!(db, OF_CONTEST, contest_id)?).await
}

pub(in crate::db) const ONE: &str = "SELECT kind, enabled, subject, body_text, body_html, updated_at
  FROM email_templates WHERE contest_id = ?1 AND kind = ?2";

/// The override of one kind.
pub async fn one(db: &D1Database, contest_id: &ContestId, kind: MessageKind) -> DbResult<Option<TemplateRow>> {
    super::first(query!(db, ONE, contest_id, kind.as_str())?).await
}

/// `?3`-`?6` the values (NULL: the default), `?8`-`?11` whether the change
/// writes each: a field the change does not name keeps its stored value.
pub(in crate::db) const SAVE: &str = "INSERT INTO email_templates
  (contest_id, kind, enabled, subject, body_text, body_html, updated_at)
  VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
  ON CONFLICT (contest_id, kind) DO UPDATE SET
    enabled = CASE WHEN ?8 = 1 THEN excluded.enabled ELSE email_templates.enabled END,
    subject = CASE WHEN ?9 = 1 THEN excluded.subject ELSE email_templates.subject END,
    body_text = CASE WHEN ?10 = 1 THEN excluded.body_text ELSE email_templates.body_text END,
    body_html = CASE WHEN ?11 = 1 THEN excluded.body_html ELSE email_templates.body_html END,
    updated_at = excluded.updated_at";

/// Writes a checked change (`edit::check`) and reads the override back, in
/// one batch: two owners saving at once each keep the fields they named.
pub async fn save(
    db: &D1Database,
    contest_id: &ContestId,
    kind: MessageKind,
    change: &Change,
    now: &str,
) -> DbResult<Option<TemplateRow>> {
    let enabled = change.enabled.write();
    let subject = change.subject.write();
    let text = change.text.write();
    let html = change.html.write();
    let flag = |w: bool| i32::from(w);
    let mut batch = super::Batch::new();
    batch.push(query!(
        db,
        SAVE,
        contest_id,
        kind.as_str(),
        enabled.flatten().map(|on| i32::from(*on)),
        subject.flatten(),
        text.flatten(),
        html.flatten(),
        now,
        flag(enabled.is_some()),
        flag(subject.is_some()),
        flag(text.is_some()),
        flag(html.is_some())
    )?);
    let row = batch.push(query!(db, ONE, contest_id, kind.as_str())?);
    row.first(&batch.run(db).await?)
}
