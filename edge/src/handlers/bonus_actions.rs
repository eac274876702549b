//! Bonus actions: the owner's catalogue per contest, and each entry's completions.

use crate::auth::Role;
use crate::ctx::{owned_contest, owned_entry, Ctx};
use crate::db::bonus::{ActionFields, ActionRow};
use crate::db::entries::EntryRow;
use crate::domain::bonus::{participant_may_complete, CompletionStatus, ConfirmationType};
use crate::domain::ids::{BonusActionId, ContestId};
use crate::engine::bonus::{Completed, Submission};
use crate::error::{ApiError, ApiResult};
use crate::input::{self, double_option};
use crate::{db, engine, http, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActionInput {
    action: Option<String>,
    description: Option<String>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    points: Option<i64>,
    confirmation_type: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    destination_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    icon: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    icon_color: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    order: Option<i64>,
    /// Quiz actions: the answer that completes them (never shown back).
    #[serde(default, deserialize_with = "double_option")]
    correct_answer: Option<Option<String>>,
}

/// An action's settings, owned and validated.
struct Action {
    action: String,
    description: String,
    points: i64,
    confirmation_type: ConfirmationType,
    destination_url: Option<String>,
    icon: Option<String>,
    icon_color: Option<String>,
    order: i64,
    correct_answer: Option<String>,
}

impl Action {
    fn from_row(a: &ActionRow) -> Self {
        Self {
            action: a.action.clone(),
            description: a.description.clone(),
            points: a.points,
            confirmation_type: a.confirmation_type,
            destination_url: a.destination_url.clone(),
            icon: a.icon.clone(),
            icon_color: a.icon_color.clone(),
            order: a.sort_order,
            correct_answer: a.correct_answer.clone(),
        }
    }

    /// A new action: `action`, `description`, `points`, `confirmationType` required.
    fn create(input: ActionInput) -> ApiResult<Self> {
        let kind = input::required("confirmationType", input.confirmation_type.as_deref(), 20)?;
        let base = Self {
            action: input::required("action", input.action.as_deref(), 100)?,
            description: input::required("description", input.description.as_deref(), 500)?,
            points: input.points.ok_or_else(|| input::invalid("points", "is required"))?,
            confirmation_type: parse_kind(&kind)?,
            destination_url: None,
            icon: None,
            icon_color: None,
            order: 0,
            correct_answer: None,
        };
        base.apply(ActionInput { action: None, description: None, points: None, confirmation_type: None, ..input })
    }

    fn apply(mut self, input: ActionInput) -> ApiResult<Self> {
        if let Some(a) = input.action {
            self.action = input::required("action", Some(&a), 100)?;
        }
        if let Some(d) = input.description {
            self.description = input::required("description", Some(&d), 500)?;
        }
        if let Some(p) = input.points {
            self.points = p;
        }
        self.points = input::int_in("points", self.points, 0, 1_000_000)?;
        if let Some(k) = input.confirmation_type {
            self.confirmation_type = parse_kind(&k)?;
        }
        if let Some(u) = input.destination_url {
            self.destination_url = input::url("destinationUrl", u.as_deref())?;
        }
        if let Some(i) = input.icon {
            self.icon = input::optional("icon", i.as_deref(), 50)?;
        }
        if let Some(c) = input.icon_color {
            self.icon_color = input::optional("iconColor", c.as_deref(), 20)?;
        }
        if let Some(o) = input.order {
            self.order = input::int_in("order", o, -1_000_000, 1_000_000)?;
        }
        if let Some(a) = input.correct_answer {
            self.correct_answer = input::optional("correctAnswer", a.as_deref(), 500)?;
        }
        Ok(self)
    }

    /// A quiz needs its answer. On create the body alone says so (400, and the
    /// contract's `if`/`then`); on update the stored action decides (409).
    fn lacks_answer(&self) -> bool {
        self.confirmation_type == ConfirmationType::Quiz && self.correct_answer.is_none()
    }

    fn fields(&self) -> ActionFields<'_> {
        ActionFields {
            action: &self.action,
            description: &self.description,
            icon: self.icon.as_deref(),
            icon_color: self.icon_color.as_deref(),
            points: self.points,
            confirmation_type: self.confirmation_type,
            destination_url: self.destination_url.as_deref(),
            correct_answer: self.correct_answer.as_deref(),
            sort_order: self.order,
        }
    }
}

