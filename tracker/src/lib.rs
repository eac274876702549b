//! RocketTracker: captures `?ref=CODE` into a first-party cookie, records the
//! visit, attributes signups and purchases, and tags Stripe checkouts. This crate
//! is the logic and its browser effects; `js/loader.js` is the thin JS shell that
//! wires events, network and promises (see ARCHITECTURE.md).
//!
//! Every byte here is paid by every visitor of every customer site: no serde, no
//! `format!`, no panicking paths on purpose, and in the shipped `lean` build no
//! std at all. Nothing here throws into the host page: the loader catches.
#![cfg_attr(all(feature = "lean", target_arch = "wasm32"), no_std)]

extern crate alloc;

pub mod attribution;
pub mod config;
pub mod cookie;
pub mod json;
pub mod params;
pub mod stripe;

mod browser;
#[cfg(all(feature = "lean", target_arch = "wasm32"))]
mod lean;

use alloc::string::String;
use wasm_bindgen::prelude::*;

/// Called once by the loader with the tracker's own script URL and the query
/// the page landed with (which the loader keeps: with consent required, a
/// single-page app may have moved on before the wasm loads). Captures a
/// referral from it and answers the body of the visit to record, if any.
#[wasm_bindgen]
pub fn start(script_url: &str, landing_query: &str) -> Option<String> {
    let query = params::query_of(script_url);
    let mut config = config::Config::from_options(|name| browser::query_param(query, name));
    config.first_party = config::is_first_party(script_url, &browser::page_origin());
    let visit = browser::capture(&config, landing_query);
    browser::set_config(config);
    visit
}

/// Called by the loader right after `start` returned: what is allocated now (the
/// configuration) lives as long as the page; everything later is transient.
#[wasm_bindgen]
pub fn settle() {
    #[cfg(all(feature = "lean", target_arch = "wasm32"))]
    lean::set_floor();
}

/// The page URL changed without a load (single-page apps): capture again.
#[wasm_bindgen]
pub fn navigated() -> Option<String> {
    browser::with_config(|config| browser::capture(config, &browser::page_query())).flatten()
}

/// The stored referral code, or `None` (JS `undefined`) when not referred.
#[wasm_bindgen(js_name = getReferralCode)]
pub fn get_referral_code() -> Option<String> {
    browser::stored_referral_code()
}

// Not exported: each export costs glue in every visitor's download.
pub fn get_campaign_id() -> Option<String> {
    browser::with_config(|c| c.campaign_id.clone()).flatten()
}

pub fn stripe_enabled() -> bool {
    browser::with_config(|c| c.auto_inject_stripe).unwrap_or(false)
}

/// The code to give Stripe as `client_reference_id`, when auto-inject is on and
/// the visitor was referred (stored codes are valid references by construction).
#[wasm_bindgen(js_name = stripeCode)]
pub fn stripe_code() -> Option<String> {
    if !stripe_enabled() {
        return None;
    }
    browser::stored_referral_code()
}

/// A Payment Link's href with the reference added, or `None` to leave it as is.
#[wasm_bindgen(js_name = tagPaymentLink)]
pub fn tag_payment_link(href: &str, code: &str) -> Option<String> {
    stripe::tag_payment_link(href, code)
}

/// The body of `track-signup` (with the site's Turnstile token, if given), or
/// `None` when the visitor was not referred.
#[wasm_bindgen(js_name = signupBody)]
pub fn signup_body(email: &str, name: &str, turnstile_token: &str) -> Option<String> {
    let code = browser::stored_referral_code()?;
    let contest = get_campaign_id()?;
    Some(json::signup(&contest, &code, email, given(name), given(turnstile_token)))
}

/// An optional text from JS, where "" is absent (the loader passes "" for what
/// is not given): `&str` rather than `Option<String>` across the boundary,
/// because wasm-bindgen's `Option<String>` argument costs ~300 B gzip of wasm and glue.
fn given(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.is_empty())
}

/// The body of `track-purchase` (`amount` as `String(Number(amount))` writes
/// it), or `None` without a campaign or with an amount that is not a number.
#[wasm_bindgen(js_name = purchaseBody)]
pub fn purchase_body(order_id: &str, amount: &str, currency: &str, email: &str) -> Option<String> {
    let contest = get_campaign_id()?;
    let code = browser::stored_referral_code();
    json::purchase(&contest, code.as_deref(), order_id, amount, given(currency), email)
}
