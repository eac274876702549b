//! The tracker's configuration, read from its own script URL:
//! `referral-tracker.js?campaignId=ID`.

use crate::params::{query_of, query_value};

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub campaign_id: Option<String>,
    /// Query parameters that carry a referral code on landing.
    pub ref_params: Vec<String>,
    /// How long the referral cookie lives.
    pub cookie_days: u32,
}

pub const DEFAULT_COOKIE_DAYS: u32 = 60;

impl Config {
    pub fn from_script_url(script_url: &str) -> Self {
        let query = query_of(script_url);
        Self {
            campaign_id: query_value(query, "campaignId"),
            ref_params: vec!["ref".into()],
            cookie_days: DEFAULT_COOKIE_DAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_campaign_id_from_script_url() {
        let c = Config::from_script_url("https://t.example/referral-tracker.js?campaignId=ct_1&autoInject=stripe");
        assert_eq!(c.campaign_id.as_deref(), Some("ct_1"));
        assert_eq!(c.cookie_days, 60);
        assert_eq!(Config::from_script_url("/referral-tracker.js").campaign_id, None);
    }
}
