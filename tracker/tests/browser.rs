//! The tracker in a real headless Chromium (wasm-bindgen-test-runner +
//! chromedriver), with the real page host of js/host.js installed.
#![cfg(target_arch = "wasm32")]

use tracker::cookie::REFERRAL_COOKIE;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> web_sys::Window {
    web_sys::window().unwrap()
}

fn document() -> web_sys::Document {
    window().document().unwrap()
}

/// Installs js/host.js as the page global the wasm imports (`rtHost`), and
/// starts from an empty cookie jar and storage.
fn fresh_page(query: &str) {
    let host = include_str!("../js/host.js").replace("export var rtHost", "globalThis.rtHost");
    js_sys::Function::new_no_args(&host).call0(&JsValue::NULL).unwrap();
    let mut expire = String::from(REFERRAL_COOKIE);
    expire.push_str("=; Path=/; Max-Age=0");
    js_sys::Reflect::set(&document(), &"cookie".into(), &expire.into()).unwrap();
    window().local_storage().unwrap().unwrap().clear().unwrap();
    window().session_storage().unwrap().unwrap().clear().unwrap();
    set_query(query);
}

fn set_query(query: &str) {
    let mut url = window().location().pathname().unwrap();
    url.push_str(query);
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(&url)).unwrap();
}

fn cookies() -> String {
    js_sys::Reflect::get(&document(), &"cookie".into()).unwrap().as_string().unwrap()
}

/// `tracker::start` as the loader calls it, with the page's query as it landed.
fn start(script_url: &str) -> Option<String> {
    tracker::start(script_url, &window().location().search().unwrap())
}

const SCRIPT: &str = "http://127.0.0.1/referral-tracker.js?campaignId=ct_demo";

