//! The few things the core needs from the runtime: randomness and the clock.

use crate::domain::{ids, time};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]);
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut buf = [0u8; N];
    get_random_values(&mut buf);
    buf
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

pub fn now_iso() -> String {
    time::iso8601(now_ms())
}

pub fn new_id(prefix: &str) -> String {
    ids::prefixed_id(prefix, &random_bytes::<16>())
}

pub fn new_referral_code() -> String {
    ids::referral_code(&random_bytes::<8>())
}
