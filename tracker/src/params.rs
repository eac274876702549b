//! Query-string parsing without the `url` crate (which would cost ~100 KB of wasm).

use alloc::string::String;
use alloc::vec::Vec;
use rocket_rules::url::split_fragment;

/// The first value of `name` in a query string (with or without the leading `?`),
/// percent-decoded, `+` as space. Empty values count as absent.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let query = split_fragment(query).0;
    query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .find(|(k, _)| decode(k).as_deref() == Some(name))
        .and_then(|(_, v)| decode(v))
        .filter(|v| !v.is_empty())
}

/// The longest page URL a visit records, in bytes (so at most as many
/// characters, however counted; a page's URL is ASCII anyway).
pub const MAX_VISIT_URL: usize = 2048;

/// The page URL a visit records (less personal data): origin and path, then
/// only the parameters whose name as written starts with `utm_`, in order and
/// encoded as they were; no other parameter (not the referral code either), no
/// fragment. Cut to `MAX_VISIT_URL` on a character boundary, never refused.
pub fn visit_url(href: &str) -> String {
    let mut out = String::new();
    // Before the first `?`: origin and path, kept. After it: parameters, each
    // kept (with the separator its place in `out` calls for) or skipped whole.
    let (mut query, mut keep, mut sep) = (false, true, '?');
    for (i, mut c) in href.char_indices() {
        if c == '#' {
            break;
        }
        if c == if query { '&' } else { '?' } {
            query = true;
            // `get`, not indexing: a slicing panic would pull in the formatter.
            keep = href.get(i + 1..).is_some_and(|rest| rest.starts_with("utm_"));
            c = sep;
            if keep {
                sep = '&';
            }
        }
        if keep {
            if out.len() + c.len_utf8() > MAX_VISIT_URL {
                break;
            }
            out.push(c);
        }
    }
    out
}

/// The query part of a URL (after `?`, before `#`), or "".
pub fn query_of(url: &str) -> &str {
    split_fragment(url).0.split_once('?').map(|(_, q)| q).unwrap_or_default()
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
    fn visit_urls_keep_only_origin_path_and_utm() {
        let page = "https://shop.example/p/a%20b";
        assert_eq!(visit_url("https://shop.example/p/a%20b#token=xyz"), page, "fragment dropped");
        assert_eq!(visit_url("https://shop.example/p/a%20b?secret=abc&email=a%40b.co"), page, "foreign params dropped");
        assert_eq!(visit_url("https://shop.example/p/a%20b?ref=ADA&via=X"), page, "ref dropped");
        assert_eq!(visit_url(page), page, "no query at all");
        assert_eq!(visit_url("https://shop.example/?"), "https://shop.example/");
        assert_eq!(
            visit_url("https://shop.example/?ref=ADA&utm_source=news&secret=abc&utm_campaign=spring%20sale&utm=x&utm_term#utm_x=1"),
            "https://shop.example/?utm_source=news&utm_campaign=spring%20sale&utm_term",
            "utm_* kept in order, encoding as written"
        );
        assert_eq!(
            visit_url("https://shop.example/?x=1&utm_source=a+b%26c&&utm_medium=?x&ref=A"),
            "https://shop.example/?utm_source=a+b%26c&utm_medium=?x"
        );
        assert_eq!(visit_url("https://shop.example/a&b/?ref=A&utm_id=1"), "https://shop.example/a&b/?utm_id=1");
        // Names as written: no decoding, no case folding.
        assert_eq!(
            visit_url("https://shop.example/?UTM_SOURCE=x&utm%5Fsource=x&autm_x=1&%zz=1"),
            "https://shop.example/"
        );
    }

    #[test]
    fn long_visit_urls_are_cut_on_a_character_boundary() {
        let mut long = String::from("https://shop.example/?utm_content=");
        long.push_str(&"x".repeat(5000));
        let cut = visit_url(&long);
        assert_eq!(cut.len(), MAX_VISIT_URL);
        assert!(long.starts_with(&cut));
        // A character that would straddle the limit is dropped whole.
        let mut wide = String::from("https://shop.example/pp");
        wide.push_str(&"é".repeat(2000));
        let cut = visit_url(&wide);
        assert_eq!(cut.len(), MAX_VISIT_URL - 1);
        assert!(wide.starts_with(&cut) && cut.ends_with('é'));
        assert_eq!(visit_url("https://shop.example/short?utm_a=1"), "https://shop.example/short?utm_a=1");
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
