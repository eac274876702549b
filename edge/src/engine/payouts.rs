//! Recording a payout: the listed entries' reward balances paid (a redemption
//! per entry and side, `ref_id` `payout:<reference>`), one D1 batch,
//! idempotent by reference. Its events: `reward.redeemed`, one per row.

use super::Committed;
use crate::db::contests::ContestRow;
use crate::db::payouts::{PaidRow, Payout, PayoutRow};
use crate::db::{self, Batch};
use crate::domain::payouts::min_owed;
use crate::domain::rewards::Side;
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// What the payout paid, as its first call recorded it.
pub struct PaidOut {
    /// Each listed entry the payout paid, by entry id.
    pub paid: Vec<PaidRow>,
    /// When the payout was first recorded.
    pub created_at: String,
    /// False when the reference was used before: this call wrote nothing.
    pub fresh: bool,
}

/// Pays the balances of `entry_ids` (distinct ids) in the contest's reward
/// currency under `reference`. The referral side is paid first, then the
/// referee side, each statement reading the balances as they are then.
pub async fn pay(
    db: &D1Database,
    c: &ContestRow,
    reference: &str,
    entry_ids: &[String],
) -> ApiResult<Committed<PaidOut>> {
    let ids = serde_json::to_string(entry_ids).map_err(|e| ApiError::Internal(e.to_string()))?;
    let token = platform::new_id("po");
    let now = platform::now_iso();
    let p = Payout {
        contest_id: &c.id,
        reference,
        currency: &c.reward_currency,
        token: &token,
        entry_ids: &ids,
        min_owed: min_owed(&c.reward_currency),
        now: &now,
    };
    let mut batch = Batch::new();
    batch.push(db::payouts::open(db, &p)?);
    batch.push(db::payouts::pay_side(db, &p, Side::Referral)?);
    batch.push(db::payouts::pay_side(db, &p, Side::Referee)?);
    batch.push(db::payouts::events(db, &p)?);
    let paid = batch.push(db::payouts::paid(db, &p)?);
    let payout = batch.push(db::payouts::find(db, &p)?);
    let results = batch.run(db).await?;
    let events = db::outbox::written_in(&results)?;
    let PayoutRow { created_at, fresh } =
        payout.first(&results)?.ok_or_else(|| ApiError::Internal("payout missing after insert".into()))?;
    Ok(Committed::new(PaidOut { paid: paid.rows(&results)?, created_at, fresh }, events))
}
