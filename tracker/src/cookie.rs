//! The first-party referral cookie: its name, its attributes and which domain it
//! is set on. Pure string work; `browser` applies it.

use crate::params::{push_encoded, push_u64};
use alloc::string::String;
use alloc::vec::Vec;

pub use rocket_rules::referral_cookie::NAME as REFERRAL_COOKIE;

/// Domains to try, broadest first, for a cookie shared by subdomains:
/// `www.shop.com` -> [`shop.com`, `www.shop.com`]. The browser refuses public
/// suffixes (`co.uk`), so the first one that sticks is the registrable domain.
/// Hosts that cannot take a domain cookie (IP addresses, `localhost`) get none:
/// the caller then sets a host-only cookie.
pub fn candidate_domains(host: &str) -> Vec<&str> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let is_ip = host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let mut out = Vec::new();
    if is_ip {
        return out;
    }
    // Each suffix after a dot, broadest first; the bare TLD (`com`) is no candidate.
    let mut dots = 0;
    for (i, b) in host.bytes().enumerate().rev() {
        if b == b'.' {
            dots += 1;
            if let Some(suffix) = host.get(i + 1..).filter(|_| dots > 1) {
                out.push(suffix);
            }
        }
    }
    if dots > 0 {
        out.push(host);
    }
    out
}

/// `rt_ref=CODE; Path=/; Max-Age=...; SameSite=Lax[; Domain=d][; Secure]`.
pub fn set_cookie_string(value: &str, max_age_secs: u64, domain: Option<&str>, secure: bool) -> String {
    let mut s = String::with_capacity(96);
    s.push_str(REFERRAL_COOKIE);
    s.push('=');
    push_encoded(&mut s, value);
    s.push_str("; Path=/; Max-Age=");
    push_u64(&mut s, max_age_secs);
    s.push_str("; SameSite=Lax");
    if let Some(d) = domain {
        s.push_str("; Domain=");
        s.push_str(d);
    }
    if secure {
        s.push_str("; Secure");
    }
    s
}

/// The value of cookie `name` in a `document.cookie` string, as written
/// (percent-encoded: the caller decodes).
pub fn read_cookie<'a>(cookies: &'a str, name: &str) -> Option<&'a str> {
    cookies.split(';').filter_map(|c| c.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_domains_go_from_registrable_to_host() {
        assert_eq!(candidate_domains("www.shop.com"), ["shop.com", "www.shop.com"]);
        assert_eq!(candidate_domains("a.b.shop.co.uk"), ["co.uk", "shop.co.uk", "b.shop.co.uk", "a.b.shop.co.uk"]);
        assert_eq!(candidate_domains("shop.com"), ["shop.com"]);
        assert!(candidate_domains("localhost").is_empty());
        assert!(candidate_domains("127.0.0.1").is_empty());
        assert!(candidate_domains("[::1]").is_empty());
    }

    #[test]
    fn builds_and_reads_back_a_cookie() {
        let s = set_cookie_string("REF 1", 3600, Some("shop.com"), true);
        assert_eq!(s, "rt_ref=REF%201; Path=/; Max-Age=3600; SameSite=Lax; Domain=shop.com; Secure");
        assert_eq!(read_cookie("a=1; rt_ref=REF%201; b=2", REFERRAL_COOKIE), Some("REF%201"));
        assert_eq!(read_cookie("rt_ref=", REFERRAL_COOKIE), Some(""));
        assert_eq!(read_cookie("a=1; xrt_ref=2", REFERRAL_COOKIE), None);
        assert_eq!(read_cookie("", REFERRAL_COOKIE), None);
    }
}
