//! The condition a guarded write carries: an award, a reward or an event is
//! written only if the change it follows from happened earlier in the same
//! batch. Its own module since the ledger, the rewards and the outbox all
//! guard their inserts with it.

/// The row that must exist for an award to be written: the award follows from
/// a write earlier in the same batch, which a duplicate request did not make.
pub enum Guard<'a> {
    /// The entry with this id was created.
    EntryCreated(&'a str),
    /// The purchase with this id was recorded.
    PurchaseRecorded(&'a str),
    /// The completion with this id is verified.
    CompletionVerified(&'a str),
    /// An entry was qualified by the event with this id.
    QualifiedBy(&'a str),
    /// The refund with this id was recorded.
    RefundRecorded(&'a str),
    /// A trusted report verified a purchase, marking it with this token.
    PurchaseVerifiedBy(&'a str),
    /// The referral the award is for (advocate `?1` referred `?5`, or friend
    /// `?1` was referred by `?5`) is the entry's attribution now: written after
    /// a trusted signup took a browser-made entry over.
    Attributed,
    /// No condition (adjustments; the unique ref still settles retries).
    None,
}

impl Guard<'_> {
    /// The SQL condition (on parameter `?n`) and the id bound to it.
    pub fn condition(&self, n: u8) -> (String, &str) {
        let n = ["?", &n.to_string()].concat();
        let n = n.as_str();
        let exists = |table_where: &str, after: &str| ["EXISTS (SELECT 1 FROM ", table_where, n, after, ")"].concat();
        match self {
            Guard::EntryCreated(id) => (exists("entries WHERE id = ", ""), *id),
            Guard::PurchaseRecorded(id) => (exists("purchases WHERE id = ", ""), *id),
            Guard::CompletionVerified(id) => (exists("bonus_completions WHERE id = ", " AND status = 'verified'"), *id),
            Guard::QualifiedBy(id) => (exists("entries WHERE qualified_event_id = ", ""), *id),
            Guard::RefundRecorded(id) => (exists("refunds WHERE id = ", ""), *id),
            Guard::PurchaseVerifiedBy(token) => (exists("purchases WHERE verify_token = ", ""), *token),
            Guard::Attributed => (
                [
                    n,
                    " = ",
                    n,
                    " AND (EXISTS (SELECT 1 FROM entries WHERE id = ?5 AND referred_by_entry_id = ?1 AND ?4 = 'referral_advocate')
                   OR EXISTS (SELECT 1 FROM entries WHERE id = ?1 AND referred_by_entry_id = ?5 AND ?4 = 'referral_friend'))",
                ]
                .concat(),
                "",
            ),
            Guard::None => ([n, " = ", n].concat(), ""),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Guard;

    #[test]
    fn a_condition_binds_its_parameter_number() {
        assert_eq!(Guard::None.condition(8), ("?8 = ?8".to_string(), ""));
        assert_eq!(
            Guard::PurchaseVerifiedBy("t").condition(7),
            ("EXISTS (SELECT 1 FROM purchases WHERE verify_token = ?7)".to_string(), "t")
        );
        assert_eq!(
            Guard::CompletionVerified("c").condition(10),
            ("EXISTS (SELECT 1 FROM bonus_completions WHERE id = ?10 AND status = 'verified')".to_string(), "c")
        );
    }
}
