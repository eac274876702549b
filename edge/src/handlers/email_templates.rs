//! The owner's messages: each kind's template (on/off, subject, text, HTML)
//! and the test send. The rules of a change are `domain::email_templates::edit`.

use crate::ctx::{owned_contest, Ctx};
use crate::db::contests::ContestRow;
use crate::domain::email::Email;
use crate::domain::email_templates::edit::{self, Change, Field, Refusal};
use crate::domain::email_templates::MessageKind;
use crate::error::{ApiError, ApiResult};
use crate::input::double_option;
use crate::{db, engine, http, platform, views};
use serde::Deserialize;
use worker::{Request, Response};

/// A templated kind named in the path (`test` has no template of its own): 404 otherwise.
fn kind_of(ctx: &Ctx) -> ApiResult<MessageKind> {
    MessageKind::parse(ctx.param("kind")?)
        .filter(|k| MessageKind::TEMPLATED.contains(k))
        .ok_or_else(|| ApiError::not_found("Unknown email kind"))
}

/// `GET /api/v1/contests/:contestId/email-templates`: every kind, in the order shown.
pub async fn list(ctx: &Ctx) -> ApiResult<Response> {
    let contest = owned_contest(ctx).await?;
    let stored = db::email_templates::of_contest(&ctx.db, &contest.id).await?;
    let all: Vec<_> = MessageKind::TEMPLATED
        .into_iter()
        .map(|kind| view(&contest, kind, stored.iter().find(|t| t.kind == kind)))
        .collect();
    http::data(200, all)
}

/// `GET /api/v1/contests/:contestId/email-templates/:kind`.
pub async fn get(ctx: &Ctx) -> ApiResult<Response> {
    let kind = kind_of(ctx)?;
    let contest = owned_contest(ctx).await?;
    let stored = db::email_templates::one(&ctx.db, &contest.id, kind).await?;
    http::data(200, view(&contest, kind, stored.as_ref()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateInput {
    #[serde(default, deserialize_with = "double_option")]
    enabled: Option<Option<bool>>,
    #[serde(default, deserialize_with = "double_option")]
    subject: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    text: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    html: Option<Option<String>>,
}

/// `PUT /api/v1/contests/:contestId/email-templates/:kind`: the fields named
/// change (`null` or blank: back to the shipped default); 409 turning
/// `portal` off or `confirm` against `requireEmailConfirmation`.
pub async fn put(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let input: TemplateInput = http::read_json(req).await?;
    let kind = kind_of(ctx)?;
    let contest = owned_contest(ctx).await?;
    let change = Change {
        enabled: Field::from_patch(input.enabled),
        subject: Field::from_patch(input.subject),
        text: Field::from_patch(input.text),
        html: Field::from_patch(input.html),
    };
    let change = edit::check(kind, change, contest.require_email_confirmation).map_err(|r| match r {
        Refusal::Invalid(m) => ApiError::BadRequest(m),
        Refusal::Conflict(m) => ApiError::Conflict(m),
    })?;
    let saved = db::email_templates::save(&ctx.db, &contest.id, kind, &change, &platform::now_iso()).await?;
    http::data(200, view(&contest, kind, saved.as_ref()))
}

fn view(
    contest: &ContestRow,
    kind: MessageKind,
    stored: Option<&db::email_templates::TemplateRow>,
) -> views::emails::EmailTemplate {
    views::emails::template(kind, contest.email_locale, stored, contest.require_email_confirmation)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestInput {
    kind: String,
    to: Option<String>,
}

/// `POST /api/v1/contests/:contestId/emails/test {kind, to?}`: the message of
/// `kind` with sample values, to `to` or else the contest's reply-to address,
/// else its sender address (the owner's own); 409 without a sender address.
/// 202 with the message as the owner's list shows it (`capped` past the daily cap).
pub async fn send_test(ctx: &Ctx, req: &mut Request) -> ApiResult<Response> {
    let input: TestInput = http::read_json(req).await?;
    let kind = MessageKind::parse(&input.kind).filter(|k| MessageKind::TEMPLATED.contains(k)).ok_or_else(|| {
        ApiError::bad_request(
            "kind must be one of welcome, confirm, referral.confirmed, prize.earned, contest.results, portal",
        )
    })?;
    let to = input
        .to
        .as_deref()
        .map(|a| Email::parse(a).map_err(|_| ApiError::bad_request("to must be an email address")))
        .transpose()?;
    let contest = owned_contest(ctx).await?;
    let Some(from) = contest.email_from.as_deref() else {
        return Err(ApiError::conflict("This contest sends no email: set its sender address first"));
    };
    let owner = match &to {
        Some(to) => to.normalized().to_owned(),
        None => {
            let address = contest.email_reply_to.as_deref().unwrap_or(from);
            Email::parse(address).map(|e| e.normalized().to_owned()).unwrap_or_else(|_| address.to_owned())
        }
    };
    let decided = ctx.commit(engine::emails::send_test(&ctx.db, &contest.id, kind, &owner).await?).await;
    let sent = decided.ok_or_else(|| ApiError::Internal("test email not written".into()))?;
    if sent.status == "queued" {
        crate::mailing::send_queued(&ctx.env, std::slice::from_ref(&sent.id)).await;
    }
    http::data(202, views::emails::email(&sent))
}
