//! Webhook endpoints (an account's receivers) and the log of their deliveries.
//! Every statement names the account, so another account's endpoint is never
//! read, changed or deleted.

use super::DbResult;
use crate::domain::ids::{AccountId, EndpointId};
use crate::domain::v1_pages::PageRequest;
use crate::domain::webhooks::{DeliveryStatus, EventType, MAX_ENDPOINTS};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Deserialize)]
pub struct EndpointRow {
    pub id: EndpointId,
    pub account_id: AccountId,
    pub url: String,
    pub description: Option<String>,
    /// A JSON array of event types.
    pub events: String,
    #[serde(deserialize_with = "super::flag")]
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_expires_at: Option<String>,
    pub consecutive_failures: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl EndpointRow {
    /// The subscribed event types (an unreadable value counts as none).
    pub fn event_types(&self) -> Vec<EventType> {
        serde_json::from_str(&self.events).unwrap_or_default()
    }
}

/// The `events` column of a subscription.
fn events_text(events: &[EventType]) -> String {
    serde_json::to_string(events).unwrap_or_else(|_| "[]".into())
}

const SELECT: &str = "SELECT id, account_id, url, description, events, enabled, disabled_reason, secret,
  previous_secret, previous_expires_at, consecutive_failures, created_at, updated_at
  FROM webhook_endpoints ";

fn select(rest: &str) -> String {
    [SELECT, rest].concat()
}

pub(super) fn owned_sql() -> String {
    select("WHERE id = ?1 AND account_id = ?2")
}

fn select_owned(db: &D1Database, account_id: &AccountId, id: &EndpointId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &owned_sql(), id, account_id)?)
}

/// An endpoint of the account.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &EndpointId) -> DbResult<Option<EndpointRow>> {
    super::first(select_owned(db, account_id, id)?).await
}

pub struct NewEndpoint<'a> {
    pub id: &'a EndpointId,
    pub account_id: &'a AccountId,
    pub url: &'a str,
    pub description: Option<&'a str>,
    pub events: &'a [EventType],
    pub secret: &'a str,
    pub now: &'a str,
}

/// Inserts the endpoint unless the account already has `MAX_ENDPOINTS` (one
/// statement, so two creations at once cannot both pass the count). None when
/// the limit refused it.
pub async fn insert(db: &D1Database, e: &NewEndpoint<'_>) -> DbResult<Option<EndpointRow>> {
    let insert = query!(
        db,
        "INSERT INTO webhook_endpoints (id, account_id, url, description, events, secret, created_at, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7
         WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE account_id = ?2) < ?8",
        e.id,
        e.account_id,
        e.url,
        e.description,
        events_text(e.events),
        e.secret,
        e.now,
        MAX_ENDPOINTS
    )?;
    super::write_then_read(db, insert, select_owned(db, e.account_id, e.id)?).await
}

pub(super) fn page_sql() -> String {
    select("WHERE account_id = ?1 ORDER BY created_at, id LIMIT ?2 OFFSET ?3")
}

pub(super) const COUNT_OWNED: &str = "SELECT COUNT(*) AS n FROM webhook_endpoints WHERE account_id = ?1";

/// The account's endpoints, oldest first; one page.
pub async fn list(db: &D1Database, account_id: &AccountId, page: PageRequest) -> DbResult<(Vec<EndpointRow>, u64)> {
    super::page::read(
        db,
        query!(db, &page_sql(), account_id, page.limit, page.offset())?,
        query!(db, COUNT_OWNED, account_id)?,
    )
    .await
}

/// A PATCH: `None` leaves a field as it is.
pub struct EndpointChange<'a> {
    pub url: Option<&'a str>,
    /// `Some(None)` clears the description.
    pub description: Option<Option<&'a str>>,
    pub events: Option<&'a [EventType]>,
    /// Enabling also clears the reason and the failure count; disabling gives
    /// the owner's reason.
    pub enabled: Option<bool>,
}

