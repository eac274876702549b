//! The contest engine: every write use case, shared by every API surface
//! (referral endpoints, v1, webhooks, Stripe, Referral Rocket). One module per
//! use case; handlers parse, call one, hand its `Committed` result to
//! `ctx.commit` (which sends the webhook events its batch wrote) and render a
//! view. Each is one D1 batch whose duplicates are settled by unique keys; the
//! rules they apply are `domain`'s. Browser reports are claims: their awards
//! wait (see `domain::trust`) until a trusted source or the owner confirms them.
//!
//! | use case | module |
//! |---|---|
//! | joining a contest (signups, take-overs of browser claims) | `join` |
//! | double opt-in: confirming a signup's address, the cron's expiry | `confirmation` |
//! | recording a purchase, linking a Stripe invoice's payment | `purchase` |
//! | refunds, disputes and won disputes | `refund` |
//! | the owner's review of awards, the cron's due holds | `review` |
//! | the owner's hand adjustment of points | `adjust` |
//! | disqualifying and reinstating an entry | `disqualify` |
//! | bonus action completions and their review | `bonus` |
//! | Referral Rocket: participants, qualifying, redeeming | `campaigns` |
//! | a test ping to a webhook endpoint | `ping` |
//! | the `portal` message (getting back to one's link) | `portal` |
//! | ending and finalizing a contest; the cron's ends and auto-finalize | `finale` |
//! | prize awards: fulfil, void; code uploads | `prizes` |
//! | recording a payout of reward balances | `payouts` |
//! | lifecycle email messages from outbox events | `emails` |

pub mod adjust;
pub mod bonus;
pub mod campaigns;
mod committed;
pub mod confirmation;
pub mod disqualify;
pub mod draws;
pub mod emails;
pub mod finale;
pub mod join;
pub mod payouts;
pub mod ping;
pub mod portal;
pub mod prizes;
pub mod purchase;
pub mod record;
pub mod refund;
pub mod review;

pub use crate::domain::refunds::RefundAmount;
pub use crate::domain::trust::Source;
pub use committed::Committed;

use crate::db::contests::ContestRow;
use crate::domain::contest::ensure_open;
use crate::error::{ApiError, ApiResult};
use crate::platform;

/// 409 with the reason when the contest records nothing now.
pub fn ensure_contest_open(contest: &ContestRow) -> ApiResult<()> {
    let status = contest.status;
    ensure_open(status, contest.ends_at.as_deref(), &platform::now_iso()).map_err(ApiError::conflict)
}
