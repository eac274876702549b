//! Bonus actions: how a completion is confirmed.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmationType {
    /// Completes at once (the site confirms it happened).
    Auto,
    /// Completes when the participant clicks through to the destination.
    Click,
    /// Waits for the owner's approval; points on approval.
    Manual,
    /// Completes when the answer matches.
    Quiz,
}

impl ConfirmationType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "auto" => Some(Self::Auto),
            "click" => Some(Self::Click),
            "manual" => Some(Self::Manual),
            "quiz" => Some(Self::Quiz),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Click => "click",
            Self::Manual => "manual",
            Self::Quiz => "quiz",
        }
    }
}

/// Whether the participant (their token, from the widget) may complete an
/// action of this kind. Auto actions are the site's to confirm (its server,
/// with a private key): a participant completing one would award themselves.
pub fn participant_may_complete(kind: ConfirmationType) -> bool {
    kind != ConfirmationType::Auto
}

/// Where an entry's completion of an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionStatus {
    /// Waiting for the owner's review (manual actions).
    Pending,
    /// Done: the action's points were awarded.
    Verified,
    /// The owner refused it: no points.
    Rejected,
}

impl CompletionStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "pending" => Some(Self::Pending),
            "verified" => Some(Self::Verified),
            "rejected" => Some(Self::Rejected),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Verified => "verified",
            Self::Rejected => "rejected",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionOutcome {
    /// Verified now: award the points.
    Verified,
    /// Recorded as pending: award on approval.
    Pending,
}

impl CompletionOutcome {
    /// The status a new completion with this outcome is stored with.
    pub fn status(self) -> CompletionStatus {
        match self {
            Self::Verified => CompletionStatus::Verified,
            Self::Pending => CompletionStatus::Pending,
        }
    }
}

/// What completing an action of this type with this answer does.
/// The answer a wrong guess gets (a 400); it counts towards `MAX_WRONG_ANSWERS`.
pub const INCORRECT_ANSWER: &str = "Incorrect answer";

/// Wrong answers an entry may give one quiz within `WRONG_ANSWER_WINDOW_SECS`;
/// past them every answer, even the right one, is a 429 until the oldest
/// leaves the window (a year is found in a few dozen tries otherwise).
pub const MAX_WRONG_ANSWERS: i64 = 5;
pub const WRONG_ANSWER_WINDOW_SECS: i64 = 3600;

/// Seconds until a locked quiz takes an answer again: when the oldest wrong
/// answer of the window (`oldest_ms`) leaves it; at least 1.
pub fn quiz_retry_after(oldest_ms: Option<i64>, now_ms: i64) -> u32 {
    let window_ms = WRONG_ANSWER_WINDOW_SECS * 1000;
    let until = oldest_ms.map_or(window_ms, |t| t + window_ms - now_ms);
    u32::try_from((until + 999) / 1000).unwrap_or(0).max(1)
}

pub fn evaluate(
    kind: ConfirmationType,
    correct_answer: Option<&str>,
    answer: Option<&str>,
) -> Result<CompletionOutcome, &'static str> {
    match kind {
        ConfirmationType::Auto | ConfirmationType::Click => Ok(CompletionOutcome::Verified),
        ConfirmationType::Manual => Ok(CompletionOutcome::Pending),
        ConfirmationType::Quiz => {
            let given =
                answer.map(normalize_answer).filter(|a| !a.is_empty()).ok_or("An answer is required for this quiz")?;
            match correct_answer {
                Some(correct) if normalize_answer(correct) == given => Ok(CompletionOutcome::Verified),
                _ => Err(INCORRECT_ANSWER),
            }
        }
    }
}

/// Quiz answers match ignoring case and surrounding or repeated whitespace.
fn normalize_answer(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConfirmationType::*;

    #[test]
    fn a_locked_quiz_opens_when_its_oldest_wrong_answer_is_an_hour_old() {
        let now = 10_000_000;
        assert_eq!(quiz_retry_after(Some(now), now), 3600);
        assert_eq!(quiz_retry_after(Some(now - 600_000), now), 3000);
        assert_eq!(quiz_retry_after(Some(now - 3_599_500), now), 1);
        assert_eq!(quiz_retry_after(Some(now - 7_200_000), now), 1);
        assert_eq!(quiz_retry_after(None, now), 3600);
    }

    #[test]
    fn participants_complete_all_but_auto_actions() {
        assert!(!participant_may_complete(Auto));
        assert!([Click, Manual, Quiz].into_iter().all(participant_may_complete));
    }

    #[test]
    fn auto_and_click_verify_manual_waits() {
        assert_eq!(evaluate(Auto, None, None), Ok(CompletionOutcome::Verified));
        assert_eq!(evaluate(Click, None, None), Ok(CompletionOutcome::Verified));
        assert_eq!(evaluate(Manual, None, None), Ok(CompletionOutcome::Pending));
    }

    #[test]
    fn quiz_checks_the_answer() {
        assert_eq!(evaluate(Quiz, Some("Blue Whale"), Some("  blue   WHALE ")), Ok(CompletionOutcome::Verified));
        assert_eq!(evaluate(Quiz, Some("Blue Whale"), Some("shark")), Err("Incorrect answer"));
        assert_eq!(evaluate(Quiz, Some("x"), None), Err("An answer is required for this quiz"));
        assert_eq!(evaluate(Quiz, Some("x"), Some("  ")), Err("An answer is required for this quiz"));
    }

    #[test]
    fn statuses_round_trip() {
        for s in [CompletionStatus::Pending, CompletionStatus::Verified, CompletionStatus::Rejected] {
            assert_eq!(CompletionStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(CompletionOutcome::Verified.status(), CompletionStatus::Verified);
        assert_eq!(CompletionOutcome::Pending.status(), CompletionStatus::Pending);
        assert_eq!(CompletionStatus::parse("Verified"), None);
    }
}

super::text_enum!(ConfirmationType, CompletionStatus);
