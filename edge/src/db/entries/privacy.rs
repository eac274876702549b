//! The person behind an entry (GDPR): erasure and the access request's export.

use super::EntryRow;
use crate::db::{Batch, DbResult};
use worker::{query, D1Database};

/// Erasure (GDPR): the person's email, name and address hash become a
/// tombstone, their code is retired, their purchases' buyer email and their
/// proofs and answers go, and so do they from stored webhook bodies
/// (`outbox::scrub_person`). The rows stay, so every total stays right.
pub async fn erase(db: &D1Database, e: &EntryRow, now: &str) -> DbResult<()> {
    crate::db::batch(
        db,
        vec![
            query!(
                db,
                "UPDATE entries SET email = 'erased:' || id, email_display = '(erased)', name = NULL, first_name = NULL,
                   last_name = NULL, signup_ip_hash = NULL, referral_code = '~' || id, erased_at = ?2, updated_at = ?2
                 WHERE id = ?1 AND erased_at IS NULL",
                e.id,
                now
            )?,
            query!(
                db,
                "UPDATE purchases SET buyer_email = 'erased:' || ?1 WHERE contest_id = ?2 AND (buyer_entry_id = ?1 OR buyer_email = ?3)",
                e.id,
                e.contest_id,
                e.email
            )?,
            query!(db, "UPDATE bonus_completions SET proof = NULL, answer = NULL WHERE entry_id = ?1", e.id)?,
            query!(db, "UPDATE ledger SET note = NULL WHERE entry_id = ?1 AND reason = 'adjustment'", e.id)?,
        ]
        .into_iter()
        .chain(crate::db::outbox::scrub_person(db, &e.contest_id, &e.id, &e.email, &e.email_display)?)
        .collect(),
    )
    .await?;
    Ok(())
}

/// At most this many rows of each kind in an export.
pub const EXPORT_LIMIT: u32 = 10_000;

/// Everything stored about the person behind an entry (access request).
pub async fn export(db: &D1Database, e: &EntryRow) -> DbResult<Export> {
    let mut batch = Batch::new();
    let entry = batch.push(query!(
        db,
        "SELECT id, email_display AS email, name, first_name AS firstName, last_name AS lastName,
                   referral_code AS referralCode, source, fraud_score AS fraudScore,
                   signup_ip_hash IS NOT NULL AS addressHashStored, created_at AS createdAt, erased_at AS erasedAt
                 FROM entries WHERE id = ?1",
        e.id
    )?);
    let ledger = batch.push(query!(
        db,
        "SELECT id, delta AS points, reason, ref_id AS refId, note, status, hold AS holdReason, created_at AS createdAt
                 FROM ledger WHERE entry_id = ?1 ORDER BY id LIMIT ?2",
        e.id,
        EXPORT_LIMIT
    )?);
    let purchases = batch.push(query!(
        db,
        "SELECT id, order_id AS orderId, buyer_email AS email, amount, currency, refunded_amount AS refundedAmount,
                   status, source, created_at AS createdAt FROM purchases
                 WHERE contest_id = ?1 AND (buyer_entry_id = ?2 OR buyer_email = ?3) ORDER BY created_at LIMIT ?4",
        e.contest_id,
        e.id,
        e.email,
        EXPORT_LIMIT
    )?);
    let bonus_completions = batch.push(query!(
                db,
                "SELECT bonus_action_id AS bonusActionId, status, proof, answer, created_at AS createdAt, completed_at AS completedAt
                 FROM bonus_completions WHERE entry_id = ?1 ORDER BY created_at LIMIT ?2",
                e.id,
                EXPORT_LIMIT
            )?);
    let rewards = batch.push(query!(
        db,
        "SELECT side, kind, amount, ref_id AS refId, note, created_at AS createdAt FROM rewards
                 WHERE entry_id = ?1 ORDER BY id LIMIT ?2",
        e.id,
        EXPORT_LIMIT
    )?);
    let results = batch.run(db).await?;
    Ok(Export {
        entry: entry.first(&results)?,
        ledger: ledger.rows(&results)?,
        purchases: purchases.rows(&results)?,
        bonus_completions: bonus_completions.rows(&results)?,
        rewards: rewards.rows(&results)?,
        limit: EXPORT_LIMIT,
    })
}

/// An access request's answer: the person's rows as stored, each already in
/// the API's camelCase (the SQL aliases them), at most `limit` of each kind.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Export {
    entry: Option<serde_json::Value>,
    ledger: Vec<serde_json::Value>,
    purchases: Vec<serde_json::Value>,
    bonus_completions: Vec<serde_json::Value>,
    rewards: Vec<serde_json::Value>,
    limit: u32,
}
