//! What a signup becomes: the fraud score of a screened (browser) signup, the
//! holds of its referral's two awards with their due dates, and its link's
//! hold. A screened signup's write batch counts (`trust::Counted`) and picks
//! its outcome among all of them (`outcomes`), so the rules stay here and only
//! the counting is SQL.

use super::fraud::{self, FraudScore, Signals};
use super::trust::{
    confirm_after, link_hold, referral_holds, status_of, Counted, Hold, ReferralAwards, ReferralSignals,
};

/// The holds of a referral's two awards: (advocate's, friend's).
pub type Holds = (Option<Hold>, Option<Hold>);

/// The contest's settings a signup's outcome depends on.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    pub referral_awards: ReferralAwards,
    pub hold_days: i64,
    pub advocate_points: i64,
}

/// What is known of a signup before its batch counts.
#[derive(Debug, Clone, Copy)]
pub struct Signup<'a> {
    /// Normalized emails.
    pub email: &'a str,
    pub advocate_email: Option<&'a str>,
    /// A browser signup screened by its address (fraud score, velocity).
    pub screened: bool,
    pub trusted: bool,
}

/// What a signup becomes for one answer of its write batch's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub fraud: Option<FraudScore>,
    pub holds: Holds,
    /// When each held award confirms itself (`holdDays`), if ever.
    pub due: (Option<String>, Option<String>),
    pub link: Option<Hold>,
}

/// When each held award of a referral confirms itself, if ever.
pub fn due_dates(rules: &Rules, holds: Holds, now_ms: i64) -> (Option<String>, Option<String>) {
    (confirm_after(holds.0, rules.hold_days, now_ms), confirm_after(holds.1, rules.hold_days, now_ms))
}

pub fn outcome(rules: &Rules, signup: &Signup, counted: Counted, now_ms: i64) -> Outcome {
    let fraud = signup.screened.then(|| {
        fraud::score(&Signals {
            email: signup.email,
            advocate_email: signup.advocate_email,
            busy_address: counted.busy_address,
        })
    });
    let holds = referral_holds(ReferralSignals {
        mode: rules.referral_awards,
        fraud,
        over_velocity: signup.advocate_email.is_some() && counted.over_velocity,
    });
    let link = link_hold(signup.trusted, holds, rules.advocate_points);
    Outcome { fraud, holds, due: due_dates(rules, holds, now_ms), link }
}

/// The outcome when nothing is counted (a trusted signup).
pub fn uncounted(rules: &Rules, signup: &Signup, now_ms: i64) -> Outcome {
    outcome(rules, signup, Counted::ALL[0], now_ms)
}

/// The outcomes for each answer the counts may give (`Counted::ALL`), and the
/// JSON the screened statements pick from: `[fraud score, link hold]` for the
/// entry, `[status, hold, confirm_after]` for each award.
pub struct Outcomes {
    pub all: [Outcome; 4],
    pub entry: String,
    pub advocate: String,
    pub friend: String,
}

impl Outcomes {
    /// The outcome the batch chose by what it counted (`Counted::index`),
    /// the uncounted one for an index out of range.
    pub fn chosen(&self, counted: usize) -> &Outcome {
        self.all.get(counted).unwrap_or(&self.all[0])
    }
}

pub fn outcomes(rules: &Rules, signup: &Signup, now_ms: i64) -> Outcomes {
    let all = Counted::ALL.map(|c| outcome(rules, signup, c, now_ms));
    let award = |hold: Option<Hold>, due: &Option<String>| {
        serde_json::json!([status_of(hold).as_str(), hold.map(Hold::as_str), due])
    };
    let json =
        |f: &dyn Fn(&Outcome) -> serde_json::Value| serde_json::Value::Array(all.iter().map(f).collect()).to_string();
    Outcomes {
        entry: json(&|o| serde_json::json!([o.fraud.map(FraudScore::as_str), o.link.map(Hold::as_str)])),
        advocate: json(&|o| award(o.holds.0, &o.due.0)),
        friend: json(&|o| award(o.holds.1, &o.due.1)),
        all,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INSTANT: Rules = Rules { referral_awards: ReferralAwards::Instant, hold_days: 0, advocate_points: 10 };

    fn signup(screened: bool) -> Signup<'static> {
        Signup { email: "bob@example.com", advocate_email: Some("ann@example.org"), screened, trusted: !screened }
    }

    #[test]
    fn a_trusted_signup_is_not_scored_and_its_clean_referral_confirms() {
        let o = uncounted(&INSTANT, &signup(false), 0);
        assert_eq!(o, Outcome { fraud: None, holds: (None, None), due: (None, None), link: None });
    }

    #[test]
    fn a_screened_signup_over_velocity_holds_both_awards_and_its_link() {
        let over = Counted { busy_address: false, over_velocity: true };
        let o = outcome(&INSTANT, &signup(true), over, 0);
        assert_eq!(o.fraud, Some(FraudScore::Low));
        assert_eq!(o.holds, (Some(Hold::Velocity), Some(Hold::Velocity)));
        assert_eq!(o.link, Some(Hold::Velocity));
        // Without an advocate there is no velocity to be over.
        let alone = Signup { advocate_email: None, ..signup(true) };
        assert_eq!(outcome(&INSTANT, &alone, over, 0).holds, (None, None));
    }

    #[test]
    fn held_awards_confirm_after_hold_days() {
        let review = Rules { referral_awards: ReferralAwards::Review, hold_days: 2, ..INSTANT };
        let o = uncounted(&review, &signup(false), 0);
        assert_eq!(o.holds, (Some(Hold::Review), Some(Hold::Review)));
        assert_eq!(o.due.0.as_deref(), Some("1970-01-03T00:00:00.000Z"));
    }

    #[test]
    fn the_outcomes_json_lists_one_answer_per_count() {
        let all = outcomes(&INSTANT, &signup(true), 0);
        assert_eq!(all.all.len(), Counted::ALL.len());
        let entry: Vec<serde_json::Value> = serde_json::from_str(&all.entry).unwrap();
        assert_eq!(entry[0], serde_json::json!(["Low", null]));
        let advocate: Vec<serde_json::Value> = serde_json::from_str(&all.advocate).unwrap();
        assert_eq!(advocate[0], serde_json::json!(["confirmed", null, null]));
        assert_eq!(advocate[1], serde_json::json!(["pending", "velocity", null]));
        assert_eq!(all.chosen(9), &all.all[0]);
    }
}
