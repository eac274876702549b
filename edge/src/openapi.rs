//! The OpenAPI 3.1 document served at `/api/openapi.json`, kept beside the code
//! and checked against the route table by a test.

pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

/// Served as stored: no parse per request.
pub fn response() -> worker::Response {
    crate::http::raw_json_response(200, OPENAPI_JSON)
}

#[cfg(test)]
fn document() -> serde_json::Value {
    serde_json::from_str(OPENAPI_JSON).expect("openapi.json is valid JSON")
}

#[cfg(test)]
mod tests {
    use crate::routes::ROUTES;

    #[test]
    fn every_route_is_documented() {
        let doc = super::document();
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
