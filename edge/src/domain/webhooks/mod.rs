//! Outbound webhooks in the Standard Webhooks format (<https://www.standardwebhooks.com>):
//! event types, `whsec_` secrets, the `webhook-signature` header, which endpoint URLs
//! are accepted, the retry schedule, when an endpoint is disabled, and what the
//! delivery log keeps of an answer. Following the standard exactly is the point: a
//! receiver verifies us with its existing library, so the signing has to match the
//! reference implementations byte for byte (see the test vector in `signing`).
//! The module is split by concern: `signing` (secrets, signatures, base64) and
//! `endpoint_url` (which URLs are accepted); both are re-exported here.
//!
//! Pure: callers pass the time and the random bytes in.

mod endpoint_url;
mod signing;

pub use endpoint_url::{endpoint_url, MAX_URL_LEN};
pub use signing::{base64_decode, base64_encode, new_secret, secret_key, sign, signature_header};

/// What happened: the `type` of a webhook's payload, and what an endpoint subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    EntryCreated,
    ReferralCreated,
    PurchaseRecorded,
    PurchaseVerified,
    PurchaseRefunded,
    AwardCreated,
    AwardConfirmed,
    AwardRejected,
    BonusActionCompleted,
    RewardEarned,
    RewardRedeemed,
    EntryDisqualified,
    PrizeEarned,
    PrizeFulfilled,
    PrizeVoided,
    /// The contest ended (`POST /end`, or its `endsAt` passed: the cron notices).
    ContestEnded,
    /// The contest's final standings are frozen and its rank prizes assigned.
    ContestFinalized,
    /// Sent on request to test an endpoint; no resource behind it.
    Ping,
}

impl EventType {
    pub const ALL: [EventType; 18] = [
        Self::EntryCreated,
        Self::ReferralCreated,
        Self::PurchaseRecorded,
        Self::PurchaseVerified,
        Self::PurchaseRefunded,
        Self::AwardCreated,
        Self::AwardConfirmed,
        Self::AwardRejected,
        Self::BonusActionCompleted,
        Self::RewardEarned,
        Self::RewardRedeemed,
        Self::EntryDisqualified,
        Self::PrizeEarned,
        Self::PrizeFulfilled,
        Self::PrizeVoided,
        Self::ContestEnded,
        Self::ContestFinalized,
        Self::Ping,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "entry.created" => Some(Self::EntryCreated),
            "referral.created" => Some(Self::ReferralCreated),
            "purchase.recorded" => Some(Self::PurchaseRecorded),
            "purchase.verified" => Some(Self::PurchaseVerified),
            "purchase.refunded" => Some(Self::PurchaseRefunded),
            "award.created" => Some(Self::AwardCreated),
            "award.confirmed" => Some(Self::AwardConfirmed),
            "award.rejected" => Some(Self::AwardRejected),
            "bonus_action.completed" => Some(Self::BonusActionCompleted),
            "reward.earned" => Some(Self::RewardEarned),
            "reward.redeemed" => Some(Self::RewardRedeemed),
            "entry.disqualified" => Some(Self::EntryDisqualified),
            "prize.earned" => Some(Self::PrizeEarned),
            "prize.fulfilled" => Some(Self::PrizeFulfilled),
            "prize.voided" => Some(Self::PrizeVoided),
            "contest.ended" => Some(Self::ContestEnded),
            "contest.finalized" => Some(Self::ContestFinalized),
            "ping" => Some(Self::Ping),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EntryCreated => "entry.created",
            Self::ReferralCreated => "referral.created",
            Self::PurchaseRecorded => "purchase.recorded",
            Self::PurchaseVerified => "purchase.verified",
            Self::PurchaseRefunded => "purchase.refunded",
            Self::AwardCreated => "award.created",
            Self::AwardConfirmed => "award.confirmed",
            Self::AwardRejected => "award.rejected",
            Self::BonusActionCompleted => "bonus_action.completed",
            Self::RewardEarned => "reward.earned",
            Self::RewardRedeemed => "reward.redeemed",
            Self::EntryDisqualified => "entry.disqualified",
            Self::PrizeEarned => "prize.earned",
            Self::PrizeFulfilled => "prize.fulfilled",
            Self::PrizeVoided => "prize.voided",
            Self::ContestEnded => "contest.ended",
            Self::ContestFinalized => "contest.finalized",
            Self::Ping => "ping",
        }
    }
}

impl EventType {
    /// What an endpoint may subscribe to: every type but `ping`, in `ALL`'s
    /// order. The list the owner chooses from (`GET /api/v1/webhook-event-types`,
    /// the dashboard's Webhooks page) and the document's `WebhookSubscribableEvent`
    /// (a native test holds them equal): every type here is sent.
    pub fn subscribable() -> impl Iterator<Item = EventType> {
        Self::ALL.into_iter().filter(|t| *t != Self::Ping)
    }

