//! Contests and their settings.

use super::{DbResult, StorageError};
use crate::domain::contest::ContestStatus;
use crate::domain::ids::{AccountId, ContestId};
use crate::domain::points::PurchasePointsTo;
use crate::domain::rewards::RewardType;
use crate::domain::trust::{BrowserPurchases, ReferralAwards};
use crate::domain::v1_pages::PageRequest;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::d1::serde_wasm_bindgen;
use worker::{query, D1Database};

#[derive(Debug, Clone, Deserialize)]
pub struct ContestRow {
    pub id: ContestId,
    pub account_id: AccountId,
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
    /// Public: the widget renders Turnstile with it.
    pub turnstile_site_key: Option<String>,
}

/// Every setting a contest is written with; `insert` and `update` take all of
/// them. Typed here; text and 0/1 only when bound (`columns`).
pub struct ContestFields<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub status: ContestStatus,
    pub ends_at: Option<&'a str>,
    pub advocate_points: i64,
    pub friend_points: i64,
    pub purchase_points_per_unit: f64,
    pub purchase_points_to: PurchasePointsTo,
    pub referral_enabled: bool,
    pub referrer_reward: f64,
    pub referee_reward: f64,
    pub reward_currency: &'a str,
    pub stripe_webhook_secret: Option<&'a str>,
    pub campaign_url: Option<&'a str>,
    pub reward_header: Option<&'a str>,
    pub reward_description: Option<&'a str>,
    pub share_header: Option<&'a str>,
    pub share_description: Option<&'a str>,
    pub reward_type: RewardType,
    pub browser_purchases: BrowserPurchases,
    pub max_points_per_purchase: i64,
    pub max_points_per_adjustment: i64,
    pub points_currency: &'a str,
    /// A JSON object of rates, as stored.
    pub currency_rates: Option<&'a str>,
    pub referral_awards: ReferralAwards,
    pub max_referrals_per_hour: i64,
    pub hold_days: i64,
    pub expose_referrer_email: bool,
    pub turnstile_secret: Option<&'a str>,
    pub turnstile_site_key: Option<&'a str>,
}

/// A value as `query!` binds it (`None` is NULL).
fn bound<T: Serialize + ?Sized>(value: &T) -> DbResult<JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    Ok(value.serialize(&serializer).map_err(|e| worker::Error::Internal(e.into()))?)
}

impl ContestFields<'_> {
    /// The one list of written columns and their values: `insert` and `update`
    /// are both made from it. Enums are bound as their text, flags as 0/1.
    fn columns(&self) -> DbResult<Vec<(&'static str, JsValue)>> {
        Ok(vec![
            ("name", bound(self.name)?),
            ("description", bound(&self.description)?),
            ("status", bound(self.status.as_str())?),
            ("ends_at", bound(&self.ends_at)?),
            ("advocate_points", bound(&self.advocate_points)?),
            ("friend_points", bound(&self.friend_points)?),
            ("purchase_points_per_unit", bound(&self.purchase_points_per_unit)?),
            ("purchase_points_to", bound(self.purchase_points_to.as_str())?),
            ("referral_enabled", bound(&i64::from(self.referral_enabled))?),
            ("referrer_reward", bound(&self.referrer_reward)?),
            ("referee_reward", bound(&self.referee_reward)?),
            ("reward_currency", bound(self.reward_currency)?),
            ("stripe_webhook_secret", bound(&self.stripe_webhook_secret)?),
            ("campaign_url", bound(&self.campaign_url)?),
            ("reward_header", bound(&self.reward_header)?),
            ("reward_description", bound(&self.reward_description)?),
            ("share_header", bound(&self.share_header)?),
            ("share_description", bound(&self.share_description)?),
            ("reward_type", bound(self.reward_type.as_str())?),
            ("browser_purchases", bound(self.browser_purchases.as_str())?),
            ("max_points_per_purchase", bound(&self.max_points_per_purchase)?),
            ("max_points_per_adjustment", bound(&self.max_points_per_adjustment)?),
            ("points_currency", bound(self.points_currency)?),
            ("currency_rates", bound(&self.currency_rates)?),
            ("referral_awards", bound(self.referral_awards.as_str())?),
            ("max_referrals_per_hour", bound(&self.max_referrals_per_hour)?),
            ("hold_days", bound(&self.hold_days)?),
            ("expose_referrer_email", bound(&i64::from(self.expose_referrer_email))?),
            ("turnstile_secret", bound(&self.turnstile_secret)?),
            ("turnstile_site_key", bound(&self.turnstile_site_key)?),
        ])
    }
}

/// Every column a contest is read with.
pub(crate) const COLUMNS: &str = "id, account_id, name, description, status, ends_at, advocate_points, friend_points,
  purchase_points_per_unit, purchase_points_to, referral_enabled, referrer_reward, referee_reward,
  reward_currency, webhook_secret, stripe_webhook_secret, campaign_url, reward_header, reward_description,
  share_header, share_description, reward_type, created_at, updated_at, browser_purchases, max_points_per_purchase,
  max_points_per_adjustment, points_currency, currency_rates, referral_awards, max_referrals_per_hour, hold_days,
  expose_referrer_email, turnstile_secret, turnstile_site_key";

