//! STAND-IN for helper F2's `domain::email_templates` (branch i26-tmpl):
//! the same names and `render` signature, minimal English texts. Deleted when
//! that branch is merged.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Welcome,
    Confirm,
    ReferralConfirmed,
    PrizeEarned,
    ContestResults,
    Portal,
    Test,
}

impl MessageKind {
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

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Welcome,
            Self::Confirm,
            Self::ReferralConfirmed,
            Self::PrizeEarned,
            Self::ContestResults,
            Self::Portal,
            Self::Test,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Fr,
    De,
    Es,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Fr => "fr",
            Self::De => "de",
            Self::Es => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::En, Self::Fr, Self::De, Self::Es].into_iter().find(|l| l.as_str() == s)
    }
}

super::text_enum!(MessageKind, Locale);

#[derive(Debug, Clone, Default)]
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

#[derive(Debug, Clone, Default)]
pub struct Template {
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub fn render(kind: MessageKind, _locale: Locale, custom: Option<&Template>, vars: &Vars) -> Rendered {
    let text_of = |o: &Option<String>| o.clone().unwrap_or_default();
    let body = match kind {
        MessageKind::Welcome => ["Your referral link: ", &text_of(&vars.referral_link)].concat(),
        MessageKind::ReferralConfirmed => {
            ["A referral counts. Points: ", &vars.points.unwrap_or(0).to_string()].concat()
        }
        MessageKind::PrizeEarned => {
            ["You earned ", &text_of(&vars.prize_name), ". Code: ", &text_of(&vars.code)].concat()
        }
        MessageKind::ContestResults => ["Your rank: ", &vars.rank.unwrap_or(0).to_string()].concat(),
        _ => text_of(&vars.portal_link),
    };
    let subject = custom
        .and_then(|t| t.subject.clone())
        .unwrap_or_else(|| [&text_of(&vars.contest_name), ": ", kind.as_str()].concat());
    let unsubscribe = text_of(&vars.unsubscribe_link);
    Rendered {
        subject,
        text: [&body, "\n\nUnsubscribe: ", &unsubscribe, "\n"].concat(),
        html: ["<p>", &escape(&body), "</p><p><a href=\"", &escape(&unsubscribe), "\">Unsubscribe</a></p>"].concat(),
    }
}
