//! Outbound webhooks in the Standard Webhooks format (<https://www.standardwebhooks.com>):
//! event types, `whsec_` secrets, the `webhook-signature` header, which endpoint URLs
//! are accepted, the retry schedule, when an endpoint is disabled, and what the
//! delivery log keeps of an answer. Following the standard exactly is the point: a
//! receiver verifies us with its existing library, so the signing has to match the
//! reference implementations byte for byte (see the test vector below).
//!
//! Pure: callers pass the time and the random bytes in.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::{Ipv4Addr, Ipv6Addr};

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
    /// Sent on request to test an endpoint; no resource behind it.
    Ping,
}

impl EventType {
    pub const ALL: [EventType; 13] = [
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
            Self::Ping => "ping",
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

// ---- Secrets ----

/// The prefix the standard gives a signing secret, so it is recognizable when pasted.
const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret, `whsec_<base64 of 24 random bytes>` (192 bits; the size
/// the reference libraries generate). The caller draws the bytes from a CSPRNG.
pub fn new_secret(random: &[u8; 24]) -> String {
    [SECRET_PREFIX, &base64_encode(random)].concat()
}

/// The HMAC key of a `whsec_` secret: the base64 after the prefix. None when the
/// prefix is missing, the base64 malformed, or the key empty.
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    let key = base64_decode(secret.strip_prefix(SECRET_PREFIX)?)?;
    (!key.is_empty()).then_some(key)
}

// ---- Signing ----

/// One signature, `v1,<base64 HMAC-SHA256(key, "<msg_id>.<timestamp>.<body>")>`:
/// the `webhook-id` and `webhook-timestamp` headers are signed with the body, so
/// neither can be swapped or replayed with another.
pub fn sign(key: &[u8], msg_id: &str, timestamp_secs: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so new_from_slice cannot fail.
    let mut mac = <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp_secs.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    ["v1,", &base64_encode(&mac.finalize().into_bytes())].concat()
}

/// The `webhook-signature` header: one signature per key, space-separated, newest
/// key first. While a rotated secret overlaps the old one (24 hours), both sign, so
/// a receiver still holding either one verifies.
pub fn signature_header(keys: &[&[u8]], msg_id: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let signatures: Vec<String> = keys.iter().map(|key| sign(key, msg_id, timestamp_secs, body)).collect();
    signatures.join(" ")
}

// ---- Base64 (RFC 4648, standard alphabet, padded) ----

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard padded base64, the encoding the standard uses for secrets and signatures.
/// Written here because a crate for it would cost worker size for twenty lines.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(BASE64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_value(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Strict decoding of standard padded base64: None for a length not a multiple of
/// 4, a character outside the alphabet, padding anywhere but the end, or unused
/// bits that are not zero (so each byte string has exactly one accepted text).
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let quads = bytes.len() / 4;
    for (q, chunk) in bytes.chunks(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && q + 1 != quads) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - padding] {
            n = (n << 6) | base64_value(c)?;
        }
        n <<= 6 * padding as u32;
        let [_, b0, b1, b2] = n.to_be_bytes();
        match padding {
            0 => out.extend_from_slice(&[b0, b1, b2]),
            1 if b2 == 0 => out.extend_from_slice(&[b0, b1]),
            2 if b1 == 0 && b2 == 0 => out.push(b0),
            _ => return None,
        }
    }
    Some(out)
}

// ---- Endpoint URLs ----

/// The longest endpoint URL accepted.
pub const MAX_URL_LEN: usize = 2048;