fn select(filter: &str) -> String {
    let mut sql = String::from("SELECT ");
    sql.push_str(COLUMNS);
    sql.push_str(" FROM contests ");
    sql.push_str(filter);
    sql
}

/// `?n`.
fn param(n: usize) -> String {
    ["?", &n.to_string()].concat()
}

/// Creates a contest (created and updated now) and reads it back, in one batch.
pub async fn insert(
    db: &D1Database,
    id: &str,
    account_id: &str,
    webhook_secret: &str,
    f: &ContestFields<'_>,
    now: &str,
) -> DbResult<ContestRow> {
    let mut columns = vec![
        ("id", bound(id)?),
        ("account_id", bound(account_id)?),
        ("webhook_secret", bound(webhook_secret)?),
        ("created_at", bound(now)?),
        ("updated_at", bound(now)?),
    ];
    columns.extend(f.columns()?);
    let names: Vec<&str> = columns.iter().map(|(column, _)| *column).collect();
    let params: Vec<String> = (1..=columns.len()).map(param).collect();
    let sql = ["INSERT INTO contests (", &names.join(", "), ") VALUES (", &params.join(", "), ")"].concat();
    let bindings: Vec<JsValue> = columns.into_iter().map(|(_, value)| value).collect();
    let mut batch = super::Batch::new();
    batch.push(db.prepare(&sql).bind(&bindings)?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)?.ok_or_else(|| StorageError::D1("contest missing after insert".into()))
}

/// Replaces a contest's inbound webhook secret and reads the contest back, in
/// one batch (`None`: no such contest).
pub async fn set_webhook_secret(
    db: &D1Database,
    id: &str,
    account_id: &str,
    secret: &str,
    now: &str,
) -> DbResult<Option<ContestRow>> {
    let mut batch = super::Batch::new();
    batch.push(query!(
        db,
        "UPDATE contests SET webhook_secret = ?3, updated_at = ?4 WHERE id = ?1 AND account_id = ?2",
        id,
        account_id,
        secret,
        now
    )?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)
}

/// Writes the settings named in `only` (columns of `ContestFields`) of a
/// contest of this account, in one UPDATE of those columns alone, and reads it
/// back, in one batch (`None`: no such contest). The other columns keep what
/// the row has at that moment, so concurrent changes of different settings
/// all land.
pub async fn update(
    db: &D1Database,
    id: &str,
    account_id: &str,
    f: &ContestFields<'_>,
    only: &[&str],
    now: &str,
) -> DbResult<Option<ContestRow>> {
    let mut bindings = vec![bound(id)?, bound(account_id)?];
    let mut sets = Vec::new();
    let named = f.columns()?.into_iter().filter(|(column, _)| only.contains(column));
    for (column, value) in [("updated_at", bound(now)?)].into_iter().chain(named) {
        bindings.push(value);
        sets.push([column, " = ", &param(bindings.len())].concat());
    }
    let sql = ["UPDATE contests SET ", &sets.join(", "), " WHERE id = ?1 AND account_id = ?2"].concat();
    let mut batch = super::Batch::new();
    batch.push(db.prepare(&sql).bind(&bindings)?);
    let contest = batch.push(query!(db, &owned_sql(), id, account_id)?);
    contest.first(&batch.run(db).await?)
}

/// A contest by id, if this account's: `?1` the id, `?2` the account.
pub(super) fn owned_sql() -> String {
    select("WHERE id = ?1 AND account_id = ?2")
}

/// A contest of this account (another account's contest does not exist here).
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &str) -> DbResult<Option<ContestRow>> {
    super::first(query!(db, &owned_sql(), id, account_id)?).await
}

/// A contest by id alone: for the public referral endpoints and webhooks, which
/// carry no key.
pub async fn find(db: &D1Database, id: &str) -> DbResult<Option<ContestRow>> {
    super::first(query!(db, &by_id_sql(), id)?).await
}

pub(super) fn by_id_sql() -> String {
    select("WHERE id = ?1")
}

/// The contest of the entry `?1`.
pub(super) fn of_entry_sql() -> String {
    select("WHERE id = (SELECT contest_id FROM entries WHERE id = ?1)")
}

pub(super) fn list_owned_sql() -> String {
    select("WHERE account_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3")
}

/// How many entries a contest has: the count a trigger keeps
/// (migrations/0010), not a count of the rows.
pub(super) const ENTRY_COUNT: &str = "SELECT entry_count AS n FROM contests WHERE id = ?1";

pub(super) const COUNT_OWNED: &str = "SELECT COUNT(*) AS n FROM contests WHERE account_id = ?1";

pub async fn list_owned(db: &D1Database, account_id: &str, page: PageRequest) -> DbResult<(Vec<ContestRow>, u64)> {
    super::page::read(
        db,
        query!(db, &list_owned_sql(), account_id, page.limit, page.offset())?,
        query!(db, COUNT_OWNED, account_id)?,
    )
    .await
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
