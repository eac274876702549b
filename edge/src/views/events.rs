//! The body of an outbound webhook: `{"type", "timestamp", "data"}`, `data`
//! the view the API answers for what the event is about.

use crate::domain::rewards::Side;
use crate::domain::webhooks::{DeliveryStatus, EventType};
use serde::Serialize;

#[derive(Serialize)]
pub struct Body<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: EventType,
    /// When the change happened (ISO-8601 UTC).
    timestamp: &'a str,
    data: T,
}

pub fn body<'a, T: Serialize>(kind: EventType, timestamp: &'a str, data: T) -> Body<'a, T> {
    Body { kind, timestamp, data }
}

/// `ping`'s data: the endpoint tested.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ping<'a> {
    pub endpoint_id: &'a str,
}

/// The data of an event whose subject no longer exists (erased, deleted):
/// only its id.
#[derive(Serialize)]
pub struct Gone<'a> {
    pub id: &'a str,
}

/// A test ping's answer: the event queued.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PingQueued<'a> {
    pub event_id: &'a str,
}

/// A redelivery's answer: the delivery, pending again.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redelivery<'a> {
    pub delivery_id: &'a str,
    pub status: DeliveryStatus,
}

/// `bonus_action.completed`'s data: the verified completion.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completion<'a> {
    pub id: &'a str,
    pub entry_id: &'a str,
    pub bonus_action_id: &'a str,
    pub status: crate::domain::bonus::CompletionStatus,
    pub points_awarded: i64,
    pub completed_at: Option<&'a str>,
    pub created_at: &'a str,
}

pub fn completion(c: &crate::db::bonus::CompletionRow) -> Completion<'_> {
    Completion {
        id: &c.id,
        entry_id: &c.entry_id,
        bonus_action_id: &c.bonus_action_id,
        status: c.status,
        points_awarded: c.points_awarded,
        completed_at: c.completed_at.as_deref(),
        created_at: &c.created_at,
    }
}

/// `reward.earned` and `reward.redeemed`'s data: the rewards row (a redemption
/// is negative: balances are sums).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reward<'a> {
    pub id: i64,
    pub entry_id: &'a str,
    pub contest_id: &'a str,
    /// `referral` (earned by referring) or `referee` (by joining through a referral).
    pub side: Side,
    pub amount: f64,
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
}

pub fn reward(r: &crate::db::outbox::RewardRow) -> Reward<'_> {
    Reward {
        id: r.id,
        entry_id: &r.entry_id,
        contest_id: &r.contest_id,
        side: r.side,
        amount: r.amount,
        ref_id: &r.ref_id,
        note: r.note.as_deref(),
        created_at: &r.created_at,
    }
}
