//! Prize awards: the owner's list, fulfilling and voiding (their code, credit
//! and event follow by trigger), an entry's prizes and milestones, and the
//! prize events a batch's triggers wrote.

use crate::db::{Batch, DbResult};
use crate::domain::ids::{AccountId, ContestId, EntryId, PrizeAwardId, PrizeId};
use crate::domain::prizes::AwardStatus;
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// An award with its prize's name, the entry's email and the code it holds.
#[derive(Debug, Deserialize)]
pub struct AwardRow {
    pub id: PrizeAwardId,
    pub prize_id: PrizeId,
    pub prize_name: String,
    pub contest_id: ContestId,
    pub entry_id: EntryId,
    pub email_display: String,
    pub status: AwardStatus,
    pub code: Option<String>,
    pub rank: Option<i64>,
    pub earned_at: String,
    pub fulfilled_at: Option<String>,
    pub fulfil_note: Option<String>,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    #[serde(deserialize_with = "crate::db::flag")]
    pub clawback: bool,
    /// A draw's pick: the step that picked it.
    pub draw_k: Option<i64>,
}

const AWARD: &str = "SELECT a.id, a.prize_id, p.name AS prize_name, a.contest_id, a.entry_id, e.email_display,
   a.status, k.code, a.rank, a.earned_at, a.fulfilled_at, a.fulfil_note, a.voided_at, a.void_reason, a.clawback,
   a.draw_k
 FROM prize_awards a JOIN prizes p ON p.id = a.prize_id JOIN entries e ON e.id = a.entry_id
   LEFT JOIN prize_codes k ON k.award_id = a.id ";

fn select_sql(rest: &str) -> String {
    [AWARD, rest].concat()
}

/// The owner's filters of the award list.
#[derive(Default)]
pub struct AwardFilter<'a> {
    pub status: Option<AwardStatus>,
    pub prize_id: Option<&'a str>,
}

const LIST_FILTER: &str =
    "WHERE a.contest_id = ?1 AND (?2 IS NULL OR a.status = ?2) AND (?3 IS NULL OR a.prize_id = ?3)";

pub(in crate::db) fn awards_page_sql() -> String {
    select_sql(&[LIST_FILTER, " ORDER BY a.earned_at, a.id LIMIT ?4 OFFSET ?5"].concat())
}

pub(in crate::db) fn awards_count_sql() -> String {
    ["SELECT COUNT(*) AS n FROM prize_awards a ", LIST_FILTER].concat()
}

/// A page of a contest's awards, oldest first.
pub async fn list_awards(
    db: &D1Database,
    contest_id: &ContestId,
    filter: &AwardFilter<'_>,
    page: PageRequest,
) -> DbResult<(Vec<AwardRow>, u64)> {
    let status = filter.status.map(AwardStatus::as_str);
    crate::db::page::read(
        db,
        query!(db, &awards_page_sql(), contest_id, status, filter.prize_id, page.limit, page.offset())?,
        query!(db, &awards_count_sql(), contest_id, status, filter.prize_id)?,
    )
    .await
}

pub(in crate::db) fn owned_award_sql() -> String {
    select_sql("WHERE a.id = ?1 AND a.contest_id IN (SELECT id FROM contests WHERE account_id = ?2)")
}

fn select_owned(db: &D1Database, account_id: &AccountId, id: &PrizeAwardId) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &owned_award_sql(), id, account_id)?)
}

/// An award of one of the account's contests.
pub async fn find_owned_award(
    db: &D1Database,
    account_id: &AccountId,
    id: &PrizeAwardId,
) -> DbResult<Option<AwardRow>> {
    crate::db::first(select_owned(db, account_id, id)?).await
}

pub(in crate::db) fn award_sql() -> String {
    select_sql("WHERE a.id = ?1")
}

/// An award by id (a `prize.*` event's subject).
pub async fn find_award(db: &D1Database, id: &PrizeAwardId) -> DbResult<Option<AwardRow>> {
    crate::db::first(query!(db, &award_sql(), id)?).await
}

/// What a fulfil or void did: whether it moved the award, and the award now.
pub struct Moved {
    pub changed: bool,
    pub award: Option<AwardRow>,
    pub events: Vec<crate::domain::ids::EventId>,
}

pub(in crate::db) const FULFIL: &str =
    "UPDATE prize_awards SET status = 'fulfilled', fulfilled_at = ?2, fulfil_note = ?3
  WHERE id = ?1 AND status = 'earned'";

/// Marks an earned award fulfilled (its `prize.fulfilled` by trigger).
pub async fn fulfil(
    db: &D1Database,
    account_id: &AccountId,
    id: &PrizeAwardId,
    note: Option<&str>,
    now: &str,
) -> DbResult<Moved> {
    let mut batch = Batch::new();
    let update = batch.push(query!(db, FULFIL, id, now, note)?);
    moved(db, batch, update, account_id, id, now).await
}

/// Burns the award's code (kept on the void award, out of the pool).
pub(in crate::db) const BURN_CODE: &str =
    "UPDATE prize_codes SET burned_at = ?2 WHERE award_id = ?1 AND burned_at IS NULL
      AND EXISTS (SELECT 1 FROM prize_awards WHERE id = ?1 AND status != 'void')";

pub(in crate::db) const VOID: &str = "UPDATE prize_awards SET status = 'void', voided_at = ?2, void_reason = ?3
  WHERE id = ?1 AND status != 'void'";

