//! The tracker's configuration, read from its own script URL:
//! `referral-tracker.js?campaignId=ID&autoInject=stripe&cookieDays=90&params=via,referralCode&attribution=first`.

use crate::params::{query_of, query_value};
use alloc::string::String;
use alloc::vec::Vec;

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
}

pub const DEFAULT_COOKIE_DAYS: u32 = 60;
const MAX_COOKIE_DAYS: u32 = 400; // browsers cap cookie lifetimes near here

impl Config {
    pub fn from_script_url(script_url: &str) -> Self {
        let query = query_of(script_url);
        let mut ref_params = Vec::with_capacity(2);
        ref_params.push(String::from("ref"));
        if let Some(extra) = query_value(query, "params") {
            for p in extra.split(',').map(|p| p.trim_matches(' ')).filter(|p| !p.is_empty()) {
                if !ref_params.iter().any(|r| r == p) {
                    ref_params.push(String::from(p));
                }
            }
        }
        let cookie_days = query_value(query, "cookieDays")
            .and_then(|d| parse_days(&d))
            .filter(|d| (1..=MAX_COOKIE_DAYS).contains(d))
            .unwrap_or(DEFAULT_COOKIE_DAYS);
        let attribution = match query_value(query, "attribution").as_deref() {
            Some("first") | Some("first-click") => Attribution::FirstClick,
            _ => Attribution::LastClick,
        };
        let auto_inject_stripe =
            query_value(query, "autoInject").is_some_and(|v| v.split(',').any(|x| x.trim_matches(' ') == "stripe"));
        Self { campaign_id: query_value(query, "campaignId"), ref_params, cookie_days, attribution, auto_inject_stripe }
    }
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
        assert_eq!(Config::from_script_url("/t.js?cookieDays=x1").cookie_days, 60);
        assert_eq!(Config::from_script_url("/t.js?cookieDays=0").cookie_days, 60);
        assert_eq!(Config::from_script_url("/t.js?cookieDays=7").cookie_days, 7);
    }
}
