//! Prizes (issue 24): what earns one (`Rule`: a milestone's threshold, a
//! place range of the final standings), how it is handed out (`Fulfilment`),
//! how many may earn it; an award's status; the codes an upload adds; the
//! entry's next milestone. Pure; the triggers of migrations/0020 apply the
//! same rules in the batches that move totals.

use super::draw_rule::{self, DrawDraft, DrawRule};

/// What earns the prize: a milestone, a place of the final standings, or a
/// draw among the final standings (docs/DRAWS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Milestone,
    Rank,
    Draw,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Milestone, Self::Rank, Self::Draw].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Milestone => "milestone",
            Self::Rank => "rank",
            Self::Draw => "draw",
        }
    }
}

/// How a prize is handed out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FulfilmentType {
    Code,
    Credit,
    Manual,
}

impl FulfilmentType {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Code, Self::Credit, Self::Manual].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Code => "code",
            Self::Credit => "credit",
            Self::Manual => "manual",
        }
    }
}

/// An award's status (`prize_awards.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwardStatus {
    /// Decided (and holding its code, for a code prize).
    Earned,
    /// Earned, no code left: the next upload serves it.
    Waiting,
    /// The owner handed it out.
    Fulfilled,
    /// Taken back (by a reversal or the owner); final.
    Void,
}

impl AwardStatus {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Earned, Self::Waiting, Self::Fulfilled, Self::Void].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Earned => "earned",
            Self::Waiting => "waiting",
            Self::Fulfilled => "fulfilled",
            Self::Void => "void",
        }
    }
}

/// A code prize's pool status, as `GET .../codes?status=` filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeStatus {
    Available,
    Assigned,
}

impl CodeStatus {
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Available, Self::Assigned].into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Available => "available",
            Self::Assigned => "assigned",
        }
    }
}

super::text_enum!(Kind, FulfilmentType, AwardStatus, CodeStatus);

/// A milestone's threshold: confirmed referrals or confirmed points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Threshold {
    Referrals(i64),
    Points(i64),
}

impl Threshold {
    /// From the two columns (exactly one set, the table's CHECK).
    pub fn of(referrals: Option<i64>, points: Option<i64>) -> Option<Self> {
        match (referrals, points) {
            (Some(r), None) => Some(Self::Referrals(r)),
            (None, Some(p)) => Some(Self::Points(p)),
            _ => None,
        }
    }

    pub fn value(self) -> i64 {
        match self {
            Self::Referrals(n) | Self::Points(n) => n,
        }
    }

    /// The entry's figure this threshold is measured in.
    pub fn progress(self, confirmed_referrals: i64, total_points: i64) -> i64 {
        match self {
            Self::Referrals(_) => confirmed_referrals,
            Self::Points(_) => total_points,
        }
    }
}

/// What earns a prize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    Milestone(Threshold),
    /// Places `from..=to` of the final standings.
    Rank {
        from: i64,
        to: i64,
    },
    /// `winners` picks among the eligible final standings.
    Draw(DrawRule),
}

impl Rule {
    pub fn kind(self) -> Kind {
        match self {
            Self::Milestone(_) => Kind::Milestone,
            Self::Rank { .. } => Kind::Rank,
            Self::Draw(_) => Kind::Draw,
        }
    }
}

/// How a prize is handed out, with a credit's amount and currency.
#[derive(Debug, Clone, PartialEq)]
pub enum Fulfilment {
    Code,
    Credit { amount: f64, currency: String },
    Manual,
}

impl Fulfilment {
    pub fn kind(&self) -> FulfilmentType {
        match self {
            Self::Code => FulfilmentType::Code,
            Self::Credit { .. } => FulfilmentType::Credit,
            Self::Manual => FulfilmentType::Manual,
        }
    }
}

/// The largest threshold, place, quantity or credit a prize may name.
pub const MAX_NUMBER: i64 = 1_000_000_000;

