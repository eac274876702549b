//! Who a signup or a purchase is credited to: the owner of the referral code
//! given with it, as the stored state says. The engine reads the owners (and
//! maps the refusals to its errors); the rules over them are here.

/// What the rules need to know of an entry that owns a code or referred a buyer.
pub trait Candidate {
    /// The normalized email.
    fn email(&self) -> &str;
    fn is_disqualified(&self) -> bool;
}

/// Who owns the referral code of a signup, seen from the signup's email.
#[derive(Debug, PartialEq, Eq)]
pub enum Referrer<T> {
    Live(T),
    Disqualified,
    /// The signup's own email owns the code.
    Themselves(T),
}

/// Why a code given with a signup credits nobody.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The contest's referrals are off (409).
    ReferralsOff,
    /// No entry owns the code (404).
    UnknownCode,
}

/// The owner of the signup's code (as read) seen from a signup of `friend`
/// (a normalized email).
pub fn referrer_of<T: Candidate>(
    referral_enabled: bool,
    owner: Option<T>,
    friend: &str,
) -> Result<Referrer<T>, Refused> {
    if !referral_enabled {
        return Err(Refused::ReferralsOff);
    }
    let owner = owner.ok_or(Refused::UnknownCode)?;
    Ok(if owner.is_disqualified() {
        Referrer::Disqualified
    } else if owner.email() == friend {
        Referrer::Themselves(owner)
    } else {
        Referrer::Live(owner)
    })
}

/// The live advocate, or why a trusted signup through their code is refused
/// (the owner's own server may learn why: a 409).
pub fn live_advocate<T>(referrer: Referrer<T>) -> Result<T, &'static str> {
    match referrer {
        Referrer::Live(advocate) => Ok(advocate),
        Referrer::Disqualified => Err("Referrer is disqualified: no referral can be credited to them"),
        Referrer::Themselves(_) => Err("Self-referral is not allowed"),
    }
}

/// The advocate a purchase is attributed to: the code given with it if it names
/// a live entry other than the buyer (`buyer_email`, normalized), else whoever
/// referred the buyer, if the buyer's link counts (a link the browser made earns
/// credit only once its referral award is confirmed: `trust::link_hold`). A
/// stale or unknown code never loses the purchase; it just credits no advocate.
pub fn purchase_advocate<T: Candidate>(
    referral_enabled: bool,
    code_owner: Option<T>,
    buyer_email: &str,
    buyer_link_counts: bool,
    buyers_referrer: Option<T>,
) -> Option<T> {
    if !referral_enabled {
        return None;
    }
    if let Some(a) = code_owner {
        if !a.is_disqualified() && a.email() != buyer_email {
            return Some(a);
        }
    }
    buyers_referrer.filter(|a| buyer_link_counts && !a.is_disqualified())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Eq)]
    struct E(&'static str, bool);

    impl Candidate for E {
        fn email(&self) -> &str {
            self.0
        }
        fn is_disqualified(&self) -> bool {
            self.1
        }
    }

    const ANN: E = E("ann@x.com", false);

    #[test]
    fn a_code_is_refused_when_referrals_are_off_or_it_is_unknown() {
        assert_eq!(referrer_of(false, Some(ANN), "bob@x.com"), Err(Refused::ReferralsOff));
        assert_eq!(referrer_of::<E>(true, None, "bob@x.com"), Err(Refused::UnknownCode));
    }

    #[test]
    fn the_codes_owner_is_live_disqualified_or_the_signup_itself() {
        assert_eq!(referrer_of(true, Some(ANN), "bob@x.com"), Ok(Referrer::Live(ANN)));
        assert_eq!(referrer_of(true, Some(E("ann@x.com", true)), "bob@x.com"), Ok(Referrer::Disqualified));
        assert_eq!(referrer_of(true, Some(ANN), "ann@x.com"), Ok(Referrer::Themselves(ANN)));
    }

    #[test]
    fn only_a_live_other_advocate_is_credited_a_trusted_signup() {
        assert_eq!(live_advocate(Referrer::Live(ANN)), Ok(ANN));
        assert!(live_advocate::<E>(Referrer::Disqualified).unwrap_err().contains("disqualified"));
        assert!(live_advocate(Referrer::Themselves(ANN)).unwrap_err().contains("Self-referral"));
    }

    #[test]
    fn a_purchase_goes_to_the_codes_live_owner_else_the_buyers_referrer() {
        let bob = || E("bob@x.com", false);
        assert_eq!(purchase_advocate(true, Some(ANN), "cat@x.com", true, Some(bob())), Some(ANN));
        // The buyer's own code, or a disqualified owner's, falls back to the referrer.
        assert_eq!(purchase_advocate(true, Some(ANN), "ann@x.com", true, Some(bob())), Some(bob()));
        assert_eq!(purchase_advocate(true, Some(E("ann@x.com", true)), "cat@x.com", true, Some(bob())), Some(bob()));
        // A link that does not count yet, or a disqualified referrer, credits nobody.
        assert_eq!(purchase_advocate(true, None, "cat@x.com", false, Some(bob())), None);
        assert_eq!(purchase_advocate(true, None, "cat@x.com", true, Some(E("bob@x.com", true))), None);
        assert_eq!(purchase_advocate(false, Some(ANN), "cat@x.com", true, Some(bob())), None);
    }
}
