//! Per-day series of a contest: which UTC days a request covers.

use super::time::{iso8601, parse_instant_ms};

/// The longest series one request answers.
pub const MAX_DAYS: i64 = 366;
const DAY_MS: i64 = 86_400_000;

/// UTC days `from..=to` as Unix milliseconds of their midnights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    from_ms: i64,
    to_ms: i64,
}

impl DayRange {
    /// From the query's `from` and `to` (full dates), defaulting to the 30 days
    /// ending `today_ms`'s day. A range longer than `MAX_DAYS` keeps its last
    /// `MAX_DAYS`; `from` after `to` covers no day. Only unreadable dates are errors.
    pub fn parse(from: Option<&str>, to: Option<&str>, today_ms: i64) -> Result<Self, &'static str> {
        // A full date alone (10 characters): its midnight, UTC.
        let day = |s: &str, name: &'static str| (s.len() == 10).then(|| parse_instant_ms(s)).flatten().ok_or(name);
        let to_ms = match to {
            Some(t) => day(t, "to must be a date (YYYY-MM-DD)")?,
            None => today_ms - today_ms.rem_euclid(DAY_MS),
        };
        let from_ms = match from {
            Some(f) => day(f, "from must be a date (YYYY-MM-DD)")?,
            None => to_ms - 29 * DAY_MS,
        };
        Ok(Self { from_ms: from_ms.max(to_ms - (MAX_DAYS - 1) * DAY_MS), to_ms })
    }

    /// Each day, `YYYY-MM-DD`, oldest first.
    pub fn days(&self) -> Vec<String> {
        (0..)
            .map(|i| self.from_ms + i * DAY_MS)
            .take_while(|ms| *ms <= self.to_ms)
            .map(|ms| iso8601(ms)[..10].to_string())
            .collect()
    }

    /// The first instant of the range and the first after it, as stored text,
    /// for `created_at >= start AND created_at < end`.
    pub fn bounds(&self) -> (String, String) {
        (iso8601(self.from_ms), iso8601(self.to_ms + DAY_MS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOON_2026_03_10: i64 = 1_773_144_000_000;

    #[test]
    fn defaults_to_the_30_days_ending_today() {
        let r = DayRange::parse(None, None, NOON_2026_03_10).unwrap();
        let days = r.days();
        assert_eq!((days.len(), days[0].as_str(), days[29].as_str()), (30, "2026-02-09", "2026-03-10"));
        assert_eq!(r.bounds(), ("2026-02-09T00:00:00.000Z".into(), "2026-03-11T00:00:00.000Z".into()));
    }

    #[test]
    fn explicit_ranges_are_inclusive_and_bounded() {
        let r = DayRange::parse(Some("2024-02-28"), Some("2024-03-01"), 0).unwrap();
        assert_eq!(r.days(), ["2024-02-28", "2024-02-29", "2024-03-01"]);
        let long = DayRange::parse(Some("2000-01-01"), Some("2026-03-10"), 0).unwrap();
        assert_eq!(long.days().len(), MAX_DAYS as usize);
        assert_eq!(long.days().last().map(String::as_str), Some("2026-03-10"));
        assert!(DayRange::parse(Some("2026-03-11"), Some("2026-03-10"), 0).unwrap().days().is_empty());
    }

    #[test]
    fn unreadable_dates_are_errors() {
        for bad in ["", "2026-3-1", "2026-02-30", "2026-03-10T00:00:00Z", "yesterday"] {
            assert!(DayRange::parse(Some(bad), None, 0).is_err(), "{bad}");
            assert!(DayRange::parse(None, Some(bad), 0).is_err(), "{bad}");
        }
    }
}
