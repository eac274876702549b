//! Contests and their settings.

use crate::domain::contest::ContestStatus;
use crate::domain::points::PurchasePointsTo;
use crate::domain::rewards::RewardType;
use crate::domain::trust::{BrowserPurchases, ReferralAwards};
use crate::domain::v1_pages::PageRequest;
use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Clone, Deserialize)]
pub struct ContestRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub description: Option<String>,
    pub status: ContestStatus,
    pub ends_at: Option<String>,
    pub advocate_points: i64,
    pub friend_points: i64,
    pub purchase_points_per_unit: f64,
    pub purchase_points_to: PurchasePointsTo,
    #[serde(deserialize_with = "super::flag")]
    pub referral_enabled: bool,
    pub referrer_reward: f64,
    pub referee_reward: f64,
    pub reward_currency: String,
    pub webhook_secret: Option<String>,
    pub stripe_webhook_secret: Option<String>,
    pub campaign_url: Option<String>,
    pub reward_header: Option<String>,
    pub reward_description: Option<String>,
    pub share_header: Option<String>,
    pub share_description: Option<String>,
    pub reward_type: RewardType,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub browser_purchases: BrowserPurchases,
    pub max_points_per_purchase: i64,
    pub max_points_per_adjustment: i64,
    pub points_currency: String,
    /// JSON object, currency -> value of one unit in `points_currency`.
    pub currency_rates: Option<String>,
    pub referral_awards: ReferralAwards,
    pub max_referrals_per_hour: i64,
    pub hold_days: i64,
    #[serde(deserialize_with = "super::flag")]
    pub expose_referrer_email: bool,
    /// Write-only: never shown; the view says `turnstileEnabled`.
    pub turnstile_secret: Option<String>,
}

/// Every column a contest is written with; `insert` and `update` take all of them.
pub struct ContestFields<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub status: &'a str,
    pub ends_at: Option<&'a str>,
    pub advocate_points: i64,
    pub friend_points: i64,
    pub purchase_points_per_unit: f64,
    pub purchase_points_to: &'a str,
    pub referral_enabled: i64,
    pub referrer_reward: f64,
    pub referee_reward: f64,
    pub reward_currency: &'a str,
    pub stripe_webhook_secret: Option<&'a str>,
    pub campaign_url: Option<&'a str>,
    pub reward_header: Option<&'a str>,
    pub reward_description: Option<&'a str>,
    pub share_header: Option<&'a str>,
    pub share_description: Option<&'a str>,
    pub reward_type: &'a str,
    pub browser_purchases: &'a str,
    pub max_points_per_purchase: i64,
    pub max_points_per_adjustment: i64,
    pub points_currency: &'a str,
    pub currency_rates: Option<&'a str>,
    pub referral_awards: &'a str,
    pub max_referrals_per_hour: i64,
    pub hold_days: i64,
    pub expose_referrer_email: i64,
    pub turnstile_secret: Option<&'a str>,
}

const COLUMNS: &str = "id, account_id, name, description, status, ends_at, advocate_points, friend_points,
  purchase_points_per_unit, purchase_points_to, referral_enabled, referrer_reward, referee_reward,
  reward_currency, webhook_secret, stripe_webhook_secret, campaign_url, reward_header, reward_description,
  share_header, share_description, reward_type, created_at, updated_at, browser_purchases, max_points_per_purchase,
  max_points_per_adjustment, points_currency, currency_rates, referral_awards, max_referrals_per_hour, hold_days,
  expose_referrer_email, turnstile_secret";

fn select(filter: &str) -> String {
    let mut sql = String::from("SELECT ");
    sql.push_str(COLUMNS);
    sql.push_str(" FROM contests ");
    sql.push_str(filter);
    sql
}

