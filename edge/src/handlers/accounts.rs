//! Accounts (created by the operator) and their API keys (rotated and revoked by
//! the account's private key).

use crate::ctx::Ctx;
use crate::db::accounts::KeyRow;
use crate::domain::api_key::{self, KeyKind};
use crate::domain::ids::{AccountId, KeyId};
use crate::error::{ApiError, ApiResult};
use crate::views::accounts::{NewAccount, NewKey, Revoked, SecretRotated};
use crate::{db, http, input, platform, views};
use serde::Deserialize;
use worker::{D1PreparedStatement, Request, Response};

/// A freshly made key: its statement, and the only time its secret is seen.
struct FreshKey {
    id: KeyId,
    key: String,
    kind: KeyKind,
    created_at: String,
}

impl FreshKey {
    fn new(kind: KeyKind, now: &str) -> Self {
        Self {
            id: KeyId::new(platform::new_id("key")),
            key: api_key::generate(kind, &platform::random_bytes::<32>()),
            kind,
            created_at: now.to_string(),
        }
    }

    fn insert(&self, ctx: &Ctx, account_id: &AccountId) -> ApiResult<D1PreparedStatement> {
        Ok(db::accounts::insert_key(
            &ctx.db,
            &db::accounts::NewKey {
                id: &self.id,
                account_id,
                kind: self.kind,
                key_hash: &api_key::hash(&self.key),
                key_prefix: &api_key::display_prefix(&self.key),
                created_at: &self.created_at,
            },
        )?)
    }

    /// Its one showing, with the secret.
    fn view(&self) -> NewKey<'_> {
        NewKey {
            id: &self.id,
            kind: self.kind,
            key: &self.key,
            prefix: api_key::display_prefix(&self.key),
            created_at: &self.created_at,
            replaces: None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccountBody {
    name: Option<String>,
}

/// `POST /api/admin/accounts` (ADMIN_TOKEN): an account with a public and a
/// private key, shown this once.
pub async fn create_account(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: NewAccountBody = http::read_json(req).await?;
    let name = input::required("name", body.name.as_deref(), 200)?;
    let id = AccountId::new(platform::new_id("acct"));
    let now = platform::now_iso();
    let public = FreshKey::new(KeyKind::Public, &now);
    let private = FreshKey::new(KeyKind::Private, &now);
    db::batch(
        &ctx.db,
        vec![
            db::accounts::insert_account(&ctx.db, &id, &name, &now)?,
            public.insert(ctx, &id)?,
            private.insert(ctx, &id)?,
        ],
    )
    .await?;
    let account = NewAccount {
        id: &id,
        name: &name,
        public_key: &public.key,
        private_key: &private.key,
        keys: [public.view(), private.view()],
        created_at: &now,
    };
    http::data(201, account)
}

/// `GET /api/admin/accounts?page=&limit=` (ADMIN_TOKEN): every account, newest
/// first, with its number of contests and active keys (never a key).
pub async fn list_accounts(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let page = http::page_request(req)?;
    let (rows, total) = db::accounts::list_accounts(&ctx.db, page).await?;
    http::paged(rows.iter().map(views::accounts::account).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/api-keys`: the account's keys, without their secrets.
pub async fn list_keys(ctx: &Ctx) -> ApiResult<Response> {
    let keys = db::accounts::list_keys(&ctx.db, ctx.account_id()?).await?;
    http::data(200, keys.iter().map(views::accounts::key).collect::<Vec<_>>())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKeyBody {
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// `POST /api/v1/api-keys` `{"type": "public"|"private"}`: a new key, shown once.
pub async fn create_key(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let body: NewKeyBody = http::read_json(req).await?;
    let kind = body
        .kind
        .as_deref()
        .and_then(KeyKind::parse)
        .ok_or_else(|| input::invalid("type", "must be \"public\" or \"private\""))?;
    let key = FreshKey::new(kind, &platform::now_iso());
    key.insert(ctx, ctx.account_id()?)?.run().await?;
    http::data(201, key.view())
}

async fn active_key(ctx: &Ctx) -> ApiResult<KeyRow> {
    let key = db::accounts::find_key(&ctx.db, ctx.account_id()?, &ctx.key_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("API key not found"))?;
    if key.revoked_at.is_some() {
        return Err(ApiError::conflict("API key is already revoked"));
    }
    Ok(key)
}

/// `POST /api/v1/api-keys/:keyId/rotate`: a replacement of the same type is
/// made and the old key revoked, in one batch.
pub async fn rotate_key(ctx: &Ctx) -> ApiResult<Response> {
    let old = active_key(ctx).await?;
    let kind = old.kind;
    let now = platform::now_iso();
    let account_id = ctx.account_id()?;
    let fresh = FreshKey::new(kind, &now);
    let mut batch = db::Batch::new();
    batch.push(fresh.insert(ctx, account_id)?);
    let revoke = batch.push(db::accounts::revoke_replaced_key(&ctx.db, account_id, &old.id, &now)?);
    if revoke.changes(&batch.run(&ctx.db).await?)? == 0 {
        // Revoked concurrently: the new key stands, as a plain new key would.
        worker::console_warn!("key {} was revoked while being rotated", old.id);
    }
    http::data(201, NewKey { replaces: Some(&old.id), ..fresh.view() })
}

/// `DELETE /api/v1/api-keys/:keyId`: revokes a key (not the last private one).
pub async fn revoke_key(ctx: &Ctx) -> ApiResult<Response> {
    let key = active_key(ctx).await?;
    let now = platform::now_iso();
    let result = db::accounts::revoke_key(&ctx.db, ctx.account_id()?, &key.id, &now)?.run().await?;
    if db::changes(&result) == 0 {
        return Err(ApiError::conflict("Cannot revoke the account's last active private key"));
    }
    http::data(200, Revoked { id: &key.id, revoked_at: &now })
}

/// `POST /api/v1/participant-tokens/rotate-secret`: a new signing secret for
/// the account's participant tokens; every token minted before stops working.
pub async fn rotate_token_secret(ctx: &Ctx) -> ApiResult<Response> {
    let fresh = crate::domain::signature::hex(&platform::random_bytes::<32>());
    db::accounts::rotate_token_secret(&ctx.db, ctx.account_id()?, &fresh).await?;
    http::data(200, SecretRotated { rotated: true, rotated_at: platform::now_iso() })
}
