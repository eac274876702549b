//! First-party mode: the worker on the customer's own domain under `/rt/`
//! (a Worker route such as `shop.com/rt/*`), so the tracker's visit call is
//! same-origin and its answer sets the referral cookie from the server.
//! Browsers cap cookies written by page scripts (Safari: 7 days); a cookie a
//! same-site server sets lasts what it says.

use rocket_rules::referral_cookie::{MAX_DAYS, NAME};

/// The path prefix of first-party mode.
pub const PREFIX: &str = "/rt";

/// The path without the first-party prefix, when it has it: `/rt/api/x` -> `/api/x`.
pub fn strip_prefix(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(PREFIX)?;
    if rest.is_empty() {
        Some("/")
    } else {
        rest.starts_with('/').then_some(rest)
    }
}

/// The static files served under the prefix: the tracker's three (its loader,
/// the content-hashed script and wasm). Nothing else of the site (the
/// dashboard stays off the customer's domain).
pub fn is_tracker_file(path: &str) -> bool {
    path == "/referral-tracker.js"
        || path.strip_prefix("/referral-tracker/").is_some_and(|f| is_plain_file_name(f) && f.ends_with(".js"))
        || path.strip_prefix("/referral-tracker.").is_some_and(|f| is_plain_file_name(f) && f.ends_with(".wasm"))
}

fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
}

/// The site a first-party request comes from: the page's own origin calling
/// under the prefix (its `Origin` header equals the request's origin).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    pub host: String,
    pub secure: bool,
}

impl Site {
    /// `Some` only for a same-origin request: a cross-site page cannot make the
    /// worker set a cookie on the customer's domain.
    pub fn of_request(request_origin: &str, origin_header: Option<&str>) -> Option<Self> {
        if origin_header? != request_origin {
            return None;
        }
        let (secure, rest) = match request_origin.split_once("://")? {
            ("https", rest) => (true, rest),
            ("http", rest) => (false, rest),
            _ => return None,
        };
        let host = if rest.starts_with('[') {
            rest.split_inclusive(']').next().unwrap_or(rest)
        } else {
            rest.split(':').next().unwrap_or(rest)
        };
        (!host.is_empty()).then(|| Self { host: host.to_ascii_lowercase(), secure })
    }
}

/// Second-level labels that are public suffixes under a two-letter country
/// code (`co.uk`, `com.au`, `ne.jp`...): the registrable domain is one label longer.
const COUNTRY_SECOND_LEVELS: &[&str] = &[
    "ac", "co", "com", "edu", "go", "gob", "gov", "gv", "ltd", "me", "mil", "ne", "net", "nic", "or", "org", "plc",
    "sch",
];

/// The domain the cookie goes on so every subdomain shares it (`www.` and
/// `app.` of `shop.com`): `configured` (the `COOKIE_DOMAIN` variable) when the
/// host is it or under it, else the host's registrable domain as far as a
/// short rule knows it. `None` (a host-only cookie) for IP addresses,
/// `localhost` and single labels. A site on a suffix the rule does not know
/// (`github.io`-like) sets `COOKIE_DOMAIN`.
pub fn cookie_domain(host: &str, configured: Option<&str>) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Some(domain) = configured.map(|d| d.trim().trim_start_matches('.').to_ascii_lowercase()) {
        if !domain.is_empty() && (host == domain || host.ends_with(&[".", &domain].concat())) {
            return Some(domain);
        }
    }
    let is_ip = host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let labels: Vec<&str> = host.split('.').collect();
    if is_ip || labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let n = labels.len();
    let under_country = labels[n - 1].len() == 2 && COUNTRY_SECOND_LEVELS.contains(&labels[n - 2]);
    let keep = if under_country { 3 } else { 2 };
    (n >= keep).then(|| labels[n - keep..].join("."))
}

