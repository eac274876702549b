//! Referral Rocket's campaign and participant API on the same engine: a campaign
//! is a contest, a participant an entry. Responses are the bare objects Referral
//! Rocket answers (no envelope); errors keep the one error envelope.

use crate::ctx::Ctx;
use crate::db::contests::ContestRow;
use crate::db::ledger::Guard;
use crate::db::participants::ParticipantRow;
use crate::db::rewards::Reward;
use crate::domain::contest::ContestStatus;
use crate::domain::email::Email;
use crate::domain::rewards::{campaign_status, referral_link, round_cents, Side};
use crate::domain::spring_pages::Pageable;
use crate::engine::{self, Join, Source};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Amount};
use crate::{db, http, platform, views};
use serde::Deserialize;
use serde_json::{json, Value};
use worker::{Request, Response};

/// Referral Rocket's timestamp form: `2023-11-04T15:41:08.828+00:00`.
fn rr_time(iso: &str) -> String {
    match iso.strip_suffix('Z') {
        Some(t) => [t, "+00:00"].concat(),
        None => iso.to_string(),
    }
}

fn ok(body: Value) -> ApiResult<Response> {
    Ok(http::json_response(200, &body))
}

async fn owned_campaign(ctx: &Ctx, id: Option<&str>) -> ApiResult<ContestRow> {
    let id = id.map(str::trim).filter(|i| !i.is_empty()).ok_or_else(|| ApiError::bad_request("Missing campaign id"))?;
    db::contests::find_owned(&ctx.db, ctx.account_id()?, id)
        .await?
        .ok_or_else(|| ApiError::not_found("Campaign not found"))
}

/// Where referral links point when the campaign has no URL of its own: this host.
fn campaign_url(c: &ContestRow, req: &Request) -> String {
    c.campaign_url.clone().unwrap_or_else(|| {
        let origin = req.url().map(|u| u.origin().ascii_serialization()).unwrap_or_default();
        [origin.as_str(), "/"].concat()
    })
}

fn campaign_json(c: &ContestRow, total: u64, url: &str) -> Value {
    let status = views::contest_status(c);
    let status = ContestStatus::parse(status).unwrap_or(ContestStatus::Ended);
    json!({
        "id": c.id,
        "name": c.name,
        "status": campaign_status(status),
        "createdAt": rr_time(&c.created_at),
        "endDate": c.ends_at.as_deref().map(rr_time),
        "campaignUrl": url,
        "paused": status == ContestStatus::Paused,
        "ended": status == ContestStatus::Ended,
        "rewardHeader": c.reward_header,
        "rewardDescription": c.reward_description,
        "shareWidgetHeader": c.share_header,
        "shareWidgetDescription": c.share_description,
        "referrerRewardValue": c.referrer_reward,
        "refereeRewardValue": c.referee_reward,
        "rewardType": c.reward_type,
        "totalParticipants": total,
    })
}

fn participant_json(p: &ParticipantRow, url: &str, sees_emails: bool) -> Value {
    // Entries made through the v1 API have one `name`: split it for Referral Rocket.
    let (first, last) = match (&p.first_name, &p.last_name, &p.name) {
        (None, None, Some(name)) => match name.split_once(' ') {
            Some((f, l)) => (Some(f.to_string()), Some(l.trim().to_string())),
            None => (Some(name.clone()), None),
        },
        (f, l, _) => (f.clone(), l.clone()),
    };
    json!({
        "email": views::email_for(&p.email_display, sees_emails),
        "firstName": first,
        "lastName": last,
        "referralCode": p.referral_code,
        "referredByCode": p.referred_by_code,
        "joinedAt": rr_time(&p.created_at),
        "campaignId": p.contest_id,
        "referralLink": referral_link(url, &p.referral_code),
        "totalReferrals": p.referral_count,
        "referralRewardsEarned": round_cents(p.referral_earned),
        "referralRewardsRedeemed": round_cents(p.referral_redeemed),
        "referralBalance": round_cents(p.referral_earned - p.referral_redeemed),
        "joiningRewardsEarned": round_cents(p.referee_earned),
        "refereeRewardsRedeemed": round_cents(p.referee_redeemed),
        "refereeBalance": round_cents(p.referee_earned - p.referee_redeemed),
        "qualified": p.qualified_at.is_some(),
        "totalPoints": p.total_points,
        "pendingPoints": p.pending_points,
        "fraudScore": p.fraud_score.as_deref().unwrap_or(""),
    })
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
    ok(campaign_json(&c, total, &campaign_url(&c, req)))
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
    let advocate = match (by_code, by_email) {
        (Some(code), _) => Some(engine::advocate_for_signup(&ctx.db, &c, &code, &email).await?),
        (None, Some(raw)) => {
            let advocate_email =
                Email::parse(&raw).map_err(|e| input::invalid("referredByEmail", &e.to_lowercase()))?;
            let a = db::entries::find_by_email(&ctx.db, &c.id, advocate_email.normalized())
                .await?
                .ok_or_else(|| ApiError::not_found("Referrer not found"))?;
            Some(engine::advocate_for_signup(&ctx.db, &c, &a.referral_code, &email).await?)
        }
        (None, None) => None,
    };
    let name = match (&first, &last) {
        (Some(f), Some(l)) => Some([f.as_str(), " ", l.as_str()].concat()),
        (f, l) => f.clone().or_else(|| l.clone()),
    };
    let joined = engine::join_contest(
        &ctx.db,
        &c,
        Join {
            name: name.as_deref(),
            first_name: first.as_deref(),
            last_name: last.as_deref(),
            ..Join::new(&email, advocate.as_ref(), Source::Api)
        },
    )
    .await?;
    let p = db::participants::find_by_email(&ctx.db, &c.id, &joined.entry.email)
        .await?
        .ok_or_else(|| ApiError::Internal("participant missing after insert".into()))?;
    ok(participant_json(&p, &campaign_url(&c, req), true))
}

