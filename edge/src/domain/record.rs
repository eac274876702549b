//! The public record of a contest besides its draws (issue 25): the final
//! standings as exact bytes (their SHA-256 is published at finalize, so anyone
//! can check the copy they read), and the audit list: every point change not
//! made by a referral, a purchase or a bonus action. docs/DRAWS.md ("Final
//! standings") and docs/API.md state both.

use serde::Serialize;

/// Appends one place of the final standings: `rank\tentryId\tpoints\treachedAt\n`
/// (decimal integers, `reachedAt` exactly as stored).
pub fn push_standing_line(out: &mut String, rank: i64, entry_id: &str, points: i64, reached_at: &str) {
    out.push_str(&rank.to_string());
    out.push('\t');
    out.push_str(entry_id);
    out.push('\t');
    out.push_str(&points.to_string());
    out.push('\t');
    out.push_str(reached_at);
    out.push('\n');
}

/// What an audit line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AuditKind {
    /// The owner's adjustment (a confirmed ledger row of reason `adjustment`):
    /// its points as given, its reason as written.
    Adjustment,
    /// A disqualified entry: minus its confirmed points (which no longer rank),
    /// the owner's reason.
    Disqualification,
    /// A rejected award (by the owner's review or by the rules): minus the
    /// points it would have given, why it was held or replaced.
    Rejection,
}

/// Why an award was rejected, as the record shows it: what the award was for
/// (the ledger's `reason`) and why it waited (its `hold`, if any). The ledger
/// keeps no free text for a rejection, so this is the whole reason.
pub fn rejection_reason(award: &str, hold: Option<&str>) -> String {
    let what = match award {
        "referral_advocate" => "Referral award",
        "referral_friend" => "Friend's signup award",
        "purchase" => "Purchase award",
        "bonus_action" => "Bonus action award",
        _ => "Award",
    };
    let why = match hold {
        Some("fraud") => "held by the fraud screening, then rejected",
        Some("velocity") => "held for too many referrals in an hour, then rejected",
        Some("review") => "held for the owner's review, then rejected",
        Some("on_purchase") => "waiting for the friend's purchase, then rejected",
        Some("unverified_purchase") => "an unverified purchase claim, rejected",
        Some("currency") => "held for a currency without a rate, then rejected",
        // Not held: a trusted report replaced it (a takeover of a
        // browser-made entry, a verified purchase).
        _ => "replaced by a trusted report",
    };
    [what, ": ", why].concat()
}

/// Sorts audit lines oldest first (ISO-8601 times sort as text); the same
/// time in a stable order: kind, then entry.
pub fn oldest_first<T>(lines: &mut [T], key: impl Fn(&T) -> (&str, AuditKind, &str)) {
    lines.sort_by(|a, b| {
        let (ta, ka, ea) = key(a);
        let (tb, kb, eb) = key(b);
        ta.cmp(tb).then((ka as u8).cmp(&(kb as u8))).then(ea.cmp(eb))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standing_line_is_tab_separated_and_ends_with_a_newline() {
        let mut out = String::new();
        push_standing_line(&mut out, 1, "en_a", 120, "2026-01-02T03:04:05.000Z");
        push_standing_line(&mut out, 2, "en_b", -3, "2026-01-01T00:00:00Z");
        assert_eq!(out, "1\ten_a\t120\t2026-01-02T03:04:05.000Z\n2\ten_b\t-3\t2026-01-01T00:00:00Z\n");
    }

    #[test]
    fn a_rejection_says_what_the_award_was_and_why_it_waited() {
        assert_eq!(
            rejection_reason("referral_advocate", Some("review")),
            "Referral award: held for the owner's review, then rejected"
        );
        assert_eq!(
            rejection_reason("purchase", Some("unverified_purchase")),
            "Purchase award: an unverified purchase claim, rejected"
        );
        assert_eq!(rejection_reason("referral_friend", None), "Friend's signup award: replaced by a trusted report");
        assert_eq!(rejection_reason("x", Some("?")), "Award: replaced by a trusted report");
    }

    #[test]
    fn audit_lines_sort_by_time_then_kind_then_entry() {
        let mut lines = vec![
            ("2026-01-02T00:00:00.000Z", AuditKind::Adjustment, "en_b"),
            ("2026-01-01T00:00:00.000Z", AuditKind::Rejection, "en_a"),
            ("2026-01-02T00:00:00.000Z", AuditKind::Adjustment, "en_a"),
            ("2026-01-01T00:00:00.000Z", AuditKind::Adjustment, "en_z"),
        ];
        oldest_first(&mut lines, |l| (l.0, l.1, l.2));
        assert_eq!(lines.iter().map(|l| l.2).collect::<Vec<_>>(), ["en_z", "en_a", "en_a", "en_b"]);
        assert_eq!(lines[1].1, AuditKind::Rejection);
    }

    #[test]
    fn kinds_serialize_in_lowercase() {
        assert_eq!(serde_json::to_string(&AuditKind::Disqualification).unwrap(), "\"disqualification\"");
    }
}
