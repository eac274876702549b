//! JSON responses with the headers every API answer carries. Below `error`
//! and `http`, so both can build responses without depending on each other.

use serde::Serialize;
use worker::{Headers, Response};

/// Every API response is open to any origin: the tracker runs on customers' sites.
pub fn api_headers() -> Headers {
    let headers = Headers::new();
    let _ = headers.set("Content-Type", "application/json; charset=utf-8");
    let _ = headers.set("Access-Control-Allow-Origin", "*");
    let _ = headers.set("Cache-Control", "no-store");
    let _ = headers.set("X-Content-Type-Options", "nosniff");
    let _ = headers.set("Referrer-Policy", "no-referrer");
    headers
}

pub fn json_response<T: Serialize>(status: u16, body: &T) -> Response {
    raw_json_response(status, &json_text(body))
}

/// A body's JSON text (for an answer that is also cached).
pub fn json_text<T: Serialize>(body: &T) -> String {
    serde_json::to_string(body).unwrap_or_else(|_| "{}".into())
}

/// A response whose body is already JSON text.
pub fn raw_json_response(status: u16, json: &str) -> Response {
    Response::builder().with_status(status).with_headers(api_headers()).fixed(json.as_bytes().to_vec())
}

/// A JSON answer that may be kept for `max_age` seconds: by anyone when it is
/// the same for every caller (`shared`), else only by the caller's browser.
pub fn cached_json_response(status: u16, json: &str, max_age: u32, shared: bool) -> Response {
    let headers = api_headers();
    let scope = if shared { "public, max-age=" } else { "private, max-age=" };
    let _ = headers.set("Cache-Control", &[scope, &max_age.to_string()].concat());
    Response::builder().with_status(status).with_headers(headers).fixed(json.as_bytes().to_vec())
}