/// Checks an endpoint URL and returns it with scheme and host lowercased; the Err is
/// the reason, for a 400.
///
/// Webhooks make the Worker send requests where an account says, so the rules keep
/// it off addresses that are not the account's to reach: `https://` only; no user
/// name or password (they would be sent in the clear to every receiver's logs);
/// no IP literal in a private, loopback, link-local, shared (CGNAT), multicast,
/// documentation, benchmarking or otherwise reserved range; no `localhost`. A host
/// whose last label is a number is what a WHATWG URL parser (the one `fetch` uses)
/// reads as an IPv4 address even in forms like `2130706433`, `0x7f.1` or `127.1`,
/// so such a host has to be a plain dotted quad, judged like any other address.
/// Hosts are ASCII letters, digits, `-`, `_` and `.` only, because the URL parser
/// maps percent-escapes and Unicode (full-width digits included) to other hosts, and
/// have no empty label (so no trailing dot, which `127.0.0.1.` would hide behind).
/// A name that resolves to a private address is not caught here; Cloudflare's
/// `fetch` does not reach private networks.
///
/// `allow_local` (local development) also accepts `localhost`, `*.localhost`,
/// `127.0.0.1` and `[::1]`, and `http://` to the first, third and fourth.
pub fn endpoint_url(raw: &str, allow_local: bool) -> Result<String, &'static str> {
    if raw.len() > MAX_URL_LEN {
        return Err("must be at most 2048 characters");
    }
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must not contain spaces or control characters");
    }
    // A URL parser reads `\` as `/` in an http(s) URL; refused rather than mirrored.
    if raw.contains('\\') {
        return Err("must not contain a backslash");
    }
    let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(raw, "https://") {
        ("https://", rest)
    } else if let Some(rest) = strip_prefix_ignore_case(raw, "http://").filter(|_| allow_local) {
        ("http://", rest)
    } else {
        return Err("must be an https URL");
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("must not contain a user name or password");
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err("must have a host");
    }
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return Err("port is not valid");
        }
        if !matches!(port.parse::<u32>(), Ok(1..=65535)) {
            return Err("port is not valid");
        }
    }
    let host = host.to_ascii_lowercase();
    let local = allow_local && matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    if scheme == "http://" && !local {
        return Err("must be an https URL");
    }
    if !local {
        check_host(&host, allow_local)?;
    }
    Ok([scheme, &host, &authority[host.len()..], tail].concat())
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &s[prefix.len()..])
}

/// Splits `host[:port]` or `[v6][:port]`; the host keeps its brackets.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    let host_end = if authority.starts_with('[') {
        authority.find(']').map(|i| i + 1).ok_or("host is not valid")?
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, after) = authority.split_at(host_end);
    match after.strip_prefix(':') {
        Some(port) => Ok((host, Some(port))),
        None if after.is_empty() => Ok((host, None)),
        None => Err("host is not valid"),
    }
}

/// The rules for a lowercased host that is not one of the local ones `allow_local` lets through.
fn check_host(host: &str, allow_local: bool) -> Result<(), &'static str> {
    const REFUSED_ADDRESS: &str = "must not point to a private or reserved address";
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: Ipv6Addr = inner.parse().map_err(|_| "host is not valid")?;
        return if is_public_v6(ip) { Ok(()) } else { Err(REFUSED_ADDRESS) };
    }
    let allowed = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.');
    if host.len() > 253 || !host.bytes().all(allowed) {
        return Err("host is not valid");
    }
    if host.split('.').any(|label| label.is_empty() || label.len() > 63) {
        return Err("host is not valid");
    }
    let last = host.rsplit('.').next().unwrap_or(host);
    if is_ipv4_number(last) {
        let ip: Ipv4Addr = host.parse().map_err(|_| "a numeric host must be a dotted IPv4 address like 203.0.113.7")?;
        return if is_public_v4(ip) { Ok(()) } else { Err(REFUSED_ADDRESS) };
    }
    if !allow_local && (host == "localhost" || host.ends_with(".localhost")) {
        return Err("must not point to localhost");
    }
    Ok(())
}