/// Why an endpoint its owner turned off is disabled.
pub const DISABLED_BY_OWNER: &str = "Disabled by the owner";

/// Applies a PATCH in one UPDATE (the failure count is never read and written
/// back, so a delivery counting a failure meanwhile is not lost) and answers the
/// endpoint as it is now; None when the account has no such endpoint.
pub async fn update(
    db: &D1Database,
    account_id: &AccountId,
    id: &EndpointId,
    change: &EndpointChange<'_>,
    now: &str,
) -> DbResult<Option<EndpointRow>> {
    let update = query!(
        db,
        "UPDATE webhook_endpoints SET url = COALESCE(?3, url),
           description = CASE WHEN ?4 = 1 THEN ?5 ELSE description END,
           events = COALESCE(?6, events),
           enabled = COALESCE(?7, enabled),
           disabled_reason = CASE ?7 WHEN 1 THEN NULL WHEN 0 THEN ?8 ELSE disabled_reason END,
           consecutive_failures = CASE ?7 WHEN 1 THEN 0 ELSE consecutive_failures END,
           updated_at = ?9
         WHERE id = ?1 AND account_id = ?2",
        id,
        account_id,
        change.url,
        i64::from(change.description.is_some()),
        change.description.flatten(),
        change.events.map(events_text),
        change.enabled.map(i64::from),
        DISABLED_BY_OWNER,
        now
    )?;
    super::write_then_read(db, update, select_owned(db, account_id, id)?).await
}

/// A new signing secret; the current one keeps signing until `previous_expires_at`.
/// None when the account has no such endpoint.
pub async fn rotate_secret(
    db: &D1Database,
    account_id: &AccountId,
    id: &EndpointId,
    secret: &str,
    previous_expires_at: &str,
    now: &str,
) -> DbResult<Option<EndpointRow>> {
    let update = query!(
        db,
        "UPDATE webhook_endpoints SET previous_secret = secret, previous_expires_at = ?4, secret = ?3, updated_at = ?5
         WHERE id = ?1 AND account_id = ?2",
        id,
        account_id,
        secret,
        previous_expires_at,
        now
    )?;
    super::write_then_read(db, update, select_owned(db, account_id, id)?).await
}

/// Deletes the endpoint and (ON DELETE CASCADE) its deliveries. False when the
/// account has no such endpoint.
pub async fn delete(db: &D1Database, account_id: &AccountId, id: &EndpointId) -> DbResult<bool> {
    let result =
        super::run(query!(db, "DELETE FROM webhook_endpoints WHERE id = ?1 AND account_id = ?2", id, account_id)?)
            .await?;
    Ok(super::changes(&result) > 0)
}

/// One delivery of the log, with its event's type.
#[derive(Debug, Deserialize)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub event_type: EventType,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_status_code: Option<i64>,
    pub last_duration_ms: Option<i64>,
    pub last_answer: Option<String>,
    pub last_error: Option<String>,
    pub next_retry_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

pub(super) const DELIVERIES_PAGE: &str = "SELECT d.id, d.event_id, e.type AS event_type, d.status, d.attempts,
  d.last_status_code, d.last_duration_ms, d.last_answer, d.last_error, d.next_retry_at, d.created_at, d.updated_at
  FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
  WHERE d.endpoint_id = ?1 ORDER BY d.created_at DESC, d.id DESC LIMIT ?2 OFFSET ?3";

pub(super) const COUNT_DELIVERIES: &str = "SELECT COUNT(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?1";

/// An endpoint's deliveries, newest first; one page.
pub async fn deliveries(
    db: &D1Database,
    endpoint_id: &EndpointId,
    page: PageRequest,
) -> DbResult<(Vec<DeliveryRow>, u64)> {
    super::page::read(
        db,
        query!(db, DELIVERIES_PAGE, endpoint_id, page.limit, page.offset())?,
        query!(db, COUNT_DELIVERIES, endpoint_id)?,
    )
    .await
}
