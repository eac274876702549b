//! The OpenAPI 3.1 document (`edge/openapi.json`), served at `/api/openapi.json`.
//! The build copies it into the static assets: the worker hands it out from there
//! rather than carrying its ~130 KB in the wasm every cold start pays for.

use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::http;
use worker::Response;

pub async fn response(ctx: &Ctx) -> ApiResult<Response> {
    let mut asset = ctx.env.assets("ASSETS")?.fetch("https://assets.local/openapi.json", None).await?;
    if asset.status_code() != 200 {
        return Err(ApiError::Internal("openapi.json missing from the assets".into()));
    }
    let body = asset.bytes().await?;
    Ok(http::raw_json_response(200, &String::from_utf8_lossy(&body)))
}

#[cfg(test)]
mod tests {
    use crate::routes::ROUTES;

    #[test]
    fn every_route_is_documented() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).expect("openapi.json is valid JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        for spec in ROUTES {
            let path: String = spec
                .pattern
                .split('/')
                .map(|s| match s.strip_prefix(':') {
                    Some(name) => format!("{{{name}}}"),
                    None => s.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/");
            let op = &doc["paths"][&path][spec.method.to_ascii_lowercase()];
            assert!(op.is_object(), "{} {} is missing from openapi.json", spec.method, path);
        }
    }
}
