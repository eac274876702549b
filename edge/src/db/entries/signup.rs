//! How an entry is made: the reads a signup or a purchase makes before its
//! write batch, the insert (screened, for the tracker's signups) and a
//! trusted signup's takeover of a browser-made entry.

use super::{by_code_sql, by_email_sql, select, EntryRow};
use crate::db::contests::ContestRow;
use crate::db::{Batch, DbResult};
use crate::domain::fraud::FraudScore;
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::trust::Source;
use worker::{query, D1Database, D1PreparedStatement};

pub struct NewEntry<'a> {
    pub id: &'a EntryId,
    pub contest_id: &'a ContestId,
    pub email: &'a str,
    pub email_display: &'a str,
    pub name: Option<&'a str>,
    pub referral_code: &'a str,
    pub referred_by_entry_id: Option<&'a EntryId>,
    pub source: Source,
    pub created_at: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub signup_ip_hash: Option<&'a str>,
    pub fraud_score: Option<FraudScore>,
}

/// Both inserts' one bind list: the entry `$e` as `?1` to `?12`, then the
/// insert's own values from `?13` on.
macro_rules! bind_entry {
    ($db:expr, $sql:expr, $e:expr, $($own:expr),+) => {
        query!(
            $db,
            $sql,
            $e.id,
            $e.contest_id,
            $e.email,
            $e.email_display,
            $e.name,
            $e.referral_code,
            $e.referred_by_entry_id,
            $e.source.as_str(),
            $e.created_at,
            $e.first_name,
            $e.last_name,
            $e.signup_ip_hash,
            $($own),+
        )
    };
}

const INSERT_IF_NEW: &str =
    "INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, referred_by_entry_id,
           source, created_at, updated_at, first_name, last_name, signup_ip_hash, fraud_score)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (contest_id, email) DO NOTHING";

/// Inserts unless the email already has an entry in the contest (then nothing).
pub fn insert_if_new(db: &D1Database, e: &NewEntry) -> DbResult<D1PreparedStatement> {
    Ok(bind_entry!(db, INSERT_IF_NEW, e, e.fraud_score.map(FraudScore::as_str))?)
}

/// Which of a tracker signup's two counts over the last hour (since `?14`)
/// are reached, as `trust::Counted::index` numbers them: the signups from its
/// hashed address `?12` in contest `?2` reached `?15` (`fraud::IP_BURST`),
/// times 2, plus the referrals of its advocate `?7` reached `?16`
/// (`maxReferralsPerHour`). Counted inside the insert that writes the signup:
/// the write batch is one transaction, so of N signups at once each counts
/// the ones before it, as N one after another would (a count read before the
/// batch would let all N pass). The rules over the answer stay in Rust (`?13`).
fn screen_sql() -> String {
    ["((", BUSY_ADDRESS, ") * 2 + (", OVER_VELOCITY, "))"].concat()
}

pub(in crate::db) const BUSY_ADDRESS: &str =
    "(SELECT COUNT(*) FROM entries WHERE contest_id = ?2 AND signup_ip_hash = ?12 AND created_at >= ?14) >= ?15";

pub(in crate::db) const OVER_VELOCITY: &str =
    "?7 IS NOT NULL AND (SELECT COUNT(*) FROM entries WHERE referred_by_entry_id = ?7 AND created_at >= ?14) >= ?16";

pub(in crate::db) fn insert_screened_sql() -> String {
    [
        "INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, referred_by_entry_id,
           source, created_at, updated_at, first_name, last_name, signup_ip_hash, fraud_score, referral_hold, screen_counts)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12,
           json_extract(?13, '$[' || s.k || '][0]'), json_extract(?13, '$[' || s.k || '][1]'), s.k
         FROM (SELECT ",
        &screen_sql(),
        " AS k) s WHERE true ON CONFLICT (contest_id, email) DO NOTHING",
    ]
    .concat()
}

/// A tracker signup's screening, for `insert_screened`.
pub struct Screen<'a> {
    /// The last hour starts here.
    pub since: &'a str,
    pub burst: u32,
    pub max_referrals_per_hour: i64,
    /// For each `trust::Counted` (in `index` order): `[fraud score, link hold]`, JSON.
    pub outcomes: &'a str,
}

