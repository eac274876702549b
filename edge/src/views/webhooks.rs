//! How webhook endpoints and their deliveries look in JSON responses. The signing
//! secret is shown only by `with_secret`, when it is new (creation, rotation).

use crate::db::webhooks::{DeliveryRow, EndpointRow};
use crate::domain::webhooks::{DeliveryStatus, EventType};
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointView<'a> {
    id: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    events: Vec<EventType>,
    enabled: bool,
    disabled_reason: Option<&'a str>,
    consecutive_failures: i64,
    /// Until when the secret before the last rotation still signs; null when
    /// there is none or its overlap is over.
    previous_secret_expires_at: Option<&'a str>,
    created_at: &'a str,
    updated_at: &'a str,
}

/// An endpoint as of `now` (ISO-8601, the form the row's times are stored in).
pub fn endpoint<'a>(e: &'a EndpointRow, now: &str) -> EndpointView<'a> {
    let overlap = e.previous_expires_at.as_deref().filter(|until| e.previous_secret.is_some() && *until > now);
    EndpointView {
        id: &e.id,
        url: &e.url,
        description: e.description.as_deref(),
        events: e.event_types(),
        enabled: e.enabled,
        disabled_reason: e.disabled_reason.as_deref(),
        consecutive_failures: e.consecutive_failures,
        previous_secret_expires_at: overlap,
        created_at: &e.created_at,
        updated_at: &e.updated_at,
    }
}

/// An endpoint with its new signing secret, shown this once.
#[derive(Serialize)]
pub struct WithSecretView<'a> {
    #[serde(flatten)]
    endpoint: EndpointView<'a>,
    secret: &'a str,
}

pub fn with_secret<'a>(e: &'a EndpointRow, now: &str) -> WithSecretView<'a> {
    WithSecretView { endpoint: endpoint(e, now), secret: &e.secret }
}

/// An event type an endpoint may subscribe to, and when it is sent.
#[derive(Serialize)]
pub struct EventTypeView {
    #[serde(rename = "type")]
    kind: EventType,
    description: &'static str,
}

pub fn event_type(kind: EventType) -> EventTypeView {
    EventTypeView { kind, description: kind.description() }
}

/// One delivery of an event to an endpoint; `id` is its `webhook-id`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView<'a> {
    id: &'a str,
    event_id: &'a str,
    event_type: EventType,
    status: DeliveryStatus,
    attempts: i64,
    last_status_code: Option<i64>,
    last_duration_ms: Option<i64>,
    last_answer: Option<&'a str>,
    last_error: Option<&'a str>,
    next_retry_at: Option<&'a str>,
    created_at: &'a str,
    updated_at: &'a str,
}

pub fn delivery(d: &DeliveryRow) -> DeliveryView<'_> {
    DeliveryView {
        id: &d.id,
        event_id: &d.event_id,
        event_type: d.event_type,
        status: d.status,
        attempts: d.attempts,
        last_status_code: d.last_status_code,
        last_duration_ms: d.last_duration_ms,
        last_answer: d.last_answer.as_deref(),
        last_error: d.last_error.as_deref(),
        next_retry_at: d.next_retry_at.as_deref(),
        created_at: &d.created_at,
        updated_at: &d.updated_at,
    }
}
