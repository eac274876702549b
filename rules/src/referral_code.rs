//! The one syntax of a referral code.

/// A referral code: 1 to 64 ASCII letters, digits, `-` or `_`. Codes the worker
/// mints (`K7QX2MPA`) and imported ones (`REF-XYZ_789`) both fit; anything else
/// in `?ref=` is not ours (the tracker never writes it to a cookie or sends it,
/// the worker never looks it up).
///
/// Every character is unreserved in a URL, so a code needs no percent-encoding
/// in a query, and Stripe takes it as `client_reference_id` (up to 200 letters,
/// digits, `-` and `_`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReferralCode<'a>(&'a str);

impl<'a> ReferralCode<'a> {
    /// The longest code, in bytes (= characters: codes are ASCII).
    pub const MAX_LEN: usize = 64;

    /// `Some` when `code` is a referral code as written (no trimming, no case folding).
    #[inline]
    pub fn parse(code: &'a str) -> Option<Self> {
        if Self::is_valid(code) {
            Some(Self(code))
        } else {
            None
        }
    }

    /// Whether `code` is a referral code: `parse(code).is_some()`, for callers
    /// that only filter (a `bool` costs the tracker fewer bytes than an `Option`).
    pub fn is_valid(code: &str) -> bool {
        (1..=Self::MAX_LEN).contains(&code.len())
            && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }

    #[inline]
    pub fn as_str(self) -> &'a str {
        self.0
    }
}

impl AsRef<str> for ReferralCode<'_> {
    fn as_ref(&self) -> &str {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::string::String;

    #[test]
    fn codes_of_both_kinds_parse() {
        for code in ["K7QX2MPA", "8Mnu09TD", "REF-XYZ789", "REF-XYZ_789", "a", "-", "_"] {
            assert_eq!(ReferralCode::parse(code).map(ReferralCode::as_str), Some(code));
        }
        let longest = "A".repeat(64);
        assert_eq!(ReferralCode::parse(&longest).map(|c| c.as_str().len()), Some(64));
    }

    #[test]
    fn anything_else_is_not_a_code() {
        let too_long = "A".repeat(65);
        for bad in ["", "a b", " ABC", "ABC ", "<script>", "A.B", "A%2DB", "A+B", "é", "ÄBC", "A\u{0}", &too_long] {
            assert_eq!(ReferralCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn as_ref_is_the_code() {
        let code = ReferralCode::parse("ADA").unwrap();
        let mut s = String::new();
        s.push_str(code.as_ref());
        assert_eq!(s, "ADA");
    }
}