/// A prize's settings as a request (or the stored prize) gives them, before
/// validation: every part optional, so a PATCH is the stored draft with the
/// given parts replaced, validated whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Draft {
    pub kind: Option<String>,
    pub threshold_referrals: Option<i64>,
    pub threshold_points: Option<i64>,
    pub rank_from: Option<i64>,
    pub rank_to: Option<i64>,
    pub fulfilment: Option<String>,
    pub credit_amount: Option<f64>,
    pub credit_currency: Option<String>,
    pub quantity: Option<i64>,
    /// A draw's parts.
    pub draw: DrawDraft,
}

/// A validated prize rule and fulfilment.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub rule: Rule,
    pub fulfilment: Fulfilment,
    pub quantity: Option<i64>,
}

/// The field of a credit whose currency is not the contest's `rewardCurrency`:
/// the contest's setting decides, so the handler answers 409, not 400.
pub const CURRENCY: &str = "fulfilment.currency";

pub use draw_rule::{DRAW_ONLY, NOT_FOR_A_DRAW};

/// A field and what is wrong with it (the handler's 400).
#[derive(Debug, PartialEq)]
pub struct Invalid {
    pub field: &'static str,
    pub problem: &'static str,
}

fn invalid(field: &'static str, problem: &'static str) -> Invalid {
    Invalid { field, problem }
}

fn positive(field: &'static str, n: i64) -> Result<i64, Invalid> {
    if (1..=MAX_NUMBER).contains(&n) {
        Ok(n)
    } else {
        Err(invalid(field, "must be an integer from 1 to 1000000000"))
    }
}

/// Validates a draft: `kind` milestone (exactly one of `threshold.referrals`,
/// `threshold.points`) or rank (the places between `ranks.from` and `ranks.to`); fulfilment code,
/// manual, or credit with an amount > 0 in the contest's `reward_currency`
/// (a prize credit goes to the same balance as the contest's rewards);
/// `quantity` > 0 when given.
pub fn validate(d: &Draft, reward_currency: &str) -> Result<Terms, Invalid> {
    let kind = d.kind.as_deref().map(Kind::parse);
    let other = [d.threshold_referrals, d.threshold_points, d.rank_from, d.rank_to, d.quantity].map(|v| v.is_some());
    let [referrals, points, from, to, quantity] = other;
    draw_rule::other_kind(kind == Some(Some(Kind::Draw)), &d.draw, [referrals || points, from || to, quantity])
        .map_err(|(f, p)| invalid(f, p))?;
    let rule = match kind {
        None => return Err(invalid("kind", "is required")),
        Some(Some(Kind::Milestone)) => {
            let threshold = Threshold::of(d.threshold_referrals, d.threshold_points)
                .ok_or_else(|| invalid("threshold", "must give exactly one of referrals and points"))?;
            positive("threshold", threshold.value())?;
            Rule::Milestone(threshold)
        }
        Some(Some(Kind::Rank)) => {
            let (Some(from), Some(to)) = (d.rank_from, d.rank_to) else {
                return Err(invalid("ranks", "must give from and to"));
            };
            let (a, b) = (positive("ranks", from)?, positive("ranks", to)?);
            // The places between the two, whichever is given first (JSON Schema
            // cannot say `from <= to`, so a schema-valid body is never refused).
            Rule::Rank { from: a.min(b), to: a.max(b) }
        }
        Some(Some(Kind::Draw)) => Rule::Draw(draw_rule::validate(&d.draw).map_err(|(f, p)| invalid(f, p))?),
        Some(None) => return Err(invalid("kind", "must be milestone, rank or draw")),
    };
    let credit_given = d.credit_amount.is_some() || d.credit_currency.is_some();
    let fulfilment = match d.fulfilment.as_deref().map(FulfilmentType::parse) {
        None => return Err(invalid("fulfilment", "is required")),
        Some(Some(FulfilmentType::Code | FulfilmentType::Manual)) if credit_given => {
            return Err(invalid("fulfilment", "amount and currency belong to a credit only"))
        }
        Some(Some(FulfilmentType::Code)) => Fulfilment::Code,
        Some(Some(FulfilmentType::Manual)) => Fulfilment::Manual,
        Some(Some(FulfilmentType::Credit)) => {
            let amount = d.credit_amount.filter(|a| a.is_finite() && *a > 0.0 && *a <= MAX_NUMBER as f64);
            let amount = amount.ok_or_else(|| invalid("fulfilment", "credit needs an amount above 0"))?;
            match d.credit_currency.as_deref() {
                Some(c) if c.eq_ignore_ascii_case(reward_currency) => {
                    Fulfilment::Credit { amount, currency: reward_currency.to_string() }
                }
                _ => return Err(invalid(CURRENCY, "credit currency must be the contest's rewardCurrency")),
            }
        }
        Some(None) => return Err(invalid("fulfilment", "type must be code, credit or manual")),
    };
    let quantity = d.quantity.map(|q| positive("quantity", q)).transpose()?;
    Ok(Terms { rule, fulfilment, quantity })
}

