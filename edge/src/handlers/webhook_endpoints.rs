//! The owner's outbound webhook endpoints (private key): create (the signing
//! secret shown once), list, read, change, delete, rotate the secret, and the log
//! of an endpoint's deliveries.

use crate::ctx::Ctx;
use crate::db::webhooks::{EndpointChange, EndpointRow, NewEndpoint};
use crate::domain::ids::EndpointId;
use crate::domain::time::iso8601;
use crate::domain::webhooks::{self as rules, EventType};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, double_option};
use crate::{db, http, platform, views};
use serde::Deserialize;
use serde_json::Value;
use worker::{Request, Response};

/// How long a rotated-out secret keeps signing next to the new one.
const ROTATION_OVERLAP_MS: i64 = 24 * 3600 * 1000;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct EndpointInput {
    url: Option<String>,
    /// Read as any JSON, so that a non-array is refused with the field's name.
    events: Option<Value>,
    #[serde(default, deserialize_with = "double_option")]
    description: Option<Option<String>>,
    enabled: Option<bool>,
}

fn not_found() -> ApiError {
    ApiError::not_found("Webhook endpoint not found")
}

/// `ALLOW_LOCAL_WEBHOOKS=1` (local development only) lets endpoints be loopback.
fn allow_local(ctx: &Ctx) -> bool {
    ctx.env.var("ALLOW_LOCAL_WEBHOOKS").is_ok_and(|v| v.to_string() == "1")
}

fn valid_url(ctx: &Ctx, raw: &str) -> ApiResult<String> {
    rules::endpoint_url(raw, allow_local(ctx)).map_err(|why| input::invalid("url", why))
}

fn valid_events(value: &Value) -> ApiResult<Vec<EventType>> {
    let names: Option<Vec<&str>> = value.as_array().and_then(|a| a.iter().map(Value::as_str).collect());
    let names = names.ok_or_else(|| input::invalid("events", "must be an array of event types"))?;
    rules::subscription(names).map_err(|why| input::invalid("events", &why))
}

async fn owned(ctx: &Ctx) -> ApiResult<EndpointRow> {
    db::webhooks::find_owned(&ctx.db, ctx.account_id()?, &ctx.endpoint_id()?).await?.ok_or_else(not_found)
}

/// `POST /api/v1/webhook-endpoints` `{url, events, description?}`: 201 with the
/// endpoint and its `secret`, the only time it is shown. At most 20 per account.
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: EndpointInput = http::read_json(req).await?;
    if body.enabled.is_some() {
        return Err(input::invalid("enabled", "is not accepted on creation (a new endpoint is enabled)"));
    }
    let raw_url = input::required("url", body.url.as_deref(), rules::MAX_URL_LEN)?;
    let url = valid_url(ctx, &raw_url)?;
    let events = valid_events(body.events.as_ref().ok_or_else(|| input::invalid("events", "is required"))?)?;
    let description = input::optional("description", body.description.flatten().as_deref(), 500)?;
    let (id, secret, now) = (
        EndpointId::new(platform::new_id("we")),
        rules::new_secret(&platform::random_bytes::<24>()),
        platform::now_iso(),
    );
    let endpoint = NewEndpoint {
        id: &id,
        account_id: ctx.account_id()?,
        url: &url,
        description: description.as_deref(),
        events: &events,
        secret: &secret,
        now: &now,
    };
    let row = db::webhooks::insert(&ctx.db, &endpoint).await?.ok_or_else(|| {
        let mut m = String::from("An account has at most ");
        m.push_str(&rules::MAX_ENDPOINTS.to_string());
        m.push_str(" webhook endpoints: delete one first");
        ApiError::Conflict(m)
    })?;
    http::data(201, views::webhooks::with_secret(&row, &now))
}

/// `GET /api/v1/webhook-endpoints`: oldest first, one page; no secrets.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let page = http::page_request(req)?;
    let (rows, total) = db::webhooks::list(&ctx.db, ctx.account_id()?, page).await?;
    let now = platform::now_iso();
    http::paged(rows.iter().map(|e| views::webhooks::endpoint(e, &now)).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/webhook-event-types`: every type an endpoint may subscribe
/// to, each with when it is sent: the worker's own list, which the dashboard
/// shows (so it cannot list a type the worker does not send).
pub fn event_types() -> ApiResult<Response> {
    http::data(200, EventType::subscribable().map(views::webhooks::event_type).collect::<Vec<_>>())
}

/// `GET /api/v1/webhook-endpoints/:endpointId`: no secret.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let row = owned(ctx).await?;
    http::data(200, views::webhooks::endpoint(&row, &platform::now_iso()))
}

/// `PATCH /api/v1/webhook-endpoints/:endpointId` `{url?, events?, description?,
/// enabled?}`: `enabled: true` also clears the disabled reason and the failure count.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: EndpointInput = http::read_json(req).await?;
    let url = match body.url.as_deref() {
        Some(raw) => Some(valid_url(ctx, &input::required("url", Some(raw), rules::MAX_URL_LEN)?)?),
        None => None,
    };
    let events = body.events.as_ref().map(valid_events).transpose()?;
    let description = match body.description {
        Some(d) => Some(input::optional("description", d.as_deref(), 500)?),
        None => None,
    };
    let change = EndpointChange {
        url: url.as_deref(),
        description: description.as_ref().map(Option::as_deref),
        events: events.as_deref(),
        enabled: body.enabled,
    };
    let now = platform::now_iso();
    let row = db::webhooks::update(&ctx.db, ctx.account_id()?, &ctx.endpoint_id()?, &change, &now)
        .await?
        .ok_or_else(not_found)?;
    http::data(200, views::webhooks::endpoint(&row, &now))
}

/// `DELETE /api/v1/webhook-endpoints/:endpointId`: the endpoint and its deliveries.
pub async fn delete(ctx: &Ctx) -> ApiResult<Response> {
    let id = ctx.endpoint_id()?;
    if !db::webhooks::delete(&ctx.db, ctx.account_id()?, &id).await? {
        return Err(not_found());
    }
    http::data(200, views::deleted(&id))
}

/// `POST /api/v1/webhook-endpoints/:endpointId/rotate-secret`: a new secret, shown
/// once; the old one signs alongside it for 24 hours.
pub async fn rotate_secret(ctx: &Ctx) -> ApiResult<Response> {
    let secret = rules::new_secret(&platform::random_bytes::<24>());
    let now_ms = platform::now_ms();
    let (now, until) = (iso8601(now_ms), iso8601(now_ms + ROTATION_OVERLAP_MS));
    let row = db::webhooks::rotate_secret(&ctx.db, ctx.account_id()?, &ctx.endpoint_id()?, &secret, &until, &now)
        .await?
        .ok_or_else(not_found)?;
    http::data(200, views::webhooks::with_secret(&row, &now))
}

/// `GET /api/v1/webhook-endpoints/:endpointId/deliveries`: newest first, one page.
pub async fn deliveries(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let page = http::page_request(req)?;
    let endpoint = owned(ctx).await?;
    let (rows, total) = db::webhooks::deliveries(&ctx.db, &endpoint.id, page).await?;
    http::paged(rows.iter().map(views::webhooks::delivery).collect::<Vec<_>>(), page, total)
}
