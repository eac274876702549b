//! The words of a contest's emails: the message kinds, the languages shipped,
//! the shipped texts and the rendering of a template with a participant's
//! values. Pure: the caller passes the owner's overrides and the values.
//!
//! A template is text with `{{placeholder}}`s (`PLACEHOLDERS`). Rendering:
//! - the subject: values as they are, then CR, LF and other control
//!   characters become spaces (no header can be injected);
//! - the text: values as they are; a line whose placeholder has no value is
//!   left out (and a paragraph left with no placeholder at all, a label
//!   without its link), except `{{name}}`, which is just empty;
//! - the HTML: values HTML-escaped (a name `<img src=x>` arrives as text);
//!   without an HTML override it is made from the text (paragraphs, links);
//! - every message ends with a footer naming the contest and, when the caller
//!   gives an unsubscribe link, the unsubscribe line. It is not part of the
//!   editable template, so no override can remove it;
//! - `confirm` and `portal` always carry their link: an owner's version
//!   without it gets it at its end (`with_link`).
//!
//! Unknown placeholders are left as written (`unknown_placeholders` lets the
//! API refuse them when an owner saves a template).

mod defaults;
pub mod edit;

/// What a message is for (`emails.kind`, `email_templates.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MessageKind {
    /// After joining: the referral link and the sign-in link. Optional.
    Welcome,
    /// Double opt-in: the confirmation link. On when the contest requires it.
    Confirm,
    /// To the advocate when a referral counts. Optional.
    ReferralConfirmed,
    /// A prize earned, with its code. Optional.
    PrizeEarned,
    /// After finalize: rank and prizes. Optional.
    ContestResults,
    /// The sign-in link the participant asked for. Always on.
    Portal,
    /// The owner's test send (not a template of its own: it renders another
    /// kind with sample values, `render_test`).
    Test,
}

crate::domain::text_enum!(MessageKind, Locale);

impl MessageKind {
    /// The kinds a contest has templates and on/off for, in the order shown.
    pub const TEMPLATED: [MessageKind; 6] =
        [Self::Welcome, Self::Confirm, Self::ReferralConfirmed, Self::PrizeEarned, Self::ContestResults, Self::Portal];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "welcome" => Some(Self::Welcome),
            "confirm" => Some(Self::Confirm),
            "referral.confirmed" => Some(Self::ReferralConfirmed),
            "prize.earned" => Some(Self::PrizeEarned),
            "contest.results" => Some(Self::ContestResults),
            "portal" => Some(Self::Portal),
            "test" => Some(Self::Test),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Welcome => "welcome",
            Self::Confirm => "confirm",
            Self::ReferralConfirmed => "referral.confirmed",
            Self::PrizeEarned => "prize.earned",
            Self::ContestResults => "contest.results",
            Self::Portal => "portal",
            Self::Test => "test",
        }
    }

    /// Off unless the owner turns it on, and not sent to an address that
    /// unsubscribed. `confirm`, `portal` (asked for by the person) and `test`
    /// (to the owner) are not optional.
    pub fn is_optional(self) -> bool {
        matches!(self, Self::Welcome | Self::ReferralConfirmed | Self::PrizeEarned | Self::ContestResults)
    }

    /// Whether the owner may turn it on or off (`enabled` of its template):
    /// `portal` is always on, `confirm` follows `requireEmailConfirmation`.
    pub fn is_switchable(self) -> bool {
        self.is_optional()
    }

    /// Whether a contest sends this kind: `stored` is its template's `enabled`
    /// (none: no override), `confirmation_required` the contest's
    /// `requireEmailConfirmation`.
    pub fn enabled(self, stored: Option<bool>, confirmation_required: bool) -> bool {
        match self {
            Self::Portal | Self::Test => true,
            Self::Confirm => confirmation_required,
            _ => stored.unwrap_or(false),
        }
    }
}

/// A language the shipped texts exist in (`contests.email_locale`, `entries.locale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
    De,
    Es,
}

impl Locale {
    pub const ALL: [Locale; 4] = [Self::En, Self::Fr, Self::De, Self::Es];

    /// A language tag (`fr`, `fr-CA`, `de_AT`, `ES`) to its shipped language;
    /// none for a language not shipped.
    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Self::En),
            "fr" => Some(Self::Fr),
            "de" => Some(Self::De),
            "es" => Some(Self::Es),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::De => "de",
            Self::Es => "es",
        }
    }
}

