//! The owner's writes on prize awards and pools: fulfilling and voiding an
//! award, uploading codes. What follows (a code back to the pool and the
//! oldest waiting award served, a credit taken back, the `prize.*` event) is
//! done by the triggers of migrations/0020 in the same batch; milestones
//! themselves are earned by the batches that move confirmed totals.

use super::Committed;
use crate::db::prizes::{AddedCodes, AwardRow};
use crate::domain::ids::{AccountId, PrizeId};
use crate::domain::prizes::AwardStatus;
use crate::error::{ApiError, ApiResult};
use crate::{db, platform};
use worker::D1Database;

fn moved(m: db::prizes::Moved, refused: &str) -> ApiResult<Committed<AwardRow>> {
    let award = m.award.ok_or_else(|| ApiError::not_found("Prize award not found"))?;
    if !m.changed {
        return Err(ApiError::conflict(refused));
    }
    Ok(Committed::new(award, m.events))
}

/// Marks an earned award fulfilled; a waiting (no code yet), fulfilled or
/// void one is a 409 (the status is checked by the UPDATE itself).
pub async fn fulfil(
    db: &D1Database,
    account_id: &AccountId,
    award: &AwardRow,
    note: Option<&str>,
) -> ApiResult<Committed<AwardRow>> {
    let m = db::prizes::fulfil(db, account_id, &award.id, note, &platform::now_iso()).await?;
    let refused = match m.award.as_ref().map(|a| a.status) {
        Some(AwardStatus::Waiting) => "This award is waiting for a code: upload codes first",
        Some(AwardStatus::Void) => "This award is void",
        _ => "This award is already fulfilled",
    };
    moved(m, refused)
}

/// Voids an award (final): its code back to the pool unless `burn_code`,
/// its credit taken back. Already void: 409. A draw's pick stays in the
/// public record, voided, and the same sequence fills its place in the same
/// batch (docs/DRAWS.md); a void that raced another (the draw moved on
/// meanwhile) is a 409 to try again.
pub async fn void(
    db: &D1Database,
    account_id: &AccountId,
    award: &AwardRow,
    reason: &str,
    burn_code: bool,
) -> ApiResult<Committed<AwardRow>> {
    let now = platform::now_iso();
    let refill = match award.draw_k {
        Some(_) if award.status != AwardStatus::Void => {
            let (from, statements) = super::draws::refill(db, &award.id, &award.prize_id, &now).await?;
            Some(db::prizes::Refill { from, statements })
        }
        _ => None,
    };
    let m = db::prizes::void(db, account_id, &award.id, reason, burn_code, refill, &now).await?;
    let raced = m.award.as_ref().is_some_and(|a| a.status != AwardStatus::Void);
    moved(m, if raced { "The draw moved on meanwhile: try again" } else { "This award is already void" })
}

/// Adds codes to a prize's pool; the new ones serve waiting awards, oldest
/// first, in the same batch.
pub async fn add_codes(db: &D1Database, prize_id: &PrizeId, codes: &[&str]) -> ApiResult<Committed<AddedCodes>> {
    let added = db::prizes::add_codes(db, prize_id, codes, &platform::now_iso()).await?;
    Ok(Committed::without_events(added))
}
