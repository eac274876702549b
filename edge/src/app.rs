//! Request dispatch: resolve the route, run its handler, map every error once.

use crate::error::{ApiError, ApiResult};
use crate::handlers::referral;
use crate::http;
use crate::routes::{resolve, PathParams, Route, RouteError};
use worker::{D1Database, Env, Method, Request, Response};

/// What every handler may use.
pub struct Ctx {
    pub db: D1Database,
    pub env: Env,
}

pub async fn handle(req: Request, env: Env) -> Response {
    match dispatch(req, env).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn dispatch(mut req: Request, env: Env) -> ApiResult<Response> {
    if req.method() == Method::Options {
        return Ok(http::preflight());
    }
    let path = req.path();
    let (route, params) = resolve(req.method().as_ref(), &path).map_err(|e| match e {
        RouteError::NotFound => ApiError::not_found("Not found"),
        RouteError::MethodNotAllowed(allowed) => ApiError::MethodNotAllowed { allowed },
    })?;
    let ctx = Ctx { db: env.d1("DB")?, env };
    run(&ctx, route, &params, &mut req).await
}

async fn run(ctx: &Ctx, route: Route, _params: &PathParams, req: &mut Request) -> ApiResult<Response> {
    match route {
        Route::ValidateReferralCode => referral::validate_code(ctx, req).await,
        Route::OpenApiDocument => Ok(http::json_response(200, &crate::openapi::document())),
    }
}
