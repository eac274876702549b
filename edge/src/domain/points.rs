//! Point rules: what a referral and a purchase are worth, and to whom.

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

/// The entry that earns a purchase's points, given the buyer's entry (if any)
/// and the advocate the purchase is attributed to (if any).
pub fn purchase_recipient<'a>(to: PurchasePointsTo, buyer: Option<&'a str>, advocate: Option<&'a str>) -> Option<&'a str> {
    match to {
        PurchasePointsTo::Advocate => advocate.or(buyer),
        PurchasePointsTo::Buyer => buyer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purchase_points_round_like_the_seeds() {
        assert_eq!(purchase_points(49.99, 1.0), 50);
        assert_eq!(purchase_points(99.99, 1.0), 100);
        assert_eq!(purchase_points(10.0, 2.5), 25);
        assert_eq!(purchase_points(0.4, 1.0), 0);
        assert_eq!(purchase_points(f64::INFINITY, 1.0), 0);
    }

    #[test]
    fn recipients() {
        use PurchasePointsTo::*;
        assert_eq!(purchase_recipient(Advocate, Some("buyer"), Some("adv")), Some("adv"));
        assert_eq!(purchase_recipient(Advocate, Some("buyer"), None), Some("buyer"));
        assert_eq!(purchase_recipient(Advocate, None, None), None);
        assert_eq!(purchase_recipient(Buyer, Some("buyer"), Some("adv")), Some("buyer"));
        assert_eq!(purchase_recipient(Buyer, None, Some("adv")), None);
    }
}
