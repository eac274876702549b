//! Stripe auto-inject: a referred visitor's checkouts carry the referral code as
//! `client_reference_id`, which the Stripe webhook on the edge reads back.

use crate::attribution::is_valid_code;
use crate::params::push_encoded;
use alloc::string::String;

pub const PAYMENT_LINK_PREFIX: &str = "https://buy.stripe.com/";

/// A Payment Link with `client_reference_id=<code>` added, or `None` when the
/// href is no Payment Link or already carries one (the site's own is kept).
pub fn tag_payment_link(href: &str, code: &str) -> Option<String> {
    // Stripe takes up to 200 letters, digits, `-` and `_` (a blank one is an error):
    // every valid referral code is one.
    if !href.starts_with(PAYMENT_LINK_PREFIX) || !is_valid_code(code) {
        return None;
    }
    let (base, fragment) = href.split_once('#').map_or((href, None), |(b, f)| (b, Some(f)));
    let query = base.split_once('?').map(|(_, q)| q).unwrap_or_default();
    if query.split('&').any(|p| p == "client_reference_id" || p.starts_with("client_reference_id=")) {
        return None;
    }
    let mut out = String::with_capacity(href.len() + 24 + code.len());
    out.push_str(base);
    out.push(if base.contains('?') { '&' } else { '?' });
    out.push_str("client_reference_id=");
    push_encoded(&mut out, code);
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_payment_links_once() {
        assert_eq!(
            tag_payment_link("https://buy.stripe.com/test_123", "ADA").as_deref(),
            Some("https://buy.stripe.com/test_123?client_reference_id=ADA")
        );
        assert_eq!(
            tag_payment_link("https://buy.stripe.com/x?prefilled_email=a%40b.co#top", "ADA").as_deref(),
            Some("https://buy.stripe.com/x?prefilled_email=a%40b.co&client_reference_id=ADA#top")
        );
        assert_eq!(tag_payment_link("https://buy.stripe.com/x?client_reference_id=SITE", "ADA"), None);
        assert_eq!(tag_payment_link("https://example.com/buy", "ADA"), None);
        assert_eq!(tag_payment_link("https://buy.stripe.com/x", ""), None);
        assert_eq!(tag_payment_link("https://buy.stripe.com/x", "a b"), None);
    }
}
