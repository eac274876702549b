//! Rocket Tracker's edge: the Cloudflare Worker serving `/api/*` from D1.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod auth;
pub mod cache;
pub mod contest_settings;
pub mod ctx;
pub mod db;
pub mod domain;
pub mod drawing;
pub mod engine;
pub mod error;
pub mod finalizing;
pub mod handlers;
pub mod http;
pub mod input;
pub mod limits;
pub mod mailing;
pub mod openapi;
pub mod outbox;
pub mod platform;
pub mod requests;
pub mod respond;
pub mod routes;
pub mod turnstile;
pub mod views;
pub mod visits;

use worker::{event, Context, Env, MessageBatch, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(app::handle(req, env).await)
}

/// The queues of `[[queues.consumers]]`: visits, finalizing contests, draws, email, and
/// the webhook queue with its dead-letter queue. Never fails: every message is acked or retried
/// inside (a failing handler would retry the whole batch).
#[event(queue)]
async fn queue(batch: MessageBatch<outbox::Job>, env: Env, _ctx: Context) -> Result<()> {
    if batch.queue() == visits::QUEUE_NAME {
        visits::consume(batch, env).await;
    } else if batch.queue() == finalizing::QUEUE_NAME {
        finalizing::consume(batch, env).await;
    } else if batch.queue() == drawing::QUEUE_NAME {
        drawing::consume(batch, env).await;
    } else if batch.queue() == mailing::QUEUE_NAME || batch.queue() == mailing::DEAD_LETTERS {
        mailing::consume(batch, env).await;
    } else {
        outbox::consume(batch, env).await;
    }
    Ok(())
}

/// The Cron Trigger (`[triggers] crons` in wrangler.toml, every 5 minutes):
/// pending awards whose `holdDays` passed confirm themselves; contest ends
/// are noted and contests finalized (`finalizing::cron`); webhook events
/// never sent to the queue are sent, and deliveries past 30 days forgotten.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let db = match env.d1("DB") {
        Ok(db) => db,
        Err(e) => return worker::console_error!("scheduled: no D1: {}", e),
    };
    match engine::review::confirm_due_holds(&db).await {
        Ok(confirmed) => {
            let n = outbox::commit(&env, confirmed).await;
            worker::console_log!("scheduled: {} held awards confirmed", n)
        }
        Err(e) => worker::console_error!("scheduled: {}", e.message()),
    }
    // Double opt-in: signups unconfirmed past confirmationDays are rejected.
    match engine::confirmation::reject_expired(&db).await {
        Ok(rejected) => {
            let n = outbox::commit(&env, rejected).await;
            worker::console_log!("scheduled: {} unconfirmed awards rejected", n)
        }
        Err(e) => worker::console_error!("scheduled: unconfirmed signups: {}", e.message()),
    }
    if let Err(e) = finalizing::cron(&db, &env).await {
        worker::console_error!("scheduled: contest ends: {}", e.message());
    }
    if let Err(e) = drawing::cron(&db, &env).await {
        worker::console_error!("scheduled: draws: {}", e.message());
    }
    match mailing::cron(&db, &env).await {
        Ok(n) => worker::console_log!("scheduled: {} queued emails re-sent", n),
        Err(e) => worker::console_error!("scheduled: email: {}", e.message()),
    }
    match outbox::sweep(&db, &env).await {
        Ok(n) => worker::console_log!("scheduled: {} webhook events re-sent", n),
        Err(e) => worker::console_error!("scheduled: webhooks: {}", e.message()),
    }
}
