//! What every handler may use: the request's context (D1, the environment,
//! the caller, the path parameters) and the loaders that find a resource
//! through the caller's account. Below the handlers and `app`.

use crate::auth::Caller;
use crate::domain::ids::{AccountId, BonusActionId, ContestId, DeliveryId, EndpointId, EntryId, KeyId, PurchaseId};
use crate::engine::Committed;
use crate::error::{ApiError, ApiResult};
use crate::routes::PathParams;
use worker::{D1Database, Env};

/// What every handler may use.
pub struct Ctx {
    pub db: D1Database,
    pub env: Env,
    pub(crate) caller: Option<Caller>,
    pub params: PathParams,
    /// The customer's site, for a same-origin call in first-party mode (`/rt/api/*`).
    pub site: Option<crate::domain::first_party::Site>,
}

impl Ctx {
    /// Notes the participant widget's first call for the contest (the owner's
    /// checklist), once: nothing is written when the row says it was seen. A
    /// failure only loses the mark, so it is logged, never answered.
    pub async fn note_widget(&self, contest: &crate::db::contests::ContestRow) {
        if contest.widget_seen_at.is_none() {
            let now = crate::platform::now_iso();
            if let Err(e) = crate::db::contests::mark_widget_seen(&self.db, &contest.id, &now).await {
                worker::console_warn!("widget mark of {} not written: {e:?}", contest.id.as_str());
            }
        }
    }

    /// The authenticated key; routes with a key rule always have one.
    pub fn caller(&self) -> ApiResult<&Caller> {
        self.caller.as_ref().ok_or_else(|| ApiError::Internal("route without a caller".into()))
    }

    /// The account of the caller's key.
    pub fn account_id(&self) -> ApiResult<&AccountId> {
        Ok(&self.caller()?.account_id)
    }

    /// A path parameter (the matcher guarantees the names). A blank one names
    /// no resource: 404.
    pub fn param(&self, name: &'static str) -> ApiResult<&str> {
        self.params.get(name).ok_or_else(|| ApiError::not_found("Not found"))
    }

    /// The route's `contestId`: where a path's text becomes a contest's id.
    pub fn contest_id(&self) -> ApiResult<ContestId> {
        self.param("contestId").map(ContestId::new)
    }

    /// The route's `entryId`: where a path's text becomes an entry's id.
    pub fn entry_id(&self) -> ApiResult<EntryId> {
        self.param("entryId").map(EntryId::new)
    }

    /// The route's `bonusActionId`.
    pub fn bonus_action_id(&self) -> ApiResult<BonusActionId> {
        self.param("bonusActionId").map(BonusActionId::new)
    }

    /// The route's `purchaseId`.
    pub fn purchase_id(&self) -> ApiResult<PurchaseId> {
        self.param("purchaseId").map(PurchaseId::new)
    }

    /// The route's `endpointId` (a webhook endpoint).
    pub fn endpoint_id(&self) -> ApiResult<EndpointId> {
        self.param("endpointId").map(EndpointId::new)
    }

    /// The route's `deliveryId` (a webhook delivery).
    pub fn delivery_id(&self) -> ApiResult<DeliveryId> {
        self.param("deliveryId").map(DeliveryId::new)
    }

    /// The route's `keyId` (an API key).
    pub fn key_id(&self) -> ApiResult<KeyId> {
        self.param("keyId").map(KeyId::new)
    }

    /// A use case's result: sends the webhook events its batch wrote to the
    /// queue and answers its value, for the handler to render.
    pub async fn commit<T>(&self, committed: Committed<T>) -> T {
        crate::outbox::commit(&self.env, committed).await
    }
}

/// The caller's contest, or 404 (another account's contest is not found either).
pub async fn owned_contest(ctx: &Ctx) -> ApiResult<crate::db::contests::ContestRow> {
    crate::db::contests::find_owned(&ctx.db, ctx.account_id()?, &ctx.contest_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Contest not found"))
}

/// The caller's entry, or 404. An erased entry is gone from the API (its
/// anonymous row stays for the totals): 404 too.
pub async fn owned_entry(ctx: &Ctx) -> ApiResult<crate::db::entries::EntryRow> {
    owned_entry_even_erased(ctx).await?.filter(|e| e.erased_at.is_none()).ok_or_else(entry_not_found)
}

/// The caller's entry, erased or not (erasure itself is idempotent), or `None`.
pub async fn owned_entry_even_erased(ctx: &Ctx) -> ApiResult<Option<crate::db::entries::EntryRow>> {
    Ok(crate::db::entries::find_owned(&ctx.db, ctx.account_id()?, &ctx.entry_id()?).await?)
}

pub fn entry_not_found() -> ApiError {
    ApiError::not_found("Entry not found")
}
