//! Query-string parsing without the `url` crate (which would cost ~100 KB of wasm).

/// The first value of `name` in a query string (with or without the leading `?`),
/// percent-decoded, `+` as space. Empty values count as absent.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let query = query.split('#').next().unwrap_or_default();
    query
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
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
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-decoding; `None` for invalid escapes or non-UTF-8 results.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(hex(*bytes.get(i + 1)?)? << 4 | hex(*bytes.get(i + 2)?)?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
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
        assert_eq!(query_value("", "ref"), None);
    }

    #[test]
    fn splits_the_query_from_a_url() {
        assert_eq!(query_of("https://h/x.js?campaignId=c1#f"), "campaignId=c1");
        assert_eq!(query_of("https://h/x.js"), "");
    }
}
