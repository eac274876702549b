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
    use crate::domain::webhooks::EventType;
    use crate::routes::ROUTES;

    fn document() -> serde_json::Value {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json")).unwrap();
        serde_json::from_str(&text).expect("openapi.json is valid JSON")
    }

    fn schema_enum(doc: &serde_json::Value, name: &str) -> Vec<String> {
        let values = doc["components"]["schemas"][name]["enum"].as_array().expect("the schema is an enum");
        values.iter().map(|v| v.as_str().expect("a string").to_string()).collect()
    }

    /// The documented event types are the worker's, in its order: the ones an
    /// endpoint subscribes to (what the dashboard's types are made from) and
    /// every `type` a body may carry.
    #[test]
    fn documented_event_types_are_the_workers() {
        let doc = document();
        let subscribable: Vec<String> = EventType::subscribable().map(|t| t.as_str().to_string()).collect();
        assert_eq!(schema_enum(&doc, "WebhookSubscribableEvent"), subscribable);
        let all: Vec<String> = EventType::ALL.iter().map(|t| t.as_str().to_string()).collect();
        assert_eq!(schema_enum(&doc, "WebhookEventType"), all);
    }

    #[test]
    fn every_route_is_documented() {
        let doc = document();
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
