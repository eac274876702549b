//! Who is calling: an account's API key (`x-api-key`; a public key also as
//! `?apiKey=`), a participant token for one entry (`Authorization: Bearer
//! rtp_…`), or the operator's `ADMIN_TOKEN`.

use crate::db;
use crate::domain::api_key::{self, KeyKind};
use crate::domain::ids::{AccountId, ContestId, EntryId};
use crate::domain::participant_token::{self, TokenError};
use crate::domain::signature::{constant_time_eq, sha256_hex};
use crate::error::{ApiError, ApiResult};
use crate::{http, platform};
use worker::{D1Database, Env, Request};

/// What a caller may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A public key: reads, never a full email.
    Public,
    /// A private key: everything in its account.
    Private,
    /// A participant token: reads this entry and its contest's public view and
    /// leaderboard, completes its bonus actions.
    Participant { entry_id: EntryId, contest_id: ContestId },
}

/// An authenticated caller of an account.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account_id: AccountId,
    pub role: Role,
}

impl Caller {
    pub fn require_private(&self) -> ApiResult<()> {
        match self.role {
            Role::Private => Ok(()),
            _ => Err(ApiError::Forbidden("Private key required")),
        }
    }

    pub fn is_private(&self) -> bool {
        self.role == Role::Private
    }

    /// A participant token (the widget, or the participant's own client).
    pub fn is_participant(&self) -> bool {
        matches!(self.role, Role::Participant { .. })
    }

    /// Full emails are for private keys; everyone else sees them masked.
    pub fn sees_emails(&self) -> bool {
        self.is_private()
    }

    /// Other participants' names are shown masked to a participant.
    pub fn sees_names(&self) -> bool {
        !matches!(self.role, Role::Participant { .. })
    }

    /// A participant token answers for its own entry only.
    pub fn require_entry(&self, entry_id: &str) -> ApiResult<()> {
        match &self.role {
            Role::Participant { entry_id: own, .. } if own != entry_id => {
                Err(ApiError::Forbidden("This participant token is for another entry"))
            }
            _ => Ok(()),
        }
    }

    /// A participant token reads its own entry's contest only. Any other
    /// contest answers as an unknown one would (404), so a token learns
    /// nothing about contests that are not its own.
    pub fn require_contest(&self, contest_id: &str) -> ApiResult<()> {
        match &self.role {
            Role::Participant { contest_id: own, .. } if own != contest_id => {
                Err(ApiError::not_found("Contest not found"))
            }
            _ => Ok(()),
        }
    }
}

fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The key presented, and whether it came in the query string.
fn presented_key(req: &Request) -> ApiResult<Option<(String, bool)>> {
    if let Some(key) = header(req, "x-api-key") {
        return Ok(Some((key, false)));
    }
    let query = http::query_pairs(req)?;
    Ok(http::query_param(&query, "apiKey").map(|k| (k.to_string(), true)))
}

/// The participant token of `Authorization: Bearer rtp_…`, if any.
fn presented_token(req: &Request) -> Option<String> {
    header(req, "Authorization")
        .and_then(|h| h.strip_prefix("Bearer ").map(|t| t.trim().to_string()))
        .filter(|t| t.starts_with(participant_token::PREFIX))
}

/// The caller behind the request's API key: 401 when missing, unknown or
/// revoked, or when a private key comes in the query string.
pub async fn authenticate_key(db: &D1Database, req: &Request) -> ApiResult<Caller> {
    let (key, in_query) = presented_key(req)?.ok_or(ApiError::Unauthorized)?;
    // Refused before any lookup: a private key in a URL is already leaked to logs.
    if in_query && key.starts_with("rt_sk_") {
        return Err(ApiError::KeyInQuery);
    }
    let found = db::accounts::find_active_key(db, &api_key::hash(&key)).await?.ok_or(ApiError::Unauthorized)?;
    let role = match found.kind {
        KeyKind::Private if in_query => return Err(ApiError::KeyInQuery),
        KeyKind::Private => Role::Private,
        KeyKind::Public => Role::Public,
    };
    Ok(Caller { account_id: found.account_id, role })
}

