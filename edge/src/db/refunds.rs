//! Refunds and disputes of purchases: one row per refund key, so a replayed
//! refund (Stripe's retries, the owner's Idempotency-Key) reverses nothing twice.

use super::DbResult;
use crate::domain::ids::{ContestId, PurchaseId};
use crate::domain::trust::{PurchaseStatus, RefundKind, Source};
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub struct NewRefund<'a> {
    pub id: &'a str,
    pub contest_id: &'a ContestId,
    pub purchase_id: &'a PurchaseId,
    /// The refund's identity: a Stripe refund state or dispute id (`<id>:won`
    /// when it was won), or the owner's Idempotency-Key.
    pub refund_key: &'a str,
    pub kind: RefundKind,
    /// A refund's amount, a dispute's disputed amount, a won dispute's part given back.
    pub amount: f64,
    /// Points taken back (refund, dispute) or given back (won dispute).
    pub points: i64,
    pub source: Source,
    pub created_at: &'a str,
}

#[derive(Debug, Deserialize)]
pub struct RefundRow {
    pub id: String,
    pub purchase_id: PurchaseId,
    pub kind: RefundKind,
    pub amount: f64,
    pub points: i64,
    pub created_at: String,
}

/// The purchase as a refund was computed from: a concurrent refund or
/// verification changes one of these, and the refund then writes nothing.
pub struct Seen {
    pub amount: f64,
    pub points_awarded: i64,
    pub refunds_total: f64,
    pub disputed_amount: f64,
    pub status: PurchaseStatus,
}

pub(super) const INSERT_IF_MATCHING: &str =
    "INSERT INTO refunds (id, contest_id, purchase_id, refund_key, kind, amount, points, source, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
         WHERE EXISTS (SELECT 1 FROM purchases WHERE id = ?3 AND amount = ?10 AND points_awarded = ?11
           AND refunds_total = ?12 AND disputed_amount = ?13 AND status = ?14)
         ON CONFLICT (purchase_id, refund_key) DO NOTHING";

/// Records the refund once per key, and only if the purchase is still as
/// `seen` (what the points were computed from): a concurrent refund makes this
/// write nothing, and the caller tries again.
pub fn insert(db: &D1Database, r: &NewRefund, seen: &Seen) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        INSERT_IF_MATCHING,
        r.id,
        r.contest_id,
        r.purchase_id,
        r.refund_key,
        r.kind.as_str(),
        r.amount,
        r.points,
        r.source.as_str(),
        r.created_at,
        seen.amount,
        seen.points_awarded,
        seen.refunds_total,
        seen.disputed_amount,
        seen.status.as_str()
    )?)
}

pub(super) const BY_KEY: &str =
    "SELECT id, purchase_id, kind, amount, points, created_at FROM refunds WHERE purchase_id = ?1 AND refund_key = ?2";

pub fn select_by_key(db: &D1Database, purchase_id: &PurchaseId, refund_key: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, BY_KEY, purchase_id, refund_key)?)
}
