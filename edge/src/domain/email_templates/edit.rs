//! The owner's editing of a message (`PUT .../email-templates/:kind`): which
//! placeholders each kind accepts, what a change may hold, and the version
//! in effect that the API shows. Pure.
//!
//! A change names only what it changes: a field absent stays, `null` (or a
//! blank text) goes back to the shipped default, a value replaces it.

use super::{defaults, html_from_text, Locale, MessageKind, Template};

/// The longest subject, text and HTML an owner may save (characters).
pub const MAX_SUBJECT: usize = 200;
pub const MAX_TEXT: usize = 10_000;
pub const MAX_HTML: usize = 20_000;

/// What every message can say: the recipient, the contest, their link and
/// points, the unsubscribe link.
const COMMON: [&str; 5] = ["name", "contestName", "referralLink", "points", "unsubscribeLink"];

impl MessageKind {
    /// The placeholders a template of this kind may use: the common ones and
    /// its own (a value the sender may still lack, then its line is left out).
    pub fn placeholders(self) -> Vec<&'static str> {
        let own: &[&'static str] = match self {
            Self::Welcome | Self::ReferralConfirmed | Self::Portal => &["portalLink"],
            Self::Confirm => &["confirmLink"],
            Self::PrizeEarned => &["prizeName", "code", "portalLink"],
            Self::ContestResults => &["rank", "prizeName", "portalLink"],
            Self::Test => &super::PLACEHOLDERS,
        };
        let mut all: Vec<&'static str> = COMMON.to_vec();
        all.extend(own.iter().filter(|p| !COMMON.contains(p)));
        all
    }
}

/// One field of a change: absent (keep), reset (back to the default), or a value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    #[default]
    Keep,
    Reset,
    Set(T),
}

impl<T> Field<T> {
    /// From a PATCH-style `Option<Option<T>>` (absent, `null`, value).
    pub fn from_patch(value: Option<Option<T>>) -> Self {
        match value {
            None => Self::Keep,
            Some(None) => Self::Reset,
            Some(Some(v)) => Self::Set(v),
        }
    }

    /// Whether the change writes this field, and what (none: the default).
    pub fn write(&self) -> Option<Option<&T>> {
        match self {
            Self::Keep => None,
            Self::Reset => Some(None),
            Self::Set(v) => Some(Some(v)),
        }
    }
}

/// An owner's change of one kind's template, as sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    pub enabled: Field<bool>,
    pub subject: Field<String>,
    pub text: Field<String>,
    pub html: Field<String>,
}

/// Why a change is refused: `Invalid` a 400 (the text itself), `Conflict` a
/// 409 (the kind's on/off is not the owner's to set, or a text names a
/// placeholder this kind does not have: a well-formed text the schema cannot
/// judge, since what a kind accepts depends on the kind in the path).
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    Invalid(String),
    Conflict(String),
}

/// The change to store: checked, blank texts made resets, and `enabled` kept
/// only for the kinds the owner switches (`portal` and `confirm` store none).
/// `confirmation_required` is the contest's `requireEmailConfirmation`.
pub fn check(kind: MessageKind, change: Change, confirmation_required: bool) -> Result<Change, Refusal> {
    let enabled = match change.enabled {
        Field::Set(on) if !kind.is_switchable() => {
            if on != kind.enabled(None, confirmation_required) {
                return Err(Refusal::Conflict(match kind {
                    MessageKind::Confirm => "confirm is on exactly when the contest's requireEmailConfirmation is: \
                                             change that setting instead"
                        .into(),
                    _ => [kind.as_str(), " is always on"].concat(),
                }));
            }
            Field::Keep
        }
        Field::Reset if !kind.is_switchable() => Field::Keep,
        other => other,
    };
    let subject = text_field(kind, "subject", change.subject, MAX_SUBJECT)?;
    if let Field::Set(s) = &subject {
        if s.contains(['\r', '\n']) {
            return Err(Refusal::Invalid("subject must be one line".into()));
        }
    }
    let text = text_field(kind, "text", change.text, MAX_TEXT)?;
    let html = text_field(kind, "html", change.html, MAX_HTML)?;
    Ok(Change { enabled, subject, text, html })
}

