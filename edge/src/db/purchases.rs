//! Purchases: unique per contest and order id.

use crate::error::ApiResult;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

pub struct NewPurchase<'a> {
    pub id: &'a str,
    pub contest_id: &'a str,
    pub order_id: &'a str,
    pub buyer_email: &'a str,
    pub buyer_entry_id: Option<&'a str>,
    pub credited_entry_id: Option<&'a str>,
    pub amount: f64,
    pub currency: &'a str,
    pub points_awarded: i64,
    pub referral_code: Option<&'a str>,
    pub source: &'a str,
    pub created_at: &'a str,
}

#[derive(Debug, Deserialize)]
pub struct PurchaseRow {
    pub id: String,
    pub buyer_entry_id: Option<String>,
    pub credited_entry_id: Option<String>,
    pub points_awarded: i64,
}

/// Inserts unless the order id was already recorded in this contest.
pub fn insert_if_new(db: &D1Database, p: &NewPurchase) -> ApiResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO purchases (id, contest_id, order_id, buyer_email, buyer_entry_id, credited_entry_id, amount,
           currency, points_awarded, referral_code, source, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (contest_id, order_id) DO NOTHING",
        p.id,
        p.contest_id,
        p.order_id,
        p.buyer_email,
        p.buyer_entry_id,
        p.credited_entry_id,
        p.amount,
        p.currency,
        p.points_awarded,
        p.referral_code,
        p.source,
        p.created_at
    )?)
}

pub fn select_by_order(db: &D1Database, contest_id: &str, order_id: &str) -> ApiResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "SELECT id, buyer_entry_id, credited_entry_id, points_awarded FROM purchases WHERE contest_id = ?1 AND order_id = ?2",
        contest_id,
        order_id
    )?)
}
