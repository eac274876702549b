//! Contests: create, read, update, leaderboard and stats.

use crate::ctx::{owned_contest, Ctx};
use crate::db::contests::ContestFields;
use crate::domain::contest::ContestStatus;
use crate::domain::money::parse_currency;
use crate::domain::money::parse_rates;
use crate::domain::points::{PurchasePointsTo, MAX_AWARD};
use crate::domain::rewards::RewardType;
use crate::domain::series::DayRange;
use crate::domain::time::parse_iso8601;
use crate::domain::trust::{BrowserPurchases, ReferralAwards};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, double_option};
use crate::{cache, db, http, platform, turnstile, views};
use serde::Deserialize;
use std::collections::BTreeMap;
use worker::{Request, Response};

/// The body of `POST` and `PATCH /contests`: every field optional here; `name`
/// is required on create. `null` clears a nullable field.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ContestInput {
    name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    description: Option<Option<String>>,
    status: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    ends_at: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    advocate_points: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    friend_points: Option<i64>,
    purchase_points_per_unit: Option<f64>,
    purchase_points_to: Option<String>,
    referral_enabled: Option<bool>,
    referrer_reward: Option<f64>,
    referee_reward: Option<f64>,
    reward_currency: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    stripe_webhook_secret: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    campaign_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    reward_header: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    reward_description: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", rename = "shareWidgetHeader")]
    share_header: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option", rename = "shareWidgetDescription")]
    share_description: Option<Option<String>>,
    reward_type: Option<String>,
    browser_purchases: Option<String>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    max_points_per_purchase: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    max_points_per_adjustment: Option<i64>,
    points_currency: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    currency_rates: Option<Option<BTreeMap<String, f64>>>,
    referral_awards: Option<String>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    max_referrals_per_hour: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    hold_days: Option<i64>,
    expose_referrer_email: Option<bool>,
    #[serde(default, deserialize_with = "double_option")]
    turnstile_secret: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    turnstile_site_key: Option<Option<String>>,
}

impl ContestInput {
    /// The columns of the settings this body gives (`null` included where it
    /// clears): a PATCH writes only them, so owners changing different settings
    /// at once both keep their change.
    fn given_columns(&self) -> Vec<&'static str> {
        [
            ("name", self.name.is_some()),
            ("description", self.description.is_some()),
            ("status", self.status.is_some()),
            ("ends_at", self.ends_at.is_some()),
            ("advocate_points", self.advocate_points.is_some()),
            ("friend_points", self.friend_points.is_some()),
            ("purchase_points_per_unit", self.purchase_points_per_unit.is_some()),
            ("purchase_points_to", self.purchase_points_to.is_some()),
            ("referral_enabled", self.referral_enabled.is_some()),
            ("referrer_reward", self.referrer_reward.is_some()),
            ("referee_reward", self.referee_reward.is_some()),
            ("reward_currency", self.reward_currency.is_some()),
            ("stripe_webhook_secret", self.stripe_webhook_secret.is_some()),
            ("campaign_url", self.campaign_url.is_some()),
            ("reward_header", self.reward_header.is_some()),
            ("reward_description", self.reward_description.is_some()),
            ("share_header", self.share_header.is_some()),
            ("share_description", self.share_description.is_some()),
            ("reward_type", self.reward_type.is_some()),
            ("browser_purchases", self.browser_purchases.is_some()),
            ("max_points_per_purchase", self.max_points_per_purchase.is_some()),
            ("max_points_per_adjustment", self.max_points_per_adjustment.is_some()),
            ("points_currency", self.points_currency.is_some()),
            ("currency_rates", self.currency_rates.is_some()),
            ("referral_awards", self.referral_awards.is_some()),
            ("max_referrals_per_hour", self.max_referrals_per_hour.is_some()),
            ("hold_days", self.hold_days.is_some()),
            ("expose_referrer_email", self.expose_referrer_email.is_some()),
            ("turnstile_secret", self.turnstile_secret.is_some()),
            ("turnstile_site_key", self.turnstile_site_key.is_some()),
        ]
        .into_iter()
        .filter_map(|(column, given)| given.then_some(column))
        .collect()
    }
}