/// The `Set-Cookie` value for a referral code the visit confirmed (a valid
/// `ReferralCode`, so it needs no encoding). Not `HttpOnly`: the tracker's
/// `getReferralCode` reads it.
pub fn referral_cookie(code: &str, days: u32, domain: Option<&str>, secure: bool) -> String {
    let days = days.clamp(1, MAX_DAYS);
    let mut cookie = [NAME, "=", code, "; Path=/; Max-Age=", &(u64::from(days) * 86_400).to_string()].concat();
    if let Some(domain) = domain {
        cookie.push_str("; Domain=");
        cookie.push_str(domain);
    }
    cookie.push_str("; SameSite=Lax");
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_prefix_only_at_a_segment() {
        assert_eq!(strip_prefix("/rt/api/referral/track-visit"), Some("/api/referral/track-visit"));
        assert_eq!(strip_prefix("/rt/referral-tracker.js"), Some("/referral-tracker.js"));
        assert_eq!(strip_prefix("/rt"), Some("/"));
        assert_eq!(strip_prefix("/rtx/api"), None);
        assert_eq!(strip_prefix("/api/rt/x"), None);
    }

    #[test]
    fn serves_only_the_tracker_files() {
        assert!(is_tracker_file("/referral-tracker.js"));
        assert!(is_tracker_file("/referral-tracker/0123456789ab.js"));
        assert!(is_tracker_file("/referral-tracker.0123456789ab.wasm"));
        for other in [
            "/",
            "/dashboard/",
            "/widget.js",
            "/referral-tracker/../dashboard/x.js",
            "/referral-tracker.js.map",
            "/referral-tracker/x/y.js",
            "/referral-tracker.wasm/x",
        ] {
            assert!(!is_tracker_file(other), "{other}");
        }
    }

    #[test]
    fn a_site_is_a_same_origin_request() {
        let site = Site::of_request("https://www.shop.com", Some("https://www.shop.com")).unwrap();
        assert_eq!(site, Site { host: "www.shop.com".into(), secure: true });
        let local = Site::of_request("http://127.0.0.1:8787", Some("http://127.0.0.1:8787")).unwrap();
        assert_eq!(local, Site { host: "127.0.0.1".into(), secure: false });
        let v6 = Site::of_request("https://[::1]:8443", Some("https://[::1]:8443")).unwrap();
        assert_eq!(v6.host, "[::1]");
        assert_eq!(Site::of_request("https://www.shop.com", Some("https://evil.example")), None);
        assert_eq!(Site::of_request("https://www.shop.com", Some("http://www.shop.com")), None);
        assert_eq!(Site::of_request("https://www.shop.com", None), None);
        assert_eq!(Site::of_request("https://www.shop.com", Some("null")), None);
    }

    #[test]
    fn the_cookie_goes_on_the_registrable_domain() {
        assert_eq!(cookie_domain("www.shop.com", None).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("app.shop.com", None).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("shop.com", None).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("a.b.shop.com.", None).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("WWW.Shop.Test", None).as_deref(), Some("shop.test"));
        assert_eq!(cookie_domain("www.shop.co.uk", None).as_deref(), Some("shop.co.uk"));
        assert_eq!(cookie_domain("shop.com.au", None).as_deref(), Some("shop.com.au"));
        assert_eq!(cookie_domain("www.shop.ne.jp", None).as_deref(), Some("shop.ne.jp"));
        // A country code's own second level is no registrable domain.
        assert_eq!(cookie_domain("co.uk", None), None);
        // shop.co (Colombia's co at the top) is the shop's.
        assert_eq!(cookie_domain("www.shop.co", None).as_deref(), Some("shop.co"));
    }

    #[test]
    fn host_only_where_no_domain_can_be_shared() {
        for host in ["127.0.0.1", "localhost", "[::1]", "intranet", "", "a..b"] {
            assert_eq!(cookie_domain(host, None), None, "{host}");
        }
    }

    #[test]
    fn a_configured_domain_wins_when_the_host_is_under_it() {
        assert_eq!(cookie_domain("shop.github.io", Some("shop.github.io")).as_deref(), Some("shop.github.io"));
        assert_eq!(cookie_domain("www.shop.github.io", Some(".Shop.GitHub.io")).as_deref(), Some("shop.github.io"));
        // Not the host's: the browser would refuse it, so the rule decides.
        assert_eq!(cookie_domain("www.shop.com", Some("other.com")).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("www.shop.com", Some("hop.com")).as_deref(), Some("shop.com"));
        assert_eq!(cookie_domain("www.shop.com", Some("")).as_deref(), Some("shop.com"));
    }

    #[test]
    fn the_cookie_carries_its_attributes() {
        assert_eq!(
            referral_cookie("ADA-1", 90, Some("shop.com"), true),
            "rt_ref=ADA-1; Path=/; Max-Age=7776000; Domain=shop.com; SameSite=Lax; Secure"
        );
        assert_eq!(referral_cookie("ADA-1", 0, None, false), "rt_ref=ADA-1; Path=/; Max-Age=86400; SameSite=Lax");
        assert_eq!(referral_cookie("X", 9999, None, false), "rt_ref=X; Path=/; Max-Age=34560000; SameSite=Lax");
    }
}
