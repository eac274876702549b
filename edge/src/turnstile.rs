//! Cloudflare Turnstile: a contest with a `turnstileSecret` asks track-signup
//! for a `turnstileToken` and checks it with Turnstile's siteverify. It fails
//! closed: no answer, a timeout, an error or a refusal all refuse the signup.

use crate::error::{ApiError, ApiResult};
use futures_util::future::{select, Either};
use serde::Deserialize;
use std::time::Duration;
use worker::{Delay, Fetch, Headers, Method, Request, RequestInit};

pub const SITEVERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/// How long siteverify may take before the signup is refused.
pub const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
struct Verdict {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

fn refused(reason: &str) -> ApiError {
    ApiError::BadRequest(["Bot check failed: ", reason].concat())
}

/// Percent-encodes a form value (RFC 3986 unreserved characters kept).
fn form_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push_str(&crate::domain::signature::hex(&[b]).to_ascii_uppercase());
        }
    }
    out
}

/// Checks `token` with siteverify (with the visitor's address); `Ok` only on
/// an explicit success within `TIMEOUT`.
pub async fn verify(secret: &str, token: Option<&str>, remote_ip: &str) -> ApiResult<()> {
    let token = token.map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| refused("turnstileToken is required"))?;
    if token.len() > 2048 {
        return Err(refused("turnstileToken is too long"));
    }
    let mut body = ["secret=", &form_value(secret), "&response=", &form_value(token)].concat();
    if !remote_ip.is_empty() {
        body.push_str("&remoteip=");
        body.push_str(&form_value(remote_ip));
    }
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let request = Request::new_with_init(SITEVERIFY_URL, &init)?;
    let call = async {
        let mut response =
            Fetch::Request(request).send().await.map_err(|_| refused("the check could not be reached"))?;
        if response.status_code() != 200 {
            return Err(refused("the check answered with an error"));
        }
        response.json::<Verdict>().await.map_err(|_| refused("the check's answer was unreadable"))
    };
    let verdict = match select(Box::pin(call), Box::pin(Delay::from(TIMEOUT))).await {
        Either::Left((verdict, _)) => verdict?,
        Either::Right(_) => return Err(refused("the check timed out")),
    };
    if verdict.success {
        Ok(())
    } else if verdict.error_codes.iter().any(|c| c == "timeout-or-duplicate") {
        Err(refused("the token expired or was already used"))
    } else {
        Err(refused("the token was not accepted"))
    }
}
