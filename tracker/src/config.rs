//! The tracker's configuration, read from its own script URL:
//! `referral-tracker.js?campaignId=ID&autoInject=stripe&cookieDays=90&params=via,referralCode&attribution=first`.

use alloc::string::String;
use alloc::vec::Vec;
use rocket_rules::referral_cookie;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribution {
    /// The first referral a visitor arrived with keeps the credit.
    FirstClick,
    /// The latest referral takes the credit (the default, as Dub and Rewardful do).
    LastClick,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub campaign_id: Option<String>,
    /// Query parameters that carry a referral code on landing (`ref` first).
    pub ref_params: Vec<String>,
    pub cookie_days: u32,
    pub attribution: Attribution,
    pub auto_inject_stripe: bool,
    /// Served from the page's own origin under a path (the worker's `/rt/`
    /// route on the customer's domain): the visit's answer sets the cookie.
    pub first_party: bool,
}

impl Config {
    /// `option(name)`: the script URL's parameter `name`, decoded, empty as
    /// absent (in the browser the page's `URLSearchParams` reads it, so the
    /// wasm carries no query parser).
    pub fn from_options(option: impl Fn(&str) -> Option<String>) -> Self {
        let mut ref_params = Vec::with_capacity(2);
        ref_params.push(String::from("ref"));
        if let Some(extra) = option("params") {
            for p in extra.split(',').map(|p| p.trim_matches(' ')).filter(|p| !p.is_empty()) {
                if !ref_params.iter().any(|r| r == p) {
                    ref_params.push(String::from(p));
                }
            }
        }
        let cookie_days = option("cookieDays")
            .and_then(|d| parse_days(&d))
            .and_then(referral_cookie::lifetime)
            .unwrap_or(referral_cookie::DEFAULT_DAYS);
        let attribution = match option("attribution").as_deref() {
            Some("first") | Some("first-click") => Attribution::FirstClick,
            _ => Attribution::LastClick,
        };
        let auto_inject_stripe =
            option("autoInject").is_some_and(|v| v.split(',').any(|x| x.trim_matches(' ') == "stripe"));
        Self {
            campaign_id: option("campaignId"),
            ref_params,
            cookie_days,
            attribution,
            auto_inject_stripe,
            first_party: false,
        }
    }
}

/// First-party mode: the script comes from the page's own origin, under a
/// path (`https://shop.com/rt/referral-tracker.js` on `https://shop.com`).
/// At the origin's root it is the tracker's own site (its demo), as before.
pub fn is_first_party(script_url: &str, page_origin: &str) -> bool {
    let Some(path) = script_url.strip_prefix(page_origin) else { return false };
    let path = path.as_bytes();
    // Bytes, not `split`/`contains` with patterns: those cost wasm.
    path.first() == Some(&b'/')
        && path[1..].iter().take_while(|&&b| b != b'?' && b != b'#').any(|&b| b == b'/')
        && !page_origin.is_empty()
}

/// 1 to 4 ASCII digits (core's integer parsing costs more wasm than this).
fn parse_days(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 {
        return None;
    }
    s.bytes().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::{query_of, query_value};

    impl Config {
        fn from_script_url(script_url: &str) -> Self {
            Self::from_options(|name| query_value(query_of(script_url), name))
        }
    }

    #[test]
    fn reads_everything_from_the_script_url() {
        let c = Config::from_script_url(
            "https://t.example/referral-tracker.js?campaignId=ct_1&autoInject=stripe&cookieDays=90&params=via,%20referralCode,ref&attribution=first",
        );
        assert_eq!(c.campaign_id.as_deref(), Some("ct_1"));
        assert_eq!(c.ref_params, ["ref", "via", "referralCode"]);
        assert_eq!(c.cookie_days, 90);
        assert_eq!(c.attribution, Attribution::FirstClick);
        assert!(c.auto_inject_stripe);
    }

    #[test]
    fn defaults() {
        let c = Config::from_script_url("http://127.0.0.1:8787/referral-tracker.js?cookieDays=9999");
        assert_eq!(c.campaign_id, None);
        assert_eq!(c.ref_params, ["ref"]);
        assert_eq!(c.cookie_days, 60);
        assert_eq!(c.attribution, Attribution::LastClick);
        assert!(!c.auto_inject_stripe);
        assert!(!c.first_party);
        assert_eq!(Config::from_script_url("/t.js?cookieDays=x1").cookie_days, 60);
        assert_eq!(Config::from_script_url("/t.js?cookieDays=0").cookie_days, 60);
        assert_eq!(Config::from_script_url("/t.js?cookieDays=7").cookie_days, 7);
    }

    #[test]
    fn first_party_is_the_page_origin_under_a_path() {
        assert!(is_first_party("https://shop.com/rt/referral-tracker.js?campaignId=c", "https://shop.com"));
        assert!(is_first_party("http://127.0.0.1:8787/rt/referral-tracker.js", "http://127.0.0.1:8787"));
        // The tracker's own site at its root (the demo shop), another origin, a look-alike.
        assert!(!is_first_party("https://shop.com/referral-tracker.js?x=/a/b", "https://shop.com"));
        assert!(!is_first_party("https://t.example/rt/referral-tracker.js", "https://shop.com"));
        assert!(!is_first_party("https://shop.com.evil.example/rt/referral-tracker.js", "https://shop.com"));
        assert!(!is_first_party("https://shop.com:8443/rt/referral-tracker.js", "https://shop.com"));
        assert!(!is_first_party("", "https://shop.com"));
        assert!(!is_first_party("https://shop.com/rt/referral-tracker.js", ""));
    }
}
