//! The thin browser shell: reads the page URL, writes and reads the cookie.
//! Every JS call here is fallible and handled; nothing propagates to the page.

use crate::config::Config;
use crate::cookie::{candidate_domains, read_cookie, set_cookie_string, REFERRAL_COOKIE};
use crate::params::query_value;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

thread_local! {
    static CONFIG: RefCell<Option<Config>> = const { RefCell::new(None) };
}

pub fn set_config(config: Config) {
    CONFIG.with(|c| *c.borrow_mut() = Some(config));
}

pub fn with_config<T>(f: impl FnOnce(&Config) -> T) -> Option<T> {
    CONFIG.with(|c| c.borrow().as_ref().map(f))
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

fn document_cookie() -> String {
    document()
        .and_then(|d| js_sys::Reflect::get(&d, &JsValue::from_str("cookie")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn write_document_cookie(cookie: &str) {
    if let Some(d) = document() {
        let _ = js_sys::Reflect::set(&d, &JsValue::from_str("cookie"), &JsValue::from_str(cookie));
    }
}

/// Stores a referral code on the broadest domain the browser accepts.
pub fn store_referral_code(code: &str, config: &Config) {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let host = location.hostname().unwrap_or_default();
    let secure = location.protocol().map(|p| p == "https:").unwrap_or(false);
    let max_age = u64::from(config.cookie_days) * 86_400;
    for domain in candidate_domains(&host) {
        write_document_cookie(&set_cookie_string(code, max_age, Some(domain), secure));
        if read_cookie(&document_cookie(), REFERRAL_COOKIE).as_deref() == Some(code) {
            return;
        }
    }
    write_document_cookie(&set_cookie_string(code, max_age, None, secure));
}

pub fn stored_referral_code() -> Option<String> {
    read_cookie(&document_cookie(), REFERRAL_COOKIE)
}

/// Looks for a referral code in the page URL and stores it.
pub fn capture_referral(config: &Config) {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let code = config.ref_params.iter().find_map(|p| query_value(&search, p));
    if let Some(code) = code {
        store_referral_code(&code, config);
    }
}