/// Contest settings, owned and validated.
struct Settings {
    name: String,
    description: Option<String>,
    status: ContestStatus,
    ends_at: Option<String>,
    advocate_points: i64,
    friend_points: i64,
    purchase_points_per_unit: f64,
    purchase_points_to: PurchasePointsTo,
    referral_enabled: bool,
    referrer_reward: f64,
    referee_reward: f64,
    reward_currency: String,
    stripe_webhook_secret: Option<String>,
    campaign_url: Option<String>,
    reward_header: Option<String>,
    reward_description: Option<String>,
    share_header: Option<String>,
    share_description: Option<String>,
    reward_type: RewardType,
    browser_purchases: BrowserPurchases,
    max_points_per_purchase: i64,
    max_points_per_adjustment: i64,
    points_currency: String,
    /// `currencyRates` as stored: a JSON object of validated rates, or none.
    currency_rates: Option<String>,
    referral_awards: ReferralAwards,
    max_referrals_per_hour: i64,
    hold_days: i64,
    expose_referrer_email: bool,
    turnstile_secret: Option<String>,
    turnstile_site_key: Option<String>,
}

const MAX_POINTS: i64 = 1_000_000;

impl Settings {
    /// The defaults of a new contest (advocate 10, friend 5, 1 point per unit).
    fn defaults(name: String) -> Self {
        Self {
            name,
            description: None,
            status: ContestStatus::Active,
            ends_at: None,
            advocate_points: 10,
            friend_points: 5,
            purchase_points_per_unit: 1.0,
            purchase_points_to: PurchasePointsTo::Advocate,
            referral_enabled: true,
            referrer_reward: 0.0,
            referee_reward: 0.0,
            reward_currency: "USD".into(),
            stripe_webhook_secret: None,
            campaign_url: None,
            reward_header: None,
            reward_description: None,
            share_header: None,
            share_description: None,
            reward_type: RewardType::Monetary,
            browser_purchases: BrowserPurchases::Pending,
            max_points_per_purchase: 100_000,
            max_points_per_adjustment: 1_000_000,
            points_currency: "USD".into(),
            currency_rates: None,
            referral_awards: ReferralAwards::Instant,
            max_referrals_per_hour: 20,
            hold_days: 0,
            expose_referrer_email: false,
            turnstile_secret: None,
            turnstile_site_key: None,
        }
    }

    /// Applies the fields present in `input`, validating each on its own: no
    /// rule reads another setting, so a PATCH needs no current row.
    fn apply(mut self, input: ContestInput) -> ApiResult<Self> {
        if let Some(name) = input.name {
            self.name = input::required("name", Some(&name), 200)?;
        }
        if let Some(d) = input.description {
            self.description = input::optional("description", d.as_deref(), 2000)?;
        }
        if let Some(s) = input.status {
            self.status = ContestStatus::parse(&s)
                .ok_or_else(|| input::invalid("status", "must be one of active, paused, ended"))?;
        }
        if let Some(e) = input.ends_at {
            self.ends_at = e
                .map(|e| {
                    parse_iso8601(&e).ok_or_else(|| input::invalid("endsAt", "must be an RFC 3339 date-time or a date"))
                })
                .transpose()?;
        }
        if let Some(p) = input.advocate_points {
            self.advocate_points = input::int_in("advocatePoints", p, 0, MAX_POINTS)?;
        }
        if let Some(p) = input.friend_points {
            self.friend_points = input::int_in("friendPoints", p, 0, MAX_POINTS)?;
        }
        if let Some(p) = input.purchase_points_per_unit {
            self.purchase_points_per_unit = input::non_negative("purchasePointsPerUnit", p, 10_000.0)?;
        }
        if let Some(t) = input.purchase_points_to {
            self.purchase_points_to = PurchasePointsTo::parse(&t)
                .ok_or_else(|| input::invalid("purchasePointsTo", "must be \"advocate\" or \"buyer\""))?;
        }
        if let Some(e) = input.referral_enabled {
            self.referral_enabled = e;
        }
        if let Some(r) = input.referrer_reward {
            self.referrer_reward = input::non_negative("referrerReward", r, 1e9)?;
        }
        if let Some(r) = input.referee_reward {
            self.referee_reward = input::non_negative("refereeReward", r, 1e9)?;
        }
        if let Some(c) = input.reward_currency {
            self.reward_currency = parse_currency(&c)
                .ok_or_else(|| input::invalid("rewardCurrency", "must be an active ISO 4217 code"))?;
        }
        if let Some(s) = input.stripe_webhook_secret {
            self.stripe_webhook_secret = input::optional("stripeWebhookSecret", s.as_deref(), 200)?;
        }
        if let Some(u) = input.campaign_url {
            self.campaign_url = input::url("campaignUrl", u.as_deref())?;
        }
        let texts = [
            (input.reward_header, &mut self.reward_header, "rewardHeader", 200),
            (input.reward_description, &mut self.reward_description, "rewardDescription", 1000),
            (input.share_header, &mut self.share_header, "shareWidgetHeader", 200),
            (input.share_description, &mut self.share_description, "shareWidgetDescription", 1000),
        ];
        for (given, field, name, max) in texts {
            if let Some(v) = given {
                *field = input::optional(name, v.as_deref(), max)?;
            }
        }
        if let Some(e) = input.expose_referrer_email {
            self.expose_referrer_email = e;
        }
        if let Some(t) = input.turnstile_secret {
            self.turnstile_secret = input::optional("turnstileSecret", t.as_deref(), 200)?;
        }
        if let Some(k) = input.turnstile_site_key {
            self.turnstile_site_key = input::optional("turnstileSiteKey", k.as_deref(), 100)?;
            if self.turnstile_site_key.as_deref().is_some_and(|k| !turnstile::is_site_key(k)) {
                return Err(input::invalid("turnstileSiteKey", "must be letters, digits, '-' and '_'"));
            }
        }
        if let Some(t) = input.reward_type {
            self.reward_type = RewardType::parse(&t)
                .ok_or_else(|| input::invalid("rewardType", "must be \"Monetary\" or \"Points\""))?;
        }
        self.apply_integrity(IntegrityInput {
            browser_purchases: input.browser_purchases,
            max_points_per_purchase: input.max_points_per_purchase,
            max_points_per_adjustment: input.max_points_per_adjustment,
            points_currency: input.points_currency,
            currency_rates: input.currency_rates,
            referral_awards: input.referral_awards,
            max_referrals_per_hour: input.max_referrals_per_hour,
            hold_days: input.hold_days,
        })
    }

