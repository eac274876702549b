//! Referral Rocket's campaign and participant API on the same engine: a campaign
//! is a contest, a participant an entry. Responses are the bare objects Referral
//! Rocket answers (no envelope); errors keep the one error envelope.

use crate::ctx::Ctx;
use crate::db::contests::ContestRow;
use crate::db::participants::ParticipantRow;
use crate::domain::email::Email;
use crate::domain::ids::ContestId;
use crate::domain::rewards::{round_cents, Side};
use crate::domain::spring_pages::{Pageable, SortField};
use crate::engine::campaigns::{NewParticipant, Redemption, ReferredBy};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Amount};
use crate::{db, engine, http, views};
use serde::{Deserialize, Serialize};
use worker::{Request, Response};

fn ok(body: impl Serialize) -> ApiResult<Response> {
    Ok(http::json_response(200, &body))
}

async fn owned_campaign(ctx: &Ctx, id: Option<&str>) -> ApiResult<ContestRow> {
    let id = id.map(str::trim).filter(|i| !i.is_empty()).ok_or_else(|| ApiError::bad_request("Missing campaign id"))?;
    db::contests::find_owned(&ctx.db, ctx.account_id()?, &ContestId::new(id))
        .await?
        .ok_or_else(|| ApiError::not_found("Campaign not found"))
}

/// Where referral links point when the campaign has no URL of its own: this host.
fn campaign_url(c: &ContestRow, req: &Request) -> String {
    c.campaign_url.clone().unwrap_or_else(|| [http::origin(req).as_str(), "/"].concat())
}

fn query(req: &Request) -> ApiResult<Vec<(String, String)>> {
    http::query_pairs(req)
}

async fn participant(ctx: &Ctx, c: &ContestRow, email: Option<&str>) -> ApiResult<ParticipantRow> {
    let email = input::email("email", email)?;
    db::participants::find_by_email(&ctx.db, &c.id, email.normalized())
        .await?
        .ok_or_else(|| ApiError::not_found("Participant not found"))
}

/// `GET /api/v1/getCampaign?id=`.
pub async fn get_campaign(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "id")).await?;
    let total = db::entries::count_in_contest(&ctx.db, &c.id).await?;
    ok(views::campaigns::campaign(&c, total, &campaign_url(&c, req)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddParticipantBody {
    id: Option<String>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    referred_by_code: Option<String>,
    referred_by_email: Option<String>,
}

/// `POST /api/v1/addParticipant`: adds a participant (once per email), attributed
/// to the referrer named by code or email; a referred one earns the referee reward.
pub async fn add_participant(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: AddParticipantBody = http::read_json(req).await?;
    let c = owned_campaign(ctx, body.id.as_deref()).await?;
    let email = input::email("email", body.email.as_deref())?;
    let first = input::optional("firstName", body.first_name.as_deref(), 100)?;
    let last = input::optional("lastName", body.last_name.as_deref(), 100)?;
    let by_code = input::optional("referredByCode", body.referred_by_code.as_deref(), 64)?;
    let by_email = input::optional("referredByEmail", body.referred_by_email.as_deref(), 254)?;
    let advocate_email = match (&by_code, by_email) {
        (None, Some(raw)) => {
            Some(Email::parse(&raw).map_err(|e| input::invalid("referredByEmail", &e.to_lowercase()))?)
        }
        _ => None,
    };
    let referred_by = match (&by_code, &advocate_email) {
        (Some(code), _) => ReferredBy::Code(code),
        (None, Some(email)) => ReferredBy::Email(email),
        (None, None) => ReferredBy::Nobody,
    };
    let new = NewParticipant { email: &email, first_name: first.as_deref(), last_name: last.as_deref(), referred_by };
    let p = ctx.commit(engine::campaigns::add_participant(&ctx.db, &c, new).await?).await;
    ok(views::campaigns::participant(&p, &campaign_url(&c, req), true))
}

/// `GET /api/v1/getParticipant?id=&email=`.
pub async fn get_participant(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let sees = ctx.caller()?.sees_emails();
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "id")).await?;
    let p = participant(ctx, &c, http::query_param(&q, "email")).await?;
    ok(views::campaigns::participant(&p, &campaign_url(&c, req), sees))
}

#[derive(Deserialize)]
struct QualifyBody {
    id: Option<String>,
    email: Option<String>,
    amount: Option<Amount>,
}

