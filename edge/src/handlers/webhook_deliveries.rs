//! The owner's hands on outbound webhook deliveries: a test ping to an
//! endpoint, and redelivering a delivery. Both only queue work: the answer is
//! 202 and the outcome shows in the endpoint's deliveries.

use crate::ctx::Ctx;
use crate::domain::webhooks::DeliveryStatus;
use crate::error::{ApiError, ApiResult};
use crate::{db, engine, http, outbox, platform, views};
use worker::Response;

/// `POST /api/v1/webhook-endpoints/:endpointId/test`: sends the endpoint a
/// `ping` event (whatever events it listens for). 409 when it is disabled.
pub async fn ping(ctx: &Ctx) -> ApiResult<Response> {
    let event = ctx.commit(engine::ping::ping(&ctx.db, ctx.account_id()?, &ctx.endpoint_id()?).await?).await;
    http::data(202, views::events::PingQueued { event_id: &event })
}

/// `POST /api/v1/webhook-deliveries/:deliveryId/redeliver`: attempts a
/// settled delivery again, from its first attempt, with the same
/// `webhook-id`. 409 while it is pending or when its endpoint is disabled.
pub async fn redeliver(ctx: &Ctx) -> ApiResult<Response> {
    let delivery = db::outbox::owned_delivery(&ctx.db, ctx.account_id()?, &ctx.delivery_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Webhook delivery not found"))?;
    if !delivery.enabled {
        return Err(ApiError::conflict("The endpoint is disabled: enable it first (PATCH enabled: true)"));
    }
    if !db::outbox::restart(&ctx.db, &delivery.id, &platform::now_iso()).await? {
        return Err(ApiError::conflict("The delivery is pending: its attempts are not over"));
    }
    outbox::redeliver(&ctx.env, &delivery.id).await?;
    http::data(202, views::events::Redelivery { delivery_id: &delivery.id, status: DeliveryStatus::Pending })
}
