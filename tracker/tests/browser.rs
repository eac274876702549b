//! The tracker in a real headless Chromium (wasm-bindgen-test-runner + chromedriver).
#![cfg(target_arch = "wasm32")]

use tracker::cookie::REFERRAL_COOKIE;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn set_page_query(query: &str) {
    let window = web_sys::window().unwrap();
    let history = js_sys::Reflect::get(&window, &"history".into()).unwrap();
    let replace: js_sys::Function = js_sys::Reflect::get(&history, &"replaceState".into()).unwrap().into();
    let mut url = window.location().pathname().unwrap();
    url.push_str(query);
    replace.call3(&history, &JsValue::NULL, &"".into(), &url.into()).unwrap();
}

fn cookies() -> String {
    let doc = web_sys::window().unwrap().document().unwrap();
    js_sys::Reflect::get(&doc, &"cookie".into()).unwrap().as_string().unwrap()
}

fn clear_referral_cookie() {
    let doc = web_sys::window().unwrap().document().unwrap();
    let mut expire = String::from(REFERRAL_COOKIE);
    expire.push_str("=; Path=/; Max-Age=0");
    js_sys::Reflect::set(&doc, &"cookie".into(), &expire.into()).unwrap();
}

#[wasm_bindgen_test]
fn captures_ref_into_a_first_party_cookie() {
    clear_referral_cookie();
    set_page_query("?utm_source=x&ref=ADV-123");
    tracker::start("http://127.0.0.1/referral-tracker.js?campaignId=ct_demo");
    assert!(cookies().contains("rt_ref=ADV-123"), "cookie jar: {}", cookies());
    assert_eq!(tracker::get_referral_code().as_deref(), Some("ADV-123"));
    assert_eq!(tracker::get_campaign_id().as_deref(), Some("ct_demo"));
}

#[wasm_bindgen_test]
fn a_page_without_ref_stores_nothing() {
    clear_referral_cookie();
    set_page_query("?utm_source=x");
    tracker::start("http://127.0.0.1/referral-tracker.js");
    assert_eq!(tracker::get_referral_code(), None);
    assert!(!cookies().contains("rt_ref="));
}