/// A draw's pick is voided only while its draw's `next_k` is still `?4` (the
/// refill read it): two voids at once refill two different steps.
pub(in crate::db) const VOID_PICK: &str = "UPDATE prize_awards SET status = 'void', voided_at = ?2, void_reason = ?3
  WHERE id = ?1 AND status != 'void'
    AND EXISTS (SELECT 1 FROM prize_draws d WHERE d.prize_id = prize_awards.prize_id AND d.next_k = ?4)";

/// A draw pick's void: the `next_k` its refill went on from, and the
/// refill's statements (`db::draws::refill`).
pub struct Refill {
    pub from: i64,
    pub statements: Vec<D1PreparedStatement>,
}

/// Voids an award: its code back to the pool (serving the oldest waiting
/// award) unless `burn_code`, its credit taken back, `prize.voided`; all by
/// trigger in this batch. A draw's pick takes its refill in the same batch.
pub async fn void(
    db: &D1Database,
    account_id: &AccountId,
    id: &PrizeAwardId,
    reason: &str,
    burn_code: bool,
    refill: Option<Refill>,
    now: &str,
) -> DbResult<Moved> {
    let mut batch = Batch::new();
    if burn_code {
        batch.push(query!(db, BURN_CODE, id, now)?);
    }
    let update = match refill {
        None => batch.push(query!(db, VOID, id, now, reason)?),
        Some(refill) => {
            let update = batch.push(query!(db, VOID_PICK, id, now, reason, refill.from)?);
            batch.extend(refill.statements);
            update
        }
    };
    moved(db, batch, update, account_id, id, now).await
}

async fn moved(
    db: &D1Database,
    mut batch: Batch,
    update: crate::db::Handle,
    account_id: &AccountId,
    id: &PrizeAwardId,
    now: &str,
) -> DbResult<Moved> {
    let award = batch.push(select_owned(db, account_id, id)?);
    batch.push(crate::db::outbox::triggered_events(db, now)?);
    let results = batch.run(db).await?;
    Ok(Moved {
        changed: update.changed(&results)?,
        award: award.first(&results)?,
        events: crate::db::outbox::written_in(&results)?,
    })
}

/// An entry's award as its view shows it.
#[derive(Debug, Deserialize)]
pub struct EntryAward {
    pub id: PrizeAwardId,
    pub prize_id: PrizeId,
    pub name: String,
    pub status: AwardStatus,
    pub code: Option<String>,
    pub rank: Option<i64>,
    pub earned_at: String,
}

/// A milestone prize of the entry's contest, for its next milestone.
#[derive(Debug, Deserialize)]
pub struct MilestoneRow {
    pub id: PrizeId,
    pub name: String,
    pub threshold_referrals: Option<i64>,
    pub threshold_points: Option<i64>,
    #[serde(deserialize_with = "crate::db::flag")]
    pub held: bool,
    #[serde(deserialize_with = "crate::db::flag")]
    pub sold_out: bool,
}

#[derive(Deserialize)]
struct Figures {
    confirmed_referrals: i64,
    total_points: i64,
}

/// An entry's awards, its contest's milestones and its figures.
pub struct EntryPrizes {
    pub awards: Vec<EntryAward>,
    pub milestones: Vec<MilestoneRow>,
    pub confirmed_referrals: i64,
    pub total_points: i64,
    /// Its place once the contest is finalized (issue 25: the widget shows it).
    pub final_standing: Option<crate::db::record::FinalStanding>,
}

pub(in crate::db) const ENTRY_AWARDS: &str = "SELECT a.id, a.prize_id, p.name, a.status, k.code, a.rank, a.earned_at
 FROM prize_awards a JOIN prizes p ON p.id = a.prize_id LEFT JOIN prize_codes k ON k.award_id = a.id
 WHERE a.entry_id = ?1 ORDER BY a.earned_at, a.id";

pub(in crate::db) const MILESTONES: &str = "SELECT p.id, p.name, p.threshold_referrals, p.threshold_points,
   EXISTS (SELECT 1 FROM prize_awards a WHERE a.prize_id = p.id AND a.entry_id = ?2) AS held,
   (p.quantity IS NOT NULL AND (SELECT COUNT(*) FROM prize_awards a WHERE a.prize_id = p.id AND a.status != 'void')
      >= p.quantity) AS sold_out
 FROM prizes p WHERE p.contest_id = ?1 AND p.kind = 'milestone' ORDER BY p.created_at, p.id";

pub(in crate::db) const FIGURES: &str = "SELECT confirmed_referrals, total_points FROM entries WHERE id = ?1";

/// What the entry view shows of prizes, in one round trip.
pub async fn entry_prizes(db: &D1Database, contest_id: &ContestId, entry_id: &EntryId) -> DbResult<EntryPrizes> {
    let mut batch = Batch::new();
    let awards = batch.push(query!(db, ENTRY_AWARDS, entry_id)?);
    let milestones = batch.push(query!(db, MILESTONES, contest_id, entry_id)?);
    let figures = batch.push(query!(db, FIGURES, entry_id)?);
    let final_standing = batch.push(crate::db::record::final_standing(db, contest_id, entry_id)?);
    let results = batch.run(db).await?;
    let figures = figures.first::<Figures>(&results)?.unwrap_or(Figures { confirmed_referrals: 0, total_points: 0 });
    Ok(EntryPrizes {
        awards: awards.rows(&results)?,
        milestones: milestones.rows(&results)?,
        confirmed_referrals: figures.confirmed_referrals,
        total_points: figures.total_points,
        final_standing: final_standing.first(&results)?,
    })
}
