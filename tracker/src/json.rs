//! The request bodies the tracker sends, written by hand (serde_json would
//! quadruple the wasm).

use crate::params::{push_u64, visit_url};
use alloc::string::String;

/// A JSON object under construction.
struct Obj(String);

impl Obj {
    fn new() -> Self {
        Self(String::from("{"))
    }

    fn key(&mut self, key: &str) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        push_string(&mut self.0, key);
        self.0.push(':');
    }

    fn str(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_string(&mut self.0, value);
        self
    }

    fn opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    /// A number already checked to be JSON-valid text.
    fn raw(mut self, key: &str, number: &str) -> Self {
        self.key(key);
        self.0.push_str(number);
        self
    }

    fn num(mut self, key: &str, n: u32) -> Self {
        self.key(key);
        push_u64(&mut self.0, u64::from(n));
        self
    }

    fn finish(mut self) -> String {
        self.0.push('}');
        self.0
    }
}

/// A JSON string literal, escaped.
fn push_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let b = c as u8;
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether `s`, which JS's `String(Number(x))` wrote, is a JSON number: that is,
/// anything but `NaN` and `Infinity` (the only non-JSON forms it writes).
pub fn is_json_number(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'-')
        && s.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'+' | b'-'))
}

/// `page_url`: the page's URL; the body carries only what `visit_url` keeps of it.
/// `cookie_days` in first-party mode, where the answer sets the cookie.
pub fn visit(contest_id: &str, code: &str, page_url: &str, cookie_days: Option<u32>) -> String {
    let body = Obj::new().str("referralCode", code).str("contestId", contest_id).str("url", &visit_url(page_url));
    match cookie_days {
        Some(days) => body.num("cookieDays", days),
        None => body,
    }
    .finish()
}

/// `turnstile_token`: the site's Cloudflare Turnstile token, when it has one.
pub fn signup(contest_id: &str, code: &str, email: &str, name: Option<&str>, turnstile_token: Option<&str>) -> String {
    Obj::new()
        .str("email", email)
        .str("contestId", contest_id)
        .str("referralCode", code)
        .opt("name", name)
        .opt("turnstileToken", turnstile_token)
        .finish()
}

pub fn purchase(
    contest_id: &str,
    code: Option<&str>,
    order_id: &str,
    amount: &str,
    currency: Option<&str>,
    email: &str,
) -> Option<String> {
    if !is_json_number(amount) {
        return None;
    }
    Some(
        Obj::new()
            .str("email", email)
            .str("contestId", contest_id)
            .str("orderId", order_id)
            .raw("amount", amount)
            .opt("currency", currency)
            .opt("referralCode", code)
            .finish(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_json() {
        assert_eq!(
            signup("ct_1", "ADA", "a@b.co", Some("Ann \"The\" Lee\n"), None),
            r#"{"email":"a@b.co","contestId":"ct_1","referralCode":"ADA","name":"Ann \"The\" Lee\n"}"#
        );
        assert_eq!(signup("c", "R", "e", None, None), r#"{"email":"e","contestId":"c","referralCode":"R"}"#);
        assert_eq!(
            signup("c", "R", "e", Some("N"), Some("0.a-b_c\"\\\u{7}")),
            r#"{"email":"e","contestId":"c","referralCode":"R","name":"N","turnstileToken":"0.a-b_c\"\\\u0007"}"#
        );
        assert_eq!(
            signup("c", "R", "e", None, Some("XXXX.DUMMY.TOKEN.XXXX")),
            r#"{"email":"e","contestId":"c","referralCode":"R","turnstileToken":"XXXX.DUMMY.TOKEN.XXXX"}"#
        );
        assert_eq!(
            purchase("c", Some("R"), "o-1", "49.99", Some("USD"), "e").as_deref(),
            Some(r#"{"email":"e","contestId":"c","orderId":"o-1","amount":49.99,"currency":"USD","referralCode":"R"}"#)
        );
        assert_eq!(
            purchase("c", None, "o", "1e+21", None, "e").as_deref(),
            Some(r#"{"email":"e","contestId":"c","orderId":"o","amount":1e+21}"#)
        );
        assert_eq!(
            visit("c", "R", "https://x/?utm_a=\u{1}", None),
            r#"{"referralCode":"R","contestId":"c","url":"https://x/?utm_a=\u0001"}"#
        );
        assert_eq!(
            visit("c", "R", "https://x/p?ref=R&utm_source=news&secret=abc#token=xyz", None),
            r#"{"referralCode":"R","contestId":"c","url":"https://x/p?utm_source=news"}"#
        );
        assert_eq!(
            visit("c", "R", "https://x/", Some(90)),
            r#"{"referralCode":"R","contestId":"c","url":"https://x/","cookieDays":90}"#
        );
    }

    #[test]
    fn only_numbers_are_amounts() {
        // What String(Number(x)) writes: finite numbers, NaN, Infinity, -Infinity.
        for ok in ["0", "49.99", "-1", "1e+21", "1.5e-7"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["", "NaN", "Infinity", "-Infinity", "12abc", "1,5"] {
            assert!(!is_json_number(bad), "{bad}");
            assert_eq!(purchase("c", None, "o", bad, None, "e"), None);
        }
    }
}