/// One template text: at most `max` characters, no control or bidi
/// characters (line breaks and tabs aside), only placeholders of `kind`;
/// blank means the default.
fn text_field(kind: MessageKind, name: &str, field: Field<String>, max: usize) -> Result<Field<String>, Refusal> {
    let Field::Set(value) = field else { return Ok(field) };
    if value.trim().is_empty() {
        return Ok(Field::Reset);
    }
    if value.chars().count() > max {
        return Err(Refusal::Invalid([name, " must be at most ", &max.to_string(), " characters"].concat()));
    }
    if !crate::domain::privacy::is_clean_text(&value) {
        return Err(Refusal::Invalid([name, " contains control characters"].concat()));
    }
    let accepted = kind.placeholders();
    let refused: Vec<String> = super::placeholders(&value)
        .filter(|p| !accepted.contains(p))
        .map(|p| ["{{", p, "}}"].concat())
        .fold(Vec::new(), |mut seen, p| {
            if !seen.contains(&p) {
                seen.push(p);
            }
            seen
        });
    if !refused.is_empty() {
        let accepted: Vec<String> = accepted.iter().map(|p| ["{{", p, "}}"].concat()).collect();
        return Err(Refusal::Conflict(
            [
                name,
                " uses ",
                &refused.join(", "),
                ", not a placeholder of ",
                kind.as_str(),
                " (it accepts ",
                &accepted.join(", "),
                ")",
            ]
            .concat(),
        ));
    }
    Ok(Field::Set(value))
}

