//! Entries: a contest's participants, their referral codes and who referred them.

use super::DbResult;
use crate::db::contests::ContestRow;
use crate::domain::fraud::FraudScore;
use crate::domain::ids::{AccountId, ContestId, EntryId};
use crate::domain::trust::Source;
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database, D1PreparedStatement};

/// The advocate behind a referral code, as `validate-code` shows it.
#[derive(Debug, Deserialize)]
pub struct Referrer {
    pub contest_id: String,
    pub email_display: String,
    pub name: Option<String>,
    /// The contest's `exposeReferrerEmail`.
    #[serde(deserialize_with = "super::flag")]
    pub expose_referrer_email: bool,
}

/// An entry with what is derived from its neighbours (referrer's code, referral count).
#[derive(Debug, Clone, Deserialize)]
pub struct EntryRow {
    pub id: EntryId,
    pub contest_id: ContestId,
    pub email: String,
    pub email_display: String,
    pub name: Option<String>,
    pub referral_code: String,
    pub referred_by_entry_id: Option<EntryId>,
    pub referred_by_code: Option<String>,
    pub total_points: i64,
    pub pending_points: i64,
    #[serde(deserialize_with = "super::flag")]
    pub disqualified: bool,
    pub disqualified_reason: Option<String>,
    pub source: Source,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub referral_count: i64,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub qualified_at: Option<String>,
    pub qualified_amount: Option<f64>,
    pub fraud_score: Option<FraudScore>,
    pub erased_at: Option<String>,
    /// Why its referral link earns no purchase credit yet (migrations/0015).
    #[serde(default)]
    pub referral_hold: Option<crate::domain::trust::Hold>,
    /// What its signup's write batch counted (`trust::Counted::index`), if screened.
    #[serde(default)]
    pub screen_counts: Option<i64>,
}

impl EntryRow {
    pub fn is_disqualified(&self) -> bool {
        self.disqualified
    }

    /// Made by the browser (the tracker's signup) and not yet taken over by a
    /// trusted source: its attribution is a claim.
    pub fn is_browser_claim(&self) -> bool {
        self.source == Source::Tracker
    }

    /// Whether its referral link earns purchase credit: not a browser-made
    /// link whose referral award still waits (`trust::link_hold`).
    pub fn link_counts(&self) -> bool {
        self.referral_hold.is_none()
    }
}

/// The columns of `EntryRow`, for `SELECT ... FROM entries e` + `FROM_ENTRIES`.
pub const ENTRY_COLUMNS: &str = "e.id, e.contest_id, e.email, e.email_display, e.name, e.referral_code,
  e.referred_by_entry_id, r.referral_code AS referred_by_code, e.total_points, e.pending_points, e.disqualified,
  e.disqualified_reason, e.source, e.created_at, e.updated_at,
  (SELECT COUNT(*) FROM entries x WHERE x.referred_by_entry_id = e.id) AS referral_count,
  e.first_name, e.last_name, e.qualified_at, e.qualified_amount, e.fraud_score, e.erased_at, e.referral_hold,
  e.screen_counts";

pub const FROM_ENTRIES: &str = " FROM entries e LEFT JOIN entries r ON r.id = e.referred_by_entry_id ";

fn select(rest: &str) -> String {
    let mut sql = String::from("SELECT ");
    sql.push_str(ENTRY_COLUMNS);
    sql.push_str(FROM_ENTRIES);
    sql.push_str(rest);
    sql
}

pub(super) const FIND_REFERRER: &str = "SELECT e.contest_id, e.email_display, e.name, c.expose_referrer_email
 FROM entries e JOIN contests c ON c.id = e.contest_id
 WHERE e.contest_id = ?1 AND e.referral_code = ?2 AND e.disqualified = 0";

/// Whether the contest `?1` exists.
const CONTEST_EXISTS: &str = "SELECT COUNT(*) AS n FROM contests WHERE id = ?1";

