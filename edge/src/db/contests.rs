//! Contests and their settings.

use super::{DbResult, StorageError};
use crate::contest_settings::ContestSettings;
use crate::domain::ids::{AccountId, ContestId};
use crate::domain::v1_pages::PageRequest;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::d1::serde_wasm_bindgen;
use worker::{query, D1Database};

/// A contest: its settings (`contest_settings`, read through `Deref` as the
/// contest's own fields) and the columns no request sets.
#[derive(Debug, Clone, Deserialize)]
pub struct ContestRow {
    pub id: ContestId,
    pub account_id: AccountId,
    pub webhook_secret: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    /// The end (migrations/0021): when it ended, when finalizing started,
    /// when it was finalized (0019).
    #[serde(default)]
    pub ended_at: Option<String>,
    #[serde(default)]
    pub finalize_started_at: Option<String>,
    #[serde(default)]
    pub finalized_at: Option<String>,
    /// When the participant widget first called for this contest (migrations/0028).
    #[serde(default)]
    pub widget_seen_at: Option<String>,
    #[serde(flatten)]
    pub settings: ContestSettings,
}

impl std::ops::Deref for ContestRow {
    type Target = ContestSettings;
    fn deref(&self) -> &ContestSettings {
        &self.settings
    }
}

/// A value as `query!` binds it (`None` is NULL).
fn bound<T: Serialize + ?Sized>(value: &T) -> DbResult<JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(value.serialize(&serializer).map_err(|e| worker::Error::Internal(e.into()))?)
}

/// The settings' columns and their values, bound.
fn settings_columns(s: &ContestSettings) -> DbResult<Vec<(&'static str, JsValue)>> {
    let columns = s.columns().map_err(|e| StorageError::D1(e.to_string()))?;
    columns.into_iter().map(|(column, value)| Ok((column, bound(&value)?))).collect()
}

/// The columns no request sets, then every setting's.
const OWN_COLUMNS: [&str; 9] = [
    "id",
    "account_id",
    "webhook_secret",
    "created_at",
    "updated_at",
    "ended_at",
    "finalize_started_at",
    "finalized_at",
    "widget_seen_at",
];

fn select_sql(filter: &str) -> String {
    let columns = [&OWN_COLUMNS[..], ContestSettings::COLUMNS].concat().join(", ");
    ["SELECT ", &columns, " FROM contests ", filter].concat()
}

/// `?n`.
fn param(n: usize) -> String {
    ["?", &n.to_string()].concat()
}

/// Creates a contest (created and updated now) and reads it back, in one batch.
pub async fn insert(
    db: &D1Database,
    id: &ContestId,
    account_id: &AccountId,
    webhook_secret: &str,
    settings: &ContestSettings,
    now: &str,
) -> DbResult<ContestRow> {
    let mut columns = vec![
        ("id", bound(id)?),
        ("account_id", bound(account_id)?),
        ("webhook_secret", bound(webhook_secret)?),
        ("created_at", bound(now)?),
        ("updated_at", bound(now)?),
    ];
    columns.extend(settings_columns(settings)?);
    let names: Vec<&str> = columns.iter().map(|(column, _)| *column).collect();
    let params: Vec<String> = (1..=columns.len()).map(param).collect();
    let sql = ["INSERT INTO contests (", &names.join(", "), ") VALUES (", &params.join(", "), ")"].concat();
    let bindings: Vec<JsValue> = columns.into_iter().map(|(_, value)| value).collect();
    let mut batch = super::Batch::new();
    batch.push(db.prepare(&sql).bind(&bindings)?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)?.ok_or_else(|| StorageError::D1("contest missing after insert".into()))
}

/// Replaces a contest's inbound webhook secret and reads the contest back, in
/// one batch (`None`: no such contest).
pub async fn set_webhook_secret(
    db: &D1Database,
    id: &ContestId,
    account_id: &AccountId,
    secret: &str,
    now: &str,
) -> DbResult<Option<ContestRow>> {
    let mut batch = super::Batch::new();
    batch.push(query!(
        db,
        "UPDATE contests SET webhook_secret = ?3, updated_at = ?4 WHERE id = ?1 AND account_id = ?2",
        id,
        account_id,
        secret,
        now
    )?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)
}

