//! The public referral endpoints (`/api/referral/*`): no key, CORS for any origin.

use crate::ctx::Ctx;
use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::domain::email::Email;
use crate::domain::fraud::{self, FraudScore, Signals};
use crate::domain::ids::is_plausible_referral_code;
use crate::domain::money::parse_currency;
use crate::domain::privacy::visit_url;
use crate::domain::time;
use crate::engine::{self, Join, Purchase, Source};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, Amount};
use crate::limits::{self, Limit};
use crate::{auth, db, http, platform, turnstile, views};
use serde::{Deserialize, Serialize};
use serde_json::json;
use worker::{Request, Response};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidCode {
    valid: bool,
    referrer_email: String,
    referrer_name: Option<String>,
    contest_id: String,
}

/// `GET /api/referral/validate-code?code=&contestId=`: 200 `{"valid":true,...}`
/// for a live code, 200 `{"valid":false}` for any other. The advocate's email
/// is masked unless the contest sets `exposeReferrerEmail`.
pub async fn validate_code(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let (Some(code), Some(contest_id)) = (http::query_param(&query, "code"), http::query_param(&query, "contestId"))
    else {
        return Err(ApiError::bad_request("Missing code or contestId"));
    };
    limit_open(ctx, req, Limit::Reads, contest_id).await?;
    let invalid = || Ok(http::json_response(200, &json!({ "valid": false })));
    if !is_plausible_referral_code(code) {
        return invalid();
    }
    match db::entries::find_referrer(&ctx.db, contest_id, code).await? {
        Some(r) => Ok(http::json_response(
            200,
            &ValidCode {
                valid: true,
                referrer_email: views::email_for(&r.email_display, r.expose_referrer_email != 0),
                referrer_name: r.name,
                contest_id: r.contest_id,
            },
        )),
        None => invalid(),
    }
}

/// The open endpoints' rate limit, per client address and contest; the
/// owner's own server (a valid private key) is not limited.
async fn limit_open(ctx: &Ctx, req: &Request, limit: Limit, contest_id: &str) -> ApiResult<()> {
    if auth::has_private_key(&ctx.db, req).await {
        return Ok(());
    }
    limits::open_endpoint(&ctx.env, req, limit, contest_id).await
}

