//! The route table: every endpoint the edge serves, as data. Pure, so the
//! OpenAPI document can be checked against it natively.

/// What a request is asking for, once its path and method are resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    ValidateReferralCode,
    OpenApiDocument,
}

pub struct RouteSpec {
    pub method: &'static str,
    /// Segments starting with `:` capture a path parameter.
    pub pattern: &'static str,
    pub route: Route,
}

pub const ROUTES: &[RouteSpec] = &[
    RouteSpec { method: "GET", pattern: "/api/referral/validate-code", route: Route::ValidateReferralCode },
    RouteSpec { method: "GET", pattern: "/api/openapi.json", route: Route::OpenApiDocument },
];

#[derive(Debug, PartialEq)]
pub enum RouteError {
    NotFound,
    MethodNotAllowed(Vec<&'static str>),
}

/// Captured path parameters, in pattern order.
#[derive(Debug, Default, PartialEq)]
pub struct PathParams(Vec<(&'static str, String)>);

impl PathParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

fn match_pattern(pattern: &'static str, path: &str) -> Option<PathParams> {
    let mut params = Vec::new();
    let mut want = pattern.split('/');
    let mut have = path.split('/');
    loop {
        match (want.next(), have.next()) {
            (None, None) => return Some(PathParams(params)),
            (Some(w), Some(h)) => {
                if let Some(name) = w.strip_prefix(':') {
                    if h.is_empty() {
                        return None;
                    }
                    params.push((name, percent_decode(h)?));
                } else if w != h {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Resolves a method and path. A literal segment wins over a parameter where both
/// match (e.g. `/entries/lookup/...` over `/entries/:entryId/...`): routes are
/// listed literal-first.
pub fn resolve(method: &str, path: &str) -> Result<(Route, PathParams), RouteError> {
    // A trailing slash names the same resource.
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    let mut allowed = Vec::new();
    for spec in ROUTES {
        if let Some(params) = match_pattern(spec.pattern, path) {
            if spec.method == method || (method == "HEAD" && spec.method == "GET") {
                return Ok((spec.route, params));
            }
            if !allowed.contains(&spec.method) {
                allowed.push(spec.method);
            }
        }
    }
    if allowed.is_empty() {
        Err(RouteError::NotFound)
    } else {
        Err(RouteError::MethodNotAllowed(allowed))
    }
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hi = hex(*bytes.get(i + 1)?)?;
            let lo = hex(*bytes.get(i + 2)?)?;
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_a_literal_route() {
        let (route, params) = resolve("GET", "/api/referral/validate-code").unwrap();
        assert_eq!(route, Route::ValidateReferralCode);
        assert_eq!(params, PathParams::default());
    }

    #[test]
    fn trailing_slash_and_head_resolve_like_get() {
        assert!(resolve("GET", "/api/referral/validate-code/").is_ok());
        assert!(resolve("HEAD", "/api/referral/validate-code").is_ok());
    }

    #[test]
    fn unknown_path_is_not_found_and_wrong_method_lists_allowed() {
        assert_eq!(resolve("GET", "/api/nope"), Err(RouteError::NotFound));
        assert_eq!(
            resolve("DELETE", "/api/referral/validate-code"),
            Err(RouteError::MethodNotAllowed(vec!["GET"]))
        );
    }

    #[test]
    fn captures_and_decodes_parameters() {
        let p = match_pattern("/a/:id/b", "/a/x%20y/b").unwrap();
        assert_eq!(p.get("id"), Some("x y"));
        assert!(match_pattern("/a/:id/b", "/a//b").is_none());
        assert!(match_pattern("/a/:id/b", "/a/%zz/b").is_none());
        assert!(match_pattern("/a/:id", "/a/1/extra").is_none());
    }
}