pub fn insert(
    db: &D1Database,
    id: &str,
    account_id: &str,
    webhook_secret: &str,
    f: &ContestFields,
    now: &str,
) -> ApiResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO contests (id, account_id, name, description, status, ends_at, advocate_points, friend_points,
           purchase_points_per_unit, purchase_points_to, referral_enabled, referrer_reward, referee_reward,
           reward_currency, webhook_secret, stripe_webhook_secret, campaign_url, reward_header,
           reward_description, share_header, share_description, reward_type, created_at, updated_at,
           browser_purchases, max_points_per_purchase, max_points_per_adjustment, points_currency, currency_rates,
           referral_awards, max_referrals_per_hour, hold_days, expose_referrer_email, turnstile_secret)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?18, ?19, ?20, ?21, ?22, ?23, ?17, ?17,
           ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)",
        id,
        account_id,
        f.name,
        f.description,
        f.status,
        f.ends_at,
        f.advocate_points,
        f.friend_points,
        f.purchase_points_per_unit,
        f.purchase_points_to,
        f.referral_enabled,
        f.referrer_reward,
        f.referee_reward,
        f.reward_currency,
        webhook_secret,
        f.stripe_webhook_secret,
        now,
        f.campaign_url,
        f.reward_header,
        f.reward_description,
        f.share_header,
        f.share_description,
        f.reward_type,
        f.browser_purchases,
        f.max_points_per_purchase,
        f.max_points_per_adjustment,
        f.points_currency,
        f.currency_rates,
        f.referral_awards,
        f.max_referrals_per_hour,
        f.hold_days,
        f.expose_referrer_email,
        f.turnstile_secret
    )?)
}

pub async fn update(db: &D1Database, id: &str, account_id: &str, f: &ContestFields<'_>, now: &str) -> ApiResult<()> {
    query!(
        db,
        "UPDATE contests SET name = ?3, description = ?4, status = ?5, ends_at = ?6, advocate_points = ?7,
           friend_points = ?8, purchase_points_per_unit = ?9, purchase_points_to = ?10, referral_enabled = ?11,
           referrer_reward = ?12, referee_reward = ?13, reward_currency = ?14, stripe_webhook_secret = ?15,
           updated_at = ?16, campaign_url = ?17, reward_header = ?18, reward_description = ?19,
           share_header = ?20, share_description = ?21, reward_type = ?22, browser_purchases = ?23,
           max_points_per_purchase = ?24, max_points_per_adjustment = ?25, points_currency = ?26,
           currency_rates = ?27, referral_awards = ?28, max_referrals_per_hour = ?29, hold_days = ?30,
           expose_referrer_email = ?31, turnstile_secret = ?32
         WHERE id = ?1 AND account_id = ?2",
        id,
        account_id,
        f.name,
        f.description,
        f.status,
        f.ends_at,
        f.advocate_points,
        f.friend_points,
        f.purchase_points_per_unit,
        f.purchase_points_to,
        f.referral_enabled,
        f.referrer_reward,
        f.referee_reward,
        f.reward_currency,
        f.stripe_webhook_secret,
        now,
        f.campaign_url,
        f.reward_header,
        f.reward_description,
        f.share_header,
        f.share_description,
        f.reward_type,
        f.browser_purchases,
        f.max_points_per_purchase,
        f.max_points_per_adjustment,
        f.points_currency,
        f.currency_rates,
        f.referral_awards,
        f.max_referrals_per_hour,
        f.hold_days,
        f.expose_referrer_email,
        f.turnstile_secret
    )?
    .run()
    .await?;
    Ok(())
}

/// A contest of this account (another account's contest does not exist here).
pub async fn find_owned(db: &D1Database, account_id: &str, id: &str) -> ApiResult<Option<ContestRow>> {
    super::first(query!(db, &select("WHERE id = ?1 AND account_id = ?2"), id, account_id)?).await
}

/// A contest by id alone: for the public referral endpoints and webhooks, which
/// carry no key.
pub async fn find(db: &D1Database, id: &str) -> ApiResult<Option<ContestRow>> {
    super::first(query!(db, &select("WHERE id = ?1"), id)?).await
}

pub async fn list_owned(db: &D1Database, account_id: &str, page: PageRequest) -> ApiResult<(Vec<ContestRow>, u64)> {
    let results = super::batch(
        db,
        vec![
            query!(
                db,
                &select("WHERE account_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3"),
                account_id,
                page.limit,
                page.offset()
            )?,
            query!(db, "SELECT COUNT(*) AS n FROM contests WHERE account_id = ?1", account_id)?,
        ],
    )
    .await?;
    let total = super::first_of::<super::Count>(&results[1])?.map_or(0, |c| c.n as u64);
    Ok((results[0].results()?, total))
}

impl ContestRow {
    /// `currencyRates` as pairs (an unreadable value counts as none).
    pub fn rates(&self) -> Vec<(String, f64)> {
        self.currency_rates
            .as_deref()
            .and_then(|r| serde_json::from_str::<std::collections::BTreeMap<String, f64>>(r).ok())
            .map(|m| m.into_iter().collect())
            .unwrap_or_default()
    }
}
