//! Contests: their lifecycle and whether they accept activity.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContestStatus {
    Active,
    Paused,
    Ended,
}

impl ContestStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(Self::Active),
            "paused" => Some(Self::Paused),
            "ended" => Some(Self::Ended),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Paused => "paused",
            Self::Ended => "ended",
        }
    }
}

/// The status a contest effectively has now: an active contest past its end
/// date has ended.
pub fn effective_status(status: ContestStatus, ends_at: Option<&str>, now_iso: &str) -> ContestStatus {
    match (status, ends_at) {
        (ContestStatus::Active, Some(end)) if end <= now_iso => ContestStatus::Ended,
        (s, _) => s,
    }
}

/// Whether the contest records new activity; the error says why not.
pub fn ensure_open(status: ContestStatus, ends_at: Option<&str>, now_iso: &str) -> Result<(), &'static str> {
    match effective_status(status, ends_at, now_iso) {
        ContestStatus::Active => Ok(()),
        ContestStatus::Paused => Err("Contest is paused: nothing can be recorded until it is resumed"),
        ContestStatus::Ended => Err("Contest has ended: nothing more can be recorded"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const NOW: &str = "2026-06-01T00:00:00.000Z";

    #[test]
    fn an_active_contest_past_its_end_has_ended() {
        assert_eq!(
            effective_status(ContestStatus::Active, Some("2026-05-31T23:59:59.999Z"), NOW),
            ContestStatus::Ended
        );
        assert_eq!(
            effective_status(ContestStatus::Active, Some("2026-06-02T00:00:00.000Z"), NOW),
            ContestStatus::Active
        );
        assert_eq!(
            effective_status(ContestStatus::Paused, Some("2020-01-01T00:00:00.000Z"), NOW),
            ContestStatus::Paused
        );
    }

    #[test]
    fn only_active_contests_are_open() {
        assert!(ensure_open(ContestStatus::Active, None, NOW).is_ok());
        assert!(ensure_open(ContestStatus::Paused, None, NOW).unwrap_err().contains("paused"));
        assert!(ensure_open(ContestStatus::Ended, None, NOW).unwrap_err().contains("ended"));
        assert!(ensure_open(ContestStatus::Active, Some("2020-01-01T00:00:00.000Z"), NOW).is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in [ContestStatus::Active, ContestStatus::Paused, ContestStatus::Ended] {
            assert_eq!(ContestStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ContestStatus::parse("Active"), None);
    }
}

super::text_enum!(ContestStatus);
