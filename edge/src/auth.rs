//! Who is calling: an account's API key (`x-api-key` header or `?apiKey=`), or
//! the operator's `ADMIN_TOKEN`.

use crate::db;
use crate::domain::api_key::{self, KeyKind};
use crate::domain::signature::{constant_time_eq, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::http;
use worker::{D1Database, Env, Request};

/// An authenticated API key.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: String,
    pub key_id: String,
    pub kind: KeyKind,
}

impl Caller {
    /// Public keys read; everything else needs a private key.
    pub fn require_private(&self) -> ApiResult<()> {
        match self.kind {
            KeyKind::Private => Ok(()),
            KeyKind::Public => Err(ApiError::Forbidden("Private key required")),
        }
    }

    pub fn is_private(&self) -> bool {
        self.kind == KeyKind::Private
    }
}

fn presented_key(req: &Request) -> ApiResult<Option<String>> {
    if let Some(key) = req.headers().get("x-api-key").ok().flatten().filter(|k| !k.trim().is_empty()) {
        return Ok(Some(key.trim().to_string()));
    }
    let query = http::query_pairs(req)?;
    Ok(http::query_param(&query, "apiKey").map(str::to_string))
}

/// The caller behind the request's key; 401 when missing, unknown or revoked.
pub async fn authenticate(db: &D1Database, req: &Request) -> ApiResult<Caller> {
    let key = presented_key(req)?.ok_or(ApiError::Unauthorized)?;
    let found = db::accounts::find_active_key(db, &api_key::hash(&key)).await?;
    let found = found.ok_or(ApiError::Unauthorized)?;
    let kind = KeyKind::parse(&found.kind).ok_or_else(|| ApiError::Internal("bad key kind".into()))?;
    Ok(Caller { account_id: found.account_id, key_id: found.id, kind })
}

/// Checks `Authorization: Bearer <ADMIN_TOKEN>`; an unset token refuses everyone.
pub fn require_admin(env: &Env, req: &Request) -> ApiResult<()> {
    let expected = env.secret("ADMIN_TOKEN").map(|s| s.to_string()).ok().filter(|t| !t.is_empty());
    let given = req.headers().get("Authorization").ok().flatten();
    let given = given.as_deref().and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
    match (expected, given) {
        // Hash both sides so the comparison's time depends on neither length.
        (Some(expected), Some(given))
            if constant_time_eq(sha256_hex(expected.as_bytes()).as_bytes(), sha256_hex(given.as_bytes()).as_bytes()) =>
        {
            Ok(())
        }
        _ => Err(ApiError::AdminUnauthorized),
    }
}
