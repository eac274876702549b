//! Entries: add, list, read, update, disqualify, adjust points, read the ledger.

use crate::ctx::{owned_contest, owned_entry, Ctx};
use crate::db::ledger::{Award, AwardRow, Guard, Reason};
use crate::domain::participant_token;
use crate::domain::points::MAX_AWARD;
use crate::engine::{self, Join, Source};
use crate::error::{ApiError, ApiResult};
use crate::{db, http, input, platform, views};
use serde::Deserialize;
use serde_json::json;
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
    let email = input::email("email", body.email.as_deref())?;
    let name = input::optional("name", body.name.as_deref(), 200)?;
    let code = input::optional("referralCode", body.referral_code.as_deref(), 64)?;
    let advocate = match &code {
        Some(code) => Some(engine::advocate_for_signup(&ctx.db, &contest, code, &email).await?),
        None => None,
    };
    let joined = engine::join_contest(
        &ctx.db,
        &contest,
        Join { name: name.as_deref(), ..Join::new(&email, advocate.as_ref(), Source::Api) },
    )
    .await?;
    let mut data = views::entry(&joined.entry, true);
    data["alreadyExists"] = json!(!joined.created);
    data["pointsAwarded"] = json!({ "advocate": joined.advocate_points, "friend": joined.friend_points });
    http::data(if joined.created { 201 } else { 200 }, data)
}

/// `GET /api/v1/contests/:contestId/entries?page=&limit=`: in join order.
pub async fn list(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let (rows, total) = db::entries::list(&ctx.db, &contest.id, page).await?;
    let sees = ctx.caller()?.sees_emails();
    http::paged(rows.iter().map(|e| views::entry(e, sees)).collect(), page, total)
}

/// `GET /api/v1/entries/:entryId`.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let (rank, rewards) = db::entries::rank_and_rewards(&ctx.db, &entry).await?;
    let mut data = views::entry(&entry, ctx.caller()?.sees_emails());
    data["rank"] = json!(rank);
    data["rewards"] = rewards;
    http::data(200, data)
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
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
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
    db::entries::set_disqualified(&ctx.db, &entry.id, true, reason.as_deref(), &platform::now_iso()).await?;
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    http::data(200, views::entry(&updated, true))
}

/// `POST /api/v1/entries/:entryId/reinstate`: undoes a disqualification.
pub async fn reinstate(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    db::entries::set_disqualified(&ctx.db, &entry.id, false, None, &platform::now_iso()).await?;
    let updated = db::entries::find(&ctx.db, &entry.id).await?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
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
    let contest = db::contests::find(&ctx.db, &entry.contest_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Contest not found"))?;
    input::int_in("points", points, -MAX_AWARD, MAX_AWARD)?;
    // The contest's own limit is its state, not the body's shape: 409.
    let max = contest.max_points_per_adjustment;
    if !(-max..=max).contains(&points) {
        let mut m = String::from("points must be between -");
        m.push_str(&max.to_string());
        m.push_str(" and ");
        m.push_str(&max.to_string());
        m.push_str(" (the contest's maxPointsPerAdjustment)");
        return Err(ApiError::Conflict(m));
    }
    let reason = input::required("reason", body.reason.as_deref(), 500)?;
    let key = req.headers().get("Idempotency-Key").ok().flatten();
    let ref_id = match key.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => input::required("Idempotency-Key", Some(k), 200)?,
        None => platform::new_id("adj"),
    };
    let now = platform::now_iso();
    let award = Award {
        entry_id: &entry.id,
        contest_id: &entry.contest_id,
        delta: points,
        reason: Reason::Adjustment,
        ref_id: &ref_id,
        note: Some(&reason),
        created_at: &now,
        hold: None,
        confirm_after: None,
    };
    let results = db::batch(
        &ctx.db,
        vec![
            db::ledger::insert(&ctx.db, &award, Guard::None)?,
            db::ledger::recompute_total(&ctx.db, &entry.id, &now)?,
            db::ledger::select_for_ref(&ctx.db, &entry.id, Reason::Adjustment, &ref_id)?,
            db::entries::select_by_id(&ctx.db, &entry.id)?,
        ],
    )
    .await?;
    let applied = db::changes(&results[0]) == 1;
    let row: AwardRow = db::first_of(&results[2])?.ok_or_else(|| ApiError::Internal("ledger row missing".into()))?;
    let updated: db::entries::EntryRow =
        db::first_of(&results[3])?.ok_or_else(|| ApiError::not_found("Entry not found"))?;
    http::data(
        if applied { 201 } else { 200 },
        json!({
            "entryId": entry.id,
            "ledgerId": row.id,
            "pointsAdded": if applied { row.delta } else { 0 },
            "alreadyApplied": !applied,
            "reason": row.note,
            "newTotalPoints": updated.total_points,
        }),
    )
}

/// `GET /api/v1/entries/:entryId/ledger?page=&limit=`: the entry's point
/// changes, oldest first, one page (with `pagination`); each with its status.
pub async fn ledger(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let page = http::page_request(req)?;
    let (rows, total) = db::ledger::page_for_entry(&ctx.db, &entry.id, page).await?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "points": r.delta,
                "reason": r.reason,
                "refId": r.ref_id,
                "note": r.note,
                "status": r.status,
                "holdReason": r.hold,
                "createdAt": r.created_at,
            })
        })
        .collect();
    Ok(http::json_response(
        200,
        &json!({
            "success": true,
            "data": {
                "entryId": entry.id,
                "totalPoints": entry.total_points,
                "pendingPoints": entry.pending_points,
                "entries": items,
            },
            "pagination": page.describe(total),
        }),
    ))
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
    if entry.erased_at.is_some() {
        return Err(ApiError::conflict("Entry was erased"));
    }
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
    http::data(
        201,
        json!({
            "entryId": entry.id,
            "token": participant_token::mint(&secret, &entry.id, expires),
            "expiresAt": crate::domain::time::iso8601(expires * 1000),
        }),
    )
}

/// `DELETE /api/v1/entries/:entryId`: erases the person (GDPR). Their email,
/// names and address hash become a tombstone and their code is retired; the
/// ledger keeps its (now anonymous) rows so every total stays right. Again: 200.
pub async fn erase(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let already = entry.erased_at.is_some();
    if !already {
        db::entries::erase(&ctx.db, &entry, &platform::now_iso()).await?;
    }
    http::data(200, json!({ "id": entry.id, "erased": true, "alreadyErased": already }))
}

/// `GET /api/v1/entries/:entryId/export`: everything stored about the person.
pub async fn export(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    http::data(200, db::entries::export(&ctx.db, &entry).await?)
}
