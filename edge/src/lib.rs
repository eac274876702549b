//! Rocket Tracker's edge: the Cloudflare Worker serving `/api/*` from D1.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod auth;
pub mod ctx;
pub mod db;
pub mod domain;
pub mod engine;
pub mod error;
pub mod handlers;
pub mod http;
pub mod input;
pub mod limits;
pub mod openapi;
pub mod platform;
pub mod requests;
pub mod respond;
pub mod routes;
pub mod turnstile;
pub mod views;

use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(app::handle(req, env).await)
}

/// The Cron Trigger (`[triggers] crons` in wrangler.toml): pending awards whose
/// `holdDays` passed confirm themselves.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let outcome = match env.d1("DB") {
        Ok(db) => engine::confirm_due_holds(&db).await,
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(n) => worker::console_log!("scheduled: {} held awards confirmed", n),
        Err(e) => worker::console_error!("scheduled: {}", e.message()),
    }
}