    /// The integrity settings (docs/API.md, "Trust").
    fn apply_integrity(mut self, input: IntegrityInput) -> ApiResult<Self> {
        if let Some(b) = input.browser_purchases {
            self.browser_purchases = BrowserPurchases::parse(&b)
                .ok_or_else(|| input::invalid("browserPurchases", "must be \"pending\" or \"award\""))?;
        }
        if let Some(m) = input.max_points_per_purchase {
            self.max_points_per_purchase = input::int_in("maxPointsPerPurchase", m, 0, MAX_AWARD)?;
        }
        if let Some(m) = input.max_points_per_adjustment {
            self.max_points_per_adjustment = input::int_in("maxPointsPerAdjustment", m, 1, MAX_AWARD)?;
        }
        if let Some(c) = input.points_currency {
            self.points_currency = parse_currency(&c)
                .ok_or_else(|| input::invalid("pointsCurrency", "must be an active ISO 4217 code"))?;
        }
        if let Some(r) = input.currency_rates {
            let pairs: Vec<(String, f64)> = r.unwrap_or_default().into_iter().collect();
            let rates = parse_rates(&pairs).map_err(|e| input::invalid("currencyRates", &e))?;
            self.currency_rates = if rates.is_empty() {
                None
            } else {
                let map: BTreeMap<String, f64> = rates.into_iter().collect();
                Some(serde_json::to_string(&map).map_err(|e| ApiError::Internal(e.to_string()))?)
            };
        }
        if let Some(m) = input.referral_awards {
            self.referral_awards = ReferralAwards::parse(&m).ok_or_else(|| {
                input::invalid("referralAwards", "must be one of \"instant\", \"onPurchase\", \"review\"")
            })?;
        }
        if let Some(m) = input.max_referrals_per_hour {
            self.max_referrals_per_hour = input::int_in("maxReferralsPerHour", m, 1, 1_000_000)?;
        }
        if let Some(d) = input.hold_days {
            self.hold_days = input::int_in("holdDays", d, 0, 365)?;
        }
        Ok(self)
    }

