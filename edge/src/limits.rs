//! Abuse limits on the open endpoints, through Cloudflare's Rate Limiting
//! binding (`[[ratelimits]]` in wrangler.toml), keyed by something the caller
//! cannot choose: an HMAC of the client address (`CF-Connecting-IP`) with the
//! deployment's `IP_HASH_KEY`, and the contest.

use crate::domain::signature::hmac_sha256_hex;
use crate::error::{ApiError, ApiResult};
use worker::{Env, Request};

/// One limit of `wrangler.toml`; its numbers live there (and in docs/API.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// track-signup and track-purchase: 20 a minute per address and contest.
    Writes,
    /// track-visit and validate-code: 300 a minute per address and contest.
    Reads,
    /// Failed API key or token authentications: 30 a minute per address.
    FailedAuth,
}

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Self::Writes => "RL_WRITES",
            Self::Reads => "RL_READS",
            Self::FailedAuth => "RL_FAILED_AUTH",
        }
    }
}

/// The window of every limit, in seconds (the binding's `period`).
pub const WINDOW_SECS: u32 = 60;

/// The client address as Cloudflare saw it ("" when not behind Cloudflare).
pub fn client_address(req: &Request) -> String {
    req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default()
}

/// HMAC-SHA256 of (`scope`, address) with `IP_HASH_KEY`: the only form an
/// address is ever stored or keyed in. Without the key nothing is accepted.
pub fn address_hash(env: &Env, scope: &str, req: &Request) -> ApiResult<String> {
    let key = env
        .secret("IP_HASH_KEY")
        .map(|s| s.to_string())
        .ok()
        .filter(|k| k.len() >= 16)
        .ok_or_else(|| ApiError::Internal("IP_HASH_KEY is not set (a secret of at least 16 characters)".into()))?;
    Ok(hmac_sha256_hex(key.as_bytes(), &[scope.as_bytes(), b":", client_address(req).as_bytes()]))
}

/// Counts one request against `limit` for `key`; over it, a 429.
pub async fn enforce(env: &Env, limit: Limit, key: &str) -> ApiResult<()> {
    let limiter = match env.rate_limiter(limit.binding()) {
        Ok(l) => l,
        Err(e) => {
            // A deployment without the binding is misconfigured; say so, but
            // do not take the open endpoints down with it.
            worker::console_error!("rate limiter {} missing: {}", limit.binding(), e);
            return Ok(());
        }
    };
    let key = [limit.binding(), ":", key].concat();
    match limiter.limit(key).await {
        Ok(outcome) if !outcome.success => Err(ApiError::TooManyRequests { retry_after: WINDOW_SECS }),
        Ok(_) => Ok(()),
        Err(e) => {
            worker::console_error!("rate limiter {} failed: {}", limit.binding(), e);
            Ok(())
        }
    }
}

/// The limit of an open endpoint for this caller in this contest.
pub async fn open_endpoint(env: &Env, req: &Request, limit: Limit, contest_id: &str) -> ApiResult<()> {
    let key = address_hash(env, "limit", req)?;
    enforce(env, limit, &[key.as_str(), ":", contest_id].concat()).await
}
