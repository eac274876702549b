//! Which referral code a visitor carries after landing, and whether the landing
//! is a visit to record.

use crate::config::Attribution;
use rocket_rules::ReferralCode;

#[derive(Debug, PartialEq, Eq)]
pub enum Landing<'a> {
    /// Nothing to do: no code in the URL, or the stored one keeps the credit.
    Keep,
    /// Store this code and record a visit for it.
    Store(&'a str),
}

/// `stored`: the code already kept; `landed`: the code in this page's URL, kept
/// only if it is a [`ReferralCode`] (anything else in `?ref=` is not ours and is
/// never written to a cookie or sent).
/// `already_visited`: this exact code was recorded in this browser session.
pub fn on_landing<'a>(
    mode: Attribution,
    stored: Option<&str>,
    landed: Option<&'a str>,
    already_visited: bool,
) -> Landing<'a> {
    let Some(code) = landed.filter(|c| ReferralCode::is_valid(c)) else { return Landing::Keep };
    let credit_stays = mode == Attribution::FirstClick && stored.is_some_and(|s| s != code);
    if credit_stays || (stored == Some(code) && already_visited) {
        Landing::Keep
    } else {
        Landing::Store(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Attribution::*;

    #[test]
    fn last_click_takes_the_newest_code() {
        assert_eq!(on_landing(LastClick, Some("OLD"), Some("NEW"), false), Landing::Store("NEW"));
        assert_eq!(on_landing(LastClick, None, Some("NEW"), false), Landing::Store("NEW"));
    }

    #[test]
    fn first_click_keeps_the_first_code() {
        assert_eq!(on_landing(FirstClick, Some("OLD"), Some("NEW"), false), Landing::Keep);
        assert_eq!(on_landing(FirstClick, None, Some("NEW"), false), Landing::Store("NEW"));
    }

    #[test]
    fn a_reload_in_the_same_session_is_not_a_new_visit() {
        assert_eq!(on_landing(LastClick, Some("A"), Some("A"), true), Landing::Keep);
        assert_eq!(on_landing(LastClick, Some("A"), Some("A"), false), Landing::Store("A"));
    }

    #[test]
    fn nothing_without_a_valid_code() {
        assert_eq!(on_landing(LastClick, Some("A"), None, false), Landing::Keep);
        assert_eq!(on_landing(LastClick, None, Some("<script>"), false), Landing::Keep);
        assert_eq!(on_landing(LastClick, None, Some(""), false), Landing::Keep);
        assert!(ReferralCode::parse("").is_none());
        assert!(ReferralCode::parse("REF-XYZ_789").is_some());
    }
}
