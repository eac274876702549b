//! Less personal data: what of a landing URL is kept, which characters a text
//! may hold, how an email is shown to those who may not see it.

/// The longest visit URL kept; a longer one is cut, never refused.
pub const MAX_VISIT_URL: usize = 2048;

/// What a visit keeps of a landing URL: origin + path + the `utm_*` parameters
/// (in order, as encoded). No other query parameter (they carry emails and
/// reset tokens), no fragment. `None` for anything but an http(s) URL.
pub fn visit_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://"))?;
    let scheme_len = raw.len() - rest.len();
    let without_fragment = raw.split('#').next().unwrap_or_default();
    let (before_query, query) = match without_fragment.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (without_fragment, None),
    };
    if before_query.len() <= scheme_len {
        return None;
    }
    let mut kept = String::from(before_query);
    if !before_query[scheme_len..].contains('/') {
        kept.push('/');
    }
    let utm: Vec<&str> = query
        .into_iter()
        .flat_map(|q| q.split('&'))
        .filter(|pair| pair.to_ascii_lowercase().starts_with("utm_"))
        .collect();
    if !utm.is_empty() {
        kept.push('?');
        kept.push_str(&utm.join("&"));
    }
    if kept.len() > MAX_VISIT_URL {
        let mut end = MAX_VISIT_URL;
        while !kept.is_char_boundary(end) {
            end -= 1;
        }
        kept.truncate(end);
    }
    Some(kept)
}

/// Characters no name or text may hold: control characters (tab and line
/// breaks aside) and the bidi controls that make text read other than it is.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

pub fn is_clean_text(s: &str) -> bool {
    !s.chars().any(is_forbidden_char)
}

/// `ja***@example.com`: enough to recognise yourself, not enough to write to.
pub fn masked_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let mut m: String = local.chars().take(2).collect();
            m.push_str("***@");
            m.push_str(domain);
            m
        }
        None => "***".into(),
    }
}

/// `Ada L.`: a name as other participants see it on the leaderboard: the
/// first word and the last word's initial, enough to recognise a friend, not
/// to find a stranger. A name that is an email is masked as one.
pub fn masked_name(name: &str) -> String {
    let mut words = name.split_whitespace();
    let Some(first) = words.next() else { return String::new() };
    if first.contains('@') {
        return masked_email(first);
    }
    let mut m = String::from(first);
    if let Some(initial) = words.last().and_then(|w| w.chars().next()) {
        m.push(' ');
        m.push(initial);
        m.push('.');
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_names_to_first_word_and_last_initial() {
        assert_eq!(masked_name("Ada Lovelace"), "Ada L.");
        assert_eq!(masked_name("  Ada   King  Lovelace "), "Ada L.");
        assert_eq!(masked_name("Ada"), "Ada");
        assert_eq!(masked_name("Émile Zola"), "Émile Z.");
        assert_eq!(masked_name("ada@example.com"), "ad***@example.com");
        assert_eq!(masked_name("   "), "");
    }

    #[test]
    fn visit_urls_keep_origin_path_and_utm_only() {
        assert_eq!(
            visit_url("https://shop.example/p/x?ref=AB12&utm_source=news&email=a%40b.c&UTM_Medium=mail#reset=tok")
                .as_deref(),
            Some("https://shop.example/p/x?utm_source=news&UTM_Medium=mail")
        );
        assert_eq!(visit_url("https://shop.example?ref=X").as_deref(), Some("https://shop.example/"));
        assert_eq!(visit_url("http://localhost:8787/#x").as_deref(), Some("http://localhost:8787/"));
        assert_eq!(visit_url("https://a.b/c?utm=x").as_deref(), Some("https://a.b/c"));
        assert_eq!(visit_url("javascript:alert(1)"), None);
        assert_eq!(visit_url("https://"), None);
    }

    #[test]
    fn long_urls_are_cut_on_a_character_boundary() {
        let long = ["https://a.b/", &"é".repeat(3000)].concat();
        let kept = visit_url(&long).unwrap();
        assert!(kept.len() <= MAX_VISIT_URL);
        assert!(kept.len() >= MAX_VISIT_URL - 1);
    }

    #[test]
    fn texts() {
        assert!(is_clean_text("Jane O'Neil <b>hi</b>\nline two\ttab"));
        for bad in ["a\u{0}b", "a\u{7}", "x\u{1b}[31m", "abc\u{202E}gpj.exe", "\u{2066}x", "a\u{85}b"] {
            assert!(!is_clean_text(bad), "{bad:?}");
        }
    }

    #[test]
    fn masks_emails() {
        assert_eq!(masked_email("jane@example.com"), "ja***@example.com");
        assert_eq!(masked_email("j@x.io"), "j***@x.io");
        assert_eq!(masked_email("nope"), "***");
    }
}
