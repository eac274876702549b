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
    raw_json_response(status, &serde_json::to_string(body).unwrap_or_else(|_| "{}".into()))
}

/// A response whose body is already JSON text.
pub fn raw_json_response(status: u16, json: &str) -> Response {
    Response::builder().with_status(status).with_headers(api_headers()).fixed(json.as_bytes().to_vec())
}