/// `insert_if_new` for a tracker signup: its fraud score and its link's hold
/// are the ones `screen.outcomes` gives for what the batch counts (`screen_sql`),
/// and that answer is kept (`screen_counts`) for its awards.
pub fn insert_screened(db: &D1Database, e: &NewEntry, screen: &Screen) -> DbResult<D1PreparedStatement> {
    let sql = insert_screened_sql();
    Ok(bind_entry!(db, &sql, e, screen.outcomes, screen.since, screen.burst, screen.max_referrals_per_hour)?)
}

/// Everything a signup reads before its one write batch, in one round trip:
/// the contest, the entry owning the signup's referral code and the
/// account's participant-token secret (None until its first token). (The
/// screening counts are the write batch's: `screen_sql`.)
pub struct SignupReads {
    pub contest: Option<ContestRow>,
    pub code_owner: Option<EntryRow>,
    pub token_secret: Option<String>,
}

pub async fn signup_reads(db: &D1Database, contest_id: &ContestId, code: Option<&str>) -> DbResult<SignupReads> {
    let code = code.unwrap_or("");
    let mut batch = Batch::new();
    let contest = batch.push(query!(db, &crate::db::contests::by_id_sql(), contest_id)?);
    let code_owner = batch.push(query!(db, &by_code_sql(), contest_id, code)?);
    let secret = batch.push(query!(db, crate::db::accounts::TOKEN_SECRET_OF_CONTEST, contest_id)?);
    let results = batch.run(db).await?;
    let token_secret = secret.first::<crate::db::accounts::TokenSecret>(&results)?.and_then(|r| r.token_secret);
    Ok(SignupReads { contest: contest.first(&results)?, code_owner: code_owner.first(&results)?, token_secret })
}

/// Everything a purchase reads before its one write batch, in one round
/// trip: the contest, the buyer's entry (by email), the entry owning the
/// referral code given with it, and whoever referred the buyer.
pub struct PurchaseReads {
    pub contest: Option<ContestRow>,
    pub buyer: Option<EntryRow>,
    pub code_owner: Option<EntryRow>,
    pub buyers_referrer: Option<EntryRow>,
}

pub(in crate::db) fn buyers_referrer_sql() -> String {
    select("WHERE e.id = (SELECT referred_by_entry_id FROM entries WHERE contest_id = ?1 AND email = ?2)")
}

pub async fn purchase_reads(
    db: &D1Database,
    contest_id: &ContestId,
    normalized_email: &str,
    code: Option<&str>,
) -> DbResult<PurchaseReads> {
    let mut batch = Batch::new();
    let contest = batch.push(query!(db, &crate::db::contests::by_id_sql(), contest_id)?);
    let buyer = batch.push(query!(db, &by_email_sql(), contest_id, normalized_email)?);
    let code_owner = batch.push(query!(db, &by_code_sql(), contest_id, code.unwrap_or(""))?);
    let buyers_referrer = batch.push(query!(db, &buyers_referrer_sql(), contest_id, normalized_email)?);
    let results = batch.run(db).await?;
    Ok(PurchaseReads {
        contest: contest.first(&results)?,
        buyer: buyer.first(&results)?,
        code_owner: code_owner.first(&results)?,
        buyers_referrer: buyers_referrer.first(&results)?,
    })
}

pub(in crate::db) const TAKE_OVER: &str =
    "UPDATE entries SET referred_by_entry_id = ?3, source = ?4, name = COALESCE(?5, name), updated_at = ?6,
           token_version = token_version + 1,
           referral_hold = CASE WHEN ?3 IS ?2 THEN referral_hold END
         WHERE id = ?1 AND source = 'tracker' AND referred_by_entry_id IS ?2";

/// A trusted signup takes over an entry the browser made: it becomes the
/// trusted source's, attributed to `advocate_id` (the trusted report's; the
/// browser's when the report names none). Only if the entry is still the
/// browser's, with the attribution read (`old_advocate_id`). The token
/// version moves on (the participant token `join` gave stops working); a new
/// attribution is the trusted source's, so its link counts at once, while the
/// browser's link kept keeps its hold.
pub fn take_over(
    db: &D1Database,
    entry_id: &EntryId,
    old_advocate_id: Option<&EntryId>,
    advocate_id: Option<&EntryId>,
    source: Source,
    name: Option<&str>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, TAKE_OVER, entry_id, old_advocate_id, advocate_id, source.as_str(), name, now)?)
}
