//! A participant's fraud score from signup signals. Participants created through
//! the API have none (the caller vouches for them).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FraudScore {
    Low,
    Medium,
    High,
}

impl FraudScore {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Low, Self::Medium, Self::High].into_iter().find(|f| f.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
}

/// What is known at signup.
#[derive(Debug, Default)]
pub struct Signals<'a> {
    /// Normalized emails.
    pub email: &'a str,
    pub advocate_email: Option<&'a str>,
    /// The address already made `IP_BURST` signups in this contest this hour
    /// (before this one). Counted inside the signup's write batch
    /// (`db::entries::insert_screened`), so parallel signups see each other.
    pub busy_address: bool,
}

/// Signups from one address within an hour from which that address looks like a farm.
pub const IP_BURST: u32 = 3;

/// The disposable-email-domains project's list, as the npm package
/// `disposable-email-domains-js` (pinned in package.json) ships it: one
/// lower-case domain a line, sorted by bytes. Generated and checked by
/// `scripts/disposable-domains.mjs` (the lint layer fails when it differs from
/// the pinned package); about 8,900 domains, ~50 KB of the worker's gzip.
const DISPOSABLE_DOMAINS: &str = include_str!("disposable_domains.txt");

/// Whether `name` is a line of `list` (sorted, newline-separated): a binary
/// search over byte offsets, so no index is built or stored.
fn listed(list: &str, name: &str) -> bool {
    let bytes = list.as_bytes();
    let line_at = |start: usize| {
        let len = bytes.get(start..).and_then(|rest| rest.iter().position(|&b| b == b'\n'));
        len.map_or(bytes.len(), |n| start + n)
    };
    // `lo` is always a line's start; the lines starting in [lo, hi) are left.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let before = bytes.get(lo..mid).and_then(|b| b.iter().rposition(|&c| c == b'\n'));
        let start = before.map_or(lo, |n| lo + n + 1);
        let end = line_at(start);
        match bytes.get(start..end).unwrap_or_default().cmp(name.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// An email at a listed domain or at a subdomain of one (`x@in.mailinator.com`).
pub fn is_disposable(email: &str) -> bool {
    let Some((_, mut domain)) = email.rsplit_once('@') else { return false };
    loop {
        if listed(DISPOSABLE_DOMAINS, domain) {
            return true;
        }
        match domain.split_once('.') {
            Some((_, parent)) if parent.contains('.') => domain = parent,
            _ => return false,
        }
    }
}

/// `john.doe7@x.com` and `johndoe@x.com`: the same letters at the same domain.
pub fn looks_like_same_person(a: &str, b: &str) -> bool {
    let split = |e: &str| {
        e.rsplit_once('@')
            .map(|(l, d)| (l.chars().filter(|c| c.is_ascii_alphabetic()).collect::<String>(), d.to_string()))
    };
    match (split(a), split(b)) {
        (Some((la, da)), Some((lb, db))) => da == db && !la.is_empty() && la == lb,
        _ => false,
    }
}

/// A signal that raises a signup's fraud score (the owner's review card names
/// the ones that fired).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The address is at a disposable-email domain.
    DisposableEmail,
    /// The address has the advocate's letters at the advocate's domain.
    LooksLikeAdvocate,
    /// The signup's address had made `IP_BURST` signups in the contest that hour.
    BusyAddress,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DisposableEmail => "disposable_email",
            Self::LooksLikeAdvocate => "looks_like_advocate",
            Self::BusyAddress => "busy_address",
        }
    }
}

/// The signals that fired, in that order.
pub fn signals(s: &Signals) -> Vec<Signal> {
    [
        (is_disposable(s.email), Signal::DisposableEmail),
        (s.advocate_email.is_some_and(|a| looks_like_same_person(a, s.email)), Signal::LooksLikeAdvocate),
        (s.busy_address, Signal::BusyAddress),
    ]
    .into_iter()
    .filter_map(|(fired, signal)| fired.then_some(signal))
    .collect()
}

