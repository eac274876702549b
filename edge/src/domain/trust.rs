//! Who may mint points, and when an award waits. Anything from a browser is a
//! claim: it is recorded, and only a trusted source (private key, webhook
//! secret, Stripe signature, the owner) or a rule the owner chose confirms it.

use super::fraud::FraudScore;
use super::time;

/// A ledger row's state. Only confirmed rows count in totals, ranks and stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardStatus {
    Confirmed,
    Pending,
    Rejected,
}

impl AwardStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "confirmed" => Some(Self::Confirmed),
            "pending" => Some(Self::Pending),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Pending => "pending",
            Self::Rejected => "rejected",
        }
    }
}

/// Why an award is pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// A purchase only the browser reported.
    UnverifiedPurchase,
    /// The signup's fraud score is Medium or High.
    Fraud,
    /// The advocate referred more than the contest allows in an hour.
    Velocity,
    /// The contest reviews every referral (`referralAwards: "review"`).
    Review,
    /// The friend has no verified purchase yet (`referralAwards: "onPurchase"`).
    OnPurchase,
    /// A purchase in a currency the contest has no rate for.
    Currency,
    /// The signup's address is not confirmed yet (`requireEmailConfirmation`);
    /// the hold the rules gave the award waits behind it.
    EmailUnconfirmed,
}

impl Hold {
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::UnverifiedPurchase,
            Self::Fraud,
            Self::Velocity,
            Self::Review,
            Self::OnPurchase,
            Self::Currency,
            Self::EmailUnconfirmed,
        ]
        .into_iter()
        .find(|h| h.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnverifiedPurchase => "unverified_purchase",
            Self::Fraud => "fraud",
            Self::Velocity => "velocity",
            Self::Review => "review",
            Self::OnPurchase => "on_purchase",
            Self::Currency => "currency",
            Self::EmailUnconfirmed => "email_unconfirmed",
        }
    }

    /// Holds that `holdDays` confirms on its own. A fraud hold never does; the
    /// others wait for an event (a purchase, a trusted report) or the owner.
    pub fn confirms_after_hold_days(self) -> bool {
        matches!(self, Self::Review | Self::Velocity)
    }
}

/// When a held award confirms itself: `holdDays` after `now_ms`, for the holds
/// that may (none when `hold_days` is 0).
pub fn confirm_after(hold: Option<Hold>, hold_days: i64, now_ms: i64) -> Option<String> {
    match hold {
        Some(h) if h.confirms_after_hold_days() && hold_days > 0 => {
            Some(time::iso8601(now_ms + hold_days * 86_400_000))
        }
        _ => None,
    }
}

/// Contest setting `referralAwards`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAwards {
    /// A clean referral confirms at once.
    Instant,
    /// The advocate's award waits for the friend's verified purchase.
    OnPurchase,
    /// Every referral waits for the owner.
    Review,
}

impl ReferralAwards {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "instant" => Some(Self::Instant),
            "onPurchase" => Some(Self::OnPurchase),
            "review" => Some(Self::Review),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Instant => "instant",
            Self::OnPurchase => "onPurchase",
            Self::Review => "review",
        }
    }
}

/// Contest setting `browserPurchases`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserPurchases {
    /// A browser-reported purchase's award waits for a trusted report.
    Pending,
    /// The seed's behaviour, for low-stakes contests: it awards at once.
    Award,
}

impl BrowserPurchases {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "award" => Some(Self::Award),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Award => "award",
        }
    }
}

/// What is known when a referral is made.
#[derive(Debug, Clone, Copy)]
pub struct ReferralSignals {
    pub mode: ReferralAwards,
    /// Tracker signups only; trusted sources vouch for theirs.
    pub fraud: Option<FraudScore>,
    /// The advocate's referrals in the last hour (before this one) reached the
    /// contest's limit. Counted for browser signups only.
    pub over_velocity: bool,
}

/// The holds on a referral's two awards: (advocate's, friend's). Fraud first
/// (never confirms on its own), then the contest's mode, then velocity.
pub fn referral_holds(s: ReferralSignals) -> (Option<Hold>, Option<Hold>) {
    if matches!(s.fraud, Some(FraudScore::Medium | FraudScore::High)) {
        return (Some(Hold::Fraud), Some(Hold::Fraud));
    }
    match s.mode {
        ReferralAwards::Review => (Some(Hold::Review), Some(Hold::Review)),
        // The friend's welcome points do not depend on their buying.
        ReferralAwards::OnPurchase => (Some(Hold::OnPurchase), s.over_velocity.then_some(Hold::Velocity)),
        ReferralAwards::Instant if s.over_velocity => (Some(Hold::Velocity), Some(Hold::Velocity)),
        ReferralAwards::Instant => (None, None),
    }
}