/// Whether a WHATWG URL parser reads this last label of a host as a number (decimal,
/// `0x` hex, possibly empty after the `0x`; octal is decimal digits), which makes
/// the whole host an IPv4 address to it.
fn is_ipv4_number(label: &str) -> bool {
    match label.strip_prefix("0x") {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// A v4 address outside every special-purpose range that is not globally reachable
/// (IANA's IPv4 Special-Purpose Address Registry).
fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(a == 0 // "this network", 0.0.0.0 included
        || a == 10 // private
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || a == 127 // loopback
        || (a == 169 && b == 254) // link-local
        || (a == 172 && (16..32).contains(&b)) // private
        || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocol assignments, TEST-NET-1
        || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast
        || (a == 192 && b == 168) // private
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // TEST-NET-2
        || (a == 203 && b == 0 && c == 113) // TEST-NET-3
        || a >= 224) // multicast, reserved, broadcast
}

/// A v6 address in global unicast (2000::/3) outside its special-purpose blocks; an
/// IPv4-mapped address (`::ffff:a.b.c.d`) is judged as its v4 address. Everything
/// else (loopback, unspecified, IPv4-compatible, NAT64, discard, unique local,
/// link-local, multicast) is outside 2000::/3.
fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let [s0, s1, ..] = ip.segments();
    s0 & 0xe000 == 0x2000
        && !(s0 == 0x2001 && s1 < 0x0200) // IETF protocol assignments (Teredo, benchmarking, ORCHID)
        && !(s0 == 0x2001 && s1 == 0x0db8) // documentation
        && s0 != 0x2002 // 6to4: would reach the v4 address inside
        && !(s0 == 0x3fff && s1 < 0x1000) // documentation (RFC 9637)
}

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
        assert_eq!(subscription(all).map(|t| t.len()), Ok(12));
        assert_eq!(subscription([]), Err("must list at least one event type".into()));
        assert_eq!(subscription(["ping"]), Err("has an unknown event type: ping".into()));
        assert_eq!(
            subscription(["entry.created", "Entry.Created"]),
            Err("has an unknown event type: Entry.Created".into())
        );
        assert_eq!(subscription([&*"x".repeat(500)]).unwrap_err().len(), "has an unknown event type: ".len() + 64);
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
        assert_eq!(names.len(), 13);
        assert_eq!(EventType::parse("Entry.Created"), None);
        assert!(serde_json::from_str::<EventType>("\"entry.deleted\"").is_err());
    }

    #[test]
    fn base64_known_vectors() {
        // RFC 4648, section 10.
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
    }

    #[test]
    fn base64_round_trips_every_length_and_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            let encoded = base64_encode(&bytes[..len]);
            assert!(encoded.len().is_multiple_of(4));
            assert_eq!(base64_decode(&encoded).as_deref(), Some(&bytes[..len]));
        }
        // The last two letters of the alphabet (checked against Python's base64).
        for (bytes, encoded) in [(&[0xfbu8, 0xff, 0xbf][..], "+/+/"), (&[0xff, 0xfe, 0xfb, 0xef, 0xbe][..], "//77774=")]
        {
            assert_eq!(base64_encode(bytes), encoded);
            assert_eq!(base64_decode(encoded).as_deref(), Some(bytes));
        }
    }

    #[test]
    fn base64_refuses_malformed_text() {
        for bad in
            ["Zg", "Zg=", "Zm9", "Zg==Zg==", "Z===", "====", "Zm9v!A==", "Zm9v YQ==", "Zm-_", "Zh==", "Zm9=", "é==="]
        {
            assert_eq!(base64_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn secrets_are_prefixed_base64_of_24_bytes() {
        let random = [7u8; 24];
        let secret = new_secret(&random);
        assert!(secret.starts_with("whsec_"));
        assert_eq!(secret.len(), 6 + 32);
        assert_eq!(secret_key(&secret).as_deref(), Some(&random[..]));
    }

    #[test]
    fn secret_key_refuses_malformed_or_empty() {
        for bad in ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8G!", "whsec_MfK", "WHSEC_Zm9v"] {
            assert_eq!(secret_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn signature_matches_the_standard_webhooks_test_vector() {
        // The "sign function works" test of the Standard Webhooks reference libraries
        // (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts
        // and libraries/php/tests/WebhookTest.php): if this matches, a receiver's
        // library verifies what we send.
        let key = secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
        assert_eq!(sign(&key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body), expected);
        assert_eq!(signature_header(&[&key], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body), expected);
    }

    #[test]
    fn signature_covers_id_timestamp_and_body() {
        let key = [1u8; 24];
        let base = sign(&key, "msg_1", 1000, b"{}");
        assert_ne!(sign(&key, "msg_2", 1000, b"{}"), base);
        assert_ne!(sign(&key, "msg_1", 1001, b"{}"), base);
        assert_ne!(sign(&key, "msg_1", 1000, b"{ }"), base);
        assert_ne!(sign(&[2u8; 24], "msg_1", 1000, b"{}"), base);
    }

    #[test]
    fn signature_header_lists_every_key_newest_first() {
        let (new, old) = ([1u8; 24], [2u8; 24]);
        let header = signature_header(&[&new, &old], "msg_1", 1000, b"{}");
        let expected = [sign(&new, "msg_1", 1000, b"{}"), sign(&old, "msg_1", 1000, b"{}")].join(" ");
        assert_eq!(header, expected);
        assert_eq!(signature_header(&[], "msg_1", 1000, b"{}"), "");
    }

    #[test]
    fn endpoint_urls_accepted() {
        let cases = [
            ("https://example.com/hooks", "https://example.com/hooks"),
            ("https://example.com", "https://example.com"),
            ("HTTPS://Hooks.Example.COM/Path/To?Token=AbC#Frag", "https://hooks.example.com/Path/To?Token=AbC#Frag"),
            ("https://example.com:8443/x", "https://example.com:8443/x"),
            ("https://my_host.example.com/x", "https://my_host.example.com/x"),
            ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
            ("https://8.8.8.8/hook", "https://8.8.8.8/hook"),
            ("https://1.2.3.4a/x", "https://1.2.3.4a/x"),
            ("https://example.com?x=1", "https://example.com?x=1"),
            ("https://[2606:4700:4700::1111]/x", "https://[2606:4700:4700::1111]/x"),
            ("https://[2606:4700:4700::ABCD]:443/x", "https://[2606:4700:4700::abcd]:443/x"),
            ("https://[::ffff:8.8.8.8]/x", "https://[::ffff:8.8.8.8]/x"),
            ("https://100.128.0.1/", "https://100.128.0.1/"),
            ("https://172.32.0.1/", "https://172.32.0.1/"),
            ("https://example.com/a%20b", "https://example.com/a%20b"),
        ];
        for (raw, normalized) in cases {
            assert_eq!(endpoint_url(raw, false), Ok(normalized.to_string()), "{raw}");
        }
    }

    #[test]
    fn endpoint_urls_refused() {
        let long = ["https://example.com/", &"a".repeat(MAX_URL_LEN)].concat();
        let cases: &[&str] = &[
            &long,
            "",
            "example.com",
            "http://example.com/",
            "ftp://example.com/",
            "https:example.com",
            "https:/example.com",
            "https:///example.com",
            "https://",
            "https://:443/x",
            "https://user:pass@example.com/",
            "https://user@example.com/",
            "https://example.com\\@127.0.0.1/",
            "https://exa mple.com/",
            "https://example.com/\n",
            " https://example.com/",
            "https://example.com\t/",
            "https://example.com:/",
            "https://example.com:0/",
            "https://example.com:65536/",
            "https://example.com:80a/",
            "https://example.com:+80/",
            "https://example..com/",
            "https://.example.com/",
            "https://example.com./",
            "https://exa%6dple.com/",
            "https://%31%32%37.0.0.1/",
            "https://bücher.example/",
            "https://１２７.０.０.１/",
            "https://example.com]/",
            "https://[::1/",
            "https://[::1]x/",
            "https://[fe80::1%25eth0]/",
            "https://[not-v6]/",
            // Loopback, private, link-local, CGNAT, unspecified, broadcast, multicast, reserved.
            "https://127.0.0.1/",
            "https://127.8.9.10/",
            "https://10.0.0.1/",
            "https://172.16.0.1/",
            "https://172.31.255.255/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/",
            "https://100.127.255.255/",
            "https://0.0.0.0/",
            "https://0.1.2.3/",
            "https://255.255.255.255/",
            "https://224.0.0.1/",
            "https://239.255.255.250/",
            "https://240.0.0.1/",
            "https://192.0.0.8/",
            "https://192.88.99.1/",
            // Documentation and benchmarking.
            "https://192.0.2.1/",
            "https://198.51.100.7/",
            "https://203.0.113.7/",
            "https://198.18.0.1/",
            "https://198.19.255.255/",
            // IPv4 in forms a URL parser reads as 127.0.0.1 and friends.
            "https://2130706433/",
            "https://0x7f000001/",
            "https://0x7f.1/",
            "https://0x7F.0.0.1/",
            "https://017700000001/",
            "https://0177.0.0.1/",
            "https://127.1/",
            "https://127.0.1/",
            "https://127.000.0.1/",
            "https://08.8.8.8/",
            "https://8.8.8.08/",
            "https://1.2.3.4.5/",
            "https://256.1.1.1/",
            "https://example.0x/",
            "https://example.123/",
            "https://8.8.8.8.0x8/",
            // IPv6 loopback, unspecified, ULA, link-local, multicast, mapped private v4, NAT64, 6to4, documentation.
            "https://[::1]/",
            "https://[0:0:0:0:0:0:0:1]/",
            "https://[::]/",
            "https://[fc00::1]/",
            "https://[fd12:3456::1]/",
            "https://[fe80::1]/",
            "https://[febf::1]/",
            "https://[ff02::1]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:7f00:1]/",
            "https://[::ffff:10.0.0.1]/",
            "https://[::ffff:169.254.169.254]/",
            "https://[::127.0.0.1]/",
            "https://[64:ff9b::a9fe:a9fe]/",
            "https://[2002:7f00:1::]/",
            "https://[2001:db8::1]/",
            "https://[2001::1]/",
            "https://[3fff::1]/",
            "https://[100::1]/",
            // Localhost names.
            "https://localhost/",
            "https://LOCALHOST:8787/",
            "https://api.localhost/",
        ];
        for raw in cases {
            assert!(endpoint_url(raw, false).is_err(), "{raw} was accepted");
        }
    }

    #[test]
    fn refusals_give_a_reason() {
        assert_eq!(endpoint_url("http://example.com/", false), Err("must be an https URL"));
        assert_eq!(endpoint_url("https://u:p@example.com/", false), Err("must not contain a user name or password"));
        assert_eq!(endpoint_url("https://10.0.0.1/", false), Err("must not point to a private or reserved address"));
        assert_eq!(endpoint_url("https://localhost/", false), Err("must not point to localhost"));
        assert_eq!(endpoint_url("https:///x", false), Err("must have a host"));
    }

    #[test]
    fn allow_local_lets_local_development_through() {
        let accepted = [
            ("http://localhost:8787/hook", "http://localhost:8787/hook"),
            ("HTTP://LocalHost/hook", "http://localhost/hook"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000/"),
            ("http://[::1]:3000/", "http://[::1]:3000/"),
            ("https://localhost/", "https://localhost/"),
            ("https://api.localhost/", "https://api.localhost/"),
            ("https://example.com/", "https://example.com/"),
        ];
        for (raw, normalized) in accepted {
            assert_eq!(endpoint_url(raw, true), Ok(normalized.to_string()), "{raw}");
        }
        let refused = [
            "http://example.com/",
            "http://api.localhost/",
            "http://127.0.0.2/",
            "http://10.0.0.1/",
            "http://[0::1]/",
            "http://user@localhost/",
            "https://10.0.0.1/",
            "https://2130706433/",
            "http://localhost:99999/",
        ];
        for raw in refused {
            assert!(endpoint_url(raw, true).is_err(), "{raw} was accepted");
        }
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
