//! Entries: add, list, read, update, disqualify, adjust points, read the ledger.

use crate::auth::Role;
use crate::ctx::{entry_not_found, owned_contest, owned_entry, owned_entry_even_erased, Ctx};
use crate::db::entries::EntryRow;
use crate::db::entries::{EntryOrder, Search, SearchIn};
use crate::domain::ids::EntryId;
use crate::domain::participant_token;
use crate::domain::points::MAX_AWARD;
use crate::domain::v1_pages::AfterPagination;
use crate::engine::join::{self, Signup};
use crate::engine::{self, adjust, disqualify, Source};
use crate::error::{ApiError, ApiResult};
use crate::views::entries::{Adjustment, EntryCreated, EntryDetail, Erased, ParticipantToken};
use crate::views::PointsAwarded;
use crate::{cache, db, http, input, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct NewEntryBody {
    email: Option<String>,
    name: Option<String>,
    /// The advocate's referral code.
    referral_code: Option<String>,
}

/// `POST /api/v1/contests/:contestId/entries`: 201 with the new entry; the same
/// email again answers 200 with the existing one and awards nothing.
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let body: NewEntryBody = http::read_json(req).await?;
    let signup = Signup {
        email: input::email("email", body.email.as_deref())?,
        name: input::optional("name", body.name.as_deref(), 200)?,
        referral_code: input::optional("referralCode", body.referral_code.as_deref(), 64)?,
    };
    let joined = ctx.commit(join::signup(&ctx.db, &contest, &signup, Source::Api, None).await?).await;
    let created = EntryCreated {
        entry: views::entry(&joined.entry, true),
        already_exists: !joined.created,
        points_awarded: PointsAwarded { advocate: joined.advocate_points, friend: joined.friend_points },
    };
    http::data(if joined.created { 201 } else { 200 }, created)
}

