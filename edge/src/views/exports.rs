//! The owner's CSV exports: one header row, then one row per record, the same
//! fields (and names) as the JSON views. Text cells are inert (`domain::csv`).

use crate::db::entries::EntryRow;
use crate::db::ledger::AwardRow;
use crate::db::purchases::PurchaseRow;
use crate::domain::csv::{push_row, push_text_row, Cell};
use crate::domain::fraud::FraudScore;

pub const PARTICIPANTS_HEADER: &[&str] = &[
    "id",
    "email",
    "name",
    "referralCode",
    "referredBy",
    "referredByCode",
    "totalPoints",
    "pendingPoints",
    "referralCount",
    "status",
    "disqualifiedReason",
    "source",
    "fraudScore",
    "createdAt",
];

pub fn participants(out: &mut String, rows: &[EntryRow]) {
    for e in rows {
        push_row(
            out,
            &[
                Cell::Text(&e.id),
                Cell::Text(&e.email_display),
                Cell::OptText(e.name.as_deref()),
                Cell::Text(&e.referral_code),
                Cell::OptText(e.referred_by_entry_id.as_deref()),
                Cell::OptText(e.referred_by_code.as_deref()),
                Cell::Int(e.total_points),
                Cell::Int(e.pending_points),
                Cell::Int(e.referral_count),
                Cell::Text(if e.is_disqualified() { "disqualified" } else { "active" }),
                Cell::OptText(e.disqualified_reason.as_deref()),
                Cell::Text(e.source.as_str()),
                Cell::OptText(e.fraud_score.map(FraudScore::as_str)),
                Cell::Text(&e.created_at),
            ],
        );
    }
}

pub const PURCHASES_HEADER: &[&str] = &[
    "id",
    "orderId",
    "email",
    "entryId",
    "creditedEntryId",
    "amount",
    "currency",
    "refundedAmount",
    "pointsAwarded",
    "awardStatus",
    "referralCode",
    "source",
    "status",
    "createdAt",
    "verifiedAt",
];

pub fn purchases(out: &mut String, rows: &[PurchaseRow]) {
    for p in rows {
        push_row(
            out,
            &[
                Cell::Text(&p.id),
                Cell::Text(&p.order_id),
                Cell::Text(&p.buyer_email),
                Cell::OptText(p.buyer_entry_id.as_deref()),
                Cell::OptText(p.credited_entry_id.as_deref()),
                Cell::Number(p.amount),
                Cell::Text(&p.currency),
                Cell::Number(p.refunded_amount),
                Cell::Int(p.points_awarded),
                Cell::Text(p.award_status.map_or("none", |s| s.as_str())),
                Cell::OptText(p.referral_code.as_deref()),
                Cell::Text(p.source.as_str()),
                Cell::Text(p.status.as_str()),
                Cell::Text(&p.created_at),
                Cell::OptText(p.verified_at.as_deref()),
            ],
        );
    }
}

pub const LEDGER_HEADER: &[&str] =
    &["id", "entryId", "email", "points", "reason", "refId", "note", "status", "holdReason", "createdAt", "reviewedAt"];

pub fn ledger(out: &mut String, rows: &[AwardRow]) {
    for a in rows {
        push_row(
            out,
            &[
                Cell::Int(a.id),
                Cell::Text(&a.entry_id),
                Cell::Text(&a.email_display),
                Cell::Int(a.delta),
                Cell::Text(a.reason.as_str()),
                Cell::Text(&a.ref_id),
                Cell::OptText(a.note.as_deref()),
                Cell::Text(a.status.as_str()),
                Cell::OptText(a.hold.map(|h| h.as_str())),
                Cell::Text(&a.created_at),
                Cell::OptText(a.reviewed_at.as_deref()),
            ],
        );
    }
}

/// The header row of an export.
pub fn header(out: &mut String, names: &[&str]) {
    push_text_row(out, names);
}
