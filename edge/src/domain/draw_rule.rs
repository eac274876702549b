//! A draw prize's rule (issue 25, docs/DRAWS.md): how many winners, who is
//! eligible from the final standings, how each is weighed; validated from a
//! request's parts. Pure.

/// The most winners one draw may have.
pub const MAX_WINNERS: i64 = 1000;
/// The largest minimum a draw may name.
const MAX_MINIMUM: i64 = 1_000_000_000;

/// How a draw weighs an eligible entry: its final confirmed points, or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weighting {
    Points,
    Equal,
}

impl Weighting {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Points, Self::Equal].into_iter().find(|w| w.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Points => "points",
            Self::Equal => "equal",
        }
    }
}

super::text_enum!(Weighting);

/// Who may be drawn: the minimums of the final standings (none: anyone).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Eligibility {
    pub min_points: Option<i64>,
    pub min_referrals: Option<i64>,
}

/// An entry's weight in the list from its final points and confirmed
/// referrals: 0 when it is not eligible (below a minimum, or no point when
/// weighted by points).
pub fn weight(points: i64, referrals: i64, eligibility: &Eligibility, weighting: Weighting) -> u64 {
    let meets =
        eligibility.min_points.is_none_or(|m| points >= m) && eligibility.min_referrals.is_none_or(|m| referrals >= m);
    match (meets, weighting) {
        (false, _) => 0,
        (true, Weighting::Equal) => 1,
        (true, Weighting::Points) => u64::try_from(points).unwrap_or(0),
    }
}

/// A draw's rule: how many winners, who is eligible, how they are weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrawRule {
    pub winners: i64,
    pub eligibility: Eligibility,
    pub weighting: Weighting,
}

/// A draw's parts as a request (or the stored prize) gives them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DrawDraft {
    pub winners: Option<i64>,
    pub min_points: Option<i64>,
    pub min_referrals: Option<i64>,
    pub weighting: Option<String>,
    /// `eligibility` was given (`{}` too).
    pub eligibility_given: bool,
}

/// The problems of a rule field of another kind than the prize's: the
/// stored kind's fault when a PATCH does not give `kind` (409).
pub const NOT_FOR_A_DRAW: &str = "does not apply to a draw";
pub const DRAW_ONLY: &str = "applies to a draw only";

/// A draw takes no `threshold`, `ranks` or `quantity` (`others`, whether
/// each is given); another kind no draw part.
pub fn other_kind(draw: bool, d: &DrawDraft, others: [bool; 3]) -> Result<(), (&'static str, &'static str)> {
    let (fields, problem) = if draw {
        (["threshold", "ranks", "quantity"].into_iter().zip(others).find(|(_, given)| *given), NOT_FOR_A_DRAW)
    } else {
        let eligibility = d.eligibility_given || d.min_points.is_some() || d.min_referrals.is_some();
        let mine = [d.winners.is_some(), eligibility, d.weighting.is_some()];
        (["winners", "eligibility", "weighting"].into_iter().zip(mine).find(|(_, given)| *given), DRAW_ONLY)
    };
    fields.map_or(Ok(()), |(field, _)| Err((field, problem)))
}

/// 1 to 1000 winners, minimums from 0, weighting `points` (the default) or
/// `equal`; else the field and its problem.
pub fn validate(d: &DrawDraft) -> Result<DrawRule, (&'static str, &'static str)> {
    let winners = d.winners.ok_or(("winners", "is required for a draw"))?;
    if !(1..=MAX_WINNERS).contains(&winners) {
        return Err(("winners", "must be an integer from 1 to 1000"));
    }
    let minimum = |m: Option<i64>| match m {
        Some(n) if !(0..=MAX_MINIMUM).contains(&n) => Err(("eligibility", "minimums must be from 0 to 1000000000")),
        other => Ok(other),
    };
    let eligibility = Eligibility { min_points: minimum(d.min_points)?, min_referrals: minimum(d.min_referrals)? };
    let weighting = match d.weighting.as_deref() {
        None => Weighting::Points,
        Some(w) => Weighting::parse(w).ok_or(("weighting", "must be points or equal"))?,
    };
    Ok(DrawRule { winners, eligibility, weighting })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eligibility_and_weighting_decide_the_weight() {
        let none = Eligibility::default();
        assert_eq!(weight(7, 0, &none, Weighting::Points), 7);
        assert_eq!(weight(0, 3, &none, Weighting::Points), 0);
        assert_eq!(weight(-2, 3, &none, Weighting::Points), 0);
        assert_eq!(weight(0, 0, &none, Weighting::Equal), 1);
        let min = Eligibility { min_points: Some(5), min_referrals: Some(2) };
        assert_eq!(weight(5, 2, &min, Weighting::Points), 5);
        assert_eq!(weight(4, 2, &min, Weighting::Equal), 0);
        assert_eq!(weight(9, 1, &min, Weighting::Equal), 0);
        assert_eq!(weight(9, 2, &min, Weighting::Equal), 1);
    }

    #[test]
    fn a_rule_has_1_to_1000_winners_minimums_from_0_and_a_known_weighting() {
        let mut d = DrawDraft::default();
        assert_eq!(validate(&d).unwrap_err().0, "winners");
        d.winners = Some(3);
        let rule = DrawRule { winners: 3, eligibility: Eligibility::default(), weighting: Weighting::Points };
        assert_eq!(validate(&d), Ok(rule));
        d.winners = Some(1001);
        assert_eq!(validate(&d).unwrap_err().0, "winners");
        d.winners = Some(0);
        assert_eq!(validate(&d).unwrap_err().0, "winners");
        d.winners = Some(1);
        (d.min_points, d.min_referrals, d.weighting) = (Some(0), Some(2), Some("equal".into()));
        let eligibility = Eligibility { min_points: Some(0), min_referrals: Some(2) };
        assert_eq!(validate(&d), Ok(DrawRule { winners: 1, eligibility, weighting: Weighting::Equal }));
        d.min_points = Some(-1);
        assert_eq!(validate(&d).unwrap_err().0, "eligibility");
        d.min_points = None;
        d.weighting = Some("loud".into());
        assert_eq!(validate(&d).unwrap_err().0, "weighting");
    }

    #[test]
    fn draw_parts_belong_to_draws_and_other_rules_to_other_kinds() {
        let none = DrawDraft::default();
        assert_eq!(other_kind(true, &none, [false, false, false]), Ok(()));
        assert_eq!(other_kind(true, &none, [false, true, false]), Err(("ranks", NOT_FOR_A_DRAW)));
        assert_eq!(other_kind(true, &none, [false, false, true]), Err(("quantity", NOT_FOR_A_DRAW)));
        assert_eq!(other_kind(false, &none, [true, true, true]), Ok(()));
        let empty = DrawDraft { eligibility_given: true, ..DrawDraft::default() };
        assert_eq!(other_kind(false, &empty, [true, false, false]), Err(("eligibility", DRAW_ONLY)));
        let winners = DrawDraft { winners: Some(1), ..DrawDraft::default() };
        assert_eq!(other_kind(false, &winners, [false; 3]), Err(("winners", DRAW_ONLY)));
    }
}