/// The values of one message; none: not known / not relevant here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vars {
    pub name: Option<String>,
    pub contest_name: Option<String>,
    pub referral_link: Option<String>,
    pub portal_link: Option<String>,
    pub confirm_link: Option<String>,
    pub unsubscribe_link: Option<String>,
    pub points: Option<i64>,
    pub rank: Option<i64>,
    pub prize_name: Option<String>,
    pub code: Option<String>,
}

impl Vars {
    /// Made-up values for the owner's test send; links under `origin`.
    pub fn sample(contest_name: &str, origin: &str) -> Self {
        let link = |path: &str| Some([origin.trim_end_matches('/'), path].concat());
        Self {
            name: Some("Ada".into()),
            contest_name: Some(contest_name.into()),
            referral_link: link("/?ref=SAMPLE"),
            portal_link: link("/#sample-sign-in-link"),
            confirm_link: link("/#sample-confirmation-link"),
            unsubscribe_link: link("/#sample-unsubscribe-link"),
            points: Some(120),
            rank: Some(3),
            prize_name: Some("Gift card".into()),
            code: Some("SAMPLE-CODE".into()),
        }
    }

    /// A placeholder's value: `None` for a name no placeholder has,
    /// `Some(None)` for a known placeholder without a value.
    fn get(&self, placeholder: &str) -> Option<Option<String>> {
        let text = |v: &Option<String>| Some(v.clone());
        match placeholder {
            "name" => text(&self.name),
            "contestName" => text(&self.contest_name),
            "referralLink" => text(&self.referral_link),
            "portalLink" => text(&self.portal_link),
            "confirmLink" => text(&self.confirm_link),
            "unsubscribeLink" => text(&self.unsubscribe_link),
            "points" => Some(self.points.map(|p| p.to_string())),
            "rank" => Some(self.rank.map(|r| r.to_string())),
            "prizeName" => text(&self.prize_name),
            "code" => text(&self.code),
            _ => None,
        }
    }
}

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 10] = [
    "name",
    "contestName",
    "referralLink",
    "portalLink",
    "confirmLink",
    "unsubscribeLink",
    "points",
    "rank",
    "prizeName",
    "code",
];

/// Placeholders whose values are links: made into `<a href>` in HTML made from text.
const LINKS: [&str; 4] = ["referralLink", "portalLink", "confirmLink", "unsubscribeLink"];

/// An owner's version of a message; none: the shipped one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// A message ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The shipped version of a message in a language, as the dashboard shows it
/// (the HTML is the body made from the text, without the layout and footer).
#[derive(Debug, Clone, PartialEq)]
pub struct Defaults {
    pub subject: &'static str,
    pub text: &'static str,
    pub html: String,
}

pub fn defaults(kind: MessageKind, locale: Locale) -> Defaults {
    let (subject, text) = defaults::message(kind, locale);
    Defaults { subject, text, html: html_from_text(text) }
}

/// Renders `kind` in `locale`, with the owner's overrides in `custom`.
pub fn render(kind: MessageKind, locale: Locale, custom: Option<&Template>, vars: &Vars) -> Rendered {
    let (default_subject, default_text) = defaults::message(kind, locale);
    let given = |pick: fn(&Template) -> &Option<String>| custom.and_then(|c| pick(c).as_deref());
    let subject = given(|c| &c.subject).unwrap_or(default_subject);
    let text = with_link(kind, given(|c| &c.text).unwrap_or(default_text), "\n\n{{", "}}");
    let text = present_lines(&text, vars);
    let footer = present_lines(defaults::footer(locale), vars);
    let html_body = match given(|c| &c.html) {
        Some(html) => with_link(kind, html, "\n<p><a href=\"{{", "}}\">{{link}}</a></p>"),
        None => html_from_text(&text),
    };
    Rendered {
        subject: one_line(&fill(subject, vars, false)),
        text: [fill(&text, vars, false).trim_end(), "\n\n-- \n", &fill(&footer, vars, false), "\n"].concat(),
        html: [
            HTML_START,
            fill(&html_body, vars, true).trim(),
            HTML_FOOTER,
            &fill(&html_from_text(&footer), vars, true),
            HTML_END,
        ]
        .concat(),
    }
}

