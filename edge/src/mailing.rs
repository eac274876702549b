//! Participant email, the runtime side: the `EMAIL_QUEUE` queue
//! (`rocket-email`, one message per `emails` row) and its consumer, which
//! renders the message (`domain::email_templates::render`) and sends it
//! through the `EMAIL` `[[send_email]]` binding (Cloudflare Email Service);
//! the dead-letter queue (`rocket-email-dlq`) fails what the queue gave up
//! on; the cron re-sends queued rows whose message was lost.
//!
//! The flow: a use case puts `db::emails::enqueue` into its own batch (the row
//! decides suppressed / erased / capped / queued in SQL, once per cause), then
//! hands the queued ids (`db::emails::queued_in`) to `send_queued`. Lifecycle
//! messages come from the webhook outbox's events (`on_event`, called by
//! `outbox`'s fan-out), so every path that writes the event sends the mail.

use crate::db::emails::{self as rows, EmailJob};
use crate::domain::email_templates::{self, MessageKind, Template, Vars};
use crate::domain::{participant_token, portal};
use crate::domain::{time, unsubscribe};
use crate::error::{ApiError, ApiResult};
use crate::platform;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use worker::{D1Database, Env, Message, MessageBatch, MessageExt, QueueRetryOptionsBuilder};

/// The queue's binding and names (wrangler.toml).
const QUEUE: &str = "EMAIL_QUEUE";
pub const QUEUE_NAME: &str = "rocket-email";
pub const DEAD_LETTERS: &str = "rocket-email-dlq";
/// The Email Service binding.
const BINDING: &str = "EMAIL";
/// The worker's public origin for links made outside a request.
const ORIGIN_VAR: &str = "PUBLIC_ORIGIN";
/// Tests: retry at once instead of after the backoff.
const RETRY_AT_ONCE: &str = "EMAIL_RETRY_AT_ONCE";
/// Attempts before a message is `failed`, and the delay before each retry.
const RETRY_DELAYS_SECS: [u32; 4] = [30, 120, 600, 1800];
/// The cron: queued rows older than this lost their message.
const LOST_AFTER_MS: i64 = 5 * 60_000;
const LOST_LIMIT: u32 = 500;

/// One queue message: send this `emails` row.
#[derive(Serialize, Deserialize)]
pub struct Job {
    pub email: String,
}

/// Sends queued ids to the queue. A failure is only logged: the rows are
/// written and the cron sends what waited too long.
pub async fn send_queued(env: &Env, ids: &[String]) {
    for chunk in ids.chunks(100) {
        let jobs: Vec<Job> = chunk.iter().map(|id| Job { email: id.clone() }).collect();
        let sent = match env.queue(QUEUE) {
            Ok(queue) => queue.send_batch(jobs).await,
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            worker::console_error!("email: messages not queued (the cron will): {}", e);
        }
    }
}

/// The consumer of both queues; never fails (every message acked or retried).
pub async fn consume<T>(batch: MessageBatch<T>, env: Env) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(e) => {
            worker::console_error!("email: no D1: {}", e);
            return batch.retry_all();
        }
    };
    let dead = batch.queue() == DEAD_LETTERS;
    for raw in batch.raw_iter() {
        let Ok(message) = Message::<Job>::try_from(raw) else { continue };
        let id = message.body().email.clone();
        let handled = if dead {
            rows::give_up(&db, &id, Some("The queue gave up on this message")).await.map(|_| None).map_err(Into::into)
        } else {
            attempt(&db, &env, &id).await
        };
        match handled {
            Ok(None) => message.ack(),
            Ok(Some(delay)) => {
                message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build())
            }
            Err(e) => {
                worker::console_error!("email: {}", e.message());
                message.retry();
            }
        }
    }
}

