//! Rocket Tracker's edge: the Cloudflare Worker serving `/api/*` from D1.
//! See ARCHITECTURE.md for the map.

pub mod app;
pub mod db;
pub mod domain;
pub mod error;
pub mod handlers;
pub mod http;
pub mod openapi;
pub mod routes;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    Ok(app::handle(req, env).await)
}