/// The (non-disqualified) entry owning `code` in `contest_id`, and whether
/// that contest exists at all (a made-up id counts against the caller), in
/// one round trip.
pub async fn find_referrer(db: &D1Database, contest_id: &str, code: &str) -> DbResult<(bool, Option<Referrer>)> {
    let mut batch = super::Batch::new();
    let referrer = batch.push(query!(db, FIND_REFERRER, contest_id, code)?);
    let contest = batch.push(query!(db, CONTEST_EXISTS, contest_id)?);
    let results = batch.run(db).await?;
    let exists = contest.first::<super::Count>(&results)?.is_some_and(|c| c.n > 0);
    Ok((exists, referrer.first(&results)?))
}

pub(super) fn by_code_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.referral_code = ?2")
}

pub async fn find_by_code(db: &D1Database, contest_id: &str, code: &str) -> DbResult<Option<EntryRow>> {
    super::first(query!(db, &by_code_sql(), contest_id, code)?).await
}

pub(super) fn by_email_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.email = ?2")
}

pub async fn find_by_email(db: &D1Database, contest_id: &str, normalized_email: &str) -> DbResult<Option<EntryRow>> {
    super::first(select_by_email(db, contest_id, normalized_email)?).await
}

pub fn select_by_email(db: &D1Database, contest_id: &str, normalized_email: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_email_sql(), contest_id, normalized_email)?)
}

pub(super) fn by_id_sql() -> String {
    select("WHERE e.id = ?1")
}

pub fn select_by_id(db: &D1Database, id: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, &by_id_sql(), id)?)
}

pub async fn find(db: &D1Database, id: &str) -> DbResult<Option<EntryRow>> {
    super::first(select_by_id(db, id)?).await
}

pub(super) fn owned_sql() -> String {
    select("JOIN contests c ON c.id = e.contest_id WHERE e.id = ?1 AND c.account_id = ?2")
}

/// An entry whose contest belongs to the account.
pub async fn find_owned(db: &D1Database, account_id: &AccountId, id: &str) -> DbResult<Option<EntryRow>> {
    super::first(query!(db, &owned_sql(), id, account_id)?).await
}

/// How the owner's list of entries is ordered; each walks an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryOrder {
    /// Join order, oldest first (the default).
    Joined,
    /// Newest first.
    JoinedDesc,
    /// Confirmed points, most first (then join order).
    Points,
    /// Normalized email, A to Z.
    Email,
}

impl EntryOrder {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "joined" => Some(Self::Joined),
            "-joined" => Some(Self::JoinedDesc),
            "points" => Some(Self::Points),
            "email" => Some(Self::Email),
            _ => None,
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Self::Joined => "e.created_at, e.id",
            Self::JoinedDesc => "e.created_at DESC, e.id DESC",
            Self::Points => "e.total_points DESC, e.created_at, e.id",
            Self::Email => "e.email",
        }
    }
}

/// What a search `q` is matched against. Only a private key searches full
/// emails: anyone else's search matching a hidden email would confirm it a
/// character at a time, so theirs matches names and referral codes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIn {
    EmailNameCode,
    NameCode,
}

impl SearchIn {
    pub fn for_caller(sees_emails: bool) -> Self {
        if sees_emails {
            Self::EmailNameCode
        } else {
            Self::NameCode
        }
    }

    fn sql(self) -> &'static str {
        match self {
            Self::EmailNameCode => SEARCH,
            Self::NameCode => SEARCH_NAME_CODE,
        }
    }
}

/// A search: the text and what it may match.
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    pub text: &'a str,
    pub fields: SearchIn,
}

