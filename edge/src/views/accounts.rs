//! Accounts and API keys. A key's secret appears once: in the answer that made it.

use crate::db::accounts::{AccountRow, KeyRow};
use crate::domain::api_key::KeyKind;
use serde::Serialize;

/// A key just made, with its secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewKey<'a> {
    pub id: &'a str,
    #[serde(rename = "type")]
    pub kind: KeyKind,
    pub key: &'a str,
    pub prefix: String,
    pub created_at: &'a str,
    /// The key a rotation replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaces: Option<&'a str>,
}

/// A stored key, without its secret.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyView<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: KeyKind,
    prefix: &'a str,
    created_at: &'a str,
    revoked_at: Option<&'a str>,
    active: bool,
}

pub fn key(k: &KeyRow) -> KeyView<'_> {
    KeyView {
        id: &k.id,
        kind: k.kind,
        prefix: &k.key_prefix,
        created_at: &k.created_at,
        revoked_at: k.revoked_at.as_deref(),
        active: k.revoked_at.is_none(),
    }
}

/// `POST /api/admin/accounts`: the account and both its first keys, shown once.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewAccount<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub public_key: &'a str,
    pub private_key: &'a str,
    pub keys: [NewKey<'a>; 2],
    pub created_at: &'a str,
}

/// `DELETE /api/v1/api-keys/:id`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Revoked<'a> {
    pub id: &'a str,
    pub revoked_at: &'a str,
}

/// `POST /api/v1/participant-tokens/rotate-secret`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRotated {
    pub rotated: bool,
    pub rotated_at: String,
}

/// An account in the operator's list.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountSummary<'a> {
    id: &'a str,
    name: &'a str,
    created_at: &'a str,
    contests: i64,
    active_keys: i64,
}

pub fn account(a: &AccountRow) -> AccountSummary<'_> {
    AccountSummary {
        id: &a.id,
        name: &a.name,
        created_at: &a.created_at,
        contests: a.contests,
        active_keys: a.active_keys,
    }
}
