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
        let (sql, id) = match self {
            Guard::EntryCreated(id) => ("EXISTS (SELECT 1 FROM entries WHERE id = ?N)", *id),
            Guard::PurchaseRecorded(id) => ("EXISTS (SELECT 1 FROM purchases WHERE id = ?N)", *id),
            Guard::CompletionVerified(id) => {
                ("EXISTS (SELECT 1 FROM bonus_completions WHERE id = ?N AND status = 'verified')", *id)
            }
            Guard::QualifiedBy(id) => ("EXISTS (SELECT 1 FROM entries WHERE qualified_event_id = ?N)", *id),
            Guard::RefundRecorded(id) => ("EXISTS (SELECT 1 FROM refunds WHERE id = ?N)", *id),
            Guard::PurchaseVerifiedBy(token) => ("EXISTS (SELECT 1 FROM purchases WHERE verify_token = ?N)", *token),
            Guard::Attributed => (
                "?N = ?N AND (EXISTS (SELECT 1 FROM entries WHERE id = ?5 AND referred_by_entry_id = ?1 AND ?4 = 'referral_advocate')
                   OR EXISTS (SELECT 1 FROM entries WHERE id = ?1 AND referred_by_entry_id = ?5 AND ?4 = 'referral_friend'))",
                "",
            ),
            Guard::None => ("?N = ?N", ""),
        };
        (sql.replace("?N", &["?", &n.to_string()].concat()), id)
    }
}