/// One page of a contest's entries; with `search`, only those whose email
/// (`SearchIn::EmailNameCode` only), name or referral code contains `?4` (a
/// LIKE pattern, case-insensitive for ASCII).
pub(super) fn list_sql(order: EntryOrder, search: Option<SearchIn>) -> String {
    let mut rest = String::from("WHERE e.contest_id = ?1");
    if let Some(fields) = search {
        rest.push_str(fields.sql());
    }
    rest.push_str(" ORDER BY ");
    rest.push_str(order.sql());
    rest.push_str(" LIMIT ?2 OFFSET ?3");
    select(&rest)
}

const SEARCH: &str =
    " AND (e.email LIKE ?4 ESCAPE '\\' OR e.name LIKE ?4 ESCAPE '\\' OR e.referral_code LIKE ?4 ESCAPE '\\')";

const SEARCH_NAME_CODE: &str = " AND (e.name LIKE ?4 ESCAPE '\\' OR e.referral_code LIKE ?4 ESCAPE '\\')";

pub(super) fn search_count_sql(fields: SearchIn) -> String {
    ["SELECT COUNT(*) AS n FROM entries e WHERE e.contest_id = ?1", fields.sql()].concat()
}

/// `%text%` with LIKE's wildcards and the escape character taken literally.
pub fn contains_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// One keyset page in `order`: the entries after the entry `?3` (in that
/// order), `?2` of them; with `search`, only those matching `?4`. The entry's
/// values are read once (uncorrelated subqueries), and the page walks the
/// order's index from there: in join order its cost does not grow with its depth.
pub(super) fn after_sql(order: EntryOrder, search: Option<SearchIn>) -> String {
    const AT: &str = "(SELECT created_at, id FROM entries WHERE id = ?3 AND contest_id = ?1)";
    const POINTS_AT: &str = "(SELECT total_points FROM entries WHERE id = ?3 AND contest_id = ?1)";
    let mut rest = String::from("WHERE e.contest_id = ?1 AND ");
    match order {
        EntryOrder::Joined => rest.extend(["(e.created_at, e.id) > ", AT]),
        EntryOrder::JoinedDesc => rest.extend(["(e.created_at, e.id) < ", AT]),
        // Fewer points, or as many and joined later.
        EntryOrder::Points => rest.extend([
            "(e.total_points < ",
            POINTS_AT,
            " OR (e.total_points = ",
            POINTS_AT,
            " AND (e.created_at, e.id) > ",
            AT,
            "))",
        ]),
        EntryOrder::Email => rest.push_str("e.email > (SELECT email FROM entries WHERE id = ?3 AND contest_id = ?1)"),
    }
    if let Some(fields) = search {
        rest.push_str(fields.sql());
    }
    rest.push_str(" ORDER BY ");
    rest.push_str(order.sql());
    rest.push_str(" LIMIT ?2");
    select(&rest)
}

/// Whether `?2` is an entry of the contest `?1` (a keyset page's cursor).
pub(super) const IN_CONTEST: &str = "SELECT COUNT(*) AS n FROM entries WHERE id = ?2 AND contest_id = ?1";

/// The keyset page after the entry `after` (None when that is no entry of
/// the contest), `limit` of them at most, and whether more follow.
pub async fn list_after(
    db: &D1Database,
    contest_id: &str,
    order: EntryOrder,
    search: Option<Search<'_>>,
    after: &str,
    limit: u32,
) -> DbResult<Option<(Vec<EntryRow>, bool)>> {
    // One more than asked: whether it comes back says whether more follow.
    let fetch = limit + 1;
    let page = match search {
        None => query!(db, &after_sql(order, None), contest_id, fetch, after)?,
        Some(s) => query!(db, &after_sql(order, Some(s.fields)), contest_id, fetch, after, &contains_pattern(s.text))?,
    };
    let mut batch = super::Batch::new();
    let in_contest = batch.push(query!(db, IN_CONTEST, contest_id, after)?);
    let page = batch.push(page);
    let results = batch.run(db).await?;
    if in_contest.first::<super::Count>(&results)?.map_or(0, |c| c.n) == 0 {
        return Ok(None);
    }
    let mut rows: Vec<EntryRow> = page.rows(&results)?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    Ok(Some((rows, more)))
}

