//! The referral cookie: the tracker writes it from script, the worker sets it
//! in first-party mode, and both read it. Its name and how long it may last.

/// The cookie's name (and its localStorage fallback's key in the tracker).
pub const NAME: &str = "rt_ref";

/// Days a referral cookie lasts when the script does not say (`cookieDays`).
pub const DEFAULT_DAYS: u32 = 60;

/// The longest lifetime: browsers cap cookie lifetimes near here (Chrome: 400 days).
pub const MAX_DAYS: u32 = 400;

/// `days`, if it is a lifetime a referral cookie may have: 1 to `MAX_DAYS`.
#[inline]
pub fn lifetime(days: u32) -> Option<u32> {
    (1..=MAX_DAYS).contains(&days).then_some(days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_one_to_four_hundred_days() {
        assert_eq!(lifetime(1), Some(1));
        assert_eq!(lifetime(DEFAULT_DAYS), Some(60));
        assert_eq!(lifetime(400), Some(400));
        assert_eq!(lifetime(0), None);
        assert_eq!(lifetime(401), None);
    }
}
