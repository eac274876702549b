//! Timestamps as ISO-8601 UTC text with milliseconds, the format of the seeds.

/// Formats Unix milliseconds as `2025-06-15T12:00:00.000Z`.
pub fn iso8601(unix_ms: i64) -> String {
    let ms = unix_ms.rem_euclid(1000);
    let secs = unix_ms.div_euclid(1000);
    let (days, sod) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let mut s = String::with_capacity(24);
    push_padded(&mut s, y, 4);
    s.push('-');
    push_padded(&mut s, m, 2);
    s.push('-');
    push_padded(&mut s, d, 2);
    s.push('T');
    push_padded(&mut s, sod / 3600, 2);
    s.push(':');
    push_padded(&mut s, sod % 3600 / 60, 2);
    s.push(':');
    push_padded(&mut s, sod % 60, 2);
    s.push('.');
    push_padded(&mut s, ms, 3);
    s.push('Z');
    s
}

fn push_padded(s: &mut String, n: i64, width: usize) {
    let digits = n.to_string();
    for _ in digits.len()..width {
        s.push('0');
    }
    s.push_str(&digits);
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_749_988_800_000), "2025-06-15T12:00:00.000Z");
        assert_eq!(iso8601(951_782_400_123), "2000-02-29T00:00:00.123Z");
        assert_eq!(iso8601(1_767_225_599_999), "2025-12-31T23:59:59.999Z");
    }
}

/// Parses an ISO-8601 UTC date-time (`2026-06-01T00:00:00Z`, with optional
/// fraction, or a bare `2026-06-01`) into the canonical form `iso8601` writes,
/// so stored timestamps compare as text.
pub fn parse_iso8601(s: &str) -> Option<String> {
    let s = s.trim();
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut d = date.split('-');
    let (y, m, day) = (d.next()?.parse::<i64>().ok()?, d.next()?.parse::<i64>().ok()?, d.next()?.parse::<i64>().ok()?);
    if d.next().is_some() || !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut secs_of_day, mut ms) = (0, 0);
    if let Some(t) = time {
        let t = t.strip_suffix('Z').or_else(|| t.strip_suffix("+00:00"))?;
        let (hms, frac) = t.split_once('.').unwrap_or((t, ""));
        let mut p = hms.split(':');
        let (h, mi, sec) = (
            p.next()?.parse::<i64>().ok()?,
            p.next()?.parse::<i64>().ok()?,
            p.next().unwrap_or("0").parse::<i64>().ok()?,
        );
        if h > 23 || mi > 59 || sec > 59 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        secs_of_day = h * 3600 + mi * 60 + sec;
        ms = frac
            .get(..3.min(frac.len()))
            .filter(|f| !f.is_empty())
            .map_or(0, |f| f.parse::<i64>().unwrap_or(0) * 10i64.pow(3 - f.len() as u32));
    }
    let days = days_from_civil(y, m, day);
    let out = iso8601((days * 86_400 + secs_of_day) * 1000 + ms);
    // Reject dates such as 2026-02-31 that do not round-trip.
    out.starts_with(date).then_some(out)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    #[test]
    fn parses_to_canonical_form() {
        assert_eq!(parse_iso8601("2025-06-15T12:00:00Z").as_deref(), Some("2025-06-15T12:00:00.000Z"));
        assert_eq!(parse_iso8601("2025-06-15T12:00:00.5Z").as_deref(), Some("2025-06-15T12:00:00.500Z"));
        assert_eq!(parse_iso8601("2023-10-11T00:36:27.753+00:00").as_deref(), Some("2023-10-11T00:36:27.753Z"));
        assert_eq!(parse_iso8601("2026-01-31").as_deref(), Some("2026-01-31T00:00:00.000Z"));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", "tomorrow", "2026-02-31", "2026-13-01", "2026-01-01T25:00:00Z", "2026-01-01T10:00:00+02:00"] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
