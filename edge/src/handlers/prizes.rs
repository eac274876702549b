//! Prizes (issue 24): the owner's prizes of a contest, their code pools and
//! the awards. Milestones are earned by the batches that move totals (the
//! triggers of migrations/0020); here the owner defines prizes, uploads codes,
//! fulfils and voids awards.

use crate::ctx::{owned_contest, Ctx};
use crate::db::draws::{Rule as DrawFields, Seed};
use crate::db::prizes::{AwardFilter, PrizeFields, PrizeRow};
use crate::domain::draw_rule::DrawDraft;
use crate::domain::ids::{PrizeAwardId, PrizeId};
use crate::domain::prizes::Kind;
use crate::domain::prizes::{self, AwardStatus, CodeStatus, Draft, Fulfilment, FulfilmentType, Rule, Terms, Threshold};
use crate::domain::signature;
use crate::error::{ApiError, ApiResult};
use crate::input::{self, double_option};
use crate::{cache, db, engine, http, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdInput {
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    referrals: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    points: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RanksInput {
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    from: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    to: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct EligibilityInput {
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    min_points: Option<i64>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    min_referrals: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FulfilmentInput {
    #[serde(rename = "type")]
    kind: Option<String>,
    amount: Option<f64>,
    currency: Option<String>,
}

/// The body of `POST .../prizes` and `PATCH /prizes/:id` (given parts replace
/// the stored ones; the result is validated whole).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PrizeInput {
    name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    description: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    image_url: Option<Option<String>>,
    kind: Option<String>,
    threshold: Option<ThresholdInput>,
    ranks: Option<RanksInput>,
    fulfilment: Option<FulfilmentInput>,
    #[serde(default, deserialize_with = "double_option")]
    quantity: Option<Option<f64>>,
    #[serde(default, deserialize_with = "crate::input::int_opt")]
    winners: Option<i64>,
    eligibility: Option<EligibilityInput>,
    weighting: Option<String>,
}

/// A prize's settings, validated.
struct Prize {
    name: String,
    description: Option<String>,
    image_url: Option<String>,
    terms: Terms,
}

impl Prize {
    fn fields(&self) -> PrizeFields<'_> {
        let (threshold_referrals, threshold_points, rank_from, rank_to) = match self.terms.rule {
            Rule::Milestone(Threshold::Referrals(n)) => (Some(n), None, None, None),
            Rule::Milestone(Threshold::Points(n)) => (None, Some(n), None, None),
            Rule::Rank { from, to } => (None, None, Some(from), Some(to)),
            Rule::Draw(_) => (None, None, None, None),
        };

        let (credit_amount, credit_currency) = match &self.terms.fulfilment {
            Fulfilment::Credit { amount, currency } => (Some(*amount), Some(currency.as_str())),
            _ => (None, None),
        };
        PrizeFields {
            name: &self.name,
            description: self.description.as_deref(),
            image_url: self.image_url.as_deref(),
            kind: self.terms.rule.kind(),
            threshold_referrals,
            threshold_points,
            rank_from,
            rank_to,
            fulfilment: self.terms.fulfilment.kind(),
            credit_amount,
            credit_currency,
            quantity: self.terms.quantity,
        }
    }

    /// A draw's rule as `prize_draws` stores it.
    fn draw(&self) -> Option<DrawFields> {
        match self.terms.rule {
            Rule::Draw(d) => {
                Some(DrawFields { winners: d.winners, eligibility: d.eligibility, weighting: d.weighting })
            }
            _ => None,
        }
    }
}

fn draft_of(p: &PrizeRow) -> Draft {
    Draft {
        kind: Some(p.kind.as_str().to_string()),
        threshold_referrals: p.threshold_referrals,
        threshold_points: p.threshold_points,
        rank_from: p.rank_from,
        rank_to: p.rank_to,
        fulfilment: Some(p.fulfilment.as_str().to_string()),
        credit_amount: p.credit_amount,
        credit_currency: p.credit_currency.clone(),
        quantity: p.quantity,
        draw: DrawDraft {
            winners: p.winners,
            min_points: p.min_points,
            min_referrals: p.min_referrals,
            weighting: p.weighting.map(|w| w.as_str().to_string()),
            eligibility_given: p.winners.is_some(),
        },
    }
}

fn image_url(value: Option<&str>) -> ApiResult<Option<String>> {
    let url = input::optional("imageUrl", value, 2048)?;
    match url {
        Some(u) if !u.starts_with("https://") || u.len() <= "https://".len() => {
            Err(input::invalid("imageUrl", "must be an https URL"))
        }
        other => Ok(other),
    }
}

/// Applies a body over `base` (a stored prize, or nothing for a new one).
fn apply(base: Option<&PrizeRow>, body: PrizeInput, reward_currency: &str) -> ApiResult<Prize> {
    if let Some(p) = base {
        draw_patch(p, &body)?;
    }
    let mut draft = base.map(draft_of).unwrap_or_default();
    let name = match (body.name, base) {
        (Some(n), _) => input::required("name", Some(&n), 200)?,
        (None, Some(p)) => p.name.clone(),
        (None, None) => return Err(input::invalid("name", "is required")),
    };
    let description = match body.description {
        Some(d) => input::optional("description", d.as_deref(), 2000)?,
        None => base.and_then(|p| p.description.clone()),
    };
    let image_url = match body.image_url {
        Some(u) => image_url(u.as_deref())?,
        None => base.and_then(|p| p.image_url.clone()),
    };
    // The fields the body gives: a rule broken by one of them is the body's
    // fault (400); one broken by the stored prize alone is a 409 (a PATCH of
    // `kind` without the new kind's rule).
    let given = |field: &str| match field {
        "kind" => body.kind.is_some(),
        "threshold" => body.threshold.is_some(),
        "ranks" => body.ranks.is_some(),
        "fulfilment" => body.fulfilment.is_some(),
        "quantity" => body.quantity.is_some(),
        "winners" => body.winners.is_some(),
        "eligibility" => body.eligibility.is_some(),
        "weighting" => body.weighting.is_some(),
        _ => true,
    };
    let stored_fault = |field: &str| base.is_some() && !given(field);
    let stored_fault: Vec<&str> =
        ["kind", "threshold", "ranks", "fulfilment", "quantity", "winners", "eligibility", "weighting"]
            .into_iter()
            .filter(|f| stored_fault(f))
            .collect();

    if let Some(k) = body.kind {
        draft.kind = Some(k);
    }
    if let Some(t) = body.threshold {
        (draft.threshold_referrals, draft.threshold_points) = (t.referrals, t.points);
    }
    if let Some(r) = body.ranks {
        (draft.rank_from, draft.rank_to) = (r.from, r.to);
    }
    if let Some(w) = body.winners {
        draft.draw.winners = Some(w);
    }
    if let Some(e) = body.eligibility {
        (draft.draw.min_points, draft.draw.min_referrals) = (e.min_points, e.min_referrals);
        draft.draw.eligibility_given = true;
    }
    if let Some(w) = body.weighting {
        draft.draw.weighting = Some(w);
    }
    if let Some(f) = body.fulfilment {
        (draft.fulfilment, draft.credit_amount, draft.credit_currency) = (f.kind, f.amount, f.currency);
    }
    if let Some(q) = body.quantity {
        draft.quantity = match q {
            None => None,
            Some(q) if q.fract() == 0.0 && q.abs() <= prizes::MAX_NUMBER as f64 => Some(q as i64),
            Some(_) => return Err(input::invalid("quantity", "must be an integer from 1 to 1000000000")),
        };
    }
    let terms = prizes::validate(&draft, reward_currency).map_err(|e| {
        let other_kind = [prizes::NOT_FOR_A_DRAW, prizes::DRAW_ONLY].contains(&e.problem);
        if stored_fault.contains(&e.field)
            || e.field == prizes::CURRENCY
            || (stored_fault.contains(&"kind") && other_kind)
        {
            let mut m = String::from("The prize would be invalid: ");
            m.push_str(e.field);
            m.push(' ');
            m.push_str(e.problem);
            ApiError::conflict(m)
        } else {
            input::invalid(e.field, e.problem)
        }
    })?;
    Ok(Prize { name, description, image_url, terms })
}

/// A PATCH never turns a prize into a draw or a draw into another kind (the
/// seed is made with the prize), and a draw's rule is fixed once its contest
/// starts finalizing (the list is decided from it): 409.
fn draw_patch(p: &PrizeRow, body: &PrizeInput) -> ApiResult<()> {
    let is_draw = p.kind == Kind::Draw;
    if body.kind.as_deref().is_some_and(|k| (Kind::parse(k) == Some(Kind::Draw)) != is_draw) {
        return Err(ApiError::conflict(if is_draw {
            "A draw prize stays a draw: delete it and create another"
        } else {
            "A prize cannot become a draw: create a draw prize"
        }));
    }
    let rule_given = body.winners.is_some() || body.eligibility.is_some() || body.weighting.is_some();
    if is_draw && rule_given && p.finalizing {
        return Err(ApiError::conflict("The contest is finalized: the draw's rule is fixed"));
    }
    Ok(())
}

/// A new draw's seed: 32 bytes of the platform's CSPRNG, and the SHA-256 of
/// them published at once (both lowercase hex).
fn new_seed() -> (String, String) {
    let seed = platform::random_bytes::<32>();
    (signature::hex(&seed), signature::sha256_hex(&seed))
}

fn prize_id(ctx: &Ctx) -> ApiResult<PrizeId> {
    ctx.param("prizeId").map(PrizeId::new)
}

async fn owned_prize(ctx: &Ctx) -> ApiResult<PrizeRow> {
    db::prizes::find_owned(&ctx.db, ctx.account_id()?, &prize_id(ctx)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Prize not found"))
}

/// `POST /api/v1/contests/:contestId/prizes`: 201 with the prize.
pub async fn create(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let prize = apply(None, http::read_json(req).await?, &contest.reward_currency)?;
    let id = PrizeId::new(platform::new_id("prz"));
    let (seed, commitment) = new_seed();
    let seed = Seed { seed: &seed, commitment: &commitment };
    let draw = prize.draw().map(|rule| db::draws::insert(&ctx.db, &id, &contest.id, &rule, &seed)).transpose()?;
    let (account, fields) = (ctx.account_id()?, prize.fields());
    let row = db::prizes::insert(&ctx.db, account, &id, &contest.id, &fields, draw, &platform::now_iso()).await?;
    http::data(201, views::prizes::prize(&row, true))
}

/// `GET /api/v1/contests/:contestId/prizes`: any key or a participant token of
/// the contest; never a code, the pool's size to a private key only.
pub async fn list(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let rows = db::prizes::list(&ctx.db, &contest.id).await?;
    let private = ctx.caller()?.is_private();
    http::data(200, rows.iter().map(|p| views::prizes::prize(p, private)).collect::<Vec<_>>())
}

/// `GET /api/v1/prizes/:prizeId`.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    http::data(200, views::prizes::prize(&owned_prize(ctx).await?, true))
}

/// `PATCH /api/v1/prizes/:prizeId`: the given parts replace the stored ones.
/// Awards already made stay as they are.
pub async fn update(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let row = owned_prize(ctx).await?;
    let prize = apply(Some(&row), http::read_json(req).await?, &row.reward_currency)?;
    let draw = prize.draw().map(|rule| db::draws::update_rule(&ctx.db, &row.id, &rule)).transpose()?;
    let row = db::prizes::update(&ctx.db, ctx.account_id()?, &row.id, &prize.fields(), draw, &platform::now_iso())
        .await?
        .ok_or_else(|| ApiError::not_found("Prize not found"))?;
    http::data(200, views::prizes::prize(&row, true))
}

/// `DELETE /api/v1/prizes/:prizeId`: 409 once anyone has an award of it, or
/// its draw's list is published.
pub async fn delete(ctx: &Ctx) -> ApiResult<Response> {
    let row = owned_prize(ctx).await?;
    if !db::prizes::delete_unearned(&ctx.db, &row.id).await? {
        return Err(ApiError::conflict("This prize has awards or a published draw: it cannot be deleted"));
    }
    http::data(200, views::deleted(&row.id))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodesBody {
    codes: Vec<String>,
}

/// `POST /api/v1/prizes/:prizeId/codes {"codes": [...]}`.
pub async fn add_codes(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let prize = owned_prize(ctx).await?;
    let body: CodesBody = http::read_json(req).await?;
    let (codes, _) = prizes::codes(&body.codes).map_err(|e| input::invalid(e.field, e.problem))?;
    if prize.fulfilment != FulfilmentType::Code {
        return Err(ApiError::conflict("Only a code prize takes codes"));
    }
    let added = ctx.commit(engine::prizes::add_codes(&ctx.db, &prize.id, &codes).await?).await;
    let duplicates = (body.codes.len() as u64).saturating_sub(added.added);
    http::data(200, views::prizes::CodesAdded { added: added.added, duplicates, available: added.available })
}

/// `GET /api/v1/prizes/:prizeId/codes?status=available|assigned&page=&limit=`.
pub async fn list_codes(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let prize = owned_prize(ctx).await?;
    let page = http::page_request(req)?;
    let query = http::query_pairs(req)?;
    let status = http::query_typed(&query, "status")
        .map(|s| CodeStatus::parse(s).ok_or_else(|| ApiError::bad_request("status must be one of available, assigned")))
        .transpose()?;
    let (rows, total) = db::prizes::list_codes(&ctx.db, &prize.id, status, page).await?;
    http::paged(rows.iter().map(views::prizes::code).collect::<Vec<_>>(), page, total)
}

/// `GET /api/v1/contests/:contestId/prize-awards?status=&prizeId=&page=&limit=`: oldest first.
pub async fn list_awards(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let page = http::page_request(req)?;
    let query = http::query_pairs(req)?;
    let status = http::query_typed(&query, "status")
        .map(|s| {
            AwardStatus::parse(s)
                .ok_or_else(|| ApiError::bad_request("status must be one of earned, waiting, fulfilled, void"))
        })
        .transpose()?;
    // An id to match, not a text to keep: any string up to 64 characters.
    let prize_id = http::query_typed(&query, "prizeId");
    if prize_id.is_some_and(|p| p.chars().count() > 64) {
        return Err(input::invalid("prizeId", "is longer than 64 characters"));
    }
    let filter = AwardFilter { status, prize_id };
    let (rows, total) = db::prizes::list_awards(&ctx.db, &contest.id, &filter, page).await?;
    http::paged(rows.iter().map(views::prizes::award).collect::<Vec<_>>(), page, total)
}

fn award_id(ctx: &Ctx) -> ApiResult<PrizeAwardId> {
    ctx.param("prizeAwardId").map(PrizeAwardId::new)
}

async fn owned_award(ctx: &Ctx) -> ApiResult<db::prizes::AwardRow> {
    db::prizes::find_owned_award(&ctx.db, ctx.account_id()?, &award_id(ctx)?)
        .await?
        .ok_or_else(|| ApiError::not_found("Prize award not found"))
}

/// An optional JSON body: empty means `{}`.
async fn optional_body<T: serde::de::DeserializeOwned + Default>(req: &mut Request) -> ApiResult<T> {
    let bytes = http::read_body(req).await?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        http::parse_json(&bytes)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FulfilBody {
    note: Option<String>,
}

/// `POST /api/v1/prize-awards/:prizeAwardId/fulfil {note?}`: earned -> fulfilled.
pub async fn fulfil(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let award = owned_award(ctx).await?;
    let body: FulfilBody = optional_body(req).await?;
    let note = input::optional("note", body.note.as_deref(), 500)?;
    let done = ctx.commit(engine::prizes::fulfil(&ctx.db, ctx.account_id()?, &award, note.as_deref()).await?).await;
    http::data(200, views::prizes::award(&done))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct VoidBody {
    reason: Option<String>,
    #[serde(default)]
    burn_code: bool,
}

/// `POST /api/v1/prize-awards/:prizeAwardId/void {reason, burnCode?}`: final.
pub async fn void(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let award = owned_award(ctx).await?;
    let body: VoidBody = http::read_json(req).await?;
    let reason = input::required("reason", body.reason.as_deref(), 500)?;
    let done = engine::prizes::void(&ctx.db, ctx.account_id()?, &award, &reason, body.burn_code).await?;
    let done = ctx.commit(done).await;
    // The open results show winners and a draw's picks: this data centre sees the void at once.
    cache::forget_contest(&award.contest_id).await;
    http::data(200, views::prizes::award(&done))
}
