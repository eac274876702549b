//! The HTTP shell: JSON responses, CORS, bounded body parsing.

use crate::domain::v1_pages::{AfterPagination, PageRequest, Pagination};
use crate::error::{ApiError, ApiResult};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use worker::{ByteStream, Request, Response};

/// Bodies are small JSON documents; anything larger is refused before parsing.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

pub use crate::respond::{api_headers, json_response, json_text, raw_json_response};

/// The success envelope of the v1 API: `{"success": true, "data": ...}`.
#[derive(Serialize)]
struct Envelope<T> {
    success: bool,
    data: T,
}

/// The v1 list envelope: `{"success": true, "data": [...], "pagination": {...}}`.
#[derive(Serialize)]
struct PageEnvelope<T, P = Pagination> {
    success: bool,
    data: T,
    pagination: P,
}

pub fn data<T: Serialize>(status: u16, data: T) -> ApiResult<Response> {
    Ok(json_response(status, &Envelope { success: true, data }))
}

/// The text of `data`'s envelope (for an answer that is also cached).
pub fn data_text<T: Serialize>(data: T) -> String {
    json_text(&Envelope { success: true, data })
}

/// `?page=&limit=` of a v1 list.
pub fn page_request(req: &Request) -> ApiResult<PageRequest> {
    let query = query_pairs(req)?;
    PageRequest::parse(query_typed(&query, "page"), query_typed(&query, "limit")).map_err(ApiError::BadRequest)
}

/// One page of a v1 list (`data` is the items, or an object holding them).
pub fn paged<T: Serialize>(items: T, page: PageRequest, total: u64) -> ApiResult<Response> {
    Ok(json_response(200, &PageEnvelope { success: true, data: items, pagination: page.describe(total) }))
}

/// One keyset page of a v1 list (`?after=`).
pub fn paged_after<T: Serialize>(items: T, pagination: AfterPagination) -> ApiResult<Response> {
    Ok(json_response(200, &PageEnvelope { success: true, data: items, pagination }))
}

/// Answer to a CORS preflight on any API path.
pub fn preflight() -> Response {
    let headers = api_headers();
    let _ = headers.set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS");
    let _ = headers.set(
        "Access-Control-Allow-Headers",
        "Content-Type, x-api-key, Authorization, Stripe-Signature, x-webhook-secret",
    );
    let _ = headers.set("Access-Control-Max-Age", "86400");
    Response::builder().with_status(204).with_headers(headers).empty()
}

/// Reads the raw body, refusing oversize ones: by header first, then while
/// reading (a chunked body declares no length), so no more than the limit
/// and one chunk is ever read.
pub async fn read_body(req: &mut Request) -> ApiResult<Vec<u8>> {
    read_body_up_to(req, MAX_BODY_BYTES).await
}

/// `read_body` with another limit (a route whose body lists thousands of ids).
pub async fn read_body_up_to(req: &mut Request, limit: usize) -> ApiResult<Vec<u8>> {
    let too_large = || ApiError::PayloadTooLarge { limit };
    let declared = req.headers().get("Content-Length").ok().flatten().and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    if req.inner().body().is_none() {
        return Ok(Vec::new());
    }
    let unreadable = |_| ApiError::bad_request("Unreadable request body");
    let (bytes, whole) = read_at_most(req.stream().map_err(unreadable)?, limit).await.map_err(unreadable)?;
    if !whole {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The first bytes of a stream, up to `cap` (a chunk may take it a little
/// past), and whether that was all of it. The rest is never read: dropping
/// the stream cancels it.
pub async fn read_at_most(mut stream: ByteStream, cap: usize) -> worker::Result<(Vec<u8>, bool)> {
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk?);
        if bytes.len() > cap {
            return Ok((bytes, false));
        }
    }
    Ok((bytes, true))
}

/// Reads and parses a JSON body into `T`; every failure is a 400 with the reason.
pub async fn read_json<T: DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    let bytes = read_body(req).await?;
    parse_json(&bytes)
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    // Every body is an object; serde would also fill a struct from an array by
    // position (`[null, null]` as the first two settings), so refuse the rest here.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ApiError::bad_request("Invalid request body: a JSON object is required"));
    }
    serde_json::from_slice(bytes).map_err(|e| {
        let mut m = String::from("Invalid request body: ");
        m.push_str(&e.to_string());
        ApiError::BadRequest(m)
    })
}

/// Query string as (name, value) pairs, percent-decoded. Read from the URL the
/// host already serialized, not through `Request::url()`: the `url` crate it
/// parses with (and its IDNA tables) was ~60 KB of the wasm.
pub fn query_pairs(req: &Request) -> ApiResult<Vec<(String, String)>> {
    Ok(form_pairs(query_of(&req.inner().url())))
}

/// `scheme://host[:port]` of the request, as the host serialized it.
pub fn origin(req: &Request) -> String {
    let url = req.inner().url();
    let host_start = url.find("://").map_or(0, |i| i + 3);
    let end = url[host_start..].find(['/', '?', '#']).map_or(url.len(), |i| host_start + i);
    url[..end].to_string()
}

fn query_of(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or_default();
    url.split_once('?').map_or("", |(_, q)| q)
}

/// `application/x-www-form-urlencoded` pairs, as the WHATWG URL standard reads
/// them: `&`-separated, empty pieces skipped, `+` a space, `%XX` a byte, and
/// invalid UTF-8 replaced.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (form_decode(k), form_decode(v))
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A text parameter: blank counts as absent.
pub fn query_param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query_typed(pairs, name).map(str::trim).filter(|v| !v.is_empty())
}

/// A number, enum or pattern parameter, as sent: `limit=` is present and
/// invalid (as the contract says), not absent.
pub fn query_typed<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Body {
        a: Option<String>,
        b: Option<String>,
    }

    #[test]
    fn bodies_are_json_objects() {
        assert!(parse_json::<Body>(br#" {"a": "x"}"#).is_ok());
        for bad in [&b""[..], b"  ", b"[null, null]", b"null", b"1", br#""a""#] {
            assert!(parse_json::<Body>(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn query_strings_decode_as_forms() {
        let pairs = |q: &str| form_pairs(query_of(q));
        assert_eq!(
            pairs("https://a.b/p?x=1&&y=a+b%20c&z&e=%zz%4&u=%C3%A9#f=2"),
            [("x", "1"), ("y", "a b c"), ("z", ""), ("e", "%zz%4"), ("u", "é")].map(|(k, v)| (k.into(), v.into()))
        );
        assert_eq!(pairs("https://a.b/p"), []);
        assert_eq!(pairs("https://a.b/?k=%FF"), [("k".into(), "\u{FFFD}".into())]);
        assert_eq!(pairs("https://a.b/?a=b=c"), [("a".into(), "b=c".into())]);
    }
}
