//! The contest engine's writes shared by every API surface (referral endpoints,
//! v1, webhooks, Stripe, Referral Rocket): joining a contest and recording a
//! purchase. Each is one D1 batch whose duplicates are settled by unique keys.

use crate::db::contests::ContestRow;
use crate::db::entries::{EntryRow, NewEntry};
use crate::db::ledger::{Award, Guard, Reason};
use crate::db::purchases::{NewPurchase, PurchaseRow};
use crate::db::{self};
use crate::domain::contest::{ensure_open, ContestStatus};
use crate::domain::email::Email;
use crate::domain::fraud::FraudScore;
use crate::domain::rewards::Side;
use crate::domain::points::{purchase_points, purchase_recipient, PurchasePointsTo};
use crate::error::{ApiError, ApiResult};
use crate::platform;
use worker::D1Database;

/// Where an entry or purchase came from (stored, for the owner's reports).
#[derive(Debug, Clone, Copy)]
pub enum Source {
    Api,
    Tracker,
    Webhook,
    Stripe,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Api => "api",
            Self::Tracker => "tracker",
            Self::Webhook => "webhook",
            Self::Stripe => "stripe",
        }
    }
}

/// 409 with the reason when the contest records nothing now.
pub fn ensure_contest_open(contest: &ContestRow) -> ApiResult<()> {
    let status = ContestStatus::parse(&contest.status).unwrap_or(ContestStatus::Ended);
    ensure_open(status, contest.ends_at.as_deref(), &platform::now_iso()).map_err(ApiError::conflict)
}

/// The live advocate owning `code`, or the error a signup through it gets.
pub async fn advocate_for_signup(db: &D1Database, contest: &ContestRow, code: &str, friend: &Email) -> ApiResult<EntryRow> {
    if contest.referral_enabled == 0 {
        return Err(ApiError::bad_request("Referrals are disabled for this contest"));
    }
    let advocate = db::entries::find_by_code(db, &contest.id, code)
        .await?
        .ok_or_else(|| ApiError::not_found("Referral code not found"))?;
    if advocate.is_disqualified() {
        return Err(ApiError::bad_request("Referrer is disqualified: no referral can be credited to them"));
    }
    if advocate.email == friend.normalized() {
        return Err(ApiError::bad_request("Self-referral is not allowed"));
    }
    Ok(advocate)
}

pub struct Join<'a> {
    pub email: &'a Email,
    pub name: Option<&'a str>,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub advocate: Option<&'a EntryRow>,
    pub source: Source,
    /// Tracker and webhook signups: (hashed address, fraud score). None for the API.
    pub screening: Option<(&'a str, FraudScore)>,
}

impl<'a> Join<'a> {
    pub fn new(email: &'a Email, advocate: Option<&'a EntryRow>, source: Source) -> Self {
        Self { email, name: None, first_name: None, last_name: None, advocate, source, screening: None }
    }
}

pub struct Joined {
    pub entry: EntryRow,
    /// False when the email already had an entry: nothing was awarded.
    pub created: bool,
    pub advocate_points: i64,
    pub friend_points: i64,
}

/// Adds a participant (once per normalized email) and, for a referred one,
/// awards both sides in the same batch.
pub async fn join_contest(db: &D1Database, contest: &ContestRow, join: Join<'_>) -> ApiResult<Joined> {
    ensure_contest_open(contest)?;
    // A fresh referral code can collide with an existing one (about 1 in 10^11
    // per pair); the unique index refuses it and we draw again.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match try_join(db, contest, &join).await {
            Err(ApiError::Internal(e)) if e.contains("entries.referral_code") && attempts < 3 => continue,
            other => return other,
        }
    }
}

async fn try_join(db: &D1Database, contest: &ContestRow, join: &Join<'_>) -> ApiResult<Joined> {
    let id = platform::new_id("en");
    let code = platform::new_referral_code();
    let now = platform::now_iso();
    let mut statements = vec![db::entries::insert_if_new(
        db,
        &NewEntry {
            id: &id,
            contest_id: &contest.id,
            email: join.email.normalized(),
            email_display: join.email.display(),
            name: join.name,
            referral_code: &code,
            referred_by_entry_id: join.advocate.map(|a| a.id.as_str()),
            source: join.source.as_str(),
            created_at: &now,
            first_name: join.first_name,
            last_name: join.last_name,
            signup_ip_hash: join.screening.map(|s| s.0),
            fraud_score: join.screening.map(|s| s.1.as_str()),
        },
    )?];
    if let Some(advocate) = join.advocate {
        let awards = [
            (advocate.id.as_str(), contest.advocate_points, Reason::ReferralAdvocate, id.as_str()),
            (id.as_str(), contest.friend_points, Reason::ReferralFriend, advocate.id.as_str()),
        ];
        for (entry_id, delta, reason, ref_id) in awards.into_iter().filter(|a| a.1 != 0) {
            let award = Award { entry_id, contest_id: &contest.id, delta, reason, ref_id, note: None, created_at: &now };
            statements.push(db::ledger::insert(db, &award, Guard::EntryCreated(&id))?);
            statements.push(db::ledger::recompute_total(db, entry_id, &now)?);
        }
        if contest.referee_reward > 0.0 {
            let reward = db::rewards::Reward {
                entry_id: &id,
                contest_id: &contest.id,
                side: Side::Referee,
                amount: contest.referee_reward,
                ref_id: &advocate.id,
                note: Some("joined through a referral"),
                created_at: &now,
            };
            statements.push(db::rewards::earn(db, &reward, Guard::EntryCreated(&id))?);
        }
    }
    statements.push(db::entries::select_by_email(db, &contest.id, join.email.normalized())?);
    let results = db::batch(db, statements).await?;
    let entry: EntryRow = results
        .last()
        .and_then(|r| db::first_of(r).transpose())
        .transpose()?
        .ok_or_else(|| ApiError::Internal("entry missing after insert".into()))?;
    let created = entry.id == id;
    let referred = created && join.advocate.is_some();
    Ok(Joined {
        created,
        advocate_points: if referred { contest.advocate_points } else { 0 },
        friend_points: if referred { contest.friend_points } else { 0 },
        entry,
    })
}