/// What the write batch of a tracker signup counts, over the last hour: the
/// address's signups reached `fraud::IP_BURST` (`busy_address`), the
/// advocate's referrals reached `maxReferralsPerHour` (`over_velocity`). The
/// rules over them are here; only the counting is SQL, inside the batch that
/// writes the signup, so that parallel signups see each other (a count read
/// before the write would let N at once all pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub busy_address: bool,
    pub over_velocity: bool,
}

impl Counted {
    /// Every answer the counts may give, in `index` order.
    pub const ALL: [Counted; 4] = [
        Counted { busy_address: false, over_velocity: false },
        Counted { busy_address: false, over_velocity: true },
        Counted { busy_address: true, over_velocity: false },
        Counted { busy_address: true, over_velocity: true },
    ];

    /// The position in `ALL`: the SQL's `busy * 2 + over` (`db::entries::signup::insert_screened_sql`).
    pub fn index(self) -> usize {
        usize::from(self.busy_address) * 2 + usize::from(self.over_velocity)
    }
}

/// The hold on a referral link (who referred an entry): a link the browser
/// made earns purchase credit only once its referral award is confirmed, so
/// while that award is held for fraud, velocity or review the link is held
/// too. The award that settles the link is the advocate's (the friend's when
/// the contest gives advocates no referral points). `on_purchase` is not a
/// doubt about the link: the purchase it waits for is what confirms it. A
/// trusted source's link counts at once.
pub fn link_hold(trusted: bool, holds: (Option<Hold>, Option<Hold>), advocate_points: i64) -> Option<Hold> {
    if trusted {
        return None;
    }
    let settling = if advocate_points != 0 { holds.0 } else { holds.1.or(holds.0) };
    settling.filter(|h| *h != Hold::OnPurchase)
}

/// The hold on a purchase's award: a trusted report confirms (unless the
/// currency has no rate); a browser report waits unless the contest says award.
pub fn purchase_hold(trusted: bool, browser: BrowserPurchases, rate_known: bool) -> Option<Hold> {
    if !rate_known {
        Some(Hold::Currency)
    } else if trusted || browser == BrowserPurchases::Award {
        None
    } else {
        Some(Hold::UnverifiedPurchase)
    }
}

