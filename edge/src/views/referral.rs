//! What the open referral endpoints (and the signup webhook) answer.

use super::entries::EntryView;
use super::PointsAwarded;
use crate::db::contests::ContestRow;
use crate::db::entries::EntryRow;
use crate::domain::privacy::masked_name;
use crate::engine::join::Joined;
use serde::Serialize;

/// `validate-code`: a live code and whose it is (email masked unless the
/// contest exposes it), or `{"valid": false}` for any other.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeValidation {
    pub valid: bool,
    #[serde(flatten)]
    pub referrer: Option<CodeOwner>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeOwner {
    pub referrer_email: String,
    pub referrer_name: Option<String>,
    pub contest_id: String,
}

/// The answer of every signup surface: `pointsAwarded` is what was confirmed
/// now; `status` says whether the referral's award is `confirmed` or `pending`
/// (`none` when nothing was awarded).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupResult<'a> {
    entry_id: &'a str,
    referral_code: &'a str,
    is_referred: bool,
    already_exists: bool,
    points_awarded: PointsAwarded,
    status: &'static str,
    /// track-signup's new entry only: its participant token for this browser.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participant: Option<Participant<'a>>,
}

/// A new entry's participant token, handed to the browser that made it (the
/// tracker keeps it for the widget under `rocket-referral:<contestId>`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Participant<'a> {
    pub contest_id: &'a str,
    pub token: String,
    pub expires_at: String,
}

pub fn signup(joined: &Joined) -> SignupResult<'_> {
    SignupResult {
        entry_id: &joined.entry.id,
        referral_code: &joined.entry.referral_code,
        is_referred: joined.entry.referred_by_entry_id.is_some(),
        already_exists: !joined.created,
        points_awarded: PointsAwarded { advocate: joined.advocate_points, friend: joined.friend_points },
        status: joined.award_status.map_or("none", |s| s.as_str()),
        participant: None,
    }
}

/// A browser signup for an email that already has an entry learns nothing of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupExisting {
    already_exists: bool,
    points_awarded: PointsAwarded,
    status: &'static str,
}

pub const SIGNUP_EXISTING: SignupExisting =
    SignupExisting { already_exists: true, points_awarded: PointsAwarded { advocate: 0, friend: 0 }, status: "none" };

/// `join`: the new entry as its own participant token sees it, and that token,
/// so the widget goes on as the participant.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinedWithToken<'a> {
    pub entry: EntryView<'a>,
    pub token: String,
    pub expires_at: String,
    /// The entry's `emailConfirmation` again, where the join form looks:
    /// `pending` means "check your inbox to confirm".
    pub email_confirmation: Option<&'a str>,
}

/// The join form's (and the hosted page's) public view of a contest.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JoinForm<'a> {
    contest_id: &'a str,
    /// The contest takes signups now (active, not past its end).
    accepting: bool,
    share_widget_header: Option<&'a str>,
    share_widget_description: Option<&'a str>,
    turnstile_site_key: Option<&'a str>,
    name: &'a str,
    description: Option<&'a str>,
    ends_at: Option<&'a str>,
    /// The live advocate of the visitor's `referralCode`, or null.
    invited_by: Option<Inviter>,
}

/// Who invited the visitor: their name as the results show it (`Ada L.`),
/// null when they gave none. Never an email.
#[derive(Serialize)]
pub struct Inviter {
    name: Option<String>,
}

pub fn join_form<'a>(c: &'a ContestRow, accepting: bool, inviter: Option<&EntryRow>) -> JoinForm<'a> {
    JoinForm {
        contest_id: &c.id,
        accepting,
        share_widget_header: c.share_header.as_deref(),
        share_widget_description: c.share_description.as_deref(),
        turnstile_site_key: c.turnstile_site_key.as_deref(),
        name: &c.name,
        description: c.description.as_deref(),
        ends_at: c.ends_at.as_deref(),
        invited_by: inviter.map(|o| Inviter { name: o.name.as_deref().map(masked_name) }),
    }
}

/// `join` for an email that already has an entry: that it exists, nothing of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlreadyIn {
    already_in: bool,
}

pub const ALREADY_IN: AlreadyIn = AlreadyIn { already_in: true };

/// `track-visit`: `{"success": true}`, no data.
#[derive(Serialize)]
pub struct Ok {
    pub success: bool,
}

/// `POST /api/referral/portal-link` and the owner's sign-in email: the same
/// answer whether or not the address has an entry (no oracle).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkRequested {
    requested: bool,
}

pub const LINK_REQUESTED: LinkRequested = LinkRequested { requested: true };