/// A message as the owner's editor shows it: the subject, text and HTML in
/// effect in `locale` (the override, else the shipped text; without an HTML
/// override, the HTML made from the text in effect).
#[derive(Debug, Clone, PartialEq)]
pub struct InEffect {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub fn in_effect(kind: MessageKind, locale: Locale, custom: &Template) -> InEffect {
    let (subject, text) = defaults::message(kind, locale);
    let subject = custom.subject.clone().unwrap_or_else(|| subject.to_owned());
    let text = custom.text.clone().unwrap_or_else(|| text.to_owned());
    let html = custom.html.clone().unwrap_or_else(|| html_from_text(&text));
    InEffect { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Field<String> {
        Field::Set(text.to_owned())
    }

    fn change_text(text: &str) -> Change {
        Change { text: set(text), ..Change::default() }
    }

    /// The shipped texts pass the check they impose on owners.
    #[test]
    fn every_shipped_text_uses_only_its_kinds_placeholders() {
        for kind in MessageKind::TEMPLATED {
            for locale in Locale::ALL {
                let (subject, text) = defaults::message(kind, locale);
                let change = Change { subject: set(subject), text: set(text), ..Change::default() };
                assert!(check(kind, change, false).is_ok(), "{} {}", kind.as_str(), locale.as_str());
            }
        }
    }

    #[test]
    fn a_placeholder_of_another_kind_is_refused_by_name() {
        let refused = check(MessageKind::Welcome, change_text("Your code {{code}} {{ code }} and {{nope}}"), false);
        let Err(Refusal::Conflict(message)) = refused else { panic!("{refused:?}") };
        assert!(message.starts_with("text uses {{code}}, {{nope}}, not a placeholder of welcome"), "{message}");
        assert!(message.contains("{{portalLink}}"), "{message}");
        assert!(check(MessageKind::PrizeEarned, change_text("Your code: {{ code }}"), false).is_ok());
        assert!(check(MessageKind::Confirm, change_text("{{confirmLink}}"), false).is_ok());
        assert!(check(MessageKind::Portal, change_text("{{confirmLink}}"), false).is_err());
    }

    #[test]
    fn portal_stays_on_and_confirm_follows_the_setting() {
        let enable = |on| Change { enabled: Field::Set(on), ..Change::default() };
        assert!(matches!(check(MessageKind::Portal, enable(false), false), Err(Refusal::Conflict(_))));
        assert_eq!(check(MessageKind::Portal, enable(true), false), Ok(Change::default()));
        assert!(matches!(check(MessageKind::Confirm, enable(true), false), Err(Refusal::Conflict(_))));
        assert!(matches!(check(MessageKind::Confirm, enable(false), true), Err(Refusal::Conflict(_))));
        assert_eq!(check(MessageKind::Confirm, enable(true), true), Ok(Change::default()));
        let reset = Change { enabled: Field::Reset, ..Change::default() };
        assert_eq!(check(MessageKind::Portal, reset.clone(), false), Ok(Change::default()));
        assert_eq!(check(MessageKind::Welcome, reset.clone(), false), Ok(reset));
        assert_eq!(check(MessageKind::Welcome, enable(true), false), Ok(enable(true)));
    }

    #[test]
    fn sizes_characters_and_lines_are_bounded() {
        let long = |n| "é".repeat(n);
        let subject = |s: &str| Change { subject: set(s), ..Change::default() };
        assert!(check(MessageKind::Welcome, subject(&long(MAX_SUBJECT)), false).is_ok());
        assert!(check(MessageKind::Welcome, subject(&long(MAX_SUBJECT + 1)), false).is_err());
        assert!(check(MessageKind::Welcome, subject("Hi\r\nBcc: x@y.z"), false).is_err());
        assert!(check(MessageKind::Welcome, change_text(&long(MAX_TEXT)), false).is_ok());
        assert!(check(MessageKind::Welcome, change_text(&long(MAX_TEXT + 1)), false).is_err());
        let html = |s: &str| Change { html: set(s), ..Change::default() };
        assert!(check(MessageKind::Welcome, html(&long(MAX_HTML + 1)), false).is_err());
        assert!(check(MessageKind::Welcome, change_text("a\u{0}b"), false).is_err());
        assert!(check(MessageKind::Welcome, change_text("a\u{202E}b"), false).is_err());
        assert!(check(MessageKind::Welcome, change_text("line\r\n\tnext"), false).is_ok());
    }

    #[test]
    fn a_blank_text_is_the_default_again() {
        let checked = check(MessageKind::Welcome, Change { subject: set("  "), ..Change::default() }, false);
        assert_eq!(checked.map(|c| c.subject), Ok(Field::Reset));
    }

    #[test]
    fn in_effect_is_the_override_or_the_shipped_text() {
        let shipped = in_effect(MessageKind::Welcome, Locale::Fr, &Template::default());
        assert_eq!(shipped.subject, "Bienvenue ! Vous participez à {{contestName}}");
        assert!(shipped.html.contains("<a href=\"{{referralLink}}\">"));
        let custom = Template { text: Some("Hello <b>{{name}}</b>".into()), ..Template::default() };
        let mine = in_effect(MessageKind::Welcome, Locale::En, &custom);
        assert_eq!(mine.subject, "Welcome to {{contestName}}");
        assert_eq!(mine.text, "Hello <b>{{name}}</b>");
        assert_eq!(mine.html, "<p>Hello &lt;b&gt;{{name}}&lt;/b&gt;</p>");
        let html = Template { html: Some("<p>{{name}}</p>".into()), ..Template::default() };
        assert_eq!(in_effect(MessageKind::Welcome, Locale::En, &html).html, "<p>{{name}}</p>");
    }

    #[test]
    fn every_kind_accepts_the_common_placeholders_once() {
        for kind in MessageKind::TEMPLATED {
            let accepted = kind.placeholders();
            for p in COMMON {
                assert_eq!(accepted.iter().filter(|a| **a == p).count(), 1, "{}", kind.as_str());
            }
            assert!(accepted.iter().all(|p| super::super::PLACEHOLDERS.contains(p)));
        }
    }
}
