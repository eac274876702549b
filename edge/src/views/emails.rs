//! Participant email as the API shows it: the owner's list, the unsubscribe answer.

use crate::db::emails::EmailRow;
use crate::domain::email_templates::MessageKind;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Email<'a> {
    pub id: &'a str,
    pub kind: MessageKind,
    pub to: &'a str,
    pub status: &'a str,
    pub attempts: i64,
    pub last_error: Option<&'a str>,
    pub created_at: &'a str,
    pub sent_at: Option<&'a str>,
}

pub fn email(row: &EmailRow) -> Email<'_> {
    Email {
        id: &row.id,
        kind: row.kind,
        to: &row.to_address,
        status: &row.status,
        attempts: row.attempts,
        last_error: row.last_error.as_deref(),
        created_at: &row.created_at,
        sent_at: row.sent_at.as_deref(),
    }
}

#[derive(Serialize)]
pub struct Unsubscribed {
    pub unsubscribed: bool,
}

/// A message as the owner's editor shows it (`GET/PUT .../email-templates`).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmailTemplate {
    pub kind: MessageKind,
    /// Whether the contest sends it now.
    pub enabled: bool,
    /// Whether `PUT` may turn it on or off (`portal` is always on, `confirm`
    /// follows `requireEmailConfirmation`).
    pub switchable: bool,
    /// Whether any of subject, text, HTML is the owner's.
    pub customized: bool,
    /// Which of them are.
    pub custom: CustomFields,
    /// The language the texts in effect are shown in (the contest's `emailLocale`).
    pub locale: crate::domain::email_templates::Locale,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub placeholders: Vec<&'static str>,
    pub updated_at: Option<String>,
}

#[derive(Serialize)]
pub struct CustomFields {
    pub subject: bool,
    pub text: bool,
    pub html: bool,
}

/// One kind's view: `stored` its override, if any.
pub fn template(
    kind: MessageKind,
    locale: crate::domain::email_templates::Locale,
    stored: Option<&crate::db::email_templates::TemplateRow>,
    confirmation_required: bool,
) -> EmailTemplate {
    let custom = stored.map(|t| t.template()).unwrap_or_default();
    let fields =
        CustomFields { subject: custom.subject.is_some(), text: custom.text.is_some(), html: custom.html.is_some() };
    let effect = crate::domain::email_templates::edit::in_effect(kind, locale, &custom);
    EmailTemplate {
        kind,
        enabled: kind.enabled(stored.and_then(|t| t.enabled()), confirmation_required),
        switchable: kind.is_switchable(),
        customized: fields.subject || fields.text || fields.html,
        custom: fields,
        locale,
        subject: effect.subject,
        text: effect.text,
        html: effect.html,
        placeholders: kind.placeholders(),
        updated_at: stored.map(|t| t.updated_at.clone()),
    }
}
