//! Delivering: what an attempt needs, what it gave and what that means for
//! the endpoint; the owner's redelivery.

use crate::db::DbResult;
use crate::domain::ids::{AccountId, DeliveryId, EndpointId};
use crate::domain::webhooks::DeliveryStatus;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// A delivery with what an attempt needs: where, the keys, the body.
#[derive(Deserialize)]
pub struct DeliveryJob {
    pub id: DeliveryId,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub endpoint_id: EndpointId,
    pub url: String,
    #[serde(deserialize_with = "crate::db::flag")]
    pub enabled: bool,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_expires_at: Option<String>,
    pub payload: Option<String>,
}

pub(in crate::db) const DELIVERY_JOB: &str =
    "SELECT d.id, d.status, d.attempts, d.endpoint_id, w.url, w.enabled, w.secret, w.previous_secret,
                w.previous_expires_at, e.payload
           FROM webhook_deliveries d
           JOIN webhook_endpoints w ON w.id = d.endpoint_id
           JOIN webhook_events e ON e.id = d.event_id
          WHERE d.id = ?1";

pub async fn delivery_job(db: &D1Database, id: &DeliveryId) -> DbResult<Option<DeliveryJob>> {
    crate::db::first(query!(db, DELIVERY_JOB, id)?).await
}

/// What one attempt gave.
pub struct Attempt<'a> {
    pub status_code: Option<u16>,
    pub duration_ms: i64,
    pub answer: Option<&'a str>,
    pub error: Option<&'a str>,
    pub at: &'a str,
}

/// How a delivery stands after an attempt.
pub enum Outcome<'a> {
    Succeeded,
    /// Another attempt at this time.
    RetryAt(&'a str),
    /// No attempt left: failed for good.
    Failed,
}

pub(in crate::db) const RESET_FAILURES: &str = "UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ?1";

pub(in crate::db) const ATTEMPT: &str =
    "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, last_status_code = ?3,
                last_duration_ms = ?4, last_answer = ?5, last_error = ?6, next_retry_at = ?7, updated_at = ?8
          WHERE id = ?1 AND status = 'pending'";

/// Records an attempt, in one batch with what it means for the endpoint: a
/// success resets its run of failures; a delivery failed for good adds to it,
/// and the 20th in a row disables the endpoint with the reason.
pub async fn record_attempt(
    db: &D1Database,
    job: &DeliveryJob,
    attempt: &Attempt<'_>,
    outcome: Outcome<'_>,
    disable_after: u32,
) -> DbResult<()> {
    let (status, next) = match outcome {
        Outcome::Succeeded => (DeliveryStatus::Succeeded, None),
        Outcome::RetryAt(at) => (DeliveryStatus::Pending, Some(at)),
        Outcome::Failed => (DeliveryStatus::Failed, None),
    };
    let delivery = query!(
        db,
        ATTEMPT,
        &job.id,
        status.as_str(),
        attempt.status_code,
        attempt.duration_ms,
        attempt.answer,
        attempt.error,
        next,
        attempt.at
    )?;
    let mut statements = vec![delivery];
    match status {
        DeliveryStatus::Succeeded => statements.push(query!(db, RESET_FAILURES, &job.endpoint_id)?),
        DeliveryStatus::Failed => statements.push(failed_for_good(db, &job.endpoint_id, disable_after, attempt.at)?),
        DeliveryStatus::Pending => {}
    }
    crate::db::batch(db, statements).await?;
    Ok(())
}

pub(in crate::db) const FAILED_FOR_GOOD: &str = "UPDATE webhook_endpoints
            SET consecutive_failures = consecutive_failures + 1,
                enabled = CASE WHEN consecutive_failures + 1 >= ?2 THEN 0 ELSE enabled END,
                disabled_reason = CASE WHEN consecutive_failures + 1 >= ?2 AND enabled = 1
                    THEN 'Disabled after ' || CAST(?2 AS INTEGER) || ' failed deliveries in a row' ELSE disabled_reason END,
                updated_at = ?3
          WHERE id = ?1";

/// One more delivery of the endpoint failed for good; at `disable_after` in a
/// row it is disabled, with the reason.
fn failed_for_good(
    db: &D1Database,
    endpoint_id: &EndpointId,
    disable_after: u32,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, FAILED_FOR_GOOD, endpoint_id, disable_after, now)?)
}

pub(in crate::db) const GIVE_UP: &str =
    "UPDATE webhook_deliveries SET status = 'failed', last_error = ?2, next_retry_at = NULL, updated_at = ?3
          WHERE id = ?1 AND status = 'pending'";

/// A delivery that cannot be attempted (its endpoint disabled or gone, or the
/// queue gave up on it: the dead-letter queue) fails for good with `error`.
pub async fn give_up(db: &D1Database, id: &DeliveryId, error: &str, disable_after: u32, now: &str) -> DbResult<()> {
    let Some(job) = delivery_job(db, id).await? else { return Ok(()) };
    let delivery = query!(db, GIVE_UP, id, error, now)?;
    let mut statements = vec![delivery];
    if job.enabled && job.status == DeliveryStatus::Pending {
        statements.push(failed_for_good(db, &job.endpoint_id, disable_after, now)?);
    }
    crate::db::batch(db, statements).await?;
    Ok(())
}

/// A delivery of the account, with its state and its endpoint's.
#[derive(Deserialize)]
pub struct OwnedDelivery {
    pub id: DeliveryId,
    pub status: DeliveryStatus,
    #[serde(deserialize_with = "crate::db::flag")]
    pub enabled: bool,
}

pub(in crate::db) const OWNED_DELIVERY: &str =
    "SELECT d.id, d.status, w.enabled FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id
          WHERE d.id = ?1 AND w.account_id = ?2";

pub async fn owned_delivery(
    db: &D1Database,
    account_id: &AccountId,
    delivery_id: &DeliveryId,
) -> DbResult<Option<OwnedDelivery>> {
    crate::db::first(query!(db, OWNED_DELIVERY, delivery_id, account_id)?).await
}

pub(in crate::db) const RESTART: &str =
    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_retry_at = NULL, updated_at = ?2
          WHERE id = ?1 AND status != 'pending'";

/// Starts a settled delivery over (attempts from 0, same id); false when it
/// was pending already (a concurrent redelivery, or attempts still to come).
pub async fn restart(db: &D1Database, delivery_id: &DeliveryId, now: &str) -> DbResult<bool> {
    let result = crate::db::run(query!(db, RESTART, delivery_id, now)?).await?;
    Ok(crate::db::changed(&result))
}
