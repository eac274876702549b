//! Stripe auto-inject: a referred visitor's checkouts carry the referral code as
//! `client_reference_id`, which the Stripe webhook on the edge reads back.

use crate::params::query_of;
use alloc::string::String;
use rocket_rules::url::append_query_param;
use rocket_rules::ReferralCode;

pub const PAYMENT_LINK_PREFIX: &str = "https://buy.stripe.com/";

/// A Payment Link with `client_reference_id=<code>` added, or `None` when the
/// href is no Payment Link or already carries one (the site's own is kept).
pub fn tag_payment_link(href: &str, code: &str) -> Option<String> {
    // Stripe takes up to 200 letters, digits, `-` and `_` (a blank one is an error):
    // every referral code is one, and needs no percent-encoding.
    if !href.starts_with(PAYMENT_LINK_PREFIX) {
        return None;
    }
    let code = ReferralCode::parse(code)?;
    if query_of(href).split('&').any(|p| p == "client_reference_id" || p.starts_with("client_reference_id=")) {
        return None;
    }
    let mut out = String::with_capacity(href.len() + 24 + code.as_str().len());
    append_query_param(&mut out, href, "client_reference_id", code.as_str()).ok()?;
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
