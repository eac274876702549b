//! Accounts and their API keys.

use super::{DbResult, StorageError};
use crate::domain::api_key::KeyKind;
use crate::domain::ids::{AccountId, ContestId, EntryId, KeyId};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

#[derive(Debug, Deserialize)]
pub struct ActiveKey {
    pub id: KeyId,
    pub account_id: AccountId,
    pub kind: KeyKind,
}

#[derive(Debug, Deserialize)]
pub struct KeyRow {
    pub id: KeyId,
    pub kind: KeyKind,
    pub key_prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

pub struct NewKey<'a> {
    pub id: &'a KeyId,
    pub account_id: &'a AccountId,
    pub kind: KeyKind,
    pub key_hash: &'a str,
    pub key_prefix: &'a str,
    pub created_at: &'a str,
}

pub fn insert_account(db: &D1Database, id: &AccountId, name: &str, created_at: &str) -> DbResult<D1PreparedStatement> {
    // The participant-token secret is made here, by the database's own randomness.
    Ok(query!(
        db,
        "INSERT INTO accounts (id, name, created_at, token_secret) VALUES (?1, ?2, ?3, lower(hex(randomblob(32))))",
        id,
        name,
        created_at
    )?)
}

pub fn insert_key(db: &D1Database, k: &NewKey) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO api_keys (id, account_id, kind, key_hash, key_prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        k.id,
        k.account_id,
        k.kind.as_str(),
        k.key_hash,
        k.key_prefix,
        k.created_at
    )?)
}

pub(super) const FIND_ACTIVE_KEY: &str =
    "SELECT id, account_id, kind FROM api_keys WHERE key_hash = ?1 AND revoked_at IS NULL";

pub async fn find_active_key(db: &D1Database, key_hash: &str) -> DbResult<Option<ActiveKey>> {
    super::first(query!(db, FIND_ACTIVE_KEY, key_hash)?).await
}

pub async fn list_keys(db: &D1Database, account_id: &AccountId) -> DbResult<Vec<KeyRow>> {
    super::all(query!(
        db,
        "SELECT id, kind, key_prefix, created_at, revoked_at FROM api_keys WHERE account_id = ?1 ORDER BY created_at, id",
        account_id
    )?)
    .await
}

pub async fn find_key(db: &D1Database, account_id: &AccountId, key_id: &KeyId) -> DbResult<Option<KeyRow>> {
    super::first(query!(
        db,
        "SELECT id, kind, key_prefix, created_at, revoked_at FROM api_keys WHERE account_id = ?1 AND id = ?2",
        account_id,
        key_id
    )?)
    .await
}

/// Revokes a key, unless it is the account's last active private key (which
/// would lock the account out).
pub fn revoke_key(db: &D1Database, account_id: &AccountId, key_id: &KeyId, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE api_keys SET revoked_at = ?3
         WHERE account_id = ?1 AND id = ?2 AND revoked_at IS NULL
           AND (kind = 'public' OR (SELECT COUNT(*) FROM api_keys
                WHERE account_id = ?1 AND kind = 'private' AND revoked_at IS NULL) > 1)",
        account_id,
        key_id,
        now
    )?)
}

/// Revokes a key that is being replaced in the same batch (no last-key rule:
/// the replacement is inserted first).
pub fn revoke_replaced_key(
    db: &D1Database,
    account_id: &AccountId,
    key_id: &KeyId,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE api_keys SET revoked_at = ?3 WHERE account_id = ?1 AND id = ?2 AND revoked_at IS NULL",
        account_id,
        key_id,
        now
    )?)
}

#[derive(Deserialize)]
pub(super) struct TokenSecret {
    pub(super) token_secret: Option<String>,
}

/// The participant-token secret of the account owning contest `?1` (NULL
/// until the account's first token): read with a browser signup, so a new
/// entry's token costs no round trip of its own.
pub(super) const TOKEN_SECRET_OF_CONTEST: &str =
    "SELECT a.token_secret FROM contests c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?1";

#[derive(Deserialize)]
struct EntryTokenSecret {
    account_id: AccountId,
    contest_id: ContestId,
    token_secret: Option<String>,
    token_version: i64,
}

/// What a participant token is checked against: its entry's account and
/// contest, and the account's secret.
pub struct TokenScope {
    pub account_id: AccountId,
    pub contest_id: ContestId,
    pub secret: String,
    /// The entry's token version (`join`'s tokens are signed with it).
    pub version: i64,
}

pub(super) const TOKEN_SECRET_OF_ENTRY: &str =
    "SELECT a.id AS account_id, e.contest_id, a.token_secret, e.token_version FROM entries e JOIN contests c ON c.id = e.contest_id
     JOIN accounts a ON a.id = c.account_id WHERE e.id = ?1 AND e.erased_at IS NULL";

/// The account and contest owning a live entry, and the account's participant-token secret.
pub async fn token_secret_of_entry(db: &D1Database, entry_id: &EntryId) -> DbResult<Option<TokenScope>> {
    let row: Option<EntryTokenSecret> = super::first(query!(db, TOKEN_SECRET_OF_ENTRY, entry_id)?).await?;
    Ok(row.and_then(|r| {
        r.token_secret.map(|secret| TokenScope {
            account_id: r.account_id,
            contest_id: r.contest_id,
            secret,
            version: r.token_version,
        })
    }))
}

/// The account's participant-token secret, made on first use.
pub async fn token_secret(db: &D1Database, account_id: &AccountId, fresh: &str) -> DbResult<String> {
    let write =
        query!(db, "UPDATE accounts SET token_secret = ?2 WHERE id = ?1 AND token_secret IS NULL", account_id, fresh)?;
    let read = query!(db, "SELECT token_secret FROM accounts WHERE id = ?1", account_id)?;
    super::write_then_read::<TokenSecret>(db, write, read)
        .await?
        .and_then(|r| r.token_secret)
        .ok_or_else(|| StorageError::D1("account without a token secret".into()))
}

/// Replaces the secret: every participant token of the account stops working.
pub async fn rotate_token_secret(db: &D1Database, account_id: &AccountId, fresh: &str) -> DbResult<()> {
    query!(db, "UPDATE accounts SET token_secret = ?2 WHERE id = ?1", account_id, fresh)?.run().await?;
    Ok(())
}

/// An account as the operator's list shows it.
#[derive(Debug, Deserialize)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub created_at: String,
    pub contests: i64,
    pub active_keys: i64,
}

/// The operator's list of accounts, newest first; one page. (A cold query:
/// operators list accounts rarely, and there are few.)
pub async fn list_accounts(db: &D1Database, page: PageRequest) -> DbResult<(Vec<AccountRow>, u64)> {
    super::page::read(
        db,
        query!(
            db,
            "SELECT a.id, a.name, a.created_at,
               (SELECT COUNT(*) FROM contests c WHERE c.account_id = a.id) AS contests,
               (SELECT COUNT(*) FROM api_keys k WHERE k.account_id = a.id AND k.revoked_at IS NULL) AS active_keys
             FROM accounts a ORDER BY a.created_at DESC, a.id DESC LIMIT ?1 OFFSET ?2",
            page.limit,
            page.offset()
        )?,
        query!(db, "SELECT COUNT(*) AS n FROM accounts"),
    )
    .await
}
