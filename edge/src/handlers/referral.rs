//! The public referral endpoints (`/api/referral/*`): no key, CORS for any origin.

use crate::app::Ctx;
use crate::domain::ids::is_plausible_referral_code;
use crate::error::{ApiError, ApiResult};
use crate::{db, http};
use serde::Serialize;
use worker::{Request, Response};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ValidCode {
    valid: bool,
    referrer_email: String,
    referrer_name: Option<String>,
    contest_id: String,
}

/// `GET /api/referral/validate-code?code=&contestId=`: 200 `{"valid":true,...}`
/// for a live code, 200 `{"valid":false}` for any other.
pub async fn validate_code(ctx: &Ctx, req: &Request) -> ApiResult<Response> {
    let query = http::query_pairs(req)?;
    let (Some(code), Some(contest_id)) =
        (http::query_param(&query, "code"), http::query_param(&query, "contestId"))
    else {
        return Err(ApiError::bad_request("Missing code or contestId"));
    };
    let invalid = || Ok(http::json_response(200, &serde_json::json!({ "valid": false })));
    if !is_plausible_referral_code(code) {
        return invalid();
    }
    match db::entries::find_referrer(&ctx.db, contest_id, code).await? {
        Some(r) => Ok(http::json_response(
            200,
            &ValidCode {
                valid: true,
                referrer_email: r.email_display,
                referrer_name: r.name,
                contest_id: r.contest_id,
            },
        )),
        None => invalid(),
    }
}
