//! URLs as text: no parsing beyond the two characters that matter here (`?`
//! starts the query, the first `#` the fragment).

use core::fmt::Write;

/// `url` before its first `#`, and the fragment after it (without the `#`), if any.
// Always inlined: as a function of its own (with the `Option` built from
// `split_once`'s) it cost the tracker's wasm ~100 bytes.
#[inline(always)]
pub fn split_fragment(url: &str) -> (&str, Option<&str>) {
    match url.split_once('#') {
        Some((base, fragment)) => (base, Some(fragment)),
        None => (url, None),
    }
}

/// Writes `url` with `name=value` added as the query's last parameter (after `?`,
/// or `&` when the URL has a query already), the fragment kept after it:
/// `https://shop.example/?a=1#top` + `ref`, `ADA` -> `https://shop.example/?a=1&ref=ADA#top`.
///
/// `name` and `value` are written as given: encode them first unless they are
/// known to need no encoding (a [`ReferralCode`](crate::ReferralCode) does not).
/// Errors only when `out` does (a `String` never does).
#[inline]
pub fn append_query_param<W: Write + ?Sized>(out: &mut W, url: &str, name: &str, value: &str) -> core::fmt::Result {
    let (base, fragment) = split_fragment(url);
    out.write_str(base)?;
    out.write_char(if base.contains('?') { '&' } else { '?' })?;
    out.write_str(name)?;
    out.write_char('=')?;
    out.write_str(value)?;
    if let Some(fragment) = fragment {
        out.write_char('#')?;
        out.write_str(fragment)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    fn appended(url: &str, name: &str, value: &str) -> String {
        let mut out = String::new();
        append_query_param(&mut out, url, name, value).unwrap();
        out
    }

    #[test]
    fn splits_at_the_first_hash() {
        assert_eq!(split_fragment("https://h/p?a=1#top"), ("https://h/p?a=1", Some("top")));
        assert_eq!(split_fragment("https://h/p#a#b"), ("https://h/p", Some("a#b")));
        assert_eq!(split_fragment("https://h/p#"), ("https://h/p", Some("")));
        assert_eq!(split_fragment("https://h/p?a=1"), ("https://h/p?a=1", None));
        assert_eq!(split_fragment("#x"), ("", Some("x")));
        assert_eq!(split_fragment(""), ("", None));
    }

    #[test]
    fn appends_with_the_right_separator() {
        assert_eq!(appended("https://shop.io/", "ref", "AB"), "https://shop.io/?ref=AB");
        assert_eq!(
            appended("https://r.io/campaign?id=J1", "referralCode", "8Mnu"),
            "https://r.io/campaign?id=J1&referralCode=8Mnu"
        );
        // An empty query or a trailing `&` is kept as written.
        assert_eq!(appended("https://shop.io/?", "ref", "AB"), "https://shop.io/?&ref=AB");
        assert_eq!(appended("https://shop.io/?a=1&", "ref", "AB"), "https://shop.io/?a=1&&ref=AB");
    }

    #[test]
    fn keeps_the_fragment_after_the_query() {
        assert_eq!(appended("https://shop.io/#top", "ref", "AB"), "https://shop.io/?ref=AB#top");
        assert_eq!(appended("https://shop.io/?a=1#top", "ref", "AB"), "https://shop.io/?a=1&ref=AB#top");
        // A `?` inside the fragment is not a query.
        assert_eq!(appended("https://shop.io/#/p?x=1", "ref", "AB"), "https://shop.io/?ref=AB#/p?x=1");
        assert_eq!(appended("https://shop.io/#", "ref", "AB"), "https://shop.io/?ref=AB#");
    }

    #[test]
    fn writes_into_any_buffer() {
        struct Full;
        impl Write for Full {
            fn write_str(&mut self, _: &str) -> core::fmt::Result {
                Err(core::fmt::Error)
            }
        }
        assert!(append_query_param(&mut Full, "https://shop.io/", "ref", "AB").is_err());
        let mut out = String::from("link: ");
        append_query_param(&mut out, "https://shop.io/", "ref", "AB").unwrap();
        assert_eq!(out, "link: https://shop.io/?ref=AB");
    }
}