/// The most codes one upload may add.
pub const MAX_CODES: usize = 10_000;
/// The longest code.
pub const MAX_CODE_LEN: usize = 200;

/// An upload's codes: each trimmed, non-empty, at most 200 characters and of
/// printable text; 1 to 10,000 of them. Answers the distinct codes in the
/// order given and how many repeated an earlier one of the same upload.
pub fn codes(raw: &[String]) -> Result<(Vec<&str>, usize), Invalid> {
    if raw.is_empty() || raw.len() > MAX_CODES {
        return Err(invalid("codes", "must hold 1 to 10000 codes"));
    }
    let mut seen = std::collections::HashSet::with_capacity(raw.len());
    let mut out = Vec::with_capacity(raw.len());
    for code in raw {
        // The length as sent (the document's maxLength), the emptiness trimmed.
        let too_long = code.chars().count() > MAX_CODE_LEN;
        let code = code.trim();
        if code.is_empty() || too_long {
            return Err(invalid("codes", "must each be 1 to 200 characters"));
        }
        if !super::privacy::is_clean_text(code) {
            return Err(invalid("codes", "must not contain control or bidirectional-override characters"));
        }
        if seen.insert(code) {
            out.push(code);
        }
    }
    let repeated = raw.len() - out.len();
    Ok((out, repeated))
}

/// A milestone prize as the entry's next-milestone choice sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Milestone<'a> {
    pub prize_id: &'a str,
    pub name: &'a str,
    pub threshold: Threshold,
    /// The entry has an award of it (any status: a void one is final).
    pub held: bool,
    /// Its quantity is used up by others.
    pub sold_out: bool,
}

