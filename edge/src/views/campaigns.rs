//! How Referral Rocket campaigns and participants look in JSON responses: bare
//! objects (no envelope), Referral Rocket's names and timestamp form, one
//! `Serialize` view per resource.

use super::email_for;
use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::db::participants::ParticipantRow;
use crate::domain::contest::{effective_status, ContestStatus};
use crate::domain::rewards::{campaign_status, referral_link, round_cents, RewardType, Side};
use crate::domain::spring_pages::PageInfo;
use crate::engine::campaigns::Redeemed;
use crate::platform;
use serde::Serialize;

/// Referral Rocket's timestamp form: `2023-11-04T15:41:08.828+00:00`.
fn rr_time(iso: &str) -> String {
    match iso.strip_suffix('Z') {
        Some(t) => [t, "+00:00"].concat(),
        None => iso.to_string(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignView<'a> {
    id: &'a str,
    name: &'a str,
    status: &'static str,
    created_at: String,
    end_date: Option<String>,
    campaign_url: &'a str,
    paused: bool,
    ended: bool,
    reward_header: Option<&'a str>,
    reward_description: Option<&'a str>,
    share_widget_header: Option<&'a str>,
    share_widget_description: Option<&'a str>,
    referrer_reward_value: f64,
    referee_reward_value: f64,
    reward_type: RewardType,
    total_participants: u64,
}

/// A campaign (a contest) with its participant count; `url` is where its
/// referral links point.
pub fn campaign<'a>(c: &'a ContestRow, total: u64, url: &'a str) -> CampaignView<'a> {
    let status = effective_status(c.status, c.ends_at.as_deref(), &platform::now_iso());
    CampaignView {
        id: &c.id,
        name: &c.name,
        status: campaign_status(status),
        created_at: rr_time(&c.created_at),
        end_date: c.ends_at.as_deref().map(rr_time),
        campaign_url: url,
        paused: status == ContestStatus::Paused,
        ended: status == ContestStatus::Ended,
        reward_header: c.reward_header.as_deref(),
        reward_description: c.reward_description.as_deref(),
        share_widget_header: c.share_header.as_deref(),
        share_widget_description: c.share_description.as_deref(),
        referrer_reward_value: c.referrer_reward,
        referee_reward_value: c.referee_reward,
        reward_type: c.reward_type,
        total_participants: total,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantView<'a> {
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    referral_code: &'a str,
    referred_by_code: Option<&'a str>,
    joined_at: String,
    campaign_id: &'a str,
    referral_link: String,
    total_referrals: i64,
    referral_rewards_earned: f64,
    referral_rewards_redeemed: f64,
    referral_balance: f64,
    joining_rewards_earned: f64,
    referee_rewards_redeemed: f64,
    referee_balance: f64,
    qualified: bool,
    total_points: i64,
    pending_points: i64,
    /// `""` when there is none (participants the API added).
    fraud_score: &'static str,
}

/// A participant; its email masked and its fraud score empty unless the
/// viewer sees emails (a private key).
pub fn participant<'a>(p: &'a ParticipantRow, url: &str, sees_emails: bool) -> ParticipantView<'a> {
    // Entries made through the v1 API have one `name`: split it for Referral Rocket.
    let (first, last) = match (&p.first_name, &p.last_name, &p.name) {
        (None, None, Some(name)) => match name.split_once(' ') {
            Some((f, l)) => (Some(f.to_string()), Some(l.trim().to_string())),
            None => (Some(name.clone()), None),
        },
        (f, l, _) => (f.clone(), l.clone()),
    };
    ParticipantView {
        email: email_for(&p.email_display, sees_emails),
        first_name: first,
        last_name: last,
        referral_code: &p.referral_code,
        referred_by_code: p.referred_by_code.as_deref(),
        joined_at: rr_time(&p.created_at),
        campaign_id: &p.contest_id,
        referral_link: referral_link(url, &p.referral_code),
        total_referrals: p.referral_count,
        referral_rewards_earned: round_cents(p.referral_earned),
        referral_rewards_redeemed: round_cents(p.referral_redeemed),
        referral_balance: round_cents(p.referral_earned - p.referral_redeemed),
        joining_rewards_earned: round_cents(p.referee_earned),
        referee_rewards_redeemed: round_cents(p.referee_redeemed),
        referee_balance: round_cents(p.referee_earned - p.referee_redeemed),
        qualified: p.is_qualified(),
        total_points: p.total_points,
        pending_points: p.pending_points,
        fraud_score: p.fraud_score.filter(|_| sees_emails).map_or("", |f| f.as_str()),
    }
}

/// One Spring page: its metadata and `content`.
#[derive(Serialize)]
pub struct SpringPage<T> {
    #[serde(flatten)]
    info: PageInfo,
    content: Vec<T>,
}

pub fn spring_page<T>(content: Vec<T>, info: PageInfo) -> SpringPage<T> {
    SpringPage { info, content }
}

/// A referral code of a campaign: its owner when it is live, else only that
/// it is not.
#[derive(Serialize)]
#[serde(untagged)]
pub enum CodeView<'a> {
    #[serde(rename_all = "camelCase")]
    Valid {
        valid: bool,
        campaign_id: &'a str,
        referral_code: &'a str,
        email: String,
        first_name: Option<&'a str>,
        last_name: Option<&'a str>,
    },
    #[serde(rename_all = "camelCase")]
    Invalid { valid: bool, campaign_id: &'a str },
}

pub fn code<'a>(campaign_id: &'a str, owner: Option<&'a EntryRow>, sees_emails: bool) -> CodeView<'a> {
    match owner {
        Some(e) => CodeView::Valid {
            valid: true,
            campaign_id,
            referral_code: &e.referral_code,
            email: email_for(&e.email_display, sees_emails),
            first_name: e.first_name.as_deref(),
            last_name: e.last_name.as_deref(),
        },
        None => CodeView::Invalid { valid: false, campaign_id },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RedemptionView<'a> {
    #[serde(rename = "type")]
    side: Side,
    amount: f64,
    already_applied: bool,
    reference: &'a str,
}

/// The participant after a redemption, with the redemption.
#[derive(Serialize)]
pub struct RedeemedView<'a> {
    #[serde(flatten)]
    participant: ParticipantView<'a>,
    redemption: RedemptionView<'a>,
}

pub fn redeemed<'a>(r: &'a Redeemed, url: &str) -> RedeemedView<'a> {
    RedeemedView {
        participant: participant(&r.participant, url, true),
        redemption: RedemptionView {
            side: r.side,
            amount: round_cents(r.amount),
            already_applied: !r.applied,
            reference: &r.reference,
        },
    }
}
