//! The end of a contest: when it may be finalized, when the cron finalizes it
//! on its own, and the keyset position of the standings' pages. Pure.

use super::contest::ContestStatus;

/// Why a contest cannot be finalized now (each a 409).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Active or paused: it has not ended (by status or `endsAt`).
    NotEnded,
    /// Awards of the contest still pending, and the owner did not leave them out.
    Pending(u64),
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Self::NotEnded => "Contest has not ended: end it (POST /end) or wait for endsAt before finalizing".into(),
            Self::Pending(n) => [
                "Contest has ",
                &n.to_string(),
                " pending award(s): review them first, or finalize with excludePending: true",
            ]
            .concat(),
        }
    }
}

/// Whether finalizing may start: the contest has ended (its effective
/// status), and no award is pending unless they are left out.
pub fn may_finalize(effective: ContestStatus, pending: u64, exclude_pending: bool) -> Result<(), Refusal> {
    if effective != ContestStatus::Ended {
        return Err(Refusal::NotEnded);
    }
    if pending > 0 && !exclude_pending {
        return Err(Refusal::Pending(pending));
    }
    Ok(())
}

/// Whether the cron finalizes a contest that ended at `ended_ms` with the
/// setting `autoFinalizeAfterHours` (none: never) at `now_ms`.
pub fn auto_finalize_due(ended_ms: Option<i64>, after_hours: Option<i64>, now_ms: i64) -> bool {
    match (ended_ms, after_hours) {
        (Some(ended), Some(hours)) => now_ms >= ended.saturating_add(hours.saturating_mul(3_600_000)),
        _ => false,
    }
}

/// Where the next page of the standings starts: just after the last ranked
/// entry, by the ranking's values (points descending, then reached, joined
/// and id ascending), and the rank it had.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Cursor {
    pub rank: i64,
    pub points: i64,
    pub reached_at: String,
    pub joined_at: String,
    pub entry_id: String,
}

/// The ranking order over (points, reached, joined, id): whether `a` ranks
/// before `b`. The SQL orders the same way (`db::standings`); this is its
/// statement as a rule, with tests.
pub fn ranks_before(a: (i64, &str, &str, &str), b: (i64, &str, &str, &str)) -> bool {
    (std::cmp::Reverse(a.0), a.1, a.2, a.3) < (std::cmp::Reverse(b.0), b.1, b.2, b.3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_ended_contest_without_pending_awards_finalizes() {
        assert_eq!(may_finalize(ContestStatus::Active, 0, true), Err(Refusal::NotEnded));
        assert_eq!(may_finalize(ContestStatus::Paused, 0, true), Err(Refusal::NotEnded));
        assert_eq!(may_finalize(ContestStatus::Ended, 3, false), Err(Refusal::Pending(3)));
        assert!(Refusal::Pending(3).message().contains("3 pending"));
        assert_eq!(may_finalize(ContestStatus::Ended, 3, true), Ok(()));
        assert_eq!(may_finalize(ContestStatus::Ended, 0, false), Ok(()));
    }

    #[test]
    fn the_cron_finalizes_once_the_hours_have_passed() {
        let hour = 3_600_000;
        assert!(!auto_finalize_due(Some(0), None, 100 * hour));
        assert!(!auto_finalize_due(None, Some(1), 100 * hour));
        assert!(!auto_finalize_due(Some(0), Some(2), 2 * hour - 1));
        assert!(auto_finalize_due(Some(0), Some(2), 2 * hour));
        assert!(auto_finalize_due(Some(5), Some(0), 5));
    }

    #[test]
    fn ties_go_to_points_then_reached_then_joined_then_id() {
        assert!(ranks_before((10, "b", "b", "b"), (9, "a", "a", "a")));
        assert!(ranks_before((10, "a", "b", "b"), (10, "b", "a", "a")));
        assert!(ranks_before((10, "a", "a", "b"), (10, "a", "b", "a")));
        assert!(ranks_before((10, "a", "a", "a"), (10, "a", "a", "b")));
        assert!(!ranks_before((10, "a", "a", "a"), (10, "a", "a", "a")));
        assert!(ranks_before((0, "a", "a", "a"), (-5, "a", "a", "a")));
    }
}