    /// When the event is sent, in a few words, as the owner reads it.
    pub fn description(self) -> &'static str {
        match self {
            Self::EntryCreated => "a new entry (any signup: tracker, widget, API, webhook)",
            Self::ReferralCreated => "a friend joined through a referral code",
            Self::PurchaseRecorded => "a purchase recorded",
            Self::PurchaseVerified => "a purchase verified by a trusted source (API, webhook, Stripe)",
            Self::PurchaseRefunded => "a refund or dispute taken from a purchase",
            Self::AwardCreated => "a new ledger row: points awarded, held, adjusted or taken back",
            Self::AwardConfirmed => "an award confirmed: your review, the holdDays sweep, a trusted report, an email confirmation",
            Self::AwardRejected => "an award rejected: your review, a trusted report crediting another entry, a refund, an email never confirmed",
            Self::BonusActionCompleted => "a bonus action completed",
            Self::RewardEarned => "a monetary reward earned",
            Self::RewardRedeemed => "a monetary reward paid out",
            Self::EntryDisqualified => "an entry disqualified",
            Self::PrizeEarned => "a prize earned",
            Self::PrizeFulfilled => "a prize fulfilled",
            Self::PrizeVoided => "a prize voided",
            Self::ContestEnded => "a contest ended",
            Self::ContestFinalized => "a contest finalized",
            Self::Ping => "an endpoint's test",
        }
    }
}

/// Where a delivery stands (`webhook_deliveries.status`, the table's CHECK):
/// attempts to come, or settled either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl DeliveryStatus {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Succeeded, Self::Failed].into_iter().find(|d| d.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
        }
    }
}

super::text_enum!(EventType, DeliveryStatus);

// ---- Subscriptions ----

/// The most endpoints one account may have.
pub const MAX_ENDPOINTS: u32 = 20;

/// The event types an endpoint subscribes to, from a request's `events`: at least
/// one, each a known type other than `ping` (every endpoint gets the test ping
/// without asking), duplicates dropped, in the order given. The Err is the reason,
/// for a 400 naming `events`.
pub fn subscription<'a>(raw: impl IntoIterator<Item = &'a str>) -> Result<Vec<EventType>, String> {
    let mut types = Vec::new();
    for name in raw {
        let t = EventType::parse(name).filter(|t| *t != EventType::Ping).ok_or_else(|| {
            let mut m = String::from("has an unknown event type: ");
            m.extend(name.chars().take(64));
            m
        })?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    if types.is_empty() {
        return Err("must list at least one event type".into());
    }
    Ok(types)
}

// ---- Delivery ----

/// Attempts per delivery, the first included.
pub const MAX_ATTEMPTS: u32 = 8;

/// The delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed;
/// None when it was the last (the dead-letter path marks the delivery failed). The
/// schedule is the one receivers know from Svix-style senders: attempt 1 at once,
/// then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight attempts over about
/// 27.6 hours, so a receiver down for a day still gets the event. Every delay fits
/// a Cloudflare Queues retry (at most 43200 s, 12 h).
pub fn retry_delay_secs(attempt: u32) -> Option<u32> {
    const DELAYS: [u32; MAX_ATTEMPTS as usize - 1] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600];
    DELAYS.get(usize::try_from(attempt.checked_sub(1)?).ok()?).copied()
}

/// Deliveries in a row that failed (each after all its attempts) before an endpoint
/// is disabled: it is down or gone, and retrying it costs queue work for nothing.
pub const DISABLE_AFTER_FAILURES: u32 = 20;

pub fn should_disable(consecutive_failures: u32) -> bool {
    consecutive_failures >= DISABLE_AFTER_FAILURES
}

/// A 2xx answer is a delivery; anything else is a failed attempt, a 3xx included:
/// following a redirect would reach a URL that `endpoint_url` never checked.
pub fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The most of an answer's body the delivery log keeps.
pub const EXCERPT_BYTES: usize = 1024;

