//! How resources look in JSON responses: one `Serialize` view per resource
//! (camelCase, the seeds' names), built from rows. Handlers shape no JSON.

pub mod accounts;
pub mod awards;
pub mod bonus;
pub mod campaigns;
pub mod contests;
pub mod draws;
pub mod emails;
pub mod entries;
pub mod events;
pub mod exports;
pub mod finale;
pub mod payouts;
pub mod prizes;
pub mod purchases;
pub mod referral;
pub mod webhooks;

pub use crate::domain::privacy::masked_email;
pub use contests::{contest, contest_status};
pub use entries::entry;

/// An email as `viewer` may see it: whole for a private key, masked otherwise.
pub fn email_for(email: &str, sees_emails: bool) -> String {
    if sees_emails {
        email.to_string()
    } else {
        masked_email(email)
    }
}

/// A deleted resource: `{"id", "deleted": true}`.
#[derive(serde::Serialize)]
pub struct Deleted<'a> {
    id: &'a str,
    deleted: bool,
}

pub fn deleted(id: &str) -> Deleted<'_> {
    Deleted { id, deleted: true }
}

/// Points confirmed now on each side of a referral.
#[derive(serde::Serialize)]
pub struct PointsAwarded {
    pub advocate: i64,
    pub friend: i64,
}
