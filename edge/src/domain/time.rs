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

/// Parses an RFC 3339 date-time (`2026-06-01T00:00:00Z`, optional fraction,
/// any offset, `t`/`z` in either case, a leap second read as :59) or full-date
/// (`2026-06-01`, midnight UTC): exactly the contract's `date-time` and `date`
/// formats. Answers the instant in the canonical form `iso8601` writes, so
/// stored timestamps compare as text.
pub fn parse_iso8601(s: &str) -> Option<String> {
    parse_instant_ms(s).map(iso8601)
}

/// The instant `parse_iso8601` reads, as Unix milliseconds.
pub fn parse_instant_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, d| d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0')))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(at(4, b'-') && at(7, b'-')) {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    let mut unix_ms = days_from_civil(y, m, d) * 86_400_000;
    if b.len() == 10 {
        return Some(unix_ms);
    }
    if !(matches!(b.get(10), Some(b'T' | b't')) && at(13, b':') && at(16, b':')) {
        return None;
    }
    let (h, mi, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if at(i, b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        for k in 0..3 {
            ms = ms * 10 + if k < digits { i64::from(b[i + 1 + k] - b'0') } else { 0 };
        }
        i += 1 + digits;
    }
    let offset_min = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(sign @ (b'+' | b'-')) if b.len() == i + 6 && at(i + 3, b':') => {
            let (oh, om) = (num(i + 1, 2)?, num(i + 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            if *sign == b'+' {
                oh * 60 + om
            } else {
                -(oh * 60 + om)
            }
        }
        _ => return None,
    };
    // A leap second is the last instant of its minute to everything we store.
    unix_ms += ((h * 60 + mi - offset_min) * 60 + sec.min(59)) * 1000 + ms;
    Some(unix_ms)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
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
        assert_eq!(parse_iso8601("2026-01-01T10:00:00+02:00").as_deref(), Some("2026-01-01T08:00:00.000Z"));
        assert_eq!(parse_iso8601("2025-12-31t23:30:00.123456-01:00").as_deref(), Some("2026-01-01T00:30:00.123Z"));
        assert_eq!(parse_iso8601("2016-12-31T23:59:60Z").as_deref(), Some("2016-12-31T23:59:59.000Z"));
        assert_eq!(parse_iso8601("2024-02-29").as_deref(), Some("2024-02-29T00:00:00.000Z"));
        assert_eq!(parse_iso8601("0001-01-01T00:00:00Z").as_deref(), Some("0001-01-01T00:00:00.000Z"));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "tomorrow",
            "2026-02-31",
            "2025-02-29",
            "2026-13-01",
            "2026-1-01",
            " 2026-01-01",
            "2026-01-01T25:00:00Z",
            "2026-01-01T10:00Z",
            "2026-01-01T10:00:00",
            "2026-01-01T10:00:00.Z",
            "2026-01-01T10:00:00+0200",
            "2026-01-01 10:00:00Z",
            "+2026-01-01",
        ] {
            assert_eq!(parse_iso8601(bad), None, "{bad}");
        }
    }
}