/// One signal is Medium, two or more High.
pub fn score(s: &Signals) -> FraudScore {
    match signals(s).len() {
        0 => FraudScore::Low,
        1 => FraudScore::Medium,
        _ => FraudScore::High,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_signup_is_low() {
        let s = Signals { email: "amy@gmail.com", advocate_email: Some("bob@gmail.com"), busy_address: false };
        assert_eq!(score(&s), FraudScore::Low);
    }

    #[test]
    fn each_signal_raises_the_score() {
        assert_eq!(score(&Signals { email: "x@mailinator.com", ..Default::default() }), FraudScore::Medium);
        assert_eq!(
            score(&Signals { email: "john.doe7@x.com", advocate_email: Some("johndoe@x.com"), busy_address: false }),
            FraudScore::Medium
        );
        assert_eq!(score(&Signals { email: "a@b.com", busy_address: true, ..Default::default() }), FraudScore::Medium);
        assert_eq!(
            score(&Signals { email: "a@yopmail.com", busy_address: true, ..Default::default() }),
            FraudScore::High
        );
    }

    #[test]
    fn the_maintained_list_is_compiled_in_sorted() {
        let lines: Vec<&str> = DISPOSABLE_DOMAINS.lines().collect();
        assert!(lines.len() > 5000, "{} domains", lines.len());
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        assert!(lines.iter().all(|d| d.contains('.')
            && d.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')));
        // Every line is found, and nothing between or around them.
        for d in &lines {
            assert!(listed(DISPOSABLE_DOMAINS, d), "{d}");
            assert!(!listed(DISPOSABLE_DOMAINS, &[d, "x"].concat()), "{d}x");
        }
        assert!(!listed(DISPOSABLE_DOMAINS, ""));
        assert!(!listed(DISPOSABLE_DOMAINS, "0"));
        assert!(!listed(DISPOSABLE_DOMAINS, "zzzzzzzz.zz"));
    }

    #[test]
    fn binary_search_of_lines() {
        for list in ["a.b\nc.d\ne.f\n", "a.b\nc.d\ne.f", "c.d\n"] {
            assert!(listed(list, "c.d"), "{list:?}");
            assert!(!listed(list, "c"), "{list:?}");
            assert!(!listed(list, "b.c"), "{list:?}");
            assert!(!listed(list, "z.z"), "{list:?}");
        }
        assert!(listed("a.b\nc.d\ne.f", "a.b") && listed("a.b\nc.d\ne.f", "e.f"));
        assert!(!listed("", "a.b"));
    }

    #[test]
    fn disposable_domains_and_their_subdomains() {
        for email in ["x@mailinator.com", "x@yopmail.com", "x@mailnesia.com", "x@in.box.mailinator.com"] {
            assert!(is_disposable(email), "{email}");
        }
        for email in ["x@gmail.com", "x@example.com", "x@com", "x@mailinator.com.example.org", "nodomain", "x@"] {
            assert!(!is_disposable(email), "{email}");
        }
    }

    #[test]
    fn same_person_needs_same_domain_and_letters() {
        assert!(looks_like_same_person("jane.d1@shop.io", "janed@shop.io"));
        assert!(!looks_like_same_person("jane@shop.io", "jane@other.io"));
        assert!(!looks_like_same_person("jane@shop.io", "john@shop.io"));
        assert!(!looks_like_same_person("123@shop.io", "456@shop.io"));
    }

    #[test]
    fn the_signals_that_fired_are_named() {
        let s =
            Signals { email: "john.doe7@yopmail.com", advocate_email: Some("johndoe@yopmail.com"), busy_address: true };
        assert_eq!(signals(&s), [Signal::DisposableEmail, Signal::LooksLikeAdvocate, Signal::BusyAddress]);
        assert_eq!(
            signals(&Signals { email: "a@b.com", busy_address: true, ..Default::default() }),
            [Signal::BusyAddress]
        );
        assert!(signals(&Signals { email: "a@b.com", advocate_email: Some("c@b.com"), busy_address: false }).is_empty());
        assert_eq!(Signal::LooksLikeAdvocate.as_str(), "looks_like_advocate");
    }

    #[test]
    fn scores_round_trip() {
        for f in [FraudScore::Low, FraudScore::Medium, FraudScore::High] {
            assert_eq!(FraudScore::parse(f.as_str()), Some(f));
        }
        assert_eq!(FraudScore::parse("low"), None);
    }
}

super::text_enum!(FraudScore);

impl serde::Serialize for Signal {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
