//! Abuse limits on the open endpoints, through Cloudflare's Rate Limiting
//! binding (`[[ratelimits]]` in wrangler.toml), keyed by something the caller
//! cannot choose: an HMAC of the client (`CF-Connecting-IP`; an IPv6 address's
//! /64) with the deployment's `IP_HASH_KEY`, and the contest or account.

use crate::domain::address::client_key;
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
    /// Failed authentications (keys, tokens, the admin token, webhook secrets,
    /// Stripe signatures) and made-up contest ids: 30 a minute per address.
    FailedAuth,
    /// Requests authenticated by a public key: 300 a minute per account and address.
    PublicKey,
}

impl Limit {
    fn binding(self) -> &'static str {
        match self {
            Self::Writes => "RL_WRITES",
            Self::Reads => "RL_READS",
            Self::FailedAuth => "RL_FAILED_AUTH",
            Self::PublicKey => "RL_KEYS",
        }
    }
}

/// The window of every limit, in seconds (the binding's `period`).
pub const WINDOW_SECS: u32 = 60;

/// The client address as Cloudflare saw it ("" when not behind Cloudflare).
pub fn client_address(req: &Request) -> String {
    req.headers().get("CF-Connecting-IP").ok().flatten().unwrap_or_default()
}

/// HMAC-SHA256 of (`scope`, client) with `IP_HASH_KEY`: the only form an
/// address is ever stored or keyed in. The client is the address for IPv4 and
/// its /64 for IPv6 (`domain::address::client_key`), so limits, visits and
/// signup screening count one subscriber once. Without the key nothing is accepted.
pub fn address_hash(env: &Env, scope: &str, req: &Request) -> ApiResult<String> {
    let key = env
        .secret("IP_HASH_KEY")
        .map(|s| s.to_string())
        .ok()
        .filter(|k| k.len() >= 16)
        .ok_or_else(|| ApiError::Internal("IP_HASH_KEY is not set (a secret of at least 16 characters)".into()))?;
    let client = client_key(&client_address(req));
    Ok(hmac_sha256_hex(key.as_bytes(), &[scope.as_bytes(), b":", client.as_bytes()]))
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

/// Counts one failed authentication (a wrong key, token, admin token, webhook
/// secret or Stripe signature; a made-up contest on an open endpoint) against
/// the caller's address: a 429 past the limit. Without `IP_HASH_KEY` the
/// failure still answers as it would, and the log says why it is not counted.
pub async fn failed_auth(env: &Env, req: &Request) -> ApiResult<()> {
    match address_hash(env, "auth", req) {
        Ok(key) => enforce(env, Limit::FailedAuth, &key).await,
        Err(why) => {
            worker::console_error!("failed authentication not counted: {}", why.message());
            Ok(())
        }
    }
}

/// The limit of a public key's requests, per account and address: generous
/// for a page's widget, a bound on anyone replaying the key in a loop.
/// Without `IP_HASH_KEY` it is not counted (logged), as a failed authentication is not.
pub async fn public_key(env: &Env, req: &Request, account_id: &str) -> ApiResult<()> {
    match address_hash(env, "key", req) {
        Ok(key) => enforce(env, Limit::PublicKey, &[key.as_str(), ":", account_id].concat()).await,
        Err(why) => {
            worker::console_error!("public key request not counted: {}", why.message());
            Ok(())
        }
    }
}
