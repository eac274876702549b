//! A contest's settings: one type from request to storage. Each setting is one
//! entry of the `settings!` list below (its field, which is its column; its
//! type and default; what a request gives and the rule that validates it), and
//! everything else is made from that list: the body of `POST` and `PATCH
//! /contests` (`SettingsPatch`), the columns written (`columns`), the columns
//! read (`COLUMNS`, the row deserializes into `ContestSettings`) and the view
//! (`ContestSettings` serializes as the API shows it). Adding a setting is
//! adding an entry (and its migration). Beside `input` rather than in
//! `domain`: its rules answer the 400s `input` makes.

use crate::domain::contest::ContestStatus;
use crate::domain::email::Email;
use crate::domain::email_templates::Locale;
use crate::domain::money::{parse_currency, parse_rates};
use crate::domain::points::{PurchasePointsTo, MAX_AWARD};
use crate::domain::rewards::RewardType;
use crate::domain::time::parse_iso8601;
use crate::domain::trust::{BrowserPurchases, ReferralAwards};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, double_option, int_double_option, int_opt};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// Builds `ContestSettings`, `SettingsPatch` and their lists from one entry per
/// setting:
/// `field: Type = default, given RequestType [serde attributes of the request field] => rule;`
/// where the rule turns what a request gives into the setting (or a 400 naming
/// the field). The attributes before an entry are the setting's serde attributes
/// (how its row column reads, how the view shows it).
macro_rules! settings {
    ($(
        $(#[$attr:meta])*
        $field:ident: $ty:ty = $default:expr,
            given $given:ty [$($given_attr:tt)*] => $rule:expr;
    )*) => {
        /// A contest's settings, validated. Deserialized from its row (the
        /// fields are the columns); serialized as the API shows them (camelCase,
        /// the secrets only as whether they are set).
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(rename_all(serialize = "camelCase"))]
        pub struct ContestSettings {
            $($(#[$attr])* pub $field: $ty,)*
        }

        /// The settings of a new contest, where a request does not say.
        impl Default for ContestSettings {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        /// The body of `POST` and `PATCH /contests`: every setting optional
        /// (`name` is required on create); `null` clears a nullable one.
        #[derive(Deserialize, Default)]
        #[serde(rename_all = "camelCase", deny_unknown_fields)]
        pub struct SettingsPatch {
            $(#[serde(default, $($given_attr)*)] pub $field: Option<$given>,)*
        }

        impl ContestSettings {
            /// Every settings column, in the order of the list.
            pub const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// Validates and applies the settings `patch` gives, each on its
            /// own (no rule reads another setting, so a PATCH needs no current
            /// row), in the order of the list; answers the columns given.
            pub fn apply(&mut self, patch: SettingsPatch) -> ApiResult<Vec<&'static str>> {
                let mut given = Vec::new();
                $(if let Some(value) = patch.$field {
                    let rule: fn($given) -> ApiResult<$ty> = $rule;
                    self.$field = rule(value)?;
                    given.push(stringify!($field));
                })*
                Ok(given)
            }

            /// Every column and the value it is written with: enums as their
            /// text, flags as 0/1 (SQLite has no booleans), `None` as NULL.
            pub fn columns(&self) -> serde_json::Result<Vec<(&'static str, serde_json::Value)>> {
                Ok(vec![$((stringify!($field), stored(&self.$field)?)),*])
            }
        }
    };
}

const MAX_POINTS: i64 = 1_000_000;

settings! {
    name: String = String::new(),
        given String [] => |n| input::required("name", Some(&n), 200);
    description: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |d| input::optional("description", d.as_deref(), 2000);
    /// As stored; the view shows the effective status (`views::contest_status`).
    status: ContestStatus = ContestStatus::Active,
        given String [] => |s| ContestStatus::parse(&s)
            .ok_or_else(|| input::invalid("status", "must be one of active, paused, ended"));
    ends_at: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |e| e
            .map(|e| parse_iso8601(&e).ok_or_else(|| input::invalid("endsAt", "must be an RFC 3339 date-time or a date")))
            .transpose();
    advocate_points: i64 = 10,
        given i64 [deserialize_with = "int_opt"] => |p| input::int_in("advocatePoints", p, 0, MAX_POINTS);
    friend_points: i64 = 5,
        given i64 [deserialize_with = "int_opt"] => |p| input::int_in("friendPoints", p, 0, MAX_POINTS);
    purchase_points_per_unit: f64 = 1.0,
        given f64 [] => |p| input::non_negative("purchasePointsPerUnit", p, 10_000.0);
    purchase_points_to: PurchasePointsTo = PurchasePointsTo::Advocate,
        given String [] => |t| PurchasePointsTo::parse(&t)
            .ok_or_else(|| input::invalid("purchasePointsTo", "must be \"advocate\" or \"buyer\""));
    #[serde(deserialize_with = "flag")]
    referral_enabled: bool = true,
        given bool [] => Ok;
    referrer_reward: f64 = 0.0,
        given f64 [] => |r| input::non_negative("referrerReward", r, 1e9);
    referee_reward: f64 = 0.0,
        given f64 [] => |r| input::non_negative("refereeReward", r, 1e9);
    reward_currency: String = "USD".into(),
        given String [] => |c| parse_currency(&c)
            .ok_or_else(|| input::invalid("rewardCurrency", "must be an active ISO 4217 code"));
    /// Write-only: the view says `stripeConfigured`.
    #[serde(rename(serialize = "stripeConfigured"), serialize_with = "is_set")]
    stripe_webhook_secret: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |s| input::optional("stripeWebhookSecret", s.as_deref(), 200);
    campaign_url: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |u| input::url("campaignUrl", u.as_deref());
    reward_header: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |v| input::optional("rewardHeader", v.as_deref(), 200);
    reward_description: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |v| input::optional("rewardDescription", v.as_deref(), 1000);
    #[serde(rename(serialize = "shareWidgetHeader"))]
    share_header: Option<String> = None,
        given Option<String> [deserialize_with = "double_option", rename = "shareWidgetHeader"]
            => |v| input::optional("shareWidgetHeader", v.as_deref(), 200);
    #[serde(rename(serialize = "shareWidgetDescription"))]
    share_description: Option<String> = None,
        given Option<String> [deserialize_with = "double_option", rename = "shareWidgetDescription"]
            => |v| input::optional("shareWidgetDescription", v.as_deref(), 1000);
    reward_type: RewardType = RewardType::Monetary,
        given String [] => |t| RewardType::parse(&t)
            .ok_or_else(|| input::invalid("rewardType", "must be \"Monetary\" or \"Points\""));
    // The integrity settings (docs/API.md, "Trust").
    browser_purchases: BrowserPurchases = BrowserPurchases::Pending,
        given String [] => |b| BrowserPurchases::parse(&b)
            .ok_or_else(|| input::invalid("browserPurchases", "must be \"pending\" or \"award\""));
    max_points_per_purchase: i64 = 100_000,
        given i64 [deserialize_with = "int_opt"] => |m| input::int_in("maxPointsPerPurchase", m, 0, MAX_AWARD);
    max_points_per_adjustment: i64 = 1_000_000,
        given i64 [deserialize_with = "int_opt"] => |m| input::int_in("maxPointsPerAdjustment", m, 1, MAX_AWARD);
    points_currency: String = "USD".into(),
        given String [] => |c| parse_currency(&c)
            .ok_or_else(|| input::invalid("pointsCurrency", "must be an active ISO 4217 code"));
    /// As stored: a JSON object of validated rates (currency -> value of one
    /// unit in `points_currency`), or none; the view shows the object (`{}`).
    #[serde(serialize_with = "rates_object")]
    currency_rates: Option<String> = None,
        given Option<BTreeMap<String, f64>> [deserialize_with = "double_option"] => stored_rates;
    referral_awards: ReferralAwards = ReferralAwards::Instant,
        given String [] => |m| ReferralAwards::parse(&m).ok_or_else(|| {
            input::invalid("referralAwards", "must be one of \"instant\", \"onPurchase\", \"review\"")
        });
    max_referrals_per_hour: i64 = 20,
        given i64 [deserialize_with = "int_opt"] => |m| input::int_in("maxReferralsPerHour", m, 1, 1_000_000);
    hold_days: i64 = 0,
        given i64 [deserialize_with = "int_opt"] => |d| input::int_in("holdDays", d, 0, 365);
    /// Double opt-in (docs/API.md, "Email"): an untrusted signup waits for its
    /// address to be confirmed, for this many days.
    #[serde(deserialize_with = "flag")]
    require_email_confirmation: bool = false,
        given bool [] => Ok;
    confirmation_days: i64 = 7,
        given i64 [deserialize_with = "int_opt"] => |d| input::int_in("confirmationDays", d, 1, 90);
    #[serde(deserialize_with = "flag")]
    expose_referrer_email: bool = false,
        given bool [] => Ok;
    /// Write-only: the view says `turnstileEnabled`.
    #[serde(rename(serialize = "turnstileEnabled"), serialize_with = "is_set")]
    turnstile_secret: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |t| input::optional("turnstileSecret", t.as_deref(), 200);
    /// Public: the widget renders Turnstile with it.
    turnstile_site_key: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |k| {
            let key = input::optional("turnstileSiteKey", k.as_deref(), 100)?;
            if key.as_deref().is_some_and(|k| !crate::turnstile::is_site_key(k)) {
                return Err(input::invalid("turnstileSiteKey", "must be letters, digits, '-' and '_'"));
            }
            Ok(key)
        };
    /// The cron finalizes the contest this many hours after its end, leaving
    /// pending awards out (docs/API.md, "Prizes: the end of a contest"); none: never.
    auto_finalize_after_hours: Option<i64> = None,
        given Option<i64> [deserialize_with = "int_double_option"] => |h| h
            .map(|h| input::int_in("autoFinalizeAfterHours", h, 0, 8760))
            .transpose();
    // Participant email (docs/API.md, "Email"): the sender and the default
    // language of the messages (a participant's signup `locale` comes first).
    /// The address messages come from, on the owner's sending domain; none:
    /// the contest sends no email.
    email_from: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |a| address("emailFrom", a);
    email_from_name: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |n| header_text("emailFromName", n);
    email_reply_to: Option<String> = None,
        given Option<String> [deserialize_with = "double_option"] => |a| address("emailReplyTo", a);
    email_locale: Locale = Locale::En,
        given String [] => |l| Locale::parse(&l)
            .filter(|locale| locale.as_str() == l)
            .ok_or_else(|| input::invalid("emailLocale", "must be one of en, fr, de, es"));
}

impl ContestSettings {
    /// `currencyRates` as pairs (an unreadable value counts as none).
    pub fn rates(&self) -> Vec<(String, f64)> {
        rates_map(self.currency_rates.as_deref()).into_iter().collect()
    }

    /// On create, a reward type the request (`given`, as `apply` answers it)
    /// did not name follows its reward values (`rewards::default_type`).
    pub fn default_reward_type(&mut self, given: &[&str]) {
        if !given.contains(&"reward_type") {
            self.reward_type = crate::domain::rewards::default_type(self.referrer_reward, self.referee_reward);
        }
    }

    /// Whether amounts of money belong on its pages (`rewards::is_monetary`).
    pub fn has_monetary_reward(&self) -> bool {
        crate::domain::rewards::is_monetary(self.reward_type, self.referrer_reward, self.referee_reward)
    }
}

fn rates_map(stored: Option<&str>) -> BTreeMap<String, f64> {
    stored.and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default()
}

/// `currencyRates` as given -> as stored: validated, and none when empty.
fn stored_rates(given: Option<BTreeMap<String, f64>>) -> ApiResult<Option<String>> {
    let pairs: Vec<(String, f64)> = given.unwrap_or_default().into_iter().collect();
    let rates = parse_rates(&pairs).map_err(|e| input::invalid("currencyRates", &e))?;
    if rates.is_empty() {
        return Ok(None);
    }
    let map: BTreeMap<String, f64> = rates.into_iter().collect();
    serde_json::to_string(&map).map(Some).map_err(|e| ApiError::Internal(e.to_string()))
}

/// An email address setting: blank or `null` clears it; stored as given (trimmed).
fn address(field: &str, given: Option<String>) -> ApiResult<Option<String>> {
    let Some(address) = input::optional(field, given.as_deref(), 254)? else { return Ok(None) };
    Email::parse(&address).map_err(|_| input::invalid(field, "must be an email address"))?;
    Ok(Some(address))
}

/// Text that goes into a header (the sender's name): one line, its line
/// breaks and tabs as spaces (never a header of its own).
fn header_text(field: &str, given: Option<String>) -> ApiResult<Option<String>> {
    let text = input::optional(field, given.as_deref(), 100)?;
    Ok(text.map(|t| t.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// A setting as its column holds it.
fn stored<T: Serialize>(value: &T) -> serde_json::Result<serde_json::Value> {
    match serde_json::to_value(value)? {
        serde_json::Value::Bool(b) => Ok(i64::from(b).into()),
        v => Ok(v),
    }
}

/// A 0/1 column as a flag.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(i64::deserialize(d)? != 0)
}

/// A secret shown only as whether it is set.
fn is_set<S: Serializer>(secret: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(secret.is_some())
}

fn rates_object<S: Serializer>(stored: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    rates_map(stored.as_deref()).serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_FIELD: &str = r#"{"name":"x","description":null,"status":"paused","endsAt":null,"advocatePoints":1,
      "friendPoints":1,"purchasePointsPerUnit":1,"purchasePointsTo":"buyer","referralEnabled":true,
      "referrerReward":1,"refereeReward":1,"rewardCurrency":"EUR","stripeWebhookSecret":null,"campaignUrl":null,
      "rewardHeader":null,"rewardDescription":null,"shareWidgetHeader":null,"shareWidgetDescription":null,
      "rewardType":"Points","browserPurchases":"award","maxPointsPerPurchase":1,"maxPointsPerAdjustment":1,
      "pointsCurrency":"EUR","currencyRates":null,"referralAwards":"review","maxReferralsPerHour":1,"holdDays":1,
      "requireEmailConfirmation":true,"confirmationDays":3,
      "exposeReferrerEmail":true,"turnstileSecret":null,"turnstileSiteKey":null,"autoFinalizeAfterHours":null,
      "emailFrom":"contest@mail.example.com","emailFromName":"Shop","emailReplyTo":null,"emailLocale":"fr"}"#;

    fn patch(json: &str) -> SettingsPatch {
        serde_json::from_str(json).unwrap()
    }

    /// A PATCH of every field names every settings column; a PATCH names only
    /// the columns it gives (null included), so it writes only them.
    #[test]
    fn a_patch_names_the_columns_it_gives() {
        let mut s = ContestSettings::default();
        assert_eq!(s.apply(patch(EVERY_FIELD)).unwrap(), ContestSettings::COLUMNS);
        let mut s = ContestSettings::default();
        assert_eq!(s.apply(patch(r#"{"holdDays":2,"description":null}"#)).unwrap(), ["description", "hold_days"]);
        assert_eq!(s.hold_days, 2);
        let mut s = ContestSettings::default();
        assert!(s.apply(patch("{}")).unwrap().is_empty());
        assert_eq!(s, ContestSettings::default());
    }

    #[test]
    fn every_column_is_written_in_its_stored_form() {
        let mut s = ContestSettings::default();
        s.apply(patch(r#"{"name":"N","currencyRates":{"EUR":1.1},"status":"paused","exposeReferrerEmail":true}"#))
            .unwrap();
        let columns = s.columns().unwrap();
        let names: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
        assert_eq!(names, ContestSettings::COLUMNS);
        let value = |c: &str| columns.iter().find(|(name, _)| *name == c).unwrap().1.clone();
        assert_eq!(value("name"), "N");
        assert_eq!(value("status"), "paused");
        assert_eq!(value("referral_enabled"), 1);
        assert_eq!(value("expose_referrer_email"), 1);
        assert_eq!(value("currency_rates"), r#"{"EUR":1.1}"#);
        assert_eq!(value("ends_at"), serde_json::Value::Null);
        assert_eq!(value("purchase_points_per_unit"), 1.0);
    }

    /// The row (columns, flags 0/1) reads back as the settings written.
    #[test]
    fn a_row_reads_back_as_written() {
        let mut s = ContestSettings::default();
        s.apply(patch(r#"{"name":"N","currencyRates":{"EUR":1.1},"turnstileSecret":"t","referralEnabled":false,"emailLocale":"de"}"#))
            .unwrap();
        let row: serde_json::Map<String, serde_json::Value> =
            s.columns().unwrap().into_iter().map(|(c, v)| (c.to_string(), v)).collect();
        let read: ContestSettings = serde_json::from_value(row.into()).unwrap();
        assert_eq!(read, s);
        assert_eq!(read.rates(), [("EUR".to_string(), 1.1)]);
        assert_eq!(read.email_locale, Locale::De);
    }

    /// The view has the request's names, but the secrets show only whether
    /// they are set, and the rates as an object.
    #[test]
    fn the_view_names_are_the_request_names() {
        let mut s = ContestSettings::default();
        s.apply(patch(r#"{"name":"N","stripeWebhookSecret":"whsec_x"}"#)).unwrap();
        let view = serde_json::to_value(&s).unwrap();
        let given: serde_json::Value = serde_json::from_str(EVERY_FIELD).unwrap();
        let shown = |name: &str| match name {
            "stripeWebhookSecret" => "stripeConfigured".to_string(),
            "turnstileSecret" => "turnstileEnabled".to_string(),
            n => n.to_string(),
        };
        let mut expected: Vec<String> = given.as_object().unwrap().keys().map(|k| shown(k)).collect();
        let mut names: Vec<String> = view.as_object().unwrap().keys().cloned().collect();
        expected.sort();
        names.sort();
        assert_eq!(names, expected);
        assert_eq!(view["stripeConfigured"], true);
        assert_eq!(view["turnstileEnabled"], false);
        assert_eq!(view["currencyRates"], serde_json::json!({}));
        assert_eq!(view["shareWidgetHeader"], serde_json::Value::Null);
    }

    #[test]
    fn each_setting_is_validated_and_named() {
        let error = |json: &str| ContestSettings::default().apply(patch(json)).unwrap_err().message().to_string();
        assert!(error(r#"{"name":"  "}"#).contains("name is required"));
        assert!(error(r#"{"advocatePoints":1000001}"#).contains("advocatePoints must be between 0 and 1000000"));
        assert!(error(r#"{"status":"open"}"#).contains("status"));
        assert!(error(r#"{"turnstileSiteKey":"a b"}"#).contains("turnstileSiteKey"));
        assert!(error(r#"{"currencyRates":{"XXX":-1}}"#).contains("currencyRates"));
        assert!(error(r#"{"emailFrom":"not an address"}"#).contains("emailFrom must be an email address"));
        assert!(error(r#"{"emailReplyTo":"a@b"}"#).contains("emailReplyTo"));
        assert!(error(r#"{"emailLocale":"fr-CA"}"#).contains("emailLocale must be one of en, fr, de, es"));
        assert!(error(r#"{"emailLocale":"it"}"#).contains("emailLocale"));
        assert!(serde_json::from_str::<SettingsPatch>(r#"{"unknownField":1}"#).is_err());
        assert!(serde_json::from_str::<SettingsPatch>(r#"{"share_header":"x"}"#).is_err());
        let mut s = ContestSettings::default();
        s.apply(patch(r#"{"currencyRates":{}}"#)).unwrap();
        assert_eq!(s.currency_rates, None);
        s.apply(patch(r#"{"emailFromName":" Shop\r\nBcc: x@y.z ","emailFrom":" a@mail.example.com "}"#)).unwrap();
        assert_eq!(s.email_from_name.as_deref(), Some("Shop Bcc: x@y.z"));
        assert_eq!(s.email_from.as_deref(), Some("a@mail.example.com"));
        s.apply(patch(r#"{"emailFrom":null,"emailFromName":""}"#)).unwrap();
        assert_eq!((s.email_from, s.email_from_name), (None, None));
    }
}