/// `POST /api/v1/qualifyParticipant` `{id, email, amount}`: marks a referred
/// participant's qualifying event complete, which earns their referrer the
/// referrer reward. Once: a second call changes nothing.
pub async fn qualify_participant(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: QualifyBody = http::read_json(req).await?;
    let c = owned_campaign(ctx, body.id.as_deref()).await?;
    let amount = match body.amount {
        Some(a) => input::non_negative("amount", a.0, 1e12)?,
        None => 0.0,
    };
    let p = participant(ctx, &c, body.email.as_deref()).await?;
    let qualified = ctx.commit(engine::campaigns::qualify(&ctx.db, &c, &p, amount).await?).await;
    ok(views::campaigns::participant(&qualified, &campaign_url(&c, req), true))
}

fn pageable(q: &[(String, String)]) -> ApiResult<Pageable> {
    Pageable::parse(http::query_typed(q, "page"), http::query_typed(q, "size"), http::query_typed(q, "sort"))
        .map_err(ApiError::BadRequest)
}

/// `GET /api/v1/getAllParticipants?id=&page=&size=&sort=`: Spring paging
/// (`page` 0-based, `size` default 20, at most 100).
pub async fn get_all_participants(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let sees = ctx.caller()?.sees_emails();
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "id")).await?;
    let p = pageable(&q)?;
    // The order of hidden emails would reveal them: private keys only.
    if p.sort == SortField::Email && !sees {
        return Err(ApiError::Forbidden("sort=email needs a private key"));
    }
    let (rows, total) = db::participants::page(&ctx.db, &c.id, p).await?;
    let url = campaign_url(&c, req);
    let items: Vec<_> = rows.iter().map(|r| views::campaigns::participant(r, &url, sees)).collect();
    ok(views::campaigns::spring_page(items, p.describe(rows.len(), total)))
}

/// `GET /api/v1/getReferrals?id=&email=&page=&size=`: who a participant referred.
pub async fn get_referrals(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let sees = ctx.caller()?.sees_emails();
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "id")).await?;
    let referrer = participant(ctx, &c, http::query_param(&q, "email")).await?;
    let p = pageable(&q)?;
    let (rows, total) = db::participants::referrals(&ctx.db, &referrer.id, p).await?;
    let url = campaign_url(&c, req);
    let items: Vec<_> = rows.iter().map(|r| views::campaigns::participant(r, &url, sees)).collect();
    ok(views::campaigns::spring_page(items, p.describe(rows.len(), total)))
}

/// `GET /api/v1/validateCode?campaignId=&code=`.
pub async fn validate_code(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "campaignId")).await?;
    let code = http::query_param(&q, "code").ok_or_else(|| ApiError::bad_request("Missing code"))?;
    let owner = db::entries::find_by_code(&ctx.db, &c.id, code).await?.filter(|e| !e.is_disqualified());
    ok(views::campaigns::code(&c.id, owner.as_ref(), ctx.caller()?.sees_emails()))
}

#[derive(Deserialize)]
struct RedeemBody {
    id: Option<String>,
    email: Option<String>,
    amount: Option<Amount>,
    /// `referral` (default: rewards earned by referring) or `referee` (by joining).
    #[serde(rename = "type")]
    side: Option<String>,
}

/// `POST /api/v1/redeemReward` `{id, email, amount, type?}`: pays part of a
/// balance out (a negative ledger row), never more than the balance. An
/// `Idempotency-Key` header makes a retried payout count once.
pub async fn redeem_reward(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: RedeemBody = http::read_json(req).await?;
    let c = owned_campaign(ctx, body.id.as_deref()).await?;
    let p = participant(ctx, &c, body.email.as_deref()).await?;
    let amount = round_cents(body.amount.ok_or_else(|| input::invalid("amount", "is required"))?.positive()?);
    let side = match body.side.as_deref() {
        None => Side::Referral,
        Some(s) => Side::parse(s).ok_or_else(|| input::invalid("type", "must be \"referral\" or \"referee\""))?,
    };
    let header = req.headers().get("Idempotency-Key").ok().flatten();
    let key = match header.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(input::required("Idempotency-Key", Some(k), 200)?),
        None => None,
    };
    let redemption = Redemption { side, amount, key: key.as_deref() };
    let redeemed = ctx.commit(engine::campaigns::redeem(&ctx.db, &c, &p, redemption).await?).await;
    let status = if redeemed.applied { 201 } else { 200 };
    Ok(http::json_response(status, &views::campaigns::redeemed(&redeemed, &campaign_url(&c, req))))
}