/// Writes the settings named in `only` (columns of `ContestSettings`) of a
/// contest of this account, in one UPDATE of those columns alone, and reads it
/// back, in one batch (`None`: no such contest). The other columns keep what
/// the row has at that moment, so concurrent changes of different settings
/// all land.
pub async fn update(
    db: &D1Database,
    id: &ContestId,
    account_id: &AccountId,
    settings: &ContestSettings,
    only: &[&str],
    now: &str,
) -> DbResult<Option<ContestRow>> {
    let mut bindings = vec![bound(id)?, bound(account_id)?];
    let mut sets = Vec::new();
    let named = settings_columns(settings)?.into_iter().filter(|(column, _)| only.contains(column));
    for (column, value) in [("updated_at", bound(now)?)].into_iter().chain(named) {
        bindings.push(value);
        sets.push([column, " = ", &param(bindings.len())].concat());
    }
    let sql = ["UPDATE contests SET ", &sets.join(", "), " WHERE id = ?1 AND account_id = ?2"].concat();
    let mut batch = super::Batch::new();
    batch.push(db.prepare(&sql).bind(&bindings)?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)
}

/// A contest by id, if this account's: `?1` the id, `?2` the account.
pub(super) fn owned_sql() -> String {
    select_sql("WHERE id = ?1 AND account_id = ?2")
}

/// A contest of this account (another account's contest does not exist here).
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &ContestId) -> DbResult<Option<ContestRow>> {
    super::first(query!(db, &owned_sql(), id, account_id)?).await
}

/// A contest by id alone: for the public referral endpoints and webhooks, which
/// carry no key.
pub async fn find(db: &D1Database, id: &ContestId) -> DbResult<Option<ContestRow>> {
    super::first(query!(db, &by_id_sql(), id)?).await
}

pub(super) fn by_id_sql() -> String {
    select_sql("WHERE id = ?1")
}

/// The contest of the entry `?1`.
pub(super) fn of_entry_sql() -> String {
    select_sql("WHERE id = (SELECT contest_id FROM entries WHERE id = ?1)")
}

pub(super) fn list_owned_sql() -> String {
    select_sql("WHERE account_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3")
}

/// How many entries a contest has: the count a trigger keeps
/// (migrations/0010), not a count of the rows.
pub(super) const ENTRY_COUNT: &str = "SELECT entry_count AS n FROM contests WHERE id = ?1";

pub(super) const COUNT_OWNED: &str = "SELECT COUNT(*) AS n FROM contests WHERE account_id = ?1";

pub async fn list_owned(
    db: &D1Database,
    account_id: &AccountId,
    page: PageRequest,
) -> DbResult<(Vec<ContestRow>, u64)> {
    super::page::read(
        db,
        query!(db, &list_owned_sql(), account_id, page.limit, page.offset())?,
        query!(db, COUNT_OWNED, account_id)?,
    )
    .await
}

/// The contest's sender address (migrations/0024), if it has one: without
/// it the contest sends no email.
pub const EMAIL_FROM: &str = "SELECT email_from FROM contests WHERE id = ?1";

#[derive(Deserialize)]
struct EmailFrom {
    email_from: Option<String>,
}

pub async fn email_from(db: &D1Database, id: &ContestId) -> DbResult<Option<String>> {
    let row: Option<EmailFrom> = super::first(query!(db, EMAIL_FROM, id)?).await?;
    Ok(row.and_then(|r| r.email_from))
}

/// Notes the participant widget's first call for a contest (its join form's
/// read, a participant's read of the contest): written once, later calls
/// change nothing. Callers make it only while their row says it is unset.
pub const MARK_WIDGET_SEEN: &str = "UPDATE contests SET widget_seen_at = ?2 WHERE id = ?1 AND widget_seen_at IS NULL";

pub async fn mark_widget_seen(db: &D1Database, id: &ContestId, now: &str) -> DbResult<()> {
    query!(db, MARK_WIDGET_SEEN, id, now)?.run().await?;
    Ok(())
}
