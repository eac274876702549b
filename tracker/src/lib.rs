//! RocketTracker: captures `?ref=CODE` into a first-party cookie and exposes it to
//! the page through `window.RocketTracker` (see `js/loader.js` for the JS shell).
//!
//! Every byte here is paid by every visitor of every customer site: no serde_json,
//! no `format!`, nothing that can throw into the host page.

pub mod config;
pub mod cookie;
pub mod params;

mod browser;

use wasm_bindgen::prelude::*;

/// Called once by the loader with the tracker's own script URL. Captures a
/// referral code from the page URL, if there is one.
#[wasm_bindgen]
pub fn start(script_url: &str) {
    let config = config::Config::from_script_url(script_url);
    browser::capture_referral(&config);
    browser::set_config(config);
}

/// The stored referral code, or `None` (JS `null`) when the visitor was not referred.
#[wasm_bindgen(js_name = getReferralCode)]
pub fn get_referral_code() -> Option<String> {
    browser::stored_referral_code()
}

/// The campaign (contest) id the script was loaded with, if any.
#[wasm_bindgen(js_name = getCampaignId)]
pub fn get_campaign_id() -> Option<String> {
    browser::with_config(|c| c.campaign_id.clone()).flatten()
}
