//! The browser shell: reads the page URL, keeps the code in a first-party cookie
//! (or localStorage where cookies are blocked), remembers the session's visit.
//! The page is reached only through `js/host.js`, whose functions never throw.

use crate::attribution::{on_landing, Landing};
use crate::config::Config;
use crate::cookie::{candidate_domains, read_cookie, set_cookie_string, REFERRAL_COOKIE};
use crate::json;
use alloc::string::String;
use core::cell::RefCell;
use rocket_rules::ReferralCode;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// 0 `document.cookie`, 1 `location.search`, 2 `location.hostname`,
    /// 3 `location.protocol`, 4 `location.origin`, 5 `location.pathname`.
    #[wasm_bindgen(js_namespace = rtHost)]
    fn get(what: u32) -> String;
    #[wasm_bindgen(js_namespace = rtHost, js_name = setCookie)]
    fn set_cookie(cookie: &str);
    /// Reads `key` (when `value` is `None`) or writes it.
    #[wasm_bindgen(js_namespace = rtHost)]
    fn storage(session: bool, key: &str, value: Option<&str>) -> Option<String>;
    /// `URLSearchParams(query).get(name)`.
    #[wasm_bindgen(js_namespace = rtHost)]
    fn param(query: &str, name: &str) -> Option<String>;
    /// `decodeURIComponent(text)`, `None` where it throws.
    #[wasm_bindgen(js_namespace = rtHost)]
    fn decode(text: &str) -> Option<String>;
}

/// The first value of `name` in a query string, decoded by the page's own
/// parser; empty is absent.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    param(query, name).filter(|v| !v.is_empty())
}

const COOKIE: u32 = 0;
const SEARCH: u32 = 1;
const HOSTNAME: u32 = 2;
const PROTOCOL: u32 = 3;
const ORIGIN: u32 = 4;
const PATHNAME: u32 = 5;

/// The page's configuration, set once by `start`.
struct Slot(RefCell<Option<Config>>);
// wasm32 without threads: one thread touches it.
unsafe impl Sync for Slot {}
static CONFIG: Slot = Slot(RefCell::new(None));

/// sessionStorage key of the code whose visit was recorded this session.
const VISITED_KEY: &str = "rt_visit";

pub fn set_config(config: Config) {
    if let Ok(mut slot) = CONFIG.0.try_borrow_mut() {
        *slot = Some(config);
    }
}

pub fn with_config<T>(f: impl FnOnce(&Config) -> T) -> Option<T> {
    CONFIG.0.try_borrow().ok()?.as_ref().map(f)
}

/// Stores a referral code on the broadest domain the browser accepts; where
/// cookies are refused, in localStorage.
pub fn store_referral_code(code: &str, config: &Config) {
    let host = get(HOSTNAME);
    let secure = get(PROTOCOL) == "https:";
    let max_age = u64::from(config.cookie_days) * 86_400;
    // A valid code is written as is (nothing in it to encode).
    let stuck = || read_cookie(&get(COOKIE), REFERRAL_COOKIE) == Some(code);
    for domain in candidate_domains(&host) {
        set_cookie(&set_cookie_string(code, max_age, Some(domain), secure));
        if stuck() {
            return;
        }
    }
    set_cookie(&set_cookie_string(code, max_age, None, secure));
    if !stuck() {
        storage(false, REFERRAL_COOKIE, Some(code));
    }
}

/// The stored referral code. First-party, before the visit's answer has set
/// the cookie, the session's landing (the visit marker) stands in for it.
pub fn stored_referral_code() -> Option<String> {
    read_cookie(&get(COOKIE), REFERRAL_COOKIE)
        .and_then(decode)
        .filter(|v| !v.is_empty())
        .or_else(|| storage(false, REFERRAL_COOKIE, None))
        .or_else(|| storage(true, VISITED_KEY, None).filter(|_| with_config(|c| c.first_party) == Some(true)))
        .filter(|c| ReferralCode::is_valid(c))
}

/// The page's origin (`location.origin`).
pub fn page_origin() -> String {
    get(ORIGIN)
}

/// The page URL's query (`location.search`).
pub fn page_query() -> String {
    get(SEARCH)
}

/// Looks for a referral code in `search` (the page URL's query, or the one it
/// landed with) and applies the attribution rule. Answers the visit body to
/// send when this landing is a new visit.
pub fn capture(config: &Config, search: &str) -> Option<String> {
    let landed = config.ref_params.iter().find_map(|p| query_param(search, p))?;
    let stored = stored_referral_code();
    let already_visited = storage(true, VISITED_KEY, None).as_deref() == Some(landed.as_str());
    match on_landing(config.attribution, stored.as_deref(), Some(&landed), already_visited) {
        Landing::Keep => None,
        Landing::Store(code) => {
            // First-party: the visit's answer sets the cookie (server-set lasts).
            if !config.first_party {
                store_referral_code(code, config);
            }
            storage(true, VISITED_KEY, Some(code));
            // Origin, not href: no user:password@ either.
            let mut page = get(ORIGIN);
            page.push_str(&get(PATHNAME));
            page.push_str(search);
            // `as_ref`, not `as_deref`: that one is left an outlined call here (~40 B of wasm).
            Some(json::visit(
                config.campaign_id.as_ref()?,
                code,
                &page,
                config.first_party.then_some(config.cookie_days),
            ))
        }
    }
}