/// One attempt: `Some(delay)` to retry after.
async fn attempt(db: &D1Database, env: &Env, id: &str) -> ApiResult<Option<u32>> {
    let Some(job) = rows::job(db, id).await? else { return Ok(None) };
    if job.status != "queued" {
        return Ok(None);
    }
    let Some(from) = job.email_from.clone() else {
        rows::give_up(db, id, Some("The contest has no sender address (PATCH email.from)")).await?;
        return Ok(None);
    };
    let Some(origin) = env.var(ORIGIN_VAR).ok().map(|v| v.to_string()).filter(|o| !o.is_empty()) else {
        rows::give_up(db, id, Some("PUBLIC_ORIGIN is not set (wrangler.toml [vars])")).await?;
        return Ok(None);
    };
    let secret = env
        .secret("IP_HASH_KEY")
        .map(|s| s.to_string())
        .map_err(|_| ApiError::Internal("IP_HASH_KEY is not set".into()))?;
    let unsubscribe = unsubscribe_url(&origin, &secret, job.contest_id.as_str(), &job.to_address);
    let portal = portal_link(db, &job, &origin).await?;
    let confirm = confirm_link(db, &job, &origin).await?;
    let rendered = render(&job, &origin, &unsubscribe, portal, confirm);
    match send(env, &job, &from, &rendered, &unsubscribe).await {
        Ok(message_id) => {
            rows::mark_sent(db, id, &message_id, &platform::now_iso()).await?;
            Ok(None)
        }
        Err(error) => {
            let number = usize::try_from(job.attempts).unwrap_or(0) + 1;
            let delay = RETRY_DELAYS_SECS.get(number - 1).copied();
            rows::record_failure(db, id, &error, delay.is_none()).await?;
            let at_once = env.var(RETRY_AT_ONCE).is_ok_and(|v| v.to_string() == "1");
            Ok(delay.map(|d| if at_once { 0 } else { d }))
        }
    }
}

/// The one-click URL (RFC 8058), also the body's link.
pub fn unsubscribe_url(origin: &str, secret: &str, contest_id: &str, address: &str) -> String {
    [origin, "/api/referral/unsubscribe?token=", &unsubscribe::token(secret, contest_id, address)].concat()
}

/// The sign-in link of `portal` and `welcome`: the hosted page with a
/// participant token minted now, valid `portal::LINK_TTL_SECS` from the send
/// (`domain::portal`); none for other kinds or without an entry.
async fn portal_link(db: &D1Database, job: &EmailJob, origin: &str) -> ApiResult<Option<String>> {
    let (MessageKind::Portal | MessageKind::Welcome, Some(entry_id)) = (job.kind, &job.entry_id) else {
        return Ok(None);
    };
    let Some(contest) = crate::db::contests::find(db, &job.contest_id).await? else { return Ok(None) };
    let fresh = crate::domain::signature::hex(&platform::random_bytes::<32>());
    let secret = crate::db::accounts::token_secret(db, &contest.account_id, &fresh).await?;
    let expires = platform::now_ms() / 1000 + portal::LINK_TTL_SECS;
    let token = participant_token::mint(&secret, entry_id.as_str(), expires);
    Ok(Some(portal::link(origin, job.contest_id.as_str(), &token)))
}

/// The `confirm` message's link (`domain::confirm_token`): signed with the
/// account's token secret, as the confirm route checks it, and valid until the
/// entry's `confirm_by`; none once the entry no longer waits.
async fn confirm_link(db: &D1Database, job: &EmailJob, origin: &str) -> ApiResult<Option<String>> {
    let (MessageKind::Confirm, Some(entry_id)) = (job.kind, &job.entry_id) else {
        return Ok(None);
    };
    let Some(confirm_by) = crate::db::entries::confirm_by(db, entry_id).await? else { return Ok(None) };
    let Some(contest) = crate::db::contests::find(db, &job.contest_id).await? else { return Ok(None) };
    let fresh = crate::domain::signature::hex(&platform::random_bytes::<32>());
    let secret = crate::db::accounts::token_secret(db, &contest.account_id, &fresh).await?;
    Ok(crate::domain::confirm_token::link(origin, &secret, entry_id.as_str(), &confirm_by))
}