pub fn status_of(hold: Option<Hold>) -> AwardStatus {
    if hold.is_some() {
        AwardStatus::Pending
    } else {
        AwardStatus::Confirmed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signals(mode: ReferralAwards, fraud: Option<FraudScore>, over_velocity: bool) -> ReferralSignals {
        ReferralSignals { mode, fraud, over_velocity }
    }

    #[test]
    fn a_clean_instant_referral_confirms_both_sides() {
        assert_eq!(referral_holds(signals(ReferralAwards::Instant, Some(FraudScore::Low), false)), (None, None));
        assert_eq!(referral_holds(signals(ReferralAwards::Instant, None, false)), (None, None));
    }

    #[test]
    fn fraud_holds_both_sides_whatever_the_mode() {
        for mode in [ReferralAwards::Instant, ReferralAwards::OnPurchase, ReferralAwards::Review] {
            for score in [FraudScore::Medium, FraudScore::High] {
                assert_eq!(referral_holds(signals(mode, Some(score), false)), (Some(Hold::Fraud), Some(Hold::Fraud)));
            }
        }
    }

    #[test]
    fn modes_and_velocity() {
        assert_eq!(
            referral_holds(signals(ReferralAwards::Review, None, false)),
            (Some(Hold::Review), Some(Hold::Review))
        );
        assert_eq!(referral_holds(signals(ReferralAwards::OnPurchase, None, false)), (Some(Hold::OnPurchase), None));
        assert_eq!(
            referral_holds(signals(ReferralAwards::OnPurchase, None, true)),
            (Some(Hold::OnPurchase), Some(Hold::Velocity))
        );
        assert_eq!(
            referral_holds(signals(ReferralAwards::Instant, Some(FraudScore::Low), true)),
            (Some(Hold::Velocity), Some(Hold::Velocity))
        );
    }

    #[test]
    fn a_browser_link_is_held_while_its_referral_award_is() {
        let fraud = (Some(Hold::Fraud), Some(Hold::Fraud));
        assert_eq!(link_hold(false, fraud, 10), Some(Hold::Fraud));
        assert_eq!(link_hold(true, fraud, 10), None);
        assert_eq!(link_hold(false, (None, None), 10), None);
        assert_eq!(link_hold(false, (Some(Hold::Review), Some(Hold::Review)), 0), Some(Hold::Review));
        // onPurchase: the purchase confirms the advocate; the friend's velocity hold settles nothing here.
        assert_eq!(link_hold(false, (Some(Hold::OnPurchase), Some(Hold::Velocity)), 10), None);
        // No advocate points: the friend's award settles the link.
        assert_eq!(link_hold(false, (Some(Hold::OnPurchase), Some(Hold::Velocity)), 0), Some(Hold::Velocity));
    }

    #[test]
    fn counted_answers_are_indexed_as_the_sql_computes_them() {
        for (i, c) in Counted::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }

    #[test]
    fn purchases_from_the_browser_wait_unless_the_contest_awards_them() {
        assert_eq!(purchase_hold(false, BrowserPurchases::Pending, true), Some(Hold::UnverifiedPurchase));
        assert_eq!(purchase_hold(false, BrowserPurchases::Award, true), None);
        assert_eq!(purchase_hold(true, BrowserPurchases::Pending, true), None);
        assert_eq!(purchase_hold(true, BrowserPurchases::Award, false), Some(Hold::Currency));
        assert_eq!(purchase_hold(false, BrowserPurchases::Award, false), Some(Hold::Currency));
    }

    #[test]
    fn only_review_and_velocity_holds_confirm_after_hold_days() {
        let now = 1_750_000_000_000;
        assert_eq!(confirm_after(Some(Hold::Review), 2, now), Some(time::iso8601(now + 2 * 86_400_000)));
        assert_eq!(confirm_after(Some(Hold::Velocity), 1, now), Some(time::iso8601(now + 86_400_000)));
        assert_eq!(confirm_after(Some(Hold::Review), 0, now), None);
        for h in [Hold::Fraud, Hold::OnPurchase, Hold::UnverifiedPurchase, Hold::Currency] {
            assert_eq!(confirm_after(Some(h), 30, now), None, "{h:?}");
        }
        assert_eq!(confirm_after(None, 30, now), None);
    }

    #[test]
    fn names_round_trip() {
        for s in ["confirmed", "pending", "rejected"] {
            assert_eq!(AwardStatus::parse(s).unwrap().as_str(), s);
        }
        for s in ["instant", "onPurchase", "review"] {
            assert_eq!(ReferralAwards::parse(s).unwrap().as_str(), s);
        }
        for s in ["pending", "award"] {
            assert_eq!(BrowserPurchases::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(AwardStatus::parse("Confirmed"), None);
    }
}

/// Where an entry or purchase came from (stored, for the owner's reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Api,
    Tracker,
    Webhook,
    Stripe,
}

impl Source {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Api, Self::Tracker, Self::Webhook, Self::Stripe].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Tracker => "tracker",
            Self::Webhook => "webhook",
            Self::Stripe => "stripe",
        }
    }

    /// A private key, a webhook secret or a Stripe signature vouches for what
    /// it reports; the tracker (any browser) only claims.
    pub fn is_trusted(self) -> bool {
        !matches!(self, Self::Tracker)
    }
}

/// A purchase's state: a browser's claim, vouched for, or refunded in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PurchaseStatus {
    Unverified,
    Verified,
    Refunded,
}

impl PurchaseStatus {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Unverified, Self::Verified, Self::Refunded].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unverified => "unverified",
            Self::Verified => "verified",
            Self::Refunded => "refunded",
        }
    }
}

/// What took money back: the owner's (or Stripe's) refund, or a card dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundKind {
    Refund,
    Dispute,
    /// A dispute closed in the seller's favour: its part is given back.
    DisputeWon,
}

impl RefundKind {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Refund, Self::Dispute, Self::DisputeWon].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Refund => "refund",
            Self::Dispute => "dispute",
            Self::DisputeWon => "dispute_won",
        }
    }
}

super::text_enum!(AwardStatus, Hold, ReferralAwards, BrowserPurchases, Source, PurchaseStatus, RefundKind);