    fn fields(&self) -> ContestFields<'_> {
        ContestFields {
            name: &self.name,
            description: self.description.as_deref(),
            status: self.status,
            ends_at: self.ends_at.as_deref(),
            advocate_points: self.advocate_points,
            friend_points: self.friend_points,
            purchase_points_per_unit: self.purchase_points_per_unit,
            purchase_points_to: self.purchase_points_to,
            referral_enabled: self.referral_enabled,
            referrer_reward: self.referrer_reward,
            referee_reward: self.referee_reward,
            reward_currency: &self.reward_currency,
            stripe_webhook_secret: self.stripe_webhook_secret.as_deref(),
            campaign_url: self.campaign_url.as_deref(),
            reward_header: self.reward_header.as_deref(),
            reward_description: self.reward_description.as_deref(),
            share_header: self.share_header.as_deref(),
            share_description: self.share_description.as_deref(),
            reward_type: self.reward_type,
            browser_purchases: self.browser_purchases,
            max_points_per_purchase: self.max_points_per_purchase,
            max_points_per_adjustment: self.max_points_per_adjustment,
            points_currency: &self.points_currency,
            currency_rates: self.currency_rates.as_deref(),
            referral_awards: self.referral_awards,
            max_referrals_per_hour: self.max_referrals_per_hour,
            hold_days: self.hold_days,
            expose_referrer_email: self.expose_referrer_email,
            turnstile_secret: self.turnstile_secret.as_deref(),
            turnstile_site_key: self.turnstile_site_key.as_deref(),
        }
    }
}

struct IntegrityInput {
    browser_purchases: Option<String>,
    max_points_per_purchase: Option<i64>,
    max_points_per_adjustment: Option<i64>,
    points_currency: Option<String>,
    currency_rates: Option<Option<BTreeMap<String, f64>>>,
    referral_awards: Option<String>,
    max_referrals_per_hour: Option<i64>,
    hold_days: Option<i64>,
}

/// `POST /api/v1/contests`: 201 with the contest (its id in `data.id`).
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let input: ContestInput = http::read_json(req).await?;
    let name = input::required("name", input.name.as_deref(), 200)?;
    let settings = Settings::defaults(name).apply(input)?;
    let id = platform::new_id("ct");
    let webhook_secret = new_webhook_secret();
    let contest = db::contests::insert(
        &ctx.db,
        &id,
        ctx.account_id()?,
        &webhook_secret,
        &settings.fields(),
        &platform::now_iso(),
    )
    .await?;
    http::data(201, views::contest(&contest, true))
}

