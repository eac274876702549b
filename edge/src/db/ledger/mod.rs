//! The points ledger. Every award is a row with a status; an entry's
//! `total_points` (confirmed rows) and `pending_points` (pending rows) are
//! recomputed from its rows in the same batch as every change, so they always
//! equal those sums. The cost is one indexed range over that entry's own rows
//! (`ledger_by_entry` covers it), never the contest's.
//!
//! Here: an award's reason and what writing one takes. Writing awards is in
//! `awards`, the totals in `totals`, moving written awards (reviews, holds,
//! refunds, verification) in `settle`, reading them in `rows`; their items are
//! re-exported here.

pub(super) mod awards;
pub(super) mod rows;
pub(super) mod settle;
pub(super) mod totals;
pub(super) mod unconfirmed;

pub use awards::{award, award_screened, award_verified_purchase, insert};
pub use rows::{
    export_page, find_owned, list_for_contest, live_purchase_award, page_for_entry, select_award, select_for_ref,
    AwardRow, ReviewRow,
};
pub use settle::{
    confirm_due, confirm_on_purchase, due, reject_referral_awards, reject_superseded_purchase_awards, reprice_pending,
    review, DueAward,
};
pub use totals::{recompute_for_award, recompute_for_order, recompute_referrer_of, recompute_total};
pub use unconfirmed::{held_awards, held_for, hold_unconfirmed, reject_unconfirmed, release, HeldAward};

use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::{AwardStatus, Hold};

/// Awards are guarded writes; callers name the guard from here.
pub use super::guard::Guard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    ReferralAdvocate,
    ReferralFriend,
    Purchase,
    PurchaseRefund,
    BonusAction,
    Adjustment,
}

impl Reason {
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::ReferralAdvocate,
            Self::ReferralFriend,
            Self::Purchase,
            Self::PurchaseRefund,
            Self::BonusAction,
            Self::Adjustment,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReferralAdvocate => "referral_advocate",
            Self::ReferralFriend => "referral_friend",
            Self::Purchase => "purchase",
            Self::PurchaseRefund => "purchase_refund",
            Self::BonusAction => "bonus_action",
            Self::Adjustment => "adjustment",
        }
    }
}

crate::domain::text_enum!(Reason);

pub struct Award<'a> {
    pub entry_id: &'a EntryId,
    pub contest_id: &'a ContestId,
    pub delta: i64,
    pub reason: Reason,
    /// What caused it; (entry, reason, ref) is unique, so a cause awards once.
    pub ref_id: &'a str,
    pub note: Option<&'a str>,
    pub created_at: &'a str,
    /// `None`: confirmed. `Some`: pending, and why.
    pub hold: Option<Hold>,
    /// When a pending award confirms itself (holdDays), if ever.
    pub confirm_after: Option<&'a str>,
}

impl Award<'_> {
    pub fn status(&self) -> AwardStatus {
        crate::domain::trust::status_of(self.hold)
    }
}