fn parse_kind(s: &str) -> ApiResult<ConfirmationType> {
    ConfirmationType::parse(s)
        .ok_or_else(|| input::invalid("confirmationType", "must be one of auto, click, manual, quiz"))
}

async fn contest_action(ctx: &Ctx, contest_id: &ContestId) -> ApiResult<ActionRow> {
    db::bonus::find(&ctx.db, contest_id, &ctx.bonus_action_id()?)
        .await?
        .ok_or_else(|| ApiError::not_found("Bonus action not found"))
}

/// `POST /api/v1/contests/:contestId/bonus-actions`: 201 with `data.id`.
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let action = Action::create(http::read_json(req).await?)?;
    if action.lacks_answer() {
        return Err(input::invalid("correctAnswer", "is required for a quiz action"));
    }
    let id = BonusActionId::new(platform::new_id("ba"));
    let row = db::bonus::insert(&ctx.db, &id, &contest.id, &action.fields(), &platform::now_iso()).await?;
    http::data(201, views::bonus::managed_action(&row))
}

/// `GET /api/v1/contests/:contestId/bonus-actions`.
pub async fn list(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let rows = db::bonus::list(&ctx.db, &contest.id).await?;
    http::data(200, rows.iter().map(views::bonus::managed_action).collect::<Vec<_>>())
}

/// `PATCH /api/v1/contests/:contestId/bonus-actions/:bonusActionId`.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let row = contest_action(ctx, &contest.id).await?;
    let action = Action::from_row(&row).apply(http::read_json(req).await?)?;
    if action.lacks_answer() {
        return Err(ApiError::conflict("A quiz action needs a correctAnswer, and this one would have none"));
    }
    let row = db::bonus::update(&ctx.db, &contest.id, &row.id, &action.fields())
        .await?
        .ok_or_else(|| ApiError::not_found("Bonus action not found"))?;
    http::data(200, views::bonus::managed_action(&row))
}

/// `DELETE /api/v1/contests/:contestId/bonus-actions/:bonusActionId`: the action
/// disappears; completions and the points they earned stay.
pub async fn delete(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let row = contest_action(ctx, &contest.id).await?;
    db::bonus::delete(&ctx.db, &row.id, &platform::now_iso()).await?;
    http::data(200, views::deleted(&row.id))
}

/// `GET /api/v1/entries/:entryId/bonus-actions`.
pub async fn for_entry(ctx: &Ctx) -> ApiResult<Response> {
    let entry = owned_entry(ctx).await?;
    let (actions, completions) = db::bonus::list_for_entry(&ctx.db, &entry.contest_id, &entry.id).await?;
    http::data(200, views::bonus::entry_actions(&entry, &actions, &completions, ctx.caller()?.sees_emails()))
}

/// `GET /api/v1/entries/lookup/bonus-actions?email=&contestId=`.
pub async fn for_entry_by_email(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let (Some(email), Some(contest_id)) = (http::query_param(&query, "email"), http::query_param(&query, "contestId"))
    else {
        return Err(ApiError::bad_request("Missing email or contestId"));
    };
    let email = input::email("email", Some(email))?;
    let contest_id = ContestId::new(contest_id);
    db::contests::find_owned(&ctx.db, ctx.account_id()?, &contest_id)
        .await?
        .ok_or_else(|| ApiError::not_found("Entry or bonus action not found"))?;
    let entry = db::entries::find_by_email(&ctx.db, &contest_id, email.normalized())
        .await?
        .ok_or_else(|| ApiError::not_found("Entry or bonus action not found"))?;
    let (actions, completions) = db::bonus::list_for_entry(&ctx.db, &entry.contest_id, &entry.id).await?;
    http::data(200, views::bonus::entry_actions(&entry, &actions, &completions, ctx.caller()?.sees_emails()))
}

