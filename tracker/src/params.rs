//! Query-string parsing without the `url` crate (which would cost ~100 KB of wasm).

use alloc::string::String;
use alloc::vec::Vec;

/// The first value of `name` in a query string (with or without the leading `?`),
/// percent-decoded, `+` as space. Empty values count as absent.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(k, _)| decode(k).as_deref() == Some(name))
        .and_then(|(_, v)| decode(v))
        .filter(|v| !v.is_empty())
}

/// The query part of a URL (after `?`, before `#`), or "".
pub fn query_of(url: &str) -> &str {
    let without_fragment = url.split('#').next().unwrap_or_default();
    without_fragment.split_once('?').map(|(_, q)| q).unwrap_or_default()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding; `None` for invalid escapes or non-UTF-8 results.
pub fn decode(s: &str) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        out.push(match b {
            b'%' => hex(bytes.next()?)? << 4 | hex(bytes.next()?)?,
            b'+' => b' ',
            b => b,
        });
    }
    String::from_utf8(out).ok()
}

/// Appends `value` percent-encoded (everything but unreserved characters).
pub fn push_encoded(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// Appends a decimal number (no `core::fmt`: it would pull in the formatter).
pub fn push_u64(out: &mut String, n: u64) {
    if n >= 10 {
        push_u64(out, n / 10);
    }
    out.push((b'0' + (n % 10) as u8) as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_decoded_values() {
        assert_eq!(query_value("?ref=ABC&x=1", "ref").as_deref(), Some("ABC"));
        assert_eq!(query_value("a=1&ref=A%2DB", "ref").as_deref(), Some("A-B"));
        assert_eq!(query_value("ref=a+b#frag", "ref").as_deref(), Some("a b"));
        assert_eq!(query_value("ref=&x=1", "ref"), None);
        assert_eq!(query_value("reference=1", "ref"), None);
        assert_eq!(query_value("ref=%zz", "ref"), None);
        assert_eq!(query_value("ref=%4", "ref"), None);
        assert_eq!(query_value("", "ref"), None);
        assert_eq!(query_value("ref", "ref"), None);
    }

    #[test]
    fn splits_urls() {
        assert_eq!(query_of("https://h/x.js?campaignId=c1#f"), "campaignId=c1");
        assert_eq!(query_of("https://h/x.js"), "");
    }

    #[test]
    fn encodes_and_prints_numbers() {
        let mut s = String::new();
        push_encoded(&mut s, "a b/é");
        assert_eq!(s, "a%20b%2F%C3%A9");
        let mut n = String::new();
        push_u64(&mut n, 5_184_000);
        push_u64(&mut n, 0);
        assert_eq!(n, "51840000");
    }
}
