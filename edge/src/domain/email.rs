//! Email addresses: validated on construction, normalized for identity.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// As given (trimmed), for display.
    display: String,
    /// One inbox, one identity: lower-case; `+tag` removed where the provider
    /// delivers plus-addressed mail; Gmail's dots and googlemail.com folded.
    normalized: String,
}

impl Email {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let display = raw.trim();
        if display.len() > 254 {
            return Err("Invalid email: too long".into());
        }
        let (local, domain) = display.rsplit_once('@').ok_or("Invalid email: missing @")?;
        let valid_local = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
        let valid_domain = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !valid_local || !valid_domain {
            return Err("Invalid email address".into());
        }
        Ok(Self { display: display.to_string(), normalized: identity(local, domain) })
    }

    pub fn display(&self) -> &str {
        &self.display
    }

    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    pub fn domain(&self) -> &str {
        self.normalized.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

/// Providers that deliver `name+tag@` to `name@`. Elsewhere `+` may be part of
/// a distinct mailbox, so it is kept.
const PLUS_ADDRESSING: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "fastmail.com",
    "fastmail.fm",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "zoho.com",
    "yandex.com",
    "yandex.ru",
    "hey.com",
];

/// The identity of `local@domain`, as described on `Email::normalized`.
fn identity(local: &str, domain: &str) -> String {
    let mut domain = domain.to_ascii_lowercase();
    let mut local = local.to_ascii_lowercase();
    if PLUS_ADDRESSING.contains(&domain.as_str()) {
        local.truncate(local.find('+').unwrap_or(local.len()));
    }
    if domain == "gmail.com" || domain == "googlemail.com" {
        local.retain(|c| c != '.');
        domain = "gmail.com".into();
    }
    if local.is_empty() {
        local.push('+');
    }
    [local.as_str(), "@", domain.as_str()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_plus_tags_where_the_provider_supports_them() {
        let e = Email::parse("  Jane.Doe+promo@Outlook.COM ").unwrap();
        assert_eq!(e.display(), "Jane.Doe+promo@Outlook.COM");
        assert_eq!(e.normalized(), "jane.doe@outlook.com");
        assert_eq!(e.domain(), "outlook.com");
        assert_eq!(Email::parse("jane.doe@outlook.com").unwrap().normalized(), e.normalized());
        for provider in ["icloud.com", "fastmail.com", "proton.me", "hotmail.com"] {
            let tagged = ["amy+x@", provider].concat();
            assert_eq!(Email::parse(&tagged).unwrap().normalized(), ["amy@", provider].concat());
        }
    }

    #[test]
    fn keeps_plus_for_other_domains() {
        assert_eq!(Email::parse("Sales+EU@Example.com").unwrap().normalized(), "sales+eu@example.com");
        assert_ne!(
            Email::parse("sales+eu@example.com").unwrap().normalized(),
            Email::parse("sales@example.com").unwrap().normalized()
        );
    }

    #[test]
    fn gmail_ignores_dots_tags_and_googlemail() {
        let john = Email::parse("john@gmail.com").unwrap();
        for spelling in ["j.o.h.n@googlemail.com", "John+contest@gmail.com", "jo.hn+a.b@GMAIL.com"] {
            assert_eq!(Email::parse(spelling).unwrap().normalized(), john.normalized(), "{spelling}");
        }
        // Dots elsewhere are real.
        assert_ne!(Email::parse("j.ohn@example.com").unwrap().normalized(), "john@example.com");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in ["", "plain", "@example.com", "a@", "a@b", "a b@c.com", "a@-b.com", "a..b@c.com", "a@b..com"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