/// The entry and the action of `/entries/:entryId/bonus-actions/:bonusActionId/...`,
/// or the seed's single 404.
async fn entry_and_action(ctx: &Ctx) -> ApiResult<(EntryRow, ActionRow)> {
    let (entry_id, action_id) = match (ctx.entry_id(), ctx.bonus_action_id()) {
        (Ok(e), Ok(a)) => (e, a),
        _ => return Err(ApiError::not_found("Entry or bonus action not found")),
    };
    let not_found = || ApiError::not_found("Entry or bonus action not found");
    let entry = db::entries::find_owned(&ctx.db, ctx.account_id()?, &entry_id).await?.ok_or_else(not_found)?;
    let action = db::bonus::find(&ctx.db, &entry.contest_id, &action_id).await?.ok_or_else(not_found)?;
    Ok((entry, action))
}

#[derive(Deserialize, Default)]
struct CompleteBody {
    proof: Option<String>,
    answer: Option<String>,
}

/// `POST /api/v1/entries/:entryId/bonus-actions/:bonusActionId/complete` `{proof?, answer?}`.
/// Auto and click actions complete and award at once; manual ones wait for
/// approval; quiz ones check the answer. A second completion awards nothing.
pub async fn complete(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let not_found = || ApiError::not_found("Entry or bonus action not found");
    // The entry, its contest's action, an earlier completion and the contest: one round trip.
    let (Ok(entry_id), Ok(action_id)) = (ctx.entry_id(), ctx.bonus_action_id()) else {
        return Err(not_found());
    };
    let since = engine::bonus::misses_since();
    let mut reads = db::bonus::completion_reads(&ctx.db, ctx.account_id()?, &entry_id, &action_id, &since).await?;
    let (Some(entry), Some(action)) = (reads.entry.take(), reads.action.take()) else { return Err(not_found()) };
    if matches!(ctx.caller()?.role, Role::Participant { .. }) && !participant_may_complete(action.confirmation_type) {
        return Err(ApiError::Forbidden("Auto bonus actions are completed by the site's server (private key)"));
    }
    let bytes = http::read_body(req).await?;
    let body: CompleteBody =
        if bytes.iter().all(u8::is_ascii_whitespace) { CompleteBody::default() } else { http::parse_json(&bytes)? };
    let proof = input::optional("proof", body.proof.as_deref(), 2048)?;
    let answer = input::optional("answer", body.answer.as_deref(), 500)?;
    let submission = Submission { proof: proof.as_deref(), answer: answer.as_deref() };
    let completed = engine::bonus::complete(&ctx.db, &entry, &action, reads, &since, submission).await?;
    match ctx.commit(completed).await {
        Completed::New { completion, new_total_points } => {
            http::data(200, views::bonus::completed(&completion, new_total_points))
        }
        Completed::Already(completion) => http::data(200, views::bonus::already_completed(&completion)),
    }
}

/// `POST .../bonus-actions/:bonusActionId/approve` and `/reject`: settles a
/// pending completion; approval awards the action's points, once.
pub async fn review(ctx: &Ctx, approve: bool) -> ApiResult<Response> {
    let (entry, action) = entry_and_action(ctx).await?;
    let reviewed = engine::bonus::review(&ctx.db, ctx.account_id()?, &entry, &action, approve).await?;
    let reviewed = ctx.commit(reviewed).await;
    http::data(200, views::bonus::reviewed(&reviewed))
}

/// `GET /api/v1/contests/:contestId/bonus-completions?status=&page=&limit=`: the
/// owner's review queue of completions (default `pending`), oldest first, with
/// who sent them, for which action and their proof.
pub async fn completions_to_review(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let query = http::query_pairs(req)?;
    let status = match http::query_typed(&query, "status") {
        None => CompletionStatus::Pending,
        Some(s) => CompletionStatus::parse(s)
            .ok_or_else(|| ApiError::bad_request("status must be one of pending, verified, rejected"))?,
    };
    let (rows, total) = db::bonus::review_page(&ctx.db, &contest.id, status, page).await?;
    http::paged(rows.iter().map(views::bonus::review_completion).collect::<Vec<_>>(), page, total)
}
