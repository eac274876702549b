//! Referral Rocket campaigns as use cases: adding a participant (a join of the
//! contest), qualifying a referred participant and redeeming a reward balance,
//! each one D1 batch.

use super::join::{advocate_for_signup, join_contest, Join};
use super::{ensure_contest_open, Committed, Source};
use crate::db::contests::ContestRow;
use crate::db::ledger::Guard;
use crate::db::participants::ParticipantRow;
use crate::db::rewards::{RedemptionRow, Reward};
use crate::db::{self, Batch};
use crate::domain::email::Email;
use crate::domain::rewards::Side;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// Who referred a new participant, as the request names them.
pub enum ReferredBy<'a> {
    Nobody,
    Code(&'a str),
    Email(&'a Email),
}

pub struct NewParticipant<'a> {
    pub email: &'a Email,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub referred_by: ReferredBy<'a>,
}

/// Adds a participant (once per email), attributed to the referrer named by
/// code or email; a referred one earns the referee reward. The participant as
/// it is now (the existing one for a known email).
pub async fn add_participant(
    db: &D1Database,
    c: &ContestRow,
    p: NewParticipant<'_>,
) -> ApiResult<Committed<ParticipantRow>> {
    let advocate = match p.referred_by {
        ReferredBy::Nobody => None,
        ReferredBy::Code(code) => Some(advocate_for_signup(db, c, code, p.email).await?),
        ReferredBy::Email(email) => {
            let a = db::entries::find_by_email(db, &c.id, email.normalized())
                .await?
                .ok_or_else(|| ApiError::not_found("Referrer not found"))?;
            Some(advocate_for_signup(db, c, &a.referral_code, p.email).await?)
        }
    };
    let name = match (p.first_name, p.last_name) {
        (Some(f), Some(l)) => Some([f, " ", l].concat()),
        (f, l) => f.or(l).map(str::to_string),
    };
    let joined = join_contest(
        db,
        c,
        Join {
            name: name.as_deref(),
            first_name: p.first_name,
            last_name: p.last_name,
            ..Join::new(p.email, advocate.as_ref(), Source::Api)
        },
    )
    .await?;
    let (joined, events) = joined.into_parts();
    let participant = db::participants::find_by_email(db, &c.id, &joined.entry.email)
        .await?
        .ok_or_else(|| ApiError::Internal("participant missing after insert".into()))?;
    Ok(Committed::new(participant, events))
}

/// Marks a referred participant's qualifying event complete, which earns their
/// referrer the referrer reward. Once: a qualified participant is answered as
/// it is, and of concurrent calls only one qualifies.
/// Its event: `reward.earned`.
pub async fn qualify(
    db: &D1Database,
    c: &ContestRow,
    p: &ParticipantRow,
    amount: f64,
) -> ApiResult<Committed<ParticipantRow>> {
    let Some(referrer_id) = p.referred_by_entry_id.as_ref() else {
        return Err(ApiError::conflict("Only referred participants can complete a qualifying event"));
    };
    if p.is_qualified() {
        return Ok(Committed::without_events(p.clone()));
    }
    // A browser-made link whose referral award still waits earns its referrer
    // nothing yet (as purchases through it): qualifying is refused until the
    // owner confirms that award (a rejected one removed the link).
    if p.referral_hold.is_some() {
        return Err(ApiError::conflict("The participant's referral is held for review: confirm its award first"));
    }
    ensure_contest_open(c)?;
    let referrer = db::entries::find(db, referrer_id).await?;
    let event_id = platform::new_id("qe");
    let now = platform::now_iso();
    let mut batch = Batch::new();
    batch.push(db::participants::qualify(db, &p.id, &event_id, amount, &now)?);
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
        batch.push(db::rewards::earn(db, &reward, Guard::QualifiedBy(&event_id))?);
        batch.push(db::rewards::event(db, &reward, false)?);
    }
    let after = batch.push(db::participants::select_by_email(db, &c.id, &p.email)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let participant = after.first(&results)?.ok_or_else(|| ApiError::not_found("Participant not found"))?;
    Ok(Committed::new(participant, events))
}

/// A payout asked for: `amount` (in cents already) from one side's balance.
pub struct Redemption<'a> {
    pub side: Side,
    pub amount: f64,
    /// The caller's `Idempotency-Key`: a retried payout with it counts once.
    pub key: Option<&'a str>,
}

pub struct Redeemed {
    pub participant: ParticipantRow,
    pub side: Side,
    /// The redemption's amount (the first one's, for a retried key).
    pub amount: f64,
    /// The idempotency key, or the id this redemption was given.
    pub reference: String,
    /// False when this key was redeemed before: nothing was paid out now.
    pub applied: bool,
}

/// Pays part of a balance out (a negative reward row), never more than the
/// balance, checked by the insert itself (one statement, atomic). Its event:
/// `reward.redeemed`.
pub async fn redeem(
    db: &D1Database,
    c: &ContestRow,
    p: &ParticipantRow,
    r: Redemption<'_>,
) -> ApiResult<Committed<Redeemed>> {
    let reference = r.key.map_or_else(|| platform::new_id("rd"), str::to_string);
    let now = platform::now_iso();
    let reward = Reward {
        entry_id: &p.id,
        contest_id: &c.id,
        side: r.side,
        amount: r.amount,
        ref_id: &reference,
        note: None,
        created_at: &now,
    };
    let mut batch = Batch::new();
    let paid = batch.push(db::rewards::redeem(db, &reward)?);
    let redemption = batch.push(db::rewards::select_redemption(db, &p.id, r.side, &reference)?);
    let after = batch.push(db::participants::select_by_email(db, &c.id, &p.email)?);
    batch.push(db::rewards::event(db, &reward, true)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let applied = paid.changed(&results)?;
    let Some(redemption) = redemption.first::<RedemptionRow>(&results)? else {
        return Err(ApiError::Conflict(["Amount exceeds the ", r.side.as_str(), " balance"].concat()));
    };
    let participant: ParticipantRow =
        after.first(&results)?.ok_or_else(|| ApiError::not_found("Participant not found"))?;
    let redeemed = Redeemed { participant, side: r.side, amount: redemption.amount, reference, applied };
    Ok(Committed::new(redeemed, events))
}
