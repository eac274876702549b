//! Rocket Tracker's edge: the Cloudflare Worker serving `/api/*` from D1.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod auth;
pub mod engine;
pub mod platform;
pub mod db;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod http;
pub mod input;
pub mod openapi;
pub mod routes;
pub mod views;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(app::handle(req, env).await)
}
