//! What refunds and disputes take back from a purchase. The parts are kept
//! apart (Stripe's `amount_refunded` counts refunds only, and a won dispute
//! gives its own part back); what is taken back in all is their sum, never more
//! than the amount. Points follow what is taken back (`points::refund_points`).

use super::points::refund_points;
use super::trust::AwardStatus;

/// Stripe's ids of a purchase, which its refunds and disputes name: the payment
/// intent (payment mode), else the invoice (a subscription's Checkout Session has
/// no payment intent); subscription and customer kept for the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StripeRefs {
    pub payment_intent: Option<String>,
    pub invoice: Option<String>,
    pub subscription: Option<String>,
    pub customer: Option<String>,
}

/// What was taken back from a purchase, by part.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TakenBack {
    /// Refunds: the owner's and Stripe's.
    pub refunds: f64,
    /// Disputes open or lost.
    pub disputed: f64,
}

/// Below this an amount is nothing (amounts are kept to 6 decimals).
const EPSILON: f64 = 1e-9;

/// Amounts are sums and differences of decimals: drop the float noise.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl TakenBack {
    /// Taken back in all from a purchase of `amount`: never more than it.
    pub fn total(self, amount: f64) -> f64 {
        round6((self.refunds + self.disputed).clamp(0.0, amount.max(0.0)))
    }
}

/// How much a refund, a dispute or a won dispute moves.
#[derive(Debug, Clone, Copy)]
pub enum RefundAmount {
    /// A refund of whatever remains.
    Rest,
    /// A refund of exactly this much: more than remains is refused (the owner's API refund).
    Exactly(f64),
    /// A dispute of this much (at most the amount); none when nothing remains.
    UpTo(f64),
    /// Refunds in all come to this (Stripe's `amount_refunded`), so concurrent or
    /// out-of-order events never add up past it.
    ToTotal(f64),
    /// A won dispute gives back its disputed part (this much).
    GiveBack(f64),
}

/// What a request does to a purchase's parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Plan {
    /// Record it: `part` is the refund's own amount, `after` the parts after it.
    Apply { part: f64, after: TakenBack },
    /// Nothing to do (an older Stripe state, a dispute of a purchase taken back in full).
    Nothing,
    /// The owner asked to refund a purchase refunded in full (409).
    FullyRefunded,
    /// The owner asked for more than remains refundable (409).
    OverRemaining,
}

/// The plan of `req` on a purchase of `amount` whose parts are `before`.
pub fn plan(amount: f64, before: TakenBack, req: RefundAmount) -> Plan {
    let remaining = round6(amount - before.total(amount));
    let refund = |part: f64| {
        let part = round6(part);
        Plan::Apply { part, after: TakenBack { refunds: round6(before.refunds + part), ..before } }
    };
    match req {
        RefundAmount::Rest | RefundAmount::Exactly(_) if remaining <= EPSILON => Plan::FullyRefunded,
        RefundAmount::Rest => refund(remaining),
        RefundAmount::Exactly(a) if a > remaining + EPSILON => Plan::OverRemaining,
        RefundAmount::Exactly(a) if a <= EPSILON => Plan::Nothing,
        RefundAmount::Exactly(a) => refund(a),
        RefundAmount::UpTo(a) if remaining <= EPSILON || a <= EPSILON => Plan::Nothing,
        RefundAmount::UpTo(a) => {
            let part = round6(a.min(amount));
            Plan::Apply { part, after: TakenBack { disputed: round6(before.disputed + part), ..before } }
        }
        RefundAmount::ToTotal(t) if round6(t.min(amount) - before.refunds) <= EPSILON => Plan::Nothing,
        RefundAmount::ToTotal(t) => refund(t.min(amount) - before.refunds),
        RefundAmount::GiveBack(a) if round6(a.min(before.disputed)) <= EPSILON => Plan::Nothing,
        RefundAmount::GiveBack(a) => {
            let part = round6(a.min(before.disputed));
            Plan::Apply { part, after: TakenBack { disputed: round6(before.disputed - part), ..before } }
        }
    }
}

/// What a refund does to its purchase's live award, whose full points (its
/// share of the whole purchase, `points_awarded`) follow what is taken back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardChange {
    /// A confirmed award gets a `purchase_refund` row of `given - taken`
    /// (negative when taken, positive when a won dispute gives back; none when
    /// they are equal): all together they leave the share of what remains.
    Confirmed { taken: i64, given: i64 },
    /// A pending award is repriced to the share of what remains.
    Pending { left: i64 },
    /// No live award: nothing to change.
    Untouched,
}

impl AwardChange {
    /// The points the refund row records.
    pub fn recorded_points(self) -> i64 {
        match self {
            Self::Confirmed { taken, given } => taken.max(given),
            _ => 0,
        }
    }
}

/// The change to an award of `full` points (`status`, if there is a live one)
/// when what is taken back from a purchase of `amount` moves from `before` to
/// `after` (totals).
pub fn award_change(full: i64, amount: f64, before: f64, after: f64, status: Option<AwardStatus>) -> AwardChange {
    match status {
        Some(AwardStatus::Confirmed) => AwardChange::Confirmed {
            taken: refund_points(full, amount, before, after),
            given: refund_points(full, amount, after, before),
        },
        Some(AwardStatus::Pending) => AwardChange::Pending { left: points_left(full, amount, after) },
        _ => AwardChange::Untouched,
    }
}