/// The owner's test send of `kind`: sample values, the subject marked as a test.
pub fn render_test(
    kind: MessageKind,
    locale: Locale,
    custom: Option<&Template>,
    contest_name: &str,
    origin: &str,
) -> Rendered {
    let mut rendered = render(kind, locale, custom, &Vars::sample(contest_name, origin));
    rendered.subject = ["[Test] ", &rendered.subject].concat();
    rendered
}

/// The link a message exists for (`confirm`'s, `portal`'s), which an owner's
/// version without it gets at its end: no template can send them linkless.
fn essential_link(kind: MessageKind) -> Option<&'static str> {
    match kind {
        MessageKind::Confirm => Some("confirmLink"),
        MessageKind::Portal => Some("portalLink"),
        _ => None,
    }
}

/// `template`, with `before` + the kind's essential link + `after` appended
/// when it lacks it (`{{link}}` in `after` names it again).
fn with_link(kind: MessageKind, template: &str, before: &str, after: &str) -> String {
    match essential_link(kind) {
        Some(link) if !placeholders(template).any(|p| p == link) => {
            let after = after.replace("{{link}}", &["{{", link, "}}"].concat());
            [template.trim_end(), before, link, &after].concat()
        }
        _ => template.to_owned(),
    }
}

/// The placeholders in `template` that no message has (each once, in order).
pub fn unknown_placeholders(template: &str) -> Vec<String> {
    let mut unknown: Vec<String> = Vec::new();
    for name in placeholders(template) {
        if !PLACEHOLDERS.contains(&name) && !unknown.iter().any(|u| u == name) {
            unknown.push(name.to_string());
        }
    }
    unknown
}

const HTML_START: &str = "<!doctype html>\n<html><body style=\"margin:0;padding:24px;\
font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#111\">\n";
const HTML_FOOTER: &str = "\n<hr style=\"border:none;border-top:1px solid #ddd;margin:24px 0\">\n\
<div style=\"font-size:13px;color:#555\">";
const HTML_END: &str = "</div>\n</body></html>\n";

/// The names of the `{{...}}` in `template` (trimmed), known or not.
fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template.split("{{").skip(1).filter_map(|part| part.split_once("}}").map(|(name, _)| name.trim()))
}

/// `template` without its lines whose placeholder has no value, and without
/// a paragraph that such a line leaves with no placeholder (a label whose
/// link is gone). `{{name}}` without a value keeps its line.
fn present_lines(template: &str, vars: &Vars) -> String {
    let missing = |line: &str| placeholders(line).any(|p| p != "name" && vars.get(p) == Some(None));
    let normalized = template.replace("\r\n", "\n");
    let paragraphs: Vec<String> = normalized
        .split("\n\n")
        .filter_map(|paragraph| {
            let kept: Vec<&str> = paragraph.lines().filter(|line| !missing(line)).collect();
            let dropped = kept.len() < paragraph.lines().count();
            let labels_only = kept.iter().all(|line| placeholders(line).next().is_none());
            let gone = kept.is_empty() || (dropped && labels_only);
            (!gone).then(|| kept.join("\n"))
        })
        .collect();
    paragraphs.join("\n\n")
}

/// Replaces each known placeholder with its value (escaped for HTML when
/// `html`); a value missing is empty, and takes the space before it along
/// ("Hi {{name}}," -> "Hi,"). Unknown placeholders stay as written.
fn fill(template: &str, vars: &Vars, html: bool) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        match vars.get(after[..end].trim()) {
            Some(Some(value)) if !value.is_empty() => out.push_str(&if html { escape_html(&value) } else { value }),
            Some(_) => {
                if out.ends_with(' ') {
                    out.pop();
                }
            }
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// HTML body from a text template: the text escaped, paragraphs as `<p>`,
/// lines as `<br>`, link placeholders as links. Placeholders stay (filled,
/// escaped, afterwards).
fn html_from_text(text: &str) -> String {
    let mut html = escape_html(&text.replace("\r\n", "\n"));
    for link in LINKS {
        let placeholder = ["{{", link, "}}"].concat();
        html = html.replace(&placeholder, &["<a href=\"", &placeholder, "\">", &placeholder, "</a>"].concat());
    }
    html.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| ["<p>", &p.replace('\n', "<br>\n"), "</p>"].concat())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text safe in HTML content and in a quoted attribute.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One header line: control characters (CR and LF among them) as spaces,
/// runs of spaces as one.
fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
