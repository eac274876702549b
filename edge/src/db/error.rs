//! What storage can answer instead of rows: its own error type, so the db
//! modules know nothing of HTTP. `crate::error` maps it to the API's error,
//! once (`From<StorageError> for ApiError`).

/// The unique constraints a write can run into, named by what they protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// `entries (contest_id, email)`: one entry per identity in a contest.
    EntryEmail,
    /// `entries (contest_id, referral_code)`: a drawn code collided (drawn again).
    EntryReferralCode,
    /// Any other unique constraint: a bug if it reaches a client.
    Other,
}

#[derive(Debug, PartialEq)]
pub enum StorageError {
    /// A write refused by a unique constraint, named by its columns (`classify`).
    Unique(Unique),
    /// D1 failed, or answered what it cannot have (a row a batch just wrote is
    /// missing). The detail is for the log.
    D1(String),
}

pub type DbResult<T> = Result<T, StorageError>;

/// Binding, query and decoding errors of the D1 API are failures, never a
/// constraint (those are read by `classify`, where statements run).
impl From<worker::Error> for StorageError {
    fn from(e: worker::Error) -> Self {
        Self::D1(e.to_string())
    }
}

/// The one place D1's error text is read: a unique violation is named by its
/// columns (SQLite's `UNIQUE constraint failed: t.a, t.b`), anything else is a
/// failure.
pub fn classify(e: worker::Error) -> StorageError {
    let message = e.to_string();
    match unique_columns(&message) {
        Some("entries.contest_id, entries.email") => StorageError::Unique(Unique::EntryEmail),
        Some("entries.contest_id, entries.referral_code") => StorageError::Unique(Unique::EntryReferralCode),
        Some(_) => StorageError::Unique(Unique::Other),
        None => StorageError::D1(message),
    }
}

fn unique_columns(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("UNIQUE constraint failed: ")?;
    Some(rest.split(':').next().unwrap_or(rest).trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_violations_are_named_by_their_columns() {
        let d1 = |m: &str| classify(worker::Error::RustError(m.into()));
        assert_eq!(
            d1("D1_ERROR: UNIQUE constraint failed: entries.contest_id, entries.email: SQLITE_CONSTRAINT"),
            StorageError::Unique(Unique::EntryEmail)
        );
        assert_eq!(
            d1("UNIQUE constraint failed: entries.contest_id, entries.referral_code"),
            StorageError::Unique(Unique::EntryReferralCode)
        );
        assert_eq!(d1("UNIQUE constraint failed: api_keys.key_hash"), StorageError::Unique(Unique::Other));
        assert!(matches!(d1("D1_ERROR: no such table: x"), StorageError::D1(_)));
    }
}