/// A contest's entries, one page, in `order`, optionally only those matching
/// `search` (see `list_sql`).
pub async fn list(
    db: &D1Database,
    contest_id: &str,
    order: EntryOrder,
    search: Option<Search<'_>>,
    page: PageRequest,
) -> DbResult<(Vec<EntryRow>, u64)> {
    let (rows, count) = match search {
        None => (
            query!(db, &list_sql(order, None), contest_id, page.limit, page.offset())?,
            query!(db, super::contests::ENTRY_COUNT, contest_id)?,
        ),
        Some(s) => {
            let pattern = contains_pattern(s.text);
            (
                query!(db, &list_sql(order, Some(s.fields)), contest_id, page.limit, page.offset(), &pattern)?,
                // ?2 and ?3 unused: the count shares the page's numbering of ?4.
                query!(db, &search_count_sql(s.fields), contest_id, page.limit, page.offset(), &pattern)?,
            )
        }
    };
    super::page::read(db, rows, count).await
}

pub(super) fn leaderboard_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.disqualified = 0 ORDER BY e.total_points DESC, e.created_at, e.id LIMIT ?2")
}

/// Points descending, earlier entry first on ties; disqualified entries excluded.
pub async fn leaderboard(db: &D1Database, contest_id: &str, limit: u32) -> DbResult<Vec<EntryRow>> {
    super::all(query!(db, &leaderboard_sql(), contest_id, limit)?).await
}

pub struct NewEntry<'a> {
    pub id: &'a str,
    pub contest_id: &'a str,
    pub email: &'a str,
    pub email_display: &'a str,
    pub name: Option<&'a str>,
    pub referral_code: &'a str,
    pub referred_by_entry_id: Option<&'a str>,
    pub source: Source,
    pub created_at: &'a str,
    pub first_name: Option<&'a str>,
    pub last_name: Option<&'a str>,
    pub signup_ip_hash: Option<&'a str>,
    pub fraud_score: Option<FraudScore>,
}

/// Inserts unless the email already has an entry in the contest (then nothing).
pub fn insert_if_new(db: &D1Database, e: &NewEntry) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "INSERT INTO entries (id, contest_id, email, email_display, name, referral_code, referred_by_entry_id,
           source, created_at, updated_at, first_name, last_name, signup_ip_hash, fraud_score)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (contest_id, email) DO NOTHING",
        e.id,
        e.contest_id,
        e.email,
        e.email_display,
        e.name,
        e.referral_code,
        e.referred_by_entry_id,
        e.source.as_str(),
        e.created_at,
        e.first_name,
        e.last_name,
        e.signup_ip_hash,
        e.fraud_score.map(FraudScore::as_str)
    )?)
}

