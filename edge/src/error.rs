//! The one error type of the edge, mapped once to the documented JSON envelope
//! `{"success": false, "error": "<message>"}`.

use crate::db::error::StorageError;
/// Part of `ApiError::Duplicate`: the engine matches the constraint it retries.
pub use crate::db::error::Unique;
use crate::respond;
use worker::Response;

#[derive(Debug, PartialEq)]
pub enum ApiError {
    /// 400: the request is malformed or fails validation.
    BadRequest(String),
    /// 401: no API key, or one we do not know.
    Unauthorized,
    /// 401: the admin bearer token is missing or wrong.
    AdminUnauthorized,
    /// 401: a webhook's shared secret or a signature (webhooks, the confirm
    /// link) does not match.
    WebhookUnauthorized(&'static str),
    /// 403: the key is valid but not allowed to do this.
    Forbidden(&'static str),
    /// 404: unknown route, or a resource that does not exist (or belongs to another account).
    NotFound(String),
    /// 404 `Referral code not found`: a code in the body names no live advocate.
    /// A key route whose path names the contest answers it as a 409 instead
    /// (the path's resource exists; its state refuses the code): `on_route`.
    UnknownReferralCode,
    /// 405: the path exists, the method does not.
    MethodNotAllowed { allowed: Vec<&'static str> },
    /// 401: a private key sent in the query string (where logs and referrers keep it).
    KeyInQuery,
    /// 401: a participant token that is malformed, expired or revoked.
    InvalidToken,
    /// 409: the request is valid but the resource's state refuses it (paused contest...).
    Conflict(String),
    /// A write refused by a unique constraint (`StorageError::Unique`):
    /// 409 for the ones a client can cause, 500 for the others.
    Duplicate(Unique),
    /// 413: the body is larger than we accept.
    PayloadTooLarge { limit: usize },
    /// 429: over a rate limit; try again after `retry_after` seconds.
    TooManyRequests { retry_after: u32 },
    /// 429: too many wrong answers to a quiz; try again after `retry_after` seconds.
    TooManyWrongAnswers { retry_after: u32 },
    /// 500: a bug or a platform failure. The detail is logged, never shown.
    Internal(String),
}

impl ApiError {
    pub fn bad_request(msg: impl Into<String>) -> Self {
        Self::BadRequest(msg.into())
    }
    pub fn not_found(msg: impl Into<String>) -> Self {
        Self::NotFound(msg.into())
    }
    pub fn conflict(msg: impl Into<String>) -> Self {
        Self::Conflict(msg.into())
    }

    /// The error as its route answers it, decided here once (`app` calls it
    /// for every route): an unknown referral code is the 409 of a key route
    /// whose path names the contest (the v1 entry create), the 404 elsewhere
    /// (the open endpoints, Referral Rocket's API).
    pub fn on_route(self, key_route_naming_contest: bool) -> Self {
        match self {
            Self::UnknownReferralCode if key_route_naming_contest => Self::conflict("Referral code not found"),
            other => other,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 400,
            Self::Unauthorized
            | Self::AdminUnauthorized
            | Self::WebhookUnauthorized(_)
            | Self::KeyInQuery
            | Self::InvalidToken => 401,
            Self::Forbidden(_) => 403,
            Self::NotFound(_) | Self::UnknownReferralCode => 404,
            Self::MethodNotAllowed { .. } => 405,
            Self::Conflict(_) | Self::Duplicate(Unique::EntryEmail) => 409,
            Self::Duplicate(_) => 500,
            Self::PayloadTooLarge { .. } => 413,
            Self::TooManyRequests { .. } | Self::TooManyWrongAnswers { .. } => 429,
            Self::Internal(_) => 500,
        }
    }

    /// The message a client sees.
    pub fn message(&self) -> String {
        match self {
            Self::BadRequest(m) | Self::NotFound(m) | Self::Conflict(m) => m.clone(),
            Self::Unauthorized => "Invalid API key".into(),
            Self::UnknownReferralCode => "Referral code not found".into(),
            Self::KeyInQuery => "Private keys are refused in the query string: send it in the x-api-key header".into(),
            Self::InvalidToken => "Invalid or expired participant token".into(),
            Self::TooManyRequests { .. } => "Too many requests: try again in a minute".into(),
            Self::TooManyWrongAnswers { .. } => "Too many wrong answers: try again later".into(),
            Self::AdminUnauthorized => "Invalid admin token".into(),
            Self::WebhookUnauthorized(m) => (*m).into(),
            Self::Forbidden(m) => (*m).into(),
            Self::MethodNotAllowed { .. } => "Method not allowed".into(),
            Self::PayloadTooLarge { limit } => {
                let mut m = String::from("Request body too large (limit ");
                m.push_str(&limit.to_string());
                m.push_str(" bytes)");
                m
            }
            Self::Duplicate(Unique::EntryEmail) => "Email already has an entry in this contest".into(),
            Self::Internal(_) | Self::Duplicate(_) => "Internal server error".into(),
        }
    }

    pub fn into_response(self) -> Response {
        match &self {
            Self::Internal(detail) => worker::console_error!("internal error: {}", detail),
            Self::Duplicate(u @ (Unique::EntryReferralCode | Unique::Other)) => {
                worker::console_error!("internal error: unique violation {:?}", u)
            }
            _ => {}
        }
        let body = ErrorBody { success: false, error: self.message() };
        let mut response = respond::json_response(self.status(), &body);
        if let Self::MethodNotAllowed { allowed } = &self {
            let _ = response.headers_mut().set("Allow", &allowed.join(", "));
        }
        if let Self::TooManyRequests { retry_after } | Self::TooManyWrongAnswers { retry_after } = &self {
            let _ = response.headers_mut().set("Retry-After", &retry_after.to_string());
        }
        response
    }
}

/// Platform errors (D1, bindings) are never the client's fault.
impl From<worker::Error> for ApiError {
    fn from(e: worker::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

/// Storage errors, mapped here once: a unique violation keeps its name (a
/// client can cause some, a 409), any other is a 500.
impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::Unique(u) => Self::Duplicate(u),
            StorageError::D1(detail) => Self::Internal(detail),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The documented error envelope: `{"success": false, "error": "<message>"}`.
#[derive(serde::Serialize)]
struct ErrorBody {
    success: bool,
    error: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_errors_map_once_to_the_api_error() {
        let api = |e: StorageError| ApiError::from(e);
        assert_eq!(api(StorageError::Unique(Unique::EntryEmail)), ApiError::Duplicate(Unique::EntryEmail));
        assert_eq!(
            api(StorageError::Unique(Unique::EntryReferralCode)),
            ApiError::Duplicate(Unique::EntryReferralCode)
        );
        assert!(matches!(api(StorageError::D1("D1_ERROR: no such table: x".into())), ApiError::Internal(_)));
        assert_eq!(ApiError::Duplicate(Unique::EntryEmail).status(), 409);
        assert_eq!(ApiError::Duplicate(Unique::Other).status(), 500);
    }

    #[test]
    fn an_unknown_code_is_a_conflict_only_on_a_key_route_naming_the_contest() {
        let on_contest = ApiError::UnknownReferralCode.on_route(true);
        assert_eq!((on_contest.status(), on_contest.message().as_str()), (409, "Referral code not found"));
        let open = ApiError::UnknownReferralCode.on_route(false);
        assert_eq!((open.status(), open.message().as_str()), (404, "Referral code not found"));
        assert_eq!(ApiError::conflict("x").on_route(true), ApiError::conflict("x"));
    }
}
