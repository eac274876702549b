//! A contest's entries many at a time: the owner's list and search (offset
//! and keyset pages), the leaderboard and one entry's rank, the export's pages.

use super::{select, EntryRow};
use crate::db::{Batch, Count, DbResult};
use crate::domain::ids::{ContestId, EntryId};
use crate::domain::v1_pages::PageRequest;
use serde::Deserialize;
use worker::{query, D1Database};

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
pub(in crate::db) fn list_sql(order: EntryOrder, search: Option<SearchIn>) -> String {
    let search = search.map_or("", SearchIn::sql);
    select(&["WHERE e.contest_id = ?1", search, " ORDER BY ", order.sql(), " LIMIT ?2 OFFSET ?3"].concat())
}

const SEARCH: &str =
    " AND (e.email LIKE ?4 ESCAPE '\\' OR e.name LIKE ?4 ESCAPE '\\' OR e.referral_code LIKE ?4 ESCAPE '\\')";

const SEARCH_NAME_CODE: &str = " AND (e.name LIKE ?4 ESCAPE '\\' OR e.referral_code LIKE ?4 ESCAPE '\\')";

pub(in crate::db) fn search_count_sql(fields: SearchIn) -> String {
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
pub(in crate::db) fn after_sql(order: EntryOrder, search: Option<SearchIn>) -> String {
    const AT: &str = "(SELECT created_at, id FROM entries WHERE id = ?3 AND contest_id = ?1)";
    const POINTS_AT: &str = "(SELECT total_points FROM entries WHERE id = ?3 AND contest_id = ?1)";
    let after = match order {
        EntryOrder::Joined => ["(e.created_at, e.id) > ", AT].concat(),
        EntryOrder::JoinedDesc => ["(e.created_at, e.id) < ", AT].concat(),
        // Fewer points, or as many and joined later.
        EntryOrder::Points => [
            "(e.total_points < ",
            POINTS_AT,
            " OR (e.total_points = ",
            POINTS_AT,
            " AND (e.created_at, e.id) > ",
            AT,
            "))",
        ]
        .concat(),
        EntryOrder::Email => "e.email > (SELECT email FROM entries WHERE id = ?3 AND contest_id = ?1)".into(),
    };
    let search = search.map_or("", SearchIn::sql);
    select(&["WHERE e.contest_id = ?1 AND ", &after, search, " ORDER BY ", order.sql(), " LIMIT ?2"].concat())
}

/// Whether `?2` is an entry of the contest `?1` (a keyset page's cursor).
pub(in crate::db) const IN_CONTEST: &str = "SELECT COUNT(*) AS n FROM entries WHERE id = ?2 AND contest_id = ?1";

/// The keyset page after the entry `after` (None when that is no entry of
/// the contest), `limit` of them at most, and whether more follow.
pub async fn list_after(
    db: &D1Database,
    contest_id: &ContestId,
    order: EntryOrder,
    search: Option<Search<'_>>,
    after: &EntryId,
    limit: u32,
) -> DbResult<Option<(Vec<EntryRow>, bool)>> {
    // One more than asked: whether it comes back says whether more follow.
    let fetch = limit + 1;
    let page = match search {
        None => query!(db, &after_sql(order, None), contest_id, fetch, after)?,
        Some(s) => query!(db, &after_sql(order, Some(s.fields)), contest_id, fetch, after, &contains_pattern(s.text))?,
    };
    let mut batch = Batch::new();
    let in_contest = batch.push(query!(db, IN_CONTEST, contest_id, after)?);
    let page = batch.push(page);
    let results = batch.run(db).await?;
    if in_contest.first::<Count>(&results)?.map_or(0, |c| c.n) == 0 {
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
    contest_id: &ContestId,
    order: EntryOrder,
    search: Option<Search<'_>>,
    page: PageRequest,
) -> DbResult<(Vec<EntryRow>, u64)> {
    let (rows, count) = match search {
        None => (
            query!(db, &list_sql(order, None), contest_id, page.limit, page.offset())?,
            query!(db, crate::db::contests::ENTRY_COUNT, contest_id)?,
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
    crate::db::page::read(db, rows, count).await
}

pub(in crate::db) fn leaderboard_sql() -> String {
    select("WHERE e.contest_id = ?1 AND e.disqualified = 0 AND e.email_confirmation IS NULL ORDER BY e.total_points DESC, e.created_at, e.id LIMIT ?2")
}

/// Points descending, earlier entry first on ties; disqualified and
/// unconfirmed entries excluded.
pub async fn leaderboard(db: &D1Database, contest_id: &ContestId, limit: u32) -> DbResult<Vec<EntryRow>> {
    crate::db::all(query!(db, &leaderboard_sql(), contest_id, limit)?).await
}

#[derive(Deserialize)]
struct Rank {
    n: i64,
}

/// How many entries rank above `?4` (points `?2`, joined `?3`) in `?1`.
pub(in crate::db) const RANK: &str =
    "SELECT COUNT(*) AS n FROM entries WHERE contest_id = ?1 AND disqualified = 0 AND email_confirmation IS NULL
       AND (total_points > ?2
       OR (total_points = ?2 AND (created_at < ?3 OR (created_at = ?3 AND id < ?4))))";

/// The entry's place on the leaderboard (None when disqualified) and its
/// campaign participant (reward balances), in one batch.
pub async fn rank_and_rewards(
    db: &D1Database,
    e: &EntryRow,
) -> DbResult<(Option<i64>, Option<crate::db::participants::ParticipantRow>)> {
    let mut batch = Batch::new();
    let ahead = batch.push(query!(db, RANK, e.contest_id, e.total_points, e.created_at, e.id)?);
    let participant = batch.push(crate::db::participants::select_by_email(db, &e.contest_id, &e.email)?);
    let results = batch.run(db).await?;
    let ahead = ahead.first::<Rank>(&results)?.map_or(0, |r| r.n);
    // Disqualified and unconfirmed entries are not ranked.
    let rank = (!e.is_disqualified() && e.email_confirmation.is_none()).then_some(ahead + 1);
    Ok((rank, participant.first(&results)?))
}

pub(in crate::db) fn export_page_sql() -> String {
    select("WHERE e.contest_id = ?1 AND (e.created_at, e.id) > (?2, ?3) ORDER BY e.created_at, e.id LIMIT ?4")
}

/// The next `limit` entries of a contest after (`created_at`, `id`) in join
/// order: a keyset page, so an export of any size walks the index once.
pub async fn export_page(
    db: &D1Database,
    contest_id: &ContestId,
    after: (&str, &str),
    limit: u32,
) -> DbResult<Vec<EntryRow>> {
    crate::db::all(query!(db, &export_page_sql(), contest_id, after.0, after.1, limit)?).await
}
