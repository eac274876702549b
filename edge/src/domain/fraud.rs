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

const DISPOSABLE_DOMAINS: &[&str] = &[
    "mailinator.com",
    "guerrillamail.com",
    "10minutemail.com",
    "temp-mail.org",
    "tempmail.com",
    "yopmail.com",
    "trashmail.com",
    "sharklasers.com",
    "getnada.com",
    "dispostable.com",
    "throwawaymail.com",
    "maildrop.cc",
    "fakeinbox.com",
    "mintemail.com",
    "mohmal.com",
];

pub fn is_disposable(email: &str) -> bool {
    email.rsplit_once('@').is_some_and(|(_, d)| DISPOSABLE_DOMAINS.contains(&d))
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

/// One signal is Medium, two or more High.
pub fn score(s: &Signals) -> FraudScore {
    let signals =
        [is_disposable(s.email), s.advocate_email.is_some_and(|a| looks_like_same_person(a, s.email)), s.busy_address];
    match signals.iter().filter(|x| **x).count() {
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
    fn same_person_needs_same_domain_and_letters() {
        assert!(looks_like_same_person("jane.d1@shop.io", "janed@shop.io"));
        assert!(!looks_like_same_person("jane@shop.io", "jane@other.io"));
        assert!(!looks_like_same_person("jane@shop.io", "john@shop.io"));
        assert!(!looks_like_same_person("123@shop.io", "456@shop.io"));
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