/// The points an award of `full` keeps on a purchase of `amount` of which
/// `taken` was taken back in all.
pub fn points_left(full: i64, amount: f64, taken: f64) -> i64 {
    full - refund_points(full, amount, 0.0, taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmed_award_loses_its_share_and_a_won_dispute_gives_it_back() {
        let confirmed = Some(AwardStatus::Confirmed);
        let taken = award_change(100, 50.0, 0.0, 10.0, confirmed);
        assert_eq!(taken, AwardChange::Confirmed { taken: 20, given: 0 });
        assert_eq!(taken.recorded_points(), 20);
        let given = award_change(100, 50.0, 10.0, 0.0, confirmed);
        assert_eq!(given, AwardChange::Confirmed { taken: 0, given: 20 });
        assert_eq!(given.recorded_points(), 20);
    }

    #[test]
    fn a_pending_award_is_repriced_and_no_award_is_untouched() {
        let pending = award_change(100, 50.0, 0.0, 10.0, Some(AwardStatus::Pending));
        assert_eq!(pending, AwardChange::Pending { left: 80 });
        assert_eq!(pending.recorded_points(), 0);
        assert_eq!(award_change(100, 50.0, 0.0, 50.0, Some(AwardStatus::Pending)), AwardChange::Pending { left: 0 });
        assert_eq!(award_change(100, 50.0, 0.0, 10.0, Some(AwardStatus::Rejected)), AwardChange::Untouched);
        assert_eq!(award_change(100, 50.0, 0.0, 10.0, None), AwardChange::Untouched);
    }

    #[test]
    fn what_was_taken_back_before_stays_taken_back() {
        assert_eq!(points_left(100, 50.0, 0.0), 100);
        assert_eq!(points_left(100, 50.0, 25.0), 50);
        assert_eq!(points_left(100, 50.0, 60.0), 0);
    }

    const NONE: TakenBack = TakenBack { refunds: 0.0, disputed: 0.0 };

    fn after(p: Plan) -> TakenBack {
        match p {
            Plan::Apply { after, .. } => after,
            other => panic!("expected a change, got {other:?}"),
        }
    }

    #[test]
    fn a_dispute_then_a_refund_take_back_everything_never_more() {
        let disputed = after(plan(100.0, NONE, RefundAmount::UpTo(40.0)));
        assert_eq!(disputed.total(100.0), 40.0);
        let refunded = after(plan(100.0, disputed, RefundAmount::ToTotal(60.0)));
        assert_eq!(refunded, TakenBack { refunds: 60.0, disputed: 40.0 });
        assert_eq!(refunded.total(100.0), 100.0);
        let all = after(plan(100.0, refunded, RefundAmount::ToTotal(100.0)));
        assert_eq!(all.total(100.0), 100.0);
        // Won: the refunds still take back what they refunded.
        assert_eq!(after(plan(100.0, refunded, RefundAmount::GiveBack(40.0))).total(100.0), 60.0);
        assert_eq!(after(plan(100.0, all, RefundAmount::GiveBack(40.0))).total(100.0), 100.0);
    }

    #[test]
    fn stripe_totals_apply_once_and_in_any_order() {
        let r = after(plan(100.0, NONE, RefundAmount::ToTotal(30.0)));
        assert_eq!(plan(100.0, r, RefundAmount::ToTotal(30.0)), Plan::Nothing);
        assert_eq!(plan(100.0, r, RefundAmount::ToTotal(20.0)), Plan::Nothing);
        assert_eq!(
            plan(100.0, r, RefundAmount::ToTotal(130.0)),
            Plan::Apply { part: 70.0, after: TakenBack { refunds: 100.0, disputed: 0.0 } }
        );
    }

    #[test]
    fn the_owners_refunds_are_bounded_by_what_remains() {
        let disputed = after(plan(100.0, NONE, RefundAmount::UpTo(40.0)));
        assert_eq!(plan(100.0, disputed, RefundAmount::Exactly(61.0)), Plan::OverRemaining);
        assert_eq!(
            plan(100.0, disputed, RefundAmount::Rest),
            Plan::Apply { part: 60.0, after: TakenBack { refunds: 60.0, disputed: 40.0 } }
        );
        let full = after(plan(100.0, NONE, RefundAmount::Rest));
        assert_eq!(plan(100.0, full, RefundAmount::Rest), Plan::FullyRefunded);
        assert_eq!(plan(100.0, full, RefundAmount::Exactly(1.0)), Plan::FullyRefunded);
        assert_eq!(plan(100.0, full, RefundAmount::UpTo(10.0)), Plan::Nothing);
    }

    #[test]
    fn a_give_back_never_exceeds_what_is_disputed() {
        assert_eq!(plan(100.0, NONE, RefundAmount::GiveBack(40.0)), Plan::Nothing);
        let d = TakenBack { refunds: 0.0, disputed: 25.0 };
        assert_eq!(after(plan(100.0, d, RefundAmount::GiveBack(40.0))).disputed, 0.0);
    }

    #[test]
    fn a_total_above_a_smaller_amount_is_capped() {
        // A trusted amount below what was refunded as a claim: all of it is gone.
        assert_eq!(TakenBack { refunds: 90.0, disputed: 0.0 }.total(60.0), 60.0);
        assert_eq!(TakenBack { refunds: 0.1 + 0.2, disputed: 0.0 }.total(1.0), 0.3);
    }
}