pub async fn count_in_contest(db: &D1Database, contest_id: &str) -> DbResult<u64> {
    let c: Option<super::Count> = super::first(query!(db, super::contests::ENTRY_COUNT, contest_id)?).await?;
    Ok(c.map_or(0, |c| c.n as u64))
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

pub(super) const BUSY_ADDRESS: &str =
    "(SELECT COUNT(*) FROM entries WHERE contest_id = ?2 AND signup_ip_hash = ?12 AND created_at >= ?14) >= ?15";

pub(super) const OVER_VELOCITY: &str =
    "?7 IS NOT NULL AND (SELECT COUNT(*) FROM entries WHERE referred_by_entry_id = ?7 AND created_at >= ?14) >= ?16";

pub(super) fn insert_screened_sql() -> String {
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
    Ok(query!(
        db,
        &insert_screened_sql(),
        e.id,
        e.contest_id,
        e.email,
        e.email_display,
        e.name,
        e.referral_code,
        e.referred_by_entry_id,
        e.source.as_str(),
        e.created_at,
        e.first_name,
        e.last_name,
        e.signup_ip_hash,
        screen.outcomes,
        screen.since,
        screen.burst,
        screen.max_referrals_per_hour
    )?)
}

/// Everything a signup reads before its one write batch, in one round trip:
/// the contest and the entry owning the signup's referral code. (The
/// screening counts are the write batch's: `screen_sql`.)
pub struct SignupReads {
    pub contest: Option<ContestRow>,
    pub code_owner: Option<EntryRow>,
}

pub async fn signup_reads(db: &D1Database, contest_id: &str, code: Option<&str>) -> DbResult<SignupReads> {
    let code = code.unwrap_or("");
    let mut batch = super::Batch::new();
    let contest = batch.push(query!(db, &super::contests::by_id_sql(), contest_id)?);
    let code_owner = batch.push(query!(db, &by_code_sql(), contest_id, code)?);
    let results = batch.run(db).await?;
    Ok(SignupReads { contest: contest.first(&results)?, code_owner: code_owner.first(&results)? })
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

pub(super) fn buyers_referrer_sql() -> String {
    select("WHERE e.id = (SELECT referred_by_entry_id FROM entries WHERE contest_id = ?1 AND email = ?2)")
}

pub async fn purchase_reads(
    db: &D1Database,
    contest_id: &str,
    normalized_email: &str,
    code: Option<&str>,
) -> DbResult<PurchaseReads> {
    let mut batch = super::Batch::new();
    let contest = batch.push(query!(db, &super::contests::by_id_sql(), contest_id)?);
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

/// A trusted signup takes over an entry the browser made: it becomes the
/// trusted source's, attributed to `advocate_id` (the trusted report's; the
/// browser's when the report names none). Only if the entry is still the
/// browser's, with the attribution read (`old_advocate_id`). The token
/// version moves on (the participant token `join` gave stops working); a new
/// attribution is the trusted source's, so its link counts at once, while the
/// browser's link kept keeps its hold.
pub fn take_over(
    db: &D1Database,
    entry_id: &str,
    old_advocate_id: Option<&str>,
    advocate_id: Option<&str>,
    source: Source,
    name: Option<&str>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE entries SET referred_by_entry_id = ?3, source = ?4, name = COALESCE(?5, name), updated_at = ?6,
           token_version = token_version + 1,
           referral_hold = CASE WHEN ?3 IS ?2 THEN referral_hold END
         WHERE id = ?1 AND source = 'tracker' AND referred_by_entry_id IS ?2",
        entry_id,
        old_advocate_id,
        advocate_id,
        source.as_str(),
        name,
        now
    )?)
}

pub(super) const SETTLE_LINK: &str = "WITH s (friend, advocate, rejected) AS (
   SELECT CASE l.reason WHEN 'referral_advocate' THEN l.ref_id ELSE l.entry_id END,
     CASE l.reason WHEN 'referral_advocate' THEN l.entry_id ELSE l.ref_id END, l.status = 'rejected'
   FROM ledger l WHERE l.id = ?1 AND l.reviewed_at = ?2 AND l.status IN ('confirmed', 'rejected')
     AND (l.reason = 'referral_advocate' OR (l.reason = 'referral_friend' AND NOT EXISTS (
       SELECT 1 FROM ledger a WHERE a.entry_id = l.ref_id AND a.reason = 'referral_advocate' AND a.ref_id = l.entry_id))))
 UPDATE entries SET referral_hold = NULL, updated_at = ?2,
   referred_by_entry_id = CASE WHEN (SELECT rejected FROM s) THEN NULL ELSE referred_by_entry_id END
 WHERE id = (SELECT friend FROM s) AND referred_by_entry_id = (SELECT advocate FROM s)
   AND (referral_hold IS NOT NULL OR (SELECT rejected FROM s))";