/// An API key, or a participant token (checked against its account's secret).
pub async fn authenticate(db: &D1Database, req: &Request) -> ApiResult<Caller> {
    let Some(token) = presented_token(req) else { return authenticate_key(db, req).await };
    let entry_id = participant_token::claimed_entry(&token).ok_or(ApiError::InvalidToken)?;
    let scope =
        db::accounts::token_secret_of_entry(db, &EntryId::new(entry_id)).await?.ok_or(ApiError::InvalidToken)?;
    match participant_token::verify(&token, &scope.secret, scope.version, platform::now_ms() / 1000) {
        Ok(entry_id) => Ok(Caller {
            account_id: scope.account_id,
            role: Role::Participant { entry_id: EntryId::new(entry_id), contest_id: scope.contest_id },
        }),
        Err(TokenError::Malformed | TokenError::Expired | TokenError::BadSignature) => Err(ApiError::InvalidToken),
    }
}

/// The private key of the request, if it carries a valid one (open endpoints
/// do not limit the owner's own server).
pub async fn has_private_key(db: &D1Database, req: &Request) -> bool {
    header(req, "x-api-key").is_some() && authenticate_key(db, req).await.is_ok_and(|c| c.is_private())
}

/// Checks `Authorization: Bearer <ADMIN_TOKEN>`; an unset or short token refuses everyone.
pub fn require_admin(env: &Env, req: &Request) -> ApiResult<()> {
    let expected = env.secret("ADMIN_TOKEN").map(|s| s.to_string().trim().to_string()).ok().filter(|t| !t.is_empty());
    if let Some(t) = &expected {
        if !api_key::admin_token_usable(t) {
            worker::console_error!(
                "ADMIN_TOKEN is shorter than {} characters: every admin call is refused",
                api_key::MIN_ADMIN_TOKEN
            );
            return Err(ApiError::AdminUnauthorized);
        }
    }
    let given = req.headers().get("Authorization").ok().flatten();
    let given = given.as_deref().and_then(|h| h.strip_prefix("Bearer ")).map(str::trim);
    match (expected, given) {
        // Hash both sides so the comparison's time depends on neither length.
        (Some(expected), Some(given))
            if constant_time_eq(
                sha256_hex(expected.as_bytes()).as_bytes(),
                sha256_hex(given.as_bytes()).as_bytes(),
            ) =>
        {
            Ok(())
        }
        _ => Err(ApiError::AdminUnauthorized),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role) -> Caller {
        Caller { account_id: AccountId::new("ac_1"), role }
    }

    fn participant() -> Caller {
        caller(Role::Participant { entry_id: EntryId::new("en_1"), contest_id: ContestId::new("ct_1") })
    }

    #[test]
    fn a_participant_reads_its_own_entry_only() {
        assert!(participant().require_entry("en_1").is_ok());
        assert!(matches!(participant().require_entry("en_2"), Err(ApiError::Forbidden(_))));
    }

    #[test]
    fn a_participant_reads_its_own_contest_only_and_another_is_not_found() {
        assert!(participant().require_contest("ct_1").is_ok());
        let answer = |id: &str| participant().require_contest(id).err().map(|e| (e.status(), e.message()));
        assert_eq!(answer("ct_2"), Some((404, "Contest not found".to_string())));
        // The very answer `owned_contest` gives a contest that does not exist.
        assert_eq!(answer("ct_2"), answer("ct_nope"));
    }

    #[test]
    fn keys_read_any_contest_of_their_account() {
        assert!(caller(Role::Public).require_contest("ct_2").is_ok());
        assert!(caller(Role::Private).require_contest("ct_2").is_ok());
    }
}