#[wasm_bindgen_test]
fn captures_ref_into_a_host_cookie_and_answers_the_visit() {
    fresh_page("?utm_source=x&ref=ADV-123");
    let visit = start(SCRIPT).expect("a visit to record");
    assert!(visit.starts_with(r#"{"referralCode":"ADV-123","contestId":"ct_demo","url":"http"#), "{visit}");
    // The page's origin and path with its utm_* parameters only.
    let page = window().location();
    let mut url = page.origin().unwrap();
    url.push_str(&page.pathname().unwrap());
    url.push_str("?utm_source=x\"}");
    assert!(visit.ends_with(&url), "{visit}");
    // 127.0.0.1 takes no Domain attribute: the cookie is host-only, and readable.
    assert!(cookies().contains("rt_ref=ADV-123"), "cookie jar: {}", cookies());
    assert_eq!(tracker::get_referral_code().as_deref(), Some("ADV-123"));
    assert_eq!(tracker::get_campaign_id().as_deref(), Some("ct_demo"));
}

#[wasm_bindgen_test]
fn a_page_without_ref_stores_and_sends_nothing() {
    fresh_page("?utm_source=x");
    assert_eq!(start(SCRIPT), None);
    assert_eq!(tracker::get_referral_code(), None);
    assert!(!cookies().contains("rt_ref="));
    assert_eq!(tracker::signup_body("a@b.co", "", ""), None);
}

#[wasm_bindgen_test]
fn the_visit_url_keeps_no_other_parameter_and_no_fragment() {
    fresh_page("?ref=ADV-9&secret=abc&utm_medium=mail&email=a%40b.co#token=xyz");
    let visit = start(SCRIPT).expect("a visit to record");
    let page = window().location();
    let mut body = String::from(r#"{"referralCode":"ADV-9","contestId":"ct_demo","url":""#);
    body.push_str(&page.origin().unwrap());
    body.push_str(&page.pathname().unwrap());
    body.push_str(r#"?utm_medium=mail"}"#);
    assert_eq!(visit, body);
}

#[wasm_bindgen_test]
fn a_reload_in_the_same_session_records_no_second_visit() {
    fresh_page("?ref=ADV-1");
    assert!(start(SCRIPT).is_some());
    assert_eq!(start(SCRIPT), None);
    assert_eq!(tracker::get_referral_code().as_deref(), Some("ADV-1"));
}

#[wasm_bindgen_test]
fn last_click_by_default_first_click_when_configured() {
    fresh_page("?ref=FIRST");
    start(SCRIPT);
    set_query("?ref=SECOND");
    assert!(tracker::navigated().is_some());
    assert_eq!(tracker::get_referral_code().as_deref(), Some("SECOND"));

    fresh_page("?ref=FIRST");
    let first_click = "http://127.0.0.1/referral-tracker.js?campaignId=ct_demo&attribution=first";
    start(first_click);
    set_query("?ref=SECOND");
    assert_eq!(tracker::navigated(), None);
    assert_eq!(tracker::get_referral_code().as_deref(), Some("FIRST"));
}

#[wasm_bindgen_test]
fn extra_parameter_names_and_invalid_codes() {
    fresh_page("?via=PARTNER_7");
    start("http://127.0.0.1/referral-tracker.js?campaignId=c&params=via,referralCode");
    assert_eq!(tracker::get_referral_code().as_deref(), Some("PARTNER_7"));
    fresh_page("?ref=%3Cscript%3E");
    assert_eq!(start(SCRIPT), None);
    assert_eq!(tracker::get_referral_code(), None);
}

#[wasm_bindgen_test]
fn falls_back_to_local_storage_where_cookies_are_blocked() {
    fresh_page("?ref=NOCOOKIE");
    // A page (or browser) that refuses cookies: writes vanish, reads are empty.
    js_sys::Function::new_no_args(
        "Object.defineProperty(document, 'cookie', { configurable: true, get: () => '', set: () => {} })",
    )
    .call0(&JsValue::NULL)
    .unwrap();
    start(SCRIPT);
    let stored = window().local_storage().unwrap().unwrap().get_item("rt_ref").unwrap();
    js_sys::Function::new_no_args("delete document.cookie").call0(&JsValue::NULL).unwrap();
    assert_eq!(stored.as_deref(), Some("NOCOOKIE"));
    assert_eq!(tracker::get_referral_code().as_deref(), Some("NOCOOKIE"));
}

#[wasm_bindgen_test]
fn stripe_injection_only_when_enabled_and_referred() {
    let stripe_script = "http://127.0.0.1/referral-tracker.js?campaignId=c&autoInject=stripe";
    fresh_page("");
    start(stripe_script);
    assert_eq!(tracker::stripe_code(), None, "nothing without a referral");

    fresh_page("?ref=ADA2026");
    start(SCRIPT);
    assert_eq!(tracker::stripe_code(), None, "nothing without autoInject=stripe");

    fresh_page("?ref=ADA2026");
    start(stripe_script);
    let code = tracker::stripe_code().expect("a code for Stripe");
    // The hrefs as the browser holds them on real anchors (in a box of our own:
    // the runner reports through the page's body).
    let sandbox = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&sandbox).unwrap();
    sandbox.set_inner_html(
        r#"<a id="plain" href="https://buy.stripe.com/test_abc">Buy</a>
           <a id="own" href="https://buy.stripe.com/test_abc?client_reference_id=SITE">Buy</a>"#,
    );
    let href = |id: &str| document().get_element_by_id(id).unwrap().get_attribute("href").unwrap();
    assert_eq!(
        tracker::tag_payment_link(&href("plain"), &code).as_deref(),
        Some("https://buy.stripe.com/test_abc?client_reference_id=ADA2026")
    );
    assert_eq!(tracker::tag_payment_link(&href("own"), &code), None, "the site's own value stays");
    sandbox.remove();
}

#[wasm_bindgen_test]
fn request_bodies_carry_the_stored_code() {
    fresh_page("?ref=ADA2026");
    start(SCRIPT);
    assert_eq!(
        tracker::signup_body("friend@example.com", "Fri End", "").as_deref(),
        Some(r#"{"email":"friend@example.com","contestId":"ct_demo","referralCode":"ADA2026","name":"Fri End"}"#)
    );
    // "" is absent (what the loader passes for what is not a string).
    assert_eq!(
        tracker::signup_body("f@e.co", "", "XXXX.DUMMY.TOKEN.XXXX").as_deref(),
        Some(
            r#"{"email":"f@e.co","contestId":"ct_demo","referralCode":"ADA2026","turnstileToken":"XXXX.DUMMY.TOKEN.XXXX"}"#
        )
    );
    assert_eq!(
        tracker::signup_body("f@e.co", "F", "0.x\"\\\n").as_deref(),
        Some(
            r#"{"email":"f@e.co","contestId":"ct_demo","referralCode":"ADA2026","name":"F","turnstileToken":"0.x\"\\\n"}"#
        )
    );
    assert_eq!(
        tracker::purchase_body("o-1", "49.99", "USD", "friend@example.com").as_deref(),
        Some(
            r#"{"email":"friend@example.com","contestId":"ct_demo","orderId":"o-1","amount":49.99,"currency":"USD","referralCode":"ADA2026"}"#
        )
    );
    assert_eq!(
        tracker::purchase_body("o-2", "5", "", "f@e.co").as_deref(),
        Some(r#"{"email":"f@e.co","contestId":"ct_demo","orderId":"o-2","amount":5,"referralCode":"ADA2026"}"#)
    );
    assert_eq!(tracker::purchase_body("o-1", "NaN", "", "f@e.co"), None);
}

#[wasm_bindgen_test]
fn first_party_leaves_the_cookie_to_the_server() {
    fresh_page("?ref=FIRSTPARTY");
    // The script from the page's own origin under a path: the worker's /rt/ route.
    let mut script = window().location().origin().unwrap();
    script.push_str("/rt/referral-tracker.js?campaignId=ct_demo&cookieDays=30");
    let visit = start(&script).expect("a visit to record");
    assert!(visit.contains(r#""referralCode":"FIRSTPARTY""#), "{visit}");
    assert!(visit.ends_with(r#""cookieDays":30}"#), "{visit}");
    // Nothing written from script: the visit's answer sets the cookie.
    assert!(!cookies().contains("rt_ref="), "{}", cookies());
    assert_eq!(window().local_storage().unwrap().unwrap().get_item("rt_ref").unwrap(), None);
    // Until that answer arrives, the session's landing stands in for it...
    assert_eq!(tracker::get_referral_code().as_deref(), Some("FIRSTPARTY"));
    // ...and once the server's cookie is there, it is the answer.
    js_sys::Reflect::set(&document(), &"cookie".into(), &"rt_ref=SERVER-SET; Path=/".into()).unwrap();
    assert_eq!(tracker::get_referral_code().as_deref(), Some("SERVER-SET"));
}

#[wasm_bindgen_test]
fn options_and_codes_are_read_by_the_page_parsers() {
    // Encoded names and values in the script URL and the page URL.
    fresh_page("?x=1&r%65f=A%2DB&ref=later");
    let visit = start("http://127.0.0.1/referral-tracker.js?campaign%49d=ct%5F7&cookieDays=%39").expect("a visit");
    assert!(visit.contains(r#""referralCode":"A-B""#) && visit.contains(r#""contestId":"ct_7""#), "{visit}");
    assert!(!visit.contains("cookieDays"), "not first-party: {visit}");
    assert!(cookies().contains("rt_ref=A-B"), "{}", cookies());
    // A cookie value that does not decode is absent: the localStorage copy answers.
    window().local_storage().unwrap().unwrap().set_item("rt_ref", "FROM-STORAGE").unwrap();
    js_sys::Reflect::set(&document(), &"cookie".into(), &"rt_ref=%zz; Path=/".into()).unwrap();
    assert_eq!(tracker::get_referral_code().as_deref(), Some("FROM-STORAGE"));
}
