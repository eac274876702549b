//! How bonus actions and their completions look in JSON responses: one
//! `Serialize` view per resource, built from rows.

use super::email_for;
use crate::db::bonus::{ActionRow, CompletionRow, EntryCompletion, ReviewRow};
use crate::db::entries::EntryRow;
use crate::domain::bonus::{CompletionStatus, ConfirmationType};
use crate::engine::bonus::Reviewed;
use serde::Serialize;

/// An action as the seed shows it in an entry's list.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionView<'a> {
    id: &'a str,
    action: &'a str,
    description: &'a str,
    icon: Option<&'a str>,
    icon_color: Option<&'a str>,
    points: i64,
    confirmation_type: ConfirmationType,
    destination_url: Option<&'a str>,
    order: i64,
}

pub fn action(a: &ActionRow) -> ActionView<'_> {
    ActionView {
        id: &a.id,
        action: &a.action,
        description: &a.description,
        icon: a.icon.as_deref(),
        icon_color: a.icon_color.as_deref(),
        points: a.points,
        confirmation_type: a.confirmation_type,
        destination_url: a.destination_url.as_deref(),
        order: a.sort_order,
    }
}

/// An action as its owner manages it (never its quiz answer).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagedActionView<'a> {
    #[serde(flatten)]
    action: ActionView<'a>,
    contest_id: &'a str,
    created_at: &'a str,
}

pub fn managed_action(a: &ActionRow) -> ManagedActionView<'_> {
    ManagedActionView { action: action(a), contest_id: &a.contest_id, created_at: &a.created_at }
}

/// One action of an entry's list, with the entry's completion of it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryActionView<'a> {
    #[serde(flatten)]
    action: ActionView<'a>,
    completed: bool,
    completed_at: Option<&'a str>,
    completion_status: Option<CompletionStatus>,
}

/// An entry's bonus actions: the contest's live actions and how far it got.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EntryActionsView<'a> {
    entry_id: &'a str,
    email: String,
    total_points: i64,
    bonus_actions_completed: usize,
    bonus_actions_total: usize,
    bonus_points_earned: i64,
    actions: Vec<EntryActionView<'a>>,
}

pub fn entry_actions<'a>(
    entry: &'a EntryRow,
    actions: &'a [ActionRow],
    completions: &'a [EntryCompletion],
    sees_emails: bool,
) -> EntryActionsView<'a> {
    let completion = |a: &ActionRow| completions.iter().find(|c| c.bonus_action_id == a.id);
    let verified: Vec<&EntryCompletion> =
        completions.iter().filter(|c| c.status == CompletionStatus::Verified).collect();
    EntryActionsView {
        entry_id: &entry.id,
        email: email_for(&entry.email_display, sees_emails),
        total_points: entry.total_points,
        bonus_actions_completed: actions.iter().filter(|a| verified.iter().any(|c| c.bonus_action_id == a.id)).count(),
        bonus_actions_total: actions.len(),
        bonus_points_earned: verified.iter().map(|c| c.points_awarded).sum(),
        actions: actions
            .iter()
            .map(|a| {
                let c = completion(a);
                EntryActionView {
                    action: action(a),
                    completed: c.is_some_and(|c| c.status == CompletionStatus::Verified),
                    completed_at: c.and_then(|c| c.completed_at.as_deref()),
                    completion_status: c.map(|c| c.status),
                }
            })
            .collect(),
    }
}

/// The answer to a completion: what this request did, or what an earlier one did.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionView<'a> {
    already_completed: bool,
    completed_at: Option<&'a str>,
    completion_status: CompletionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    points_added: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_total_points: Option<i64>,
    message: &'static str,
}

/// A completion made by this request, and the entry's total after it.
pub fn completed(c: &CompletionRow, new_total_points: i64) -> CompletionView<'_> {
    CompletionView {
        already_completed: false,
        completed_at: c.completed_at.as_deref(),
        completion_status: c.status,
        points_added: Some(c.points_awarded),
        new_total_points: Some(new_total_points),
        message: match c.status {
            CompletionStatus::Verified => "Bonus action completed successfully.",
            _ => "Bonus action submitted for review.",
        },
    }
}

/// A completion an earlier request made: when (or when it was submitted) and
/// where it stands.
pub fn already_completed(c: &CompletionRow) -> CompletionView<'_> {
    CompletionView {
        already_completed: true,
        completed_at: Some(c.completed_at.as_deref().unwrap_or(&c.created_at)),
        completion_status: c.status,
        points_added: None,
        new_total_points: None,
        message: match c.status {
            CompletionStatus::Pending => "This bonus action is already awaiting review.",
            CompletionStatus::Rejected => "This bonus action was reviewed and rejected.",
            CompletionStatus::Verified => "This bonus action has already been completed.",
        },
    }
}

/// The owner's review of a completion.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewView {
    completion_status: CompletionStatus,
    points_added: i64,
    new_total_points: i64,
}

pub fn reviewed(r: &Reviewed) -> ReviewView {
    ReviewView { completion_status: r.status, points_added: r.points_added, new_total_points: r.new_total_points }
}

/// A completion in the owner's review queue.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewCompletion<'a> {
    id: &'a str,
    entry_id: &'a str,
    email: &'a str,
    bonus_action_id: &'a str,
    action: &'a str,
    status: CompletionStatus,
    proof: Option<&'a str>,
    points: i64,
    created_at: &'a str,
    completed_at: Option<&'a str>,
}

pub fn review_completion(c: &ReviewRow) -> ReviewCompletion<'_> {
    ReviewCompletion {
        id: &c.id,
        entry_id: &c.entry_id,
        email: &c.email_display,
        bonus_action_id: &c.bonus_action_id,
        action: &c.action,
        status: c.status,
        proof: c.proof.as_deref(),
        points: c.points,
        created_at: &c.created_at,
        completed_at: c.completed_at.as_deref(),
    }
}