/// The link an award settles, after this batch (`now`) confirmed or rejected
/// it: the advocate's referral award (the friend's, when there is no
/// advocate's) confirmed makes a held link count; rejected, it removes the
/// link (whatever made it), so nothing more is credited through it. Any other
/// award, or one not moved now, changes nothing.
pub fn settle_link(db: &D1Database, award_id: i64, now: &str) -> DbResult<D1PreparedStatement> {
    Ok(query!(db, SETTLE_LINK, award_id, now)?)
}

pub async fn update_profile(
    db: &D1Database,
    id: &str,
    email: &str,
    email_display: &str,
    name: Option<&str>,
    now: &str,
) -> DbResult<()> {
    super::run(query!(
        db,
        "UPDATE entries SET email = ?2, email_display = ?3, name = ?4, updated_at = ?5 WHERE id = ?1",
        id,
        email,
        email_display,
        name,
        now
    )?)
    .await?;
    Ok(())
}

pub fn set_disqualified(
    db: &D1Database,
    id: &str,
    disqualified: bool,
    reason: Option<&str>,
    now: &str,
) -> DbResult<D1PreparedStatement> {
    Ok(query!(
        db,
        "UPDATE entries SET disqualified = ?2, disqualified_reason = ?3, updated_at = ?4 WHERE id = ?1",
        id,
        i64::from(disqualified),
        reason,
        now
    )?)
}

#[derive(Deserialize)]
struct Rank {
    n: i64,
}

/// How many entries rank above `?4` (points `?2`, joined `?3`) in `?1`.
pub(super) const RANK: &str =
    "SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?1 AND disqualified = 0 AND (total_points > ?2
       OR (total_points = ?2 AND (created_at < ?3 OR (created_at = ?3 AND id < ?4))))";

/// The entry's place on the leaderboard (None when disqualified) and its
/// campaign participant (reward balances), in one batch.
pub async fn rank_and_rewards(
    db: &D1Database,
    e: &EntryRow,
) -> DbResult<(Option<i64>, Option<super::participants::ParticipantRow>)> {
    let mut batch = super::Batch::new();
    let ahead = batch.push(query!(db, RANK, e.contest_id, e.total_points, e.created_at, e.id)?);
    let participant = batch.push(super::participants::select_by_email(db, &e.contest_id, &e.email)?);
    let results = batch.run(db).await?;
    let ahead = ahead.first::<Rank>(&results)?.map_or(0, |r| r.n);
    let rank = (!e.is_disqualified()).then_some(ahead + 1);
    Ok((rank, participant.first(&results)?))
}

/// Erasure (GDPR): the person's email, name and address hash become a
/// tombstone, their code is retired, their purchases' buyer email and their
/// proofs and answers go, and so do they from stored webhook bodies
/// (`outbox::scrub_person`). The rows stay, so every total stays right.
pub async fn erase(db: &D1Database, e: &EntryRow, now: &str) -> DbResult<()> {
    super::batch(
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
        .chain(super::outbox::scrub_person(db, &e.contest_id, &e.id, &e.email, &e.email_display)?)
        .collect(),
    )
    .await?;
    Ok(())
}

/// At most this many rows of each kind in an export.
pub const EXPORT_LIMIT: u32 = 10_000;

/// Everything stored about the person behind an entry (access request).
pub async fn export(db: &D1Database, e: &EntryRow) -> DbResult<Export> {
    let mut batch = super::Batch::new();
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

pub(super) fn export_page_sql() -> String {
    select("WHERE e.contest_id = ?1 AND (e.created_at, e.id) > (?2, ?3) ORDER BY e.created_at, e.id LIMIT ?4")
}

/// The next `limit` entries of a contest after (`created_at`, `id`) in join
/// order: a keyset page, so an export of any size walks the index once.
pub async fn export_page(
    db: &D1Database,
    contest_id: &str,
    after: (&str, &str),
    limit: u32,
) -> DbResult<Vec<EntryRow>> {
    super::all(query!(db, &export_page_sql(), contest_id, after.0, after.1, limit)?).await
}