pub struct Purchase<'a> {
    pub email: &'a Email,
    pub order_id: &'a str,
    pub amount: f64,
    pub currency: &'a str,
    /// A referral code given with the purchase (tracker cookie, Stripe
    /// `client_reference_id`); otherwise the buyer's own referrer counts.
    pub referral_code: Option<&'a str>,
    pub source: Source,
}

pub struct Recorded {
    pub purchase_id: String,
    pub buyer_entry_id: Option<String>,
    pub credited_entry_id: Option<String>,
    /// 0 for a duplicate.
    pub points_awarded: i64,
    pub already_exists: bool,
}

impl Recorded {
    /// The entry a response names: the buyer's, else the one credited.
    pub fn entry_id(&self) -> Option<&str> {
        self.buyer_entry_id.as_deref().or(self.credited_entry_id.as_deref())
    }
}

/// The advocate a purchase is attributed to: the code given with it if it names
/// a live entry other than the buyer, else whoever referred the buyer. A stale
/// or unknown code never loses the purchase; it just credits no advocate.
async fn purchase_advocate(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    email: &Email,
    code: Option<&str>,
) -> ApiResult<Option<EntryRow>> {
    if contest.referral_enabled == 0 {
        return Ok(None);
    }
    if let Some(code) = code {
        if let Some(a) = db::entries::find_by_code(db, &contest.id, code).await? {
            if !a.is_disqualified() && a.email != email.normalized() {
                return Ok(Some(a));
            }
        }
    }
    match buyer.and_then(|b| b.referred_by_entry_id.as_deref()) {
        Some(id) => Ok(db::entries::find(db, id).await?.filter(|a| !a.is_disqualified())),
        None => Ok(None),
    }
}

/// Records a purchase once per (contest, order id) and awards its points.
pub async fn record_purchase(
    db: &D1Database,
    contest: &ContestRow,
    buyer: Option<&EntryRow>,
    p: Purchase<'_>,
) -> ApiResult<Recorded> {
    ensure_contest_open(contest)?;
    let advocate = purchase_advocate(db, contest, buyer, p.email, p.referral_code).await?;
    let to = PurchasePointsTo::parse(&contest.purchase_points_to).unwrap_or(PurchasePointsTo::Advocate);
    let recipient = purchase_recipient(to, buyer.map(|b| b.id.as_str()), advocate.as_ref().map(|a| a.id.as_str()));
    let points = recipient.map_or(0, |_| purchase_points(p.amount, contest.purchase_points_per_unit));
    let id = platform::new_id("pu");
    let now = platform::now_iso();
    let mut statements = vec![db::purchases::insert_if_new(
        db,
        &NewPurchase {
            id: &id,
            contest_id: &contest.id,
            order_id: p.order_id,
            buyer_email: p.email.normalized(),
            buyer_entry_id: buyer.map(|b| b.id.as_str()),
            credited_entry_id: recipient,
            amount: p.amount,
            currency: p.currency,
            points_awarded: points,
            referral_code: advocate.as_ref().map(|a| a.referral_code.as_str()),
            source: p.source.as_str(),
            created_at: &now,
        },
    )?];
    if let (Some(entry_id), true) = (recipient, points != 0) {
        let award = Award {
            entry_id,
            contest_id: &contest.id,
            delta: points,
            reason: Reason::Purchase,
            ref_id: &id,
            note: Some(p.order_id),
            created_at: &now,
        };
        statements.push(db::ledger::insert(db, &award, Guard::PurchaseRecorded(&id))?);
        statements.push(db::ledger::recompute_total(db, entry_id, &now)?);
    }
    statements.push(db::purchases::select_by_order(db, &contest.id, p.order_id)?);
    let results = db::batch(db, statements).await?;
    let row: PurchaseRow = results
        .last()
        .and_then(|r| db::first_of(r).transpose())
        .transpose()?
        .ok_or_else(|| ApiError::Internal("purchase missing after insert".into()))?;
    let already_exists = row.id != id;
    Ok(Recorded {
        points_awarded: if already_exists { 0 } else { row.points_awarded },
        purchase_id: row.id,
        buyer_entry_id: row.buyer_entry_id,
        credited_entry_id: row.credited_entry_id,
        already_exists,
    })
}
