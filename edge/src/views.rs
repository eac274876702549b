//! How domain rows look in JSON responses (camelCase, the seeds' names).

use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::domain::contest::effective_status;
use crate::platform;
use serde_json::{json, Value};

/// Entry status shown to clients.
pub fn entry_status(e: &EntryRow) -> &'static str {
    if e.is_disqualified() {
        "disqualified"
    } else {
        "active"
    }
}

/// An email as `viewer` may see it: whole for a private key, masked otherwise.
pub fn email_for(email: &str, sees_emails: bool) -> String {
    if sees_emails {
        email.to_string()
    } else {
        masked_email(email)
    }
}

/// An entry; its email masked unless the viewer sees emails (private key).
pub fn entry(e: &EntryRow, sees_emails: bool) -> Value {
    json!({
        "id": e.id,
        "contestId": e.contest_id,
        "email": email_for(&e.email_display, sees_emails),
        "name": e.name,
        "referralCode": e.referral_code,
        "referredBy": e.referred_by_entry_id,
        "referredByCode": e.referred_by_code,
        "totalPoints": e.total_points,
        "pendingPoints": e.pending_points,
        "referralCount": e.referral_count,
        "status": entry_status(e),
        "disqualified": e.is_disqualified(),
        "disqualifiedReason": e.disqualified_reason,
        "source": e.source,
        "createdAt": e.created_at,
        "updatedAt": e.updated_at,
    })
}

/// The status a client sees: an active contest past its end date has ended.
pub fn contest_status(c: &ContestRow) -> &'static str {
    let stored = c.status;
    effective_status(stored, c.ends_at.as_deref(), &platform::now_iso()).as_str()
}

/// A contest; its webhook secret only to private keys; the Stripe secret never.
pub fn contest(c: &ContestRow, private: bool) -> Value {
    let mut v = json!({
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "status": contest_status(c),
        "endsAt": c.ends_at,
        "advocatePoints": c.advocate_points,
        "friendPoints": c.friend_points,
        "purchasePointsPerUnit": c.purchase_points_per_unit,
        "purchasePointsTo": c.purchase_points_to,
        "referralEnabled": c.referral_enabled,
        "referrerReward": c.referrer_reward,
        "refereeReward": c.referee_reward,
        "rewardCurrency": c.reward_currency,
        "stripeConfigured": c.stripe_webhook_secret.is_some(),
        "campaignUrl": c.campaign_url,
        "rewardHeader": c.reward_header,
        "rewardDescription": c.reward_description,
        "shareWidgetHeader": c.share_header,
        "shareWidgetDescription": c.share_description,
        "rewardType": c.reward_type,
        "browserPurchases": c.browser_purchases,
        "maxPointsPerPurchase": c.max_points_per_purchase,
        "maxPointsPerAdjustment": c.max_points_per_adjustment,
        "pointsCurrency": c.points_currency,
        "currencyRates": c.rates().into_iter().map(|(k, v)| (k, json!(v))).collect::<serde_json::Map<String, Value>>(),
        "referralAwards": c.referral_awards,
        "maxReferralsPerHour": c.max_referrals_per_hour,
        "holdDays": c.hold_days,
        "exposeReferrerEmail": c.expose_referrer_email,
        "turnstileEnabled": c.turnstile_secret.is_some(),
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
    });
    if private {
        v["webhookSecret"] = json!(c.webhook_secret);
    }
    v
}

pub use crate::domain::privacy::masked_email;