/// The milestone the entry is closest to earning: among those it holds no
/// award of, not sold out and not yet reached, the one with the largest share
/// of its threshold done (ties: the smaller threshold, then the order given).
/// Answers it with the entry's progress in its unit.
pub fn next_milestone<'a, 'b>(
    milestones: &'b [Milestone<'a>],
    confirmed_referrals: i64,
    total_points: i64,
) -> Option<(&'b Milestone<'a>, i64)> {
    let mut best: Option<(&Milestone, i64)> = None;
    for m in milestones.iter().filter(|m| !m.held && !m.sold_out) {
        let progress = m.threshold.progress(confirmed_referrals, total_points);
        if progress >= m.threshold.value() {
            continue;
        }
        let better = match best {
            None => true,
            Some((b, bp)) => {
                // progress / threshold compared without division (both > 0).
                let (mine, theirs) = (
                    i128::from(progress.max(0)) * i128::from(b.threshold.value()),
                    i128::from(bp.max(0)) * i128::from(m.threshold.value()),
                );
                mine > theirs || (mine == theirs && m.threshold.value() < b.threshold.value())
            }
        };
        if better {
            best = Some((m, progress));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(kind: &str) -> Draft {
        Draft { kind: Some(kind.into()), fulfilment: Some("manual".into()), ..Draft::default() }
    }

    #[test]
    fn a_milestone_needs_exactly_one_positive_threshold() {
        let mut d = draft("milestone");
        assert_eq!(validate(&d, "USD").unwrap_err().field, "threshold");
        d.threshold_referrals = Some(3);
        assert_eq!(validate(&d, "USD").unwrap().rule, Rule::Milestone(Threshold::Referrals(3)));
        d.threshold_points = Some(10);
        assert_eq!(validate(&d, "USD").unwrap_err().field, "threshold");
        d.threshold_referrals = None;
        assert_eq!(validate(&d, "USD").unwrap().rule, Rule::Milestone(Threshold::Points(10)));
        d.threshold_points = Some(0);
        assert_eq!(validate(&d, "USD").unwrap_err().field, "threshold");
    }

    #[test]
    fn a_rank_prize_needs_an_ordered_range() {
        let mut d = draft("rank");
        assert_eq!(validate(&d, "USD").unwrap_err().field, "ranks");
        (d.rank_from, d.rank_to) = (Some(1), Some(3));
        assert_eq!(validate(&d, "USD").unwrap().rule, Rule::Rank { from: 1, to: 3 });
        (d.rank_from, d.rank_to) = (Some(3), Some(1));
        assert_eq!(validate(&d, "USD").unwrap().rule, Rule::Rank { from: 1, to: 3 });
        (d.rank_from, d.rank_to) = (Some(0), Some(1));
        assert_eq!(validate(&d, "USD").unwrap_err().field, "ranks");
    }

    #[test]
    fn kind_and_fulfilment_are_required_and_known() {
        let mut d = Draft::default();
        assert_eq!(validate(&d, "USD").unwrap_err(), invalid("kind", "is required"));
        d.kind = Some("lottery".into());
        assert_eq!(validate(&d, "USD").unwrap_err(), invalid("kind", "must be milestone, rank or draw"));
        d = draft("rank");
        (d.rank_from, d.rank_to) = (Some(1), Some(1));
        d.fulfilment = None;
        assert_eq!(validate(&d, "USD").unwrap_err(), invalid("fulfilment", "is required"));
        d.fulfilment = Some("cash".into());
        assert_eq!(validate(&d, "USD").unwrap_err().field, "fulfilment");
        d.fulfilment = Some("code".into());
        assert_eq!(validate(&d, "USD").unwrap().fulfilment, Fulfilment::Code);
        d.credit_amount = Some(5.0);
        assert_eq!(validate(&d, "USD").unwrap_err().problem, "amount and currency belong to a credit only");
    }

    #[test]
    fn a_credit_is_positive_in_the_contests_reward_currency() {
        let mut d = draft("rank");
        (d.rank_from, d.rank_to) = (Some(1), Some(1));
        d.fulfilment = Some("credit".into());
        assert_eq!(validate(&d, "EUR").unwrap_err().field, "fulfilment");
        d.credit_amount = Some(25.0);
        d.credit_currency = Some("USD".into());
        assert_eq!(validate(&d, "EUR").unwrap_err().field, CURRENCY);
        d.credit_currency = Some("eur".into());
        assert_eq!(
            validate(&d, "EUR").unwrap().fulfilment,
            Fulfilment::Credit { amount: 25.0, currency: "EUR".into() }
        );
        d.credit_amount = Some(0.0);
        assert_eq!(validate(&d, "EUR").unwrap_err().field, "fulfilment");
        d.credit_amount = Some(f64::NAN);
        assert_eq!(validate(&d, "EUR").unwrap_err().field, "fulfilment");
    }

    #[test]
    fn a_quantity_is_positive() {
        let mut d = draft("rank");
        (d.rank_from, d.rank_to) = (Some(1), Some(2));
        d.quantity = Some(0);
        assert_eq!(validate(&d, "USD").unwrap_err().field, "quantity");
        d.quantity = Some(5);
        assert_eq!(validate(&d, "USD").unwrap().quantity, Some(5));
    }

    #[test]
    fn a_draw_needs_winners_and_takes_no_threshold_ranks_or_quantity() {
        let mut d = draft("draw");
        assert_eq!(validate(&d, "USD").unwrap_err().field, "winners");
        d.draw.winners = Some(3);
        assert!(matches!(validate(&d, "USD").unwrap().rule, Rule::Draw(DrawRule { winners: 3, .. })));
        d.quantity = Some(2);
        assert_eq!(validate(&d, "USD").unwrap_err().field, "quantity");
        d.quantity = None;
        d.threshold_points = Some(2);
        assert_eq!(validate(&d, "USD").unwrap_err().field, "threshold");
        let mut m = draft("rank");
        (m.rank_from, m.rank_to, m.draw.weighting) = (Some(1), Some(1), Some("equal".into()));
        assert_eq!(validate(&m, "USD").unwrap_err(), invalid("weighting", DRAW_ONLY));
    }

    #[test]
    fn codes_are_trimmed_checked_and_deduplicated_in_order() {
        let raw: Vec<String> = [" A1 ", "B2", "A1", "c3"].iter().map(|s| s.to_string()).collect();
        assert_eq!(codes(&raw).unwrap(), (vec!["A1", "B2", "c3"], 1));
        assert_eq!(codes(&[]).unwrap_err().field, "codes");
        assert!(codes(&["  ".to_string()]).is_err());
        assert!(codes(&["x".repeat(201)]).is_err());
        assert!(codes(&["x".repeat(200)]).is_ok());
        // 200 characters once trimmed, 201 as sent: too long, as the document says.
        assert!(codes(&[[" ", &"x".repeat(200)].concat()]).is_err());
        assert!(codes(&["a\u{0}b".to_string()]).is_err());
        assert!(codes(&vec!["a".to_string(); 10_001]).is_err());
        assert_eq!(codes(&vec!["a".to_string(); 10_000]).unwrap(), (vec!["a"], 9_999));
    }

    fn m(id: &str, threshold: Threshold) -> Milestone<'_> {
        Milestone { prize_id: id, name: id, threshold, held: false, sold_out: false }
    }

    #[test]
    fn the_next_milestone_is_the_closest_one_not_held_reached_or_sold_out() {
        let list =
            [m("r3", Threshold::Referrals(3)), m("r5", Threshold::Referrals(5)), m("p100", Threshold::Points(100))];
        let next = next_milestone(&list, 2, 10).map(|(m, p)| (m.prize_id, p));
        assert_eq!(next, Some(("r3", 2)));
        // r3 reached: r5 (3/5) beats p100 (10/100).
        assert_eq!(next_milestone(&list, 3, 10).map(|(m, p)| (m.prize_id, p)), Some(("r5", 3)));
        // p100 at 90/100 beats r5 at 3/5.
        assert_eq!(next_milestone(&list, 3, 90).map(|(m, p)| (m.prize_id, p)), Some(("p100", 90)));
        let mut held = list.clone();
        held[0].held = true;
        held[1].sold_out = true;
        assert_eq!(next_milestone(&held, 0, 0).map(|(m, p)| (m.prize_id, p)), Some(("p100", 0)));
        assert_eq!(next_milestone(&list, 5, 100), None);
        // Equal shares: the smaller threshold first.
        let tie = [m("r4", Threshold::Referrals(4)), m("r2", Threshold::Referrals(2))];
        assert_eq!(next_milestone(&tie, 0, 0).map(|(m, _)| m.prize_id), Some("r2"));
    }
}
