//! Point rules: what a referral and a purchase are worth, and to whom.

/// The largest single award a contest may allow (a purchase's or an adjustment's).
pub const MAX_AWARD: i64 = 1_000_000_000;

/// Who earns a purchase's points when the buyer was referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchasePointsTo {
    /// The advocate who referred the buyer; an unreferred buyer earns them.
    Advocate,
    /// Always the buyer.
    Buyer,
}

impl PurchasePointsTo {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "advocate" => Some(Self::Advocate),
            "buyer" => Some(Self::Buyer),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Advocate => "advocate",
            Self::Buyer => "buyer",
        }
    }
}

/// Points for a purchase: amount x points per currency unit, rounded half away
/// from zero (49.99 -> 50, 99.99 -> 100).
pub fn purchase_points(amount: f64, points_per_unit: f64) -> i64 {
    let p = (amount * points_per_unit).round();
    if p.is_finite() {
        p.clamp(0.0, 1e12) as i64
    } else {
        0
    }
}

/// A purchase's points in the contest's points currency: the amount converted
/// at `rate` (1 for the same currency; the amount at face value when the rate is
/// unknown, for the owner to judge), times the points per unit, capped by the
/// contest's `maxPointsPerPurchase` whatever the source.
pub fn purchase_award(amount: f64, rate: Option<f64>, points_per_unit: f64, max_points: i64) -> i64 {
    purchase_points(amount * rate.unwrap_or(1.0), points_per_unit).min(max_points.max(0))
}

/// Points a refund takes back from an award of `award` points for a purchase of
/// `amount`, when the refunded total goes from `before` to `after`. Computed on
/// the cumulative refund so partial refunds never drift from the whole: all the
/// refunds of a purchase together take back exactly its award, never more.
pub fn refund_points(award: i64, amount: f64, before: f64, after: f64) -> i64 {
    // Also refuses NaN: only a positive amount has shares.
    if award <= 0 || amount.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return 0;
    }
    let share = |refunded: f64| -> i64 {
        let fraction = (refunded / amount).clamp(0.0, 1.0);
        let p = (award as f64 * fraction).round();
        if p.is_finite() {
            p as i64
        } else {
            0
        }
    };
    (share(after) - share(before)).max(0)
}

/// The entry that earns a purchase's points, given the buyer's entry (if any)
/// and the advocate the purchase is attributed to (if any).
pub fn purchase_recipient<T>(to: PurchasePointsTo, buyer: Option<T>, advocate: Option<T>) -> Option<T> {
    match to {
        PurchasePointsTo::Advocate => advocate.or(buyer),
        PurchasePointsTo::Buyer => buyer,
    }
}

/// An owner's hand adjustment stays within ± the contest's
/// `maxPointsPerAdjustment`; past it, why (the engine's 409).
pub fn check_adjustment(points: i64, max: i64) -> Result<(), String> {
    if (-max..=max).contains(&points) {
        return Ok(());
    }
    let max = max.to_string();
    Err(["points must be between -", &max, " and ", &max, " (the contest's maxPointsPerAdjustment)"].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustment_stays_within_the_contests_maximum() {
        assert_eq!(check_adjustment(100, 100), Ok(()));
        assert_eq!(check_adjustment(-100, 100), Ok(()));
        assert_eq!(
            check_adjustment(101, 100),
            Err("points must be between -100 and 100 (the contest's maxPointsPerAdjustment)".to_string())
        );
        assert!(check_adjustment(-101, 100).is_err());
    }

    #[test]
    fn purchase_points_round_like_the_seeds() {
        assert_eq!(purchase_points(49.99, 1.0), 50);
        assert_eq!(purchase_points(99.99, 1.0), 100);
        assert_eq!(purchase_points(10.0, 2.5), 25);
        assert_eq!(purchase_points(0.4, 1.0), 0);
        assert_eq!(purchase_points(f64::INFINITY, 1.0), 0);
    }

    #[test]
    fn purchase_awards_convert_and_cap() {
        assert_eq!(purchase_award(100.0, Some(1.08), 1.0, 100_000), 108);
        assert_eq!(purchase_award(10_000.0, Some(0.0067), 1.0, 100_000), 67);
        assert_eq!(purchase_award(100.0, None, 1.0, 100_000), 100);
        assert_eq!(purchase_award(1e9, Some(1.0), 1.0, 100_000), 100_000);
        assert_eq!(purchase_award(50.0, Some(1.0), 1.0, 0), 0);
    }

    #[test]
    fn refunds_take_back_exactly_the_award_in_parts() {
        assert_eq!(refund_points(100, 99.99, 0.0, 99.99), 100);
        let parts = [(0.0, 33.33), (33.33, 66.66), (66.66, 99.99)];
        let total: i64 = parts.iter().map(|(b, a)| refund_points(100, 99.99, *b, *a)).sum();
        assert_eq!(total, 100);
        assert_eq!(refund_points(100, 50.0, 50.0, 80.0), 0, "nothing past the whole");
        assert_eq!(refund_points(100, 50.0, 0.0, 500.0), 100);
        assert_eq!(refund_points(0, 50.0, 0.0, 50.0), 0);
        assert_eq!(refund_points(100, 50.0, 30.0, 10.0), 0);
    }

    #[test]
    fn recipients() {
        use PurchasePointsTo::*;
        assert_eq!(purchase_recipient(Advocate, Some("buyer"), Some("adv")), Some("adv"));
        assert_eq!(purchase_recipient(Advocate, Some("buyer"), None), Some("buyer"));
        assert_eq!(purchase_recipient::<&str>(Advocate, None, None), None);
        assert_eq!(purchase_recipient(Buyer, Some("buyer"), Some("adv")), Some("buyer"));
        assert_eq!(purchase_recipient(Buyer, None, Some("adv")), None);
    }
}

super::text_enum!(PurchasePointsTo);