/// `GET /api/v1/contests/:contestId/entries?page=&limit=&sort=&q=`: in join
/// order unless `sort` says otherwise; `q` keeps the entries whose email, name
/// or referral code contains it (case-insensitive; emails for a private key
/// only, and only a private key may sort by email). `after=<entryId>` (in any
/// `sort`, instead of `page`) gives the keyset page after that entry; in join
/// order its cost does not grow with its depth.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let query = http::query_pairs(req)?;
    let order = match http::query_typed(&query, "sort") {
        None => EntryOrder::Joined,
        Some(s) => EntryOrder::parse(s)
            .ok_or_else(|| ApiError::bad_request("sort must be one of joined, -joined, points, email"))?,
    };
    let search = input::optional("q", http::query_typed(&query, "q"), 100)?;
    let sees = ctx.caller()?.sees_emails();
    // Ordering by hidden emails would reveal them through the order: private keys only.
    if order == EntryOrder::Email && !sees {
        return Err(ApiError::Forbidden("sort=email needs a private key"));
    }
    let search = search.as_deref().map(|text| Search { text, fields: SearchIn::for_caller(sees) });
    if let Some(after) = http::query_typed(&query, "after") {
        // (`page` means nothing after an entry: the keyset page is the answer.)
        let (rows, more) =
            db::entries::list_after(&ctx.db, &contest.id, order, search, &EntryId::new(after), page.limit)
                .await?
                .ok_or_else(|| ApiError::not_found("Entry not found (after)"))?;
        let pagination = AfterPagination {
            limit: page.limit,
            after: after.to_string(),
            next_after: rows.last().filter(|_| more).map(|e| e.id.to_string()),
        };
        return http::paged_after(rows.iter().map(|e| views::entry(e, sees)).collect::<Vec<_>>(), pagination);
    }
    let (rows, total) = db::entries::list(&ctx.db, &contest.id, order, search, page).await?;
    http::paged(rows.iter().map(|e| views::entry(e, sees)).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/entries/:entryId`.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let (rank, rewards) = db::entries::rank_and_rewards(&ctx.db, &entry).await?;
    let rewards = rewards.as_ref().map(views::entries::reward_balances);
    let caller = ctx.caller()?;
    let prizes = db::prizes::entry_prizes(&ctx.db, &entry.contest_id, &entry.id).await?;
    // A private key or the entry's own token (the route admits no other) sees its codes.
    let final_standing = prizes.final_standing.as_ref().map(views::entries::final_standing);
    let (prizes, next_milestone) = views::prizes::entry_prizes(&prizes, caller.role != Role::Public);
    let entry = views::entry(&entry, caller.sees_emails());
    http::data(200, EntryDetail { entry, rank, rewards, prizes, next_milestone, final_standing })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct UpdateEntryBody {
    email: Option<String>,
    #[serde(default, deserialize_with = "input::double_option")]
    name: Option<Option<String>>,
}

/// `PATCH /api/v1/entries/:entryId` `{email?, name?}`.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let body: UpdateEntryBody = http::read_json(req).await?;
    let (email, email_display) = match body.email {
        Some(raw) => {
            let e = input::email("email", Some(&raw))?;
            (e.normalized().to_string(), e.display().to_string())
        }
        None => (entry.email.clone(), entry.email_display.clone()),
    };
    let name = match body.name {
        Some(n) => input::optional("name", n.as_deref(), 200)?,
        None => entry.name.clone(),
    };
    let now = platform::now_iso();
    // Another entry's identity: `Duplicate(EntryEmail)`, a 409.
    db::entries::update_profile(&ctx.db, &entry.id, &email, &email_display, name.as_deref(), &now).await?;
    forget_code(&entry).await;
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(entry_not_found)?;
    http::data(200, views::entry(&updated, true))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DisqualifyBody {
    reason: Option<String>,
}

/// `POST /api/v1/entries/:entryId/disqualify` `{reason?}`: off the leaderboard,
/// and no referral is credited to them any more. Points stay in the ledger.
pub async fn disqualify(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let bytes = http::read_body(req).await?;
    let body: DisqualifyBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { DisqualifyBody::default() } else { http::parse_json(&bytes)? };
    let reason = input::optional("reason", body.reason.as_deref(), 500)?;
    let done = disqualify::set_disqualified(&ctx.db, ctx.account_id()?, &entry, true, reason.as_deref()).await?;
    ctx.commit(done).await;
    forget_code(&entry).await;
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(entry_not_found)?;
    http::data(200, views::entry(&updated, true))
}

/// `POST /api/v1/entries/:entryId/reinstate`: undoes a disqualification.
pub async fn reinstate(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let done = disqualify::set_disqualified(&ctx.db, ctx.account_id()?, &entry, false, None).await?;
    ctx.commit(done).await;
    forget_code(&entry).await;
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(entry_not_found)?;
    http::data(200, views::entry(&updated, true))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AdjustBody {
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    points: Option<i64>,
    reason: Option<String>,
}

/// `POST /api/v1/entries/:entryId/adjust-points` `{points, reason}`: a ledger row.
/// An `Idempotency-Key` header makes retries of the same adjustment count once.
pub async fn adjust_points(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let body: AdjustBody = http::read_json(req).await?;
    let points = body.points.ok_or_else(|| input::invalid("points", "is required"))?;
    if points == 0 {
        return Err(input::invalid("points", "must not be zero"));
    }
    input::int_in("points", points, -MAX_AWARD, MAX_AWARD)?;
    let reason = input::required("reason", body.reason.as_deref(), 500)?;
    let key = req.headers().get("Idempotency-Key").ok().flatten();
    let ref_id = match key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => input::required("Idempotency-Key", Some(k), 200)?,
        None => platform::new_id("adj"),
    };
    let done = ctx.commit(adjust::adjust_points(&ctx.db, &entry, points, &reason, &ref_id).await?).await;
    let view = Adjustment {
        entry_id: &entry.id,
        ledger_id: done.row.id,
        points_added: if done.applied { done.row.delta } else { 0 },
        already_applied: !done.applied,
        reason: done.row.note.as_deref(),
        new_total_points: done.entry.total_points,
    };
    http::data(if done.applied { 201 } else { 200 }, view)
}

/// `GET /api/v1/entries/:entryId/ledger?page=&limit=`: the entry's point
/// changes, oldest first, one page (with `pagination`); each with its status.
pub async fn ledger(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let page = http::page_request(req)?;
    let (rows, total) = db::ledger::page_for_entry(&ctx.db, &entry.id, page).await?;
    http::paged(views::entries::ledger(&entry, &rows, ctx.caller()?.is_private()), page, total)
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TokenBody {
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    expires_in_seconds: Option<i64>,
}

/// `POST /api/v1/entries/:entryId/token` `{expiresInSeconds?}`: a participant
/// token for this entry (default 30 days, at most a year), for the site's
/// server to hand its logged-in user. 201 `{token, expiresAt, entryId}`.
pub async fn mint_token(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let bytes = http::read_body(req).await?;
    let body: TokenBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { TokenBody::default() } else { http::parse_json(&bytes)? };
    let ttl = match body.expires_in_seconds {
        Some(s) => input::int_in("expiresInSeconds", s, 60, participant_token::MAX_TTL_SECS)?,
        None => participant_token::DEFAULT_TTL_SECS,
    };
    let fresh = crate::domain::signature::hex(&platform::random_bytes::<32>());
    let secret = db::accounts::token_secret(&ctx.db, ctx.account_id()?, &fresh).await?;
    let expires = platform::now_ms() / 1000 + ttl;
    let token = ParticipantToken {
        entry_id: &entry.id,
        token: participant_token::mint(&secret, &entry.id, expires),
        expires_at: crate::domain::time::iso8601(expires * 1000),
    };
    http::data(201, token)
}

/// `POST /api/v1/entries/:entryId/sign-in-email`: the owner sends the
/// participant their `portal` email (the sign-in link to the hosted page).
/// 202; 409 when the contest has no sender address.
pub async fn send_sign_in_email(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    if db::contests::email_from(&ctx.db, &entry.contest_id).await?.is_none() {
        return Err(ApiError::conflict("This contest sends no email: set its sender address first"));
    }
    let queued = ctx.commit(engine::portal::send_link(&ctx.db, &entry, platform::now_ms()).await?).await;
    crate::mailing::send_queued(&ctx.env, &queued).await;
    http::data(202, views::referral::LINK_REQUESTED)
}

/// `DELETE /api/v1/entries/:entryId`: erases the person (GDPR). Their email,
/// names and address hash become a tombstone and their code is retired; the
/// ledger keeps its (now anonymous) rows so every total stays right. Again: 200.
pub async fn erase(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry_even_erased(ctx).await?.ok_or_else(entry_not_found)?;
    let already = entry.erased_at.is_some();
    if !already {
        db::entries::erase(&ctx.db, &entry, &platform::now_iso()).await?;
        forget_code(&entry).await;
    }
    http::data(200, Erased { id: &entry.id, erased: true, already_erased: already })
}

/// The open answers about the entry's code (validate-code's name and email,
/// track-visit's verdict, the leaderboard) are cached: this data centre sees
/// the owner's change at once.
async fn forget_code(entry: &EntryRow) {
    cache::forget_contest(&entry.contest_id).await;
}

/// `GET /api/v1/entries/:entryId/export`: everything stored about the person.
pub async fn export(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    http::data(200, db::entries::export(&ctx.db, &entry).await?)
}
