//! The owner's test ping to a webhook endpoint.

use super::Committed;
use crate::db;
use crate::domain::ids::{AccountId, EndpointId, EventId};
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

fn disabled() -> ApiError {
    ApiError::conflict("The endpoint is disabled: enable it first (PATCH enabled: true)")
}

/// Writes a `ping` event for the account's endpoint (whatever events it
/// listens for): its id, the event to send. 404 for another account's or no
/// endpoint, 409 when it is disabled.
pub async fn ping(db: &D1Database, account_id: &AccountId, endpoint_id: &EndpointId) -> ApiResult<Committed<EventId>> {
    let target = db::outbox::ping_target(db, account_id, endpoint_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook endpoint not found"))?;
    if !target.enabled {
        return Err(disabled());
    }
    let event =
        db::outbox::record_ping(db, account_id, &target.id, &platform::now_iso()).await?.ok_or_else(disabled)?;
    Ok(Committed::new(event.clone(), vec![event]))
}