/// The contest named in a public request body, or 404.
pub async fn public_contest(ctx: &Ctx, contest_id: Option<&str>) -> ApiResult<ContestRow> {
    let id = input::required("contestId", contest_id, 100)?;
    db::contests::find(&ctx.db, &id).await?.ok_or_else(|| ApiError::not_found("Contest not found"))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrackVisitBody {
    referral_code: Option<String>,
    contest_id: Option<String>,
    url: Option<String>,
}

/// `POST /api/referral/track-visit`: one visit through an advocate's link,
/// counted once per address and day. Only origin, path and `utm_*` of the
/// landing URL are kept (a long one is cut, never refused). The common case is
/// one D1 round trip; only a refusal pays the reads that say why.
pub async fn track_visit(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: TrackVisitBody = http::read_json(req).await?;
    let code = input::required("referralCode", body.referral_code.as_deref(), 64)?;
    let contest_id = input::required("contestId", body.contest_id.as_deref(), 100)?;
    let url = match body.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(raw) => Some(visit_url(raw).ok_or_else(|| input::invalid("url", "must be an http(s) URL"))?),
    };
    limit_open(ctx, req, Limit::Reads, &contest_id).await?;
    let ip_hash = limits::address_hash(&ctx.env, &contest_id, req)?;
    let now = platform::now_iso();
    let id = platform::new_id("vi");
    if !db::visits::record_if_live(&ctx.db, &id, &contest_id, &code, url.as_deref(), &ip_hash, &now).await? {
        let contest = public_contest(ctx, Some(&contest_id)).await?;
        engine::ensure_contest_open(&contest)?;
        return Err(ApiError::not_found("Referral code not found"));
    }
    Ok(http::json_response(200, &json!({ "success": true })))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupBody {
    pub email: Option<String>,
    pub contest_id: Option<String>,
    pub referral_code: Option<String>,
    pub name: Option<String>,
    /// Cloudflare Turnstile's token, when the contest asks for a bot check.
    pub turnstile_token: Option<String>,
}

/// The answer of every signup surface (referral endpoint and signup webhook):
/// `pointsAwarded` is what was confirmed now; `status` says whether the
/// referral's award is `confirmed` or `pending` (`none` when nothing was awarded).
pub fn signup_response(joined: &engine::Joined) -> Response {
    http::json_response(
        200,
        &json!({
            "success": true,
            "data": {
                "entryId": joined.entry.id,
                "referralCode": joined.entry.referral_code,
                "isReferred": joined.entry.referred_by_entry_id.is_some(),
                "alreadyExists": !joined.created,
                "pointsAwarded": { "advocate": joined.advocate_points, "friend": joined.friend_points },
                "status": joined.award_status.map_or("none", |s| s.as_str()),
            }
        }),
    )
}

/// What screening a browser signup found.
struct Screened {
    ip_hash: String,
    score: FraudScore,
    over_velocity: bool,
}

/// Screens a tracker signup: the visitor's address (hashed with the contest id,
/// never stored raw), the fraud score its signals give, and whether the
/// advocate already referred the contest's `maxReferralsPerHour` this hour.
async fn screen(
    ctx: &Ctx,
    req: &Request,
    contest: &ContestRow,
    email: &Email,
    advocate: Option<&EntryRow>,
) -> ApiResult<Screened> {
    let ip_hash = limits::address_hash(&ctx.env, &contest.id, req)?;
    let since = time::iso8601(platform::now_ms() - 3_600_000);
    let (from_ip, by_advocate) =
        db::entries::recent_counts(&ctx.db, &contest.id, &ip_hash, advocate.map(|a| a.id.as_str()), &since).await?;
    let score = fraud::score(&Signals {
        email: email.normalized(),
        advocate_email: advocate.map(|a| a.email.as_str()),
        recent_signups_from_ip: from_ip,
    });
    let over_velocity = advocate.is_some() && i64::from(by_advocate) >= contest.max_referrals_per_hour;
    Ok(Screened { ip_hash, score, over_velocity })
}

/// A signup body, validated.
pub struct ValidSignup {
    pub email: Email,
    pub name: Option<String>,
    pub referral_code: Option<String>,
}

impl SignupBody {
    /// The referral endpoint requires a code; the signup webhook does not.
    pub fn validate(&self, code_required: bool) -> ApiResult<ValidSignup> {
        let referral_code = if code_required {
            Some(input::required("referralCode", self.referral_code.as_deref(), 64)?)
        } else {
            input::optional("referralCode", self.referral_code.as_deref(), 64)?
        };
        Ok(ValidSignup {
            email: input::email("email", self.email.as_deref())?,
            name: input::optional("name", self.name.as_deref(), 200)?,
            referral_code,
        })
    }
}

/// Joins `contest` from a validated signup (referral endpoint and signup
/// webhook); `screening` is the tracker's request, whose signals give a fraud score.
pub async fn signup(
    ctx: &Ctx,
    contest: &ContestRow,
    signup: &ValidSignup,
    source: Source,
    screening: Option<&Request>,
) -> ApiResult<engine::Joined> {
    let advocate = match &signup.referral_code {
        Some(code) => Some(engine::advocate_for_signup(&ctx.db, contest, code, &signup.email).await?),
        None => None,
    };
    let screened = match screening {
        Some(req) => Some(screen(ctx, req, contest, &signup.email, advocate.as_ref()).await?),
        None => None,
    };
    engine::join_contest(
        &ctx.db,
        contest,
        Join {
            name: signup.name.as_deref(),
            screening: screened.as_ref().map(|s| (s.ip_hash.as_str(), s.score)),
            over_velocity: screened.as_ref().is_some_and(|s| s.over_velocity),
            ..Join::new(&signup.email, advocate.as_ref(), source)
        },
    )
    .await
}

/// `POST /api/referral/track-signup`: a referred visitor signed up. The same
/// email again answers `alreadyExists: true` and nothing about that entry
/// (anyone may type anyone's email here).
pub async fn track_signup(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: SignupBody = http::read_json(req).await?;
    let valid = body.validate(true)?;
    let contest = public_contest(ctx, body.contest_id.as_deref()).await?;
    limit_open(ctx, req, Limit::Writes, &contest.id).await?;
    if let Some(secret) = &contest.turnstile_secret {
        turnstile::verify(secret, body.turnstile_token.as_deref(), &limits::client_address(req)).await?;
    }
    let joined = signup(ctx, &contest, &valid, Source::Tracker, Some(req)).await?;
    if !joined.created {
        return Ok(http::json_response(
            200,
            &json!({
                "success": true,
                "data": { "alreadyExists": true, "pointsAwarded": { "advocate": 0, "friend": 0 }, "status": "none" }
            }),
        ));
    }
    Ok(signup_response(&joined))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseBody {
    pub email: Option<String>,
    pub contest_id: Option<String>,
    pub order_id: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    pub referral_code: Option<String>,
}

/// A purchase body, validated: (email, order id, amount, currency, referral code).
pub struct ValidPurchase {
    pub email: Email,
    pub order_id: String,
    pub amount: f64,
    pub currency: String,
    pub referral_code: Option<String>,
    /// Stripe's payment intent (Checkout Sessions only).
    pub payment_intent: Option<String>,
}

impl PurchaseBody {
    pub fn validate(&self) -> ApiResult<ValidPurchase> {
        let email = input::email("email", self.email.as_deref())?;
        let order_id = input::required("orderId", self.order_id.as_deref(), 200)?;
        let amount = self.amount.ok_or_else(|| input::invalid("amount", "is required"))?.positive()?;
        // Exactly three letters when given (the contract's pattern); blank is refused.
        let currency = match self.currency.as_deref() {
            None => "USD".to_string(),
            Some(c) => parse_currency(c).ok_or_else(|| input::invalid("currency", "must be a 3-letter ISO code"))?,
        };
        let referral_code = input::optional("referralCode", self.referral_code.as_deref(), 64)?;
        Ok(ValidPurchase { email, order_id, amount, currency, referral_code, payment_intent: None })
    }
}

/// Records a validated purchase in `contest` for `buyer` (the entry of the
/// purchase's email, if any) through the engine.
pub async fn record(
    ctx: &Ctx,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: &ValidPurchase,
    source: Source,
) -> ApiResult<engine::Recorded> {
    engine::record_purchase(
        &ctx.db,
        contest,
        buyer,
        Purchase {
            email: &p.email,
            order_id: &p.order_id,
            amount: p.amount,
            currency: &p.currency,
            referral_code: p.referral_code.as_deref(),
            source,
            payment_intent: p.payment_intent.as_deref(),
        },
    )
    .await
}

/// Records a validated purchase whose buyer may have no entry (referral
/// endpoint, purchase webhook).
pub async fn purchase(
    ctx: &Ctx,
    contest: &ContestRow,
    p: &ValidPurchase,
    source: Source,
) -> ApiResult<engine::Recorded> {
    let buyer = db::entries::find_by_email(&ctx.db, &contest.id, p.email.normalized()).await?;
    record(ctx, contest, buyer.as_ref(), p, source).await
}

/// A recorded purchase as every purchase endpoint answers it: the seed's
/// fields; `status` is the state of its award (`confirmed`, `pending`,
/// `rejected`, or `none` when it credits nobody) and `purchaseStatus` the
/// purchase's (`unverified`, `verified`, `refunded`).
pub fn purchase_json(r: &engine::Recorded) -> serde_json::Value {
    json!({
        "purchaseId": r.purchase.id,
        "entryId": r.entry_id(),
        "creditedEntryId": r.purchase.credited_entry_id,
        "pointsAwarded": r.points_awarded,
        "alreadyExists": r.already_exists,
        "status": r.purchase.award_status.as_deref().unwrap_or("none"),
        "purchaseStatus": r.purchase.status,
        "message": if r.already_exists { "Purchase already recorded" } else { "Purchase recorded successfully" },
    })
}

pub fn purchase_response(r: &engine::Recorded) -> Response {
    http::json_response(200, &json!({ "success": true, "data": purchase_json(r) }))
}

/// `POST /api/referral/track-purchase`: a (referred) purchase, once per orderId.
/// A browser's report: recorded unverified, its award pending until a trusted
/// source reports the same order (unless the contest awards browser purchases).
pub async fn track_purchase(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: PurchaseBody = http::read_json(req).await?;
    let valid = body.validate()?;
    let contest = public_contest(ctx, body.contest_id.as_deref()).await?;
    limit_open(ctx, req, Limit::Writes, &contest.id).await?;
    let recorded = purchase(ctx, &contest, &valid, Source::Tracker).await?;
    Ok(purchase_response(&recorded))
}