/// `GET /api/v1/contests?page=&limit=`.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let page = http::page_request(req)?;
    let (rows, total) = db::contests::list_owned(&ctx.db, ctx.account_id()?, page).await?;
    let private = ctx.caller()?.is_private();
    http::paged(rows.iter().map(|c| views::contest(c, private)).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/contests/:contestId`.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    http::data(200, views::contest(&contest, ctx.caller()?.is_private()))
}

/// `PATCH /api/v1/contests/:contestId`: only the fields given change, in one
/// UPDATE of their columns (never a read row written back, which would undo
/// another owner's change made meanwhile). The given fields are validated on
/// their own, over the defaults; the rest of `Settings` is not written.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let input: ContestInput = http::read_json(req).await?;
    let given = input.given_columns();
    let settings = Settings::defaults(contest.name.clone()).apply(input)?;
    let updated =
        db::contests::update(&ctx.db, &contest.id, ctx.account_id()?, &settings.fields(), &given, &platform::now_iso())
            .await?
            .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    // Its open answers (a code's check, the leaderboard) follow the new settings.
    cache::forget_contest(&contest.id).await;
    http::data(200, views::contest(&updated, true))
}

/// `POST /api/v1/contests/:contestId/rotate-webhook-secret`: a new inbound
/// webhook secret; the old one stops working at once (a leaked secret lets
/// anyone confirm signups and purchases, so there is no grace period).
pub async fn rotate_webhook_secret(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let updated = db::contests::set_webhook_secret(
        &ctx.db,
        &contest.id,
        ctx.account_id()?,
        &new_webhook_secret(),
        &platform::now_iso(),
    )
    .await?
    .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    http::data(200, views::contest(&updated, true))
}

/// `whk_` and 48 hex digits of randomness.
fn new_webhook_secret() -> String {
    ["whk_", &crate::domain::signature::hex(&platform::random_bytes::<24>())].concat()
}

/// `GET /api/v1/contests/:contestId/leaderboard?limit=` (default 10, max 100):
/// points descending, earlier entry first on ties. Public keys see masked emails.
/// What public keys and participant tokens read is cached for `cache::TTL_SECS`
/// under their own credential (`cached_leaderboard`); the owner's private key
/// always reads D1.
pub async fn leaderboard(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let limit = match http::query_typed(&query, "limit") {
        None => 10,
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|l| *l >= 1)
            .ok_or_else(|| ApiError::bad_request("limit must be a positive integer"))?
            .min(100),
    };
    let rows = db::entries::leaderboard(&ctx.db, &contest.id, limit).await?;
    let viewer = ctx.caller()?;
    let board = views::contests::leaderboard(&rows, viewer.sees_emails(), viewer.sees_names());
    if viewer.is_private() {
        return http::data(200, board);
    }
    let json = http::data_text(board);
    cache::put(&leaderboard_key(req, &contest.id).await, 200, &json).await;
    Ok(cache::answer(200, &json, false))
}

/// A leaderboard this credential read within `cache::TTL_SECS`, before any
/// D1 read (authentication included): the same URL with the same credential
/// was answered 200, so it is answered again. A revoked public key or token
/// may therefore read it for up to the TTL more.
pub async fn cached_leaderboard(req: &Request, contest_id: &str) -> Option<Response> {
    let (status, json) = cache::get(&leaderboard_key(req, contest_id).await).await?;
    Some(cache::answer(status, &json, false))
}

async fn leaderboard_key(req: &Request, contest_id: &str) -> String {
    let header = |name: &str| req.headers().get(name).ok().flatten().unwrap_or_default();
    cache::contest_key("leaderboard", contest_id, &[&req.inner().url(), &header("x-api-key"), &header("authorization")])
        .await
}

/// `GET /api/v1/contests/:contestId/stats`: revenue and purchases are verified
/// ones; a private key also sees the unverified claims (`unverified`).
pub async fn stats(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let s = db::stats::for_contest(&ctx.db, &contest.id).await?;
    http::data(200, views::contests::stats(&contest.id, &s, ctx.caller()?.is_private()))
}

/// `GET /api/v1/contests/:contestId/timeseries?from=&to=`: per UTC day (both
/// ends included, the last 30 days by default, at most 366), visits, signups,
/// referred signups, purchases, revenue per currency and confirmed points;
/// days with nothing are zeros.
pub async fn timeseries(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let query = http::query_pairs(req)?;
    let range = DayRange::parse(http::query_typed(&query, "from"), http::query_typed(&query, "to"), platform::now_ms())
        .map_err(ApiError::bad_request)?;
    let (start, end) = range.bounds();
    // Bounds are midnights: their dates are the counters' days.
    let rows = db::stats::by_day(&ctx.db, &contest.id, &start[..10], &end[..10]).await?;
    http::data(200, views::contests::timeseries(&contest.id, range.days(), rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PATCH of every field names every settings column: none is left out of
    /// the UPDATE (the row's other columns are the id, owner, secret and times).
    #[test]
    fn every_field_names_its_column() {
        let all = r#"{"name":"x","description":null,"status":"paused","endsAt":null,"advocatePoints":1,
          "friendPoints":1,"purchasePointsPerUnit":1,"purchasePointsTo":"buyer","referralEnabled":true,
          "referrerReward":1,"refereeReward":1,"rewardCurrency":"EUR","stripeWebhookSecret":null,"campaignUrl":null,
          "rewardHeader":null,"rewardDescription":null,"shareWidgetHeader":null,"shareWidgetDescription":null,
          "rewardType":"Points","browserPurchases":"award","maxPointsPerPurchase":1,"maxPointsPerAdjustment":1,
          "pointsCurrency":"EUR","currencyRates":null,"referralAwards":"review","maxReferralsPerHour":1,"holdDays":1,
          "exposeReferrerEmail":true,"turnstileSecret":null,"turnstileSiteKey":null}"#;
        let input: ContestInput = serde_json::from_str(all).unwrap();
        let mut given = input.given_columns();
        given.extend(["id", "account_id", "webhook_secret", "created_at", "updated_at"]);
        given.sort_unstable();
        let mut columns: Vec<&str> = db::contests::COLUMNS.split(',').map(str::trim).collect();
        columns.sort_unstable();
        assert_eq!(given, columns);
        let some: ContestInput = serde_json::from_str(r#"{"holdDays":2,"description":null}"#).unwrap();
        assert_eq!(some.given_columns(), ["description", "hold_days"]);
        let none: ContestInput = serde_json::from_str("{}").unwrap();
        assert!(none.given_columns().is_empty());
    }
}