/// `GET /api/v1/getParticipant?id=&email=`.
pub async fn get_participant(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let sees = ctx.caller()?.sees_emails();
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "id")).await?;
    let p = participant(ctx, &c, http::query_param(&q, "email")).await?;
    ok(participant_json(&p, &campaign_url(&c, req), sees))
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
    let Some(referrer_id) = p.referred_by_entry_id.clone() else {
        return Err(ApiError::conflict("Only referred participants can complete a qualifying event"));
    };
    let url = campaign_url(&c, req);
    if p.qualified_at.is_some() {
        return ok(participant_json(&p, &url, true));
    }
    engine::ensure_contest_open(&c)?;
    let referrer = db::entries::find(&ctx.db, &referrer_id).await?;
    let event_id = platform::new_id("qe");
    let now = platform::now_iso();
    let mut statements = vec![db::participants::qualify(&ctx.db, &p.id, &event_id, amount, &now)?];
    if let Some(referrer) = referrer.filter(|r| !r.is_disqualified() && c.referrer_reward > 0.0) {
        let reward = Reward {
            entry_id: &referrer.id,
            contest_id: &c.id,
            side: Side::Referral,
            amount: c.referrer_reward,
            ref_id: &p.id,
            note: Some("referee qualified"),
            created_at: &now,
        };
        statements.push(db::rewards::earn(&ctx.db, &reward, Guard::QualifiedBy(&event_id))?);
    }
    statements.push(db::participants::select_by_email(&ctx.db, &c.id, &p.email)?);
    let results = db::batch(&ctx.db, statements).await?;
    let updated: ParticipantRow = results
        .last()
        .and_then(|r| db::first_of(r).transpose())
        .transpose()?
        .ok_or_else(|| ApiError::not_found("Participant not found"))?;
    ok(participant_json(&updated, &url, true))
}

fn spring_page(items: Vec<Value>, info: crate::domain::spring_pages::PageInfo) -> ApiResult<Response> {
    let mut body = serde_json::to_value(info).map_err(|e| ApiError::Internal(e.to_string()))?;
    body["content"] = Value::Array(items);
    ok(body)
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
    let (rows, total) = db::participants::page(&ctx.db, &c.id, p).await?;
    let url = campaign_url(&c, req);
    let items: Vec<_> = rows.iter().map(|r| participant_json(r, &url, sees)).collect();
    spring_page(items, p.describe(rows.len(), total))
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
    let items: Vec<_> = rows.iter().map(|r| participant_json(r, &url, sees)).collect();
    spring_page(items, p.describe(rows.len(), total))
}

/// `GET /api/v1/validateCode?campaignId=&code=`.
pub async fn validate_code(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let q = query(req)?;
    let c = owned_campaign(ctx, http::query_param(&q, "campaignId")).await?;
    let code = http::query_param(&q, "code").ok_or_else(|| ApiError::bad_request("Missing code"))?;
    match db::entries::find_by_code(&ctx.db, &c.id, code).await?.filter(|e| !e.is_disqualified()) {
        Some(e) => ok(json!({
            "valid": true,
            "campaignId": c.id,
            "referralCode": e.referral_code,
            "email": views::email_for(&e.email_display, ctx.caller()?.sees_emails()),
            "firstName": e.first_name,
            "lastName": e.last_name,
        })),
        None => ok(json!({ "valid": false, "campaignId": c.id })),
    }
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
    let key = req.headers().get("Idempotency-Key").ok().flatten();
    let ref_id = match key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => input::required("Idempotency-Key", Some(k), 200)?,
        None => platform::new_id("rd"),
    };
    let now = platform::now_iso();
    let reward =
        Reward { entry_id: &p.id, contest_id: &c.id, side, amount, ref_id: &ref_id, note: None, created_at: &now };
    let results = db::batch(
        &ctx.db,
        vec![
            db::rewards::redeem(&ctx.db, &reward)?,
            db::rewards::select_redemption(&ctx.db, &p.id, side, &ref_id)?,
            db::participants::select_by_email(&ctx.db, &c.id, &p.email)?,
        ],
    )
    .await?;
    let applied = db::changes(&results[0]) == 1;
    #[derive(Deserialize)]
    struct Redemption {
        amount: f64,
    }
    let existing: Option<Redemption> = db::first_of(&results[1])?;
    let Some(redemption) = existing else {
        let mut m = String::from("Amount exceeds the ");
        m.push_str(side.as_str());
        m.push_str(" balance");
        return Err(ApiError::Conflict(m));
    };
    let updated: ParticipantRow =
        db::first_of(&results[2])?.ok_or_else(|| ApiError::not_found("Participant not found"))?;
    let mut v = participant_json(&updated, &campaign_url(&c, req), true);
    v["redemption"] = json!({
        "type": side.as_str(),
        "amount": round_cents(redemption.amount),
        "alreadyApplied": !applied,
        "reference": ref_id,
    });
    Ok(http::json_response(if applied { 201 } else { 200 }, &v))
}
