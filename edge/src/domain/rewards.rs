//! Double-sided rewards (Referral Rocket): the referee earns the referee reward on
//! joining through a referral; the referrer earns the referrer reward when the
//! referee qualifies. Balances are sums of an append-only ledger.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardType {
    Monetary,
    Points,
}

impl RewardType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "Monetary" | "monetary" => Some(Self::Monetary),
            "Points" | "points" => Some(Self::Points),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Monetary => "Monetary",
            Self::Points => "Points",
        }
    }
}

/// A new contest's reward type when its request names none: monetary only
/// when it gives a reward value, points otherwise (a points-only contest is
/// not shown in money).
pub fn default_type(referrer_reward: f64, referee_reward: f64) -> RewardType {
    if referrer_reward > 0.0 || referee_reward > 0.0 {
        RewardType::Monetary
    } else {
        RewardType::Points
    }
}

/// Whether a contest rewards in money: monetary rewards with a value. The
/// dashboard and the widget show amounts of money only then.
pub fn is_monetary(reward_type: RewardType, referrer_reward: f64, referee_reward: f64) -> bool {
    reward_type == RewardType::Monetary && (referrer_reward > 0.0 || referee_reward > 0.0)
}

/// Which balance a reward row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Earned by referring others.
    Referral,
    /// Earned by joining through a referral.
    Referee,
}

impl Side {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "referral" => Some(Self::Referral),
            "referee" => Some(Self::Referee),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Referral => "referral",
            Self::Referee => "referee",
        }
    }
}

/// Money amounts kept to cents, so sums of many rows stay exact when shown.
pub fn round_cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// Referral Rocket's status names.
pub fn campaign_status(status: crate::domain::contest::ContestStatus) -> &'static str {
    use crate::domain::contest::ContestStatus::*;
    match status {
        Active => "Active",
        Paused => "Pause",
        Ended => "End",
    }
}

/// `https://shop.example/?id=X` + `referralCode=CODE`, with `?` or `&` as needed.
/// The fragment stays last (`rocket_rules::url`, the tracker's rule too).
pub fn referral_link(campaign_url: &str, code: &str) -> String {
    let mut link = String::with_capacity(campaign_url.len() + 14 + code.len());
    // Writing into a `String` cannot fail.
    let _ = rocket_rules::url::append_query_param(&mut link, campaign_url, "referralCode", code);
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_existing_query_and_fragment() {
        assert_eq!(
            referral_link("https://r.io/campaign?id=J1", "8Mnu"),
            "https://r.io/campaign?id=J1&referralCode=8Mnu"
        );
        assert_eq!(referral_link("https://shop.io/", "AB"), "https://shop.io/?referralCode=AB");
        assert_eq!(referral_link("https://shop.io/#top", "AB"), "https://shop.io/?referralCode=AB#top");
    }

    #[test]
    fn names() {
        use crate::domain::contest::ContestStatus::*;
        assert_eq!(
            [campaign_status(Active), campaign_status(Paused), campaign_status(Ended)],
            ["Active", "Pause", "End"]
        );
        assert_eq!(RewardType::parse("Points"), Some(RewardType::Points));
        assert_eq!(Side::parse("referee"), Some(Side::Referee));
        assert_eq!(round_cents(0.1 + 0.2), 0.3);
    }

    #[test]
    fn money_only_with_a_monetary_reward() {
        assert_eq!(default_type(0.0, 0.0), RewardType::Points);
        assert_eq!(default_type(20.0, 0.0), RewardType::Monetary);
        assert_eq!(default_type(0.0, 5.0), RewardType::Monetary);
        assert!(is_monetary(RewardType::Monetary, 0.0, 5.0));
        assert!(!is_monetary(RewardType::Monetary, 0.0, 0.0));
        assert!(!is_monetary(RewardType::Points, 20.0, 5.0));
    }
}

super::text_enum!(RewardType, Side);
