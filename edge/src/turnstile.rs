//! Cloudflare Turnstile: a contest with a `turnstileSecret` asks track-signup
//! and join for a `turnstileToken` and checks it with Turnstile's siteverify.
//! It fails closed (403): no answer, a timeout, an error or a refusal all
//! refuse the signup. The contest's public `turnstileSiteKey` is what the widget renders
//! the check with.

use crate::error::{ApiError, ApiResult};
use futures_util::future::{select, Either};
use serde::Deserialize;
use std::time::Duration;
use worker::{Delay, Env, Fetch, Headers, Method, Request, RequestInit};

pub const SITEVERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
/// A local stand-in for siteverify (end-to-end tests, local development):
/// honoured only when it is on this machine, so no deployment can send its
/// tokens and secrets anywhere but Cloudflare.
const SITEVERIFY_OVERRIDE: &str = "TURNSTILE_SITEVERIFY_URL";
/// How long siteverify may take before the signup is refused.
pub const TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Deserialize)]
struct Verdict {
    success: bool,
    #[serde(default, rename = "error-codes")]
    error_codes: Vec<String>,
}

/// 403 `Bot check failed: <reason>`: the request is well formed, its sender
/// is refused.
macro_rules! refused {
    ($reason:literal) => {
        ApiError::Forbidden(concat!("Bot check failed: ", $reason))
    };
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

/// A Turnstile site key as Cloudflare issues them (`0x4AAAAAAA…`).
pub fn is_site_key(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Where siteverify is: Cloudflare's, or the loopback stand-in the
/// environment names.
fn siteverify_url(env: &Env) -> String {
    let local = env.var(SITEVERIFY_OVERRIDE).ok().map(|v| v.to_string());
    match local {
        Some(url) if is_loopback_http(&url) => url,
        _ => SITEVERIFY_URL.into(),
    }
}

fn is_loopback_http(url: &str) -> bool {
    // No `@`: `http://127.0.0.1:x@elsewhere/` is a user name and a password.
    !url.contains('@') && ["http://127.0.0.1:", "http://localhost:"].iter().any(|p| url.starts_with(p))
}

/// Checks `token` with siteverify (with the visitor's address); `Ok` only on
/// an explicit success within `TIMEOUT`.
/// The documented bound on `turnstileToken`, checked whether or not the
/// contest uses Turnstile (a body the schema refuses is never accepted).
pub fn check_length(token: Option<&str>) -> ApiResult<()> {
    match token {
        Some(t) if t.chars().count() > 2048 => {
            Err(crate::input::invalid("turnstileToken", "is longer than 2048 characters"))
        }
        _ => Ok(()),
    }
}

pub async fn verify(env: &Env, secret: &str, token: Option<&str>, remote_ip: &str) -> ApiResult<()> {
    let token = token.map(str::trim).filter(|t| !t.is_empty()).ok_or(refused!("turnstileToken is required"))?;
    check_length(Some(token))?;
    let mut body = ["secret=", &form_value(secret), "&response=", &form_value(token)].concat();
    if !remote_ip.is_empty() {
        body.push_str("&remoteip=");
        body.push_str(&form_value(remote_ip));
    }
    let headers = Headers::new();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(body.into()));
    let request = Request::new_with_init(&siteverify_url(env), &init)?;
    let call = async {
        let mut response =
            Fetch::Request(request).send().await.map_err(|_| refused!("the check could not be reached"))?;
        if response.status_code() != 200 {
            return Err(refused!("the check answered with an error"));
        }
        response.json::<Verdict>().await.map_err(|_| refused!("the check's answer was unreadable"))
    };
    let verdict = match select(Box::pin(call), Box::pin(Delay::from(TIMEOUT))).await {
        Either::Left((verdict, _)) => verdict?,
        Either::Right(_) => return Err(refused!("the check timed out")),
    };
    if verdict.success {
        Ok(())
    } else if verdict.error_codes.iter().any(|c| c == "timeout-or-duplicate") {
        Err(refused!("the token expired or was already used"))
    } else {
        Err(refused!("the token was not accepted"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_keys_are_letters_digits_dashes() {
        assert!(is_site_key("0x4AAAAAAABkMYinukE8nzY"));
        assert!(is_site_key("1x00000000000000000000AA"));
        assert!(!is_site_key(""));
        assert!(!is_site_key("0x4A\"><script>"));
    }

    #[test]
    fn only_a_loopback_siteverify_replaces_cloudflare() {
        assert!(is_loopback_http("http://127.0.0.1:9000/siteverify"));
        assert!(is_loopback_http("http://localhost:9000/siteverify"));
        assert!(!is_loopback_http("https://evil.example/siteverify"));
        assert!(!is_loopback_http("http://127.0.0.1.evil.example/"));
        assert!(!is_loopback_http("http://localhost.evil.example/"));
        assert!(!is_loopback_http("http://127.0.0.1:x@evil.example/"));
    }
}