fn render(
    job: &EmailJob,
    origin: &str,
    unsubscribe: &str,
    portal_link: Option<String>,
    confirm_link: Option<String>,
) -> email_templates::Rendered {
    let referral_link = job.referral_code.as_deref().map(|code| match job.campaign_url.as_deref() {
        Some(url) => crate::domain::rewards::referral_link(url, code).replace("referralCode=", "ref="),
        None => [origin, "/r/", job.contest_id.as_str(), "?ref=", code].concat(),
    });
    let vars = Vars {
        name: job.entry_name.clone(),
        contest_name: Some(job.contest_name.clone()),
        referral_link,
        portal_link,
        confirm_link,
        unsubscribe_link: Some(unsubscribe.to_owned()),
        points: job.points,
        rank: job.rank,
        prize_name: job.prize_name.clone(),
        code: job.code.clone(),
    };
    let custom = Template { subject: job.subject.clone(), text: job.body_text.clone(), html: job.body_html.clone() };
    let has_custom = custom.subject.is_some() || custom.text.is_some() || custom.html.is_some();
    let locale = job.entry_locale.unwrap_or(job.email_locale);
    if job.kind == MessageKind::Test {
        // The owner's test send: the kind it tests (its `ref_id`), sample values.
        let tested = job.ref_id.as_deref().and_then(MessageKind::parse).unwrap_or(MessageKind::Test);
        return email_templates::render_test(tested, locale, has_custom.then_some(&custom), &job.contest_name, origin);
    }
    email_templates::render(job.kind, locale, has_custom.then_some(&custom), &vars)
}

/// Sends through the binding; the provider's message id, or the error.
async fn send(
    env: &Env,
    job: &EmailJob,
    from: &str,
    rendered: &email_templates::Rendered,
    unsubscribe: &str,
) -> Result<String, String> {
    let binding = env.send_email(BINDING).map_err(|e| ["No EMAIL binding: ", &e.to_string()].concat())?;
    let from_name = job.email_from_name.as_deref().unwrap_or(&job.contest_name);
    let sender = worker::EmailAddress::new(from_name, from);
    let message = worker::SendEmailBuilder::new_with_email_address_and_str(&sender, &job.to_address, &rendered.subject);
    message.set_text(&rendered.text);
    message.set_html(&rendered.html);
    if let Some(reply_to) = job.email_reply_to.as_deref() {
        message.set_reply_to(reply_to);
    }
    let headers = js_sys::Object::new();
    let set =
        |name: &str, value: &str| js_sys::Reflect::set(&headers, &JsValue::from_str(name), &JsValue::from_str(value));
    set("List-Unsubscribe", &["<", unsubscribe, ">"].concat()).map_err(|_| "headers".to_string())?;
    set("List-Unsubscribe-Post", "List-Unsubscribe=One-Click").map_err(|_| "headers".to_string())?;
    message.set_headers(wasm_bindgen::JsCast::unchecked_ref(&headers));
    match binding.send_with_builder(&message).await {
        Ok(result) => Ok(result.message_id()),
        Err(e) => {
            let text = String::from(e.message());
            let text = if text.is_empty() { "The send failed".to_string() } else { text };
            Err(text.chars().take(500).collect())
        }
    }
}

/// The cron's part: prizes no event told get their `prize.earned`; queued
/// messages whose queue message was lost are queued again.
pub async fn cron(db: &D1Database, env: &Env) -> ApiResult<usize> {
    let told = crate::engine::emails::untold_prizes(db, LOST_LIMIT).await?;
    send_queued(env, &told).await;
    let before = time::iso8601(platform::now_ms() - LOST_AFTER_MS);
    let lost = rows::lost(db, &before, LOST_LIMIT).await?;
    send_queued(env, &lost).await;
    Ok(lost.len())
}