/// The start of an answer's body for the delivery log: at most 1024 bytes, cut
/// before a character the limit would split, invalid UTF-8 shown as U+FFFD.
pub fn answer_excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(EXCERPT_BYTES);
    // Back off over continuation bytes (10xxxxxx) to the start of the split
    // character; at most 3, since a UTF-8 character is at most 4 bytes.
    for _ in 0..3 {
        match body.get(end) {
            Some(&b) if b & 0xc0 == 0x80 && end > 0 => end -= 1,
            _ => break,
        }
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_statuses_are_the_tables_words() {
        for s in [DeliveryStatus::Pending, DeliveryStatus::Succeeded, DeliveryStatus::Failed] {
            assert_eq!(DeliveryStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeliveryStatus::Pending.as_str(), "pending");
        assert_eq!(serde_json::to_string(&DeliveryStatus::Succeeded).unwrap(), "\"succeeded\"");
        assert_eq!(DeliveryStatus::parse("sent"), None);
    }

    #[test]
    fn subscriptions_are_known_types_without_ping_or_duplicates() {
        assert_eq!(
            subscription(["entry.created", "award.created", "entry.created"]),
            Ok(vec![EventType::EntryCreated, EventType::AwardCreated])
        );
        let all: Vec<&str> = EventType::ALL.iter().filter(|t| **t != EventType::Ping).map(|t| t.as_str()).collect();
        assert_eq!(subscription(all).map(|t| t.len()), Ok(EventType::ALL.len() - 1));
        assert_eq!(subscription([]), Err("must list at least one event type".into()));
        assert_eq!(subscription(["ping"]), Err("has an unknown event type: ping".into()));
        assert_eq!(
            subscription(["entry.created", "Entry.Created"]),
            Err("has an unknown event type: Entry.Created".into())
        );
        assert_eq!(subscription([&*"x".repeat(500)]).unwrap_err().len(), "has an unknown event type: ".len() + 64);
    }

    #[test]
    fn subscribable_is_all_but_ping_each_described() {
        let names: Vec<&str> = EventType::subscribable().map(EventType::as_str).collect();
        assert_eq!(names.len(), EventType::ALL.len() - 1);
        assert!(!names.contains(&"ping"));
        assert_eq!(subscription(names.iter().copied()).map(|t| t.len()), Ok(names.len()));
        for t in EventType::ALL {
            assert!(!t.description().is_empty() && !t.description().contains("not sent"), "{}", t.as_str());
        }
    }

    #[test]
    fn event_types_round_trip_and_are_distinct() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), ["\"", t.as_str(), "\""].concat());
        }
        let mut names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), EventType::ALL.len());
        assert_eq!(EventType::parse("Entry.Created"), None);
        assert!(serde_json::from_str::<EventType>("\"entry.deleted\"").is_err());
    }

    #[test]
    fn retry_schedule_totals_about_a_day_within_queue_limits() {
        let delays: Vec<u32> = (1..MAX_ATTEMPTS).map(|a| retry_delay_secs(a).unwrap()).collect();
        assert_eq!(delays, [5, 300, 1800, 7200, 18000, 36000, 36000]);
        assert!(delays.iter().all(|&d| d <= 43_200));
        assert!(delays.windows(2).all(|w| w[0] <= w[1]));
        let total: u32 = delays.iter().sum();
        assert!((20 * 3600..=30 * 3600).contains(&total), "{total}");
        assert_eq!(retry_delay_secs(MAX_ATTEMPTS), None);
        assert_eq!(retry_delay_secs(u32::MAX), None);
        assert_eq!(retry_delay_secs(0), None);
    }

    #[test]
    fn disables_after_twenty_failures_in_a_row() {
        assert!(!should_disable(0));
        assert!(!should_disable(DISABLE_AFTER_FAILURES - 1));
        assert!(should_disable(DISABLE_AFTER_FAILURES));
        assert!(should_disable(u32::MAX));
    }

    #[test]
    fn success_is_2xx() {
        for (status, ok) in [
            (199, false),
            (200, true),
            (204, true),
            (299, true),
            (300, false),
            (301, false),
            (404, false),
            (500, false),
        ] {
            assert_eq!(is_success(status), ok, "{status}");
        }
    }

    #[test]
    fn excerpt_keeps_1024_bytes_at_a_character_boundary() {
        assert_eq!(answer_excerpt(b""), "");
        assert_eq!(answer_excerpt(b"ok"), "ok");
        let exact = "a".repeat(1024);
        assert_eq!(answer_excerpt(exact.as_bytes()), exact);
        assert_eq!(answer_excerpt(["a".repeat(2000)].concat().as_bytes()), exact);
        // A 2-byte character at bytes 1023..1025 is left out whole.
        let body = ["a".repeat(1023), "é".into(), "tail".into()].concat();
        assert_eq!(answer_excerpt(body.as_bytes()), "a".repeat(1023));
        // A 4-byte character at bytes 1021..1025, and one ending exactly at 1024.
        let body = ["a".repeat(1021), "🚀".into(), "tail".into()].concat();
        assert_eq!(answer_excerpt(body.as_bytes()), "a".repeat(1021));
        let body = ["a".repeat(1020), "🚀".into(), "tail".into()].concat();
        assert_eq!(answer_excerpt(body.as_bytes()), ["a".repeat(1020), "🚀".into()].concat());
        // Invalid bytes become U+FFFD, without a panic, wherever they are.
        assert_eq!(answer_excerpt(b"ok\xff"), "ok\u{fffd}");
        let mut junk = vec![0x80u8; 2000];
        junk[0] = b'x';
        let excerpt = answer_excerpt(&junk);
        assert!(excerpt.starts_with('x') && excerpt.ends_with('\u{fffd}'));
    }
}
