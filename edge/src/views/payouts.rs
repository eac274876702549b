//! Payouts: the export's rows (`domain::payouts` formats them) and the answer
//! of a recorded payout.

use crate::db::payouts::OwedRow;
use crate::domain::payouts::{push_row, round_amount, Format, Owed};
use crate::engine::payouts::PaidOut;
use serde::Serialize;
use std::collections::HashSet;

/// The rows of owed entries in `format`.
pub fn owed(out: &mut String, format: Format, rows: &[OwedRow], currency: &str, note: &str) {
    for r in rows {
        let owed =
            Owed { entry_id: &r.entry_id, email: &r.email, name: r.name.as_deref(), amount: r.balance, currency, note };
        push_row(out, format, &owed);
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaidEntry {
    pub entry_id: String,
    pub amount: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutView {
    pub reference: String,
    pub currency: String,
    pub paid: Vec<PaidEntry>,
    /// The listed entries paid nothing: nothing owed, not in the contest,
    /// disqualified or erased (or, on a retry, not paid by the first call).
    pub skipped: Vec<String>,
    pub total: f64,
    pub paid_at: String,
    /// True when the reference was used before: nothing was written now.
    pub replayed: bool,
}

/// The answer for `requested` (distinct ids, in request order).
pub fn payout(reference: &str, currency: &str, requested: &[String], out: PaidOut) -> PayoutView {
    let paid: Vec<PaidEntry> = out
        .paid
        .iter()
        .map(|p| PaidEntry { entry_id: p.entry_id.clone(), amount: round_amount(p.amount, currency) })
        .collect();
    let was_paid: HashSet<&str> = out.paid.iter().map(|p| p.entry_id.as_str()).collect();
    let skipped = requested.iter().filter(|id| !was_paid.contains(id.as_str())).cloned().collect();
    let total = round_amount(out.paid.iter().map(|p| p.amount).sum(), currency);
    PayoutView {
        reference: reference.to_string(),
        currency: currency.to_string(),
        paid,
        skipped,
        total,
        paid_at: out.created_at,
        replayed: !out.fresh,
    }
}
