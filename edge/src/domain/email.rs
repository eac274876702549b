//! Email addresses: validated on construction, normalized for identity.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// As given (trimmed), for display.
    display: String,
    /// Lower-case, plus-tag removed: two spellings of one inbox are one participant.
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
        let local = local.to_ascii_lowercase();
        let local = local.split('+').next().unwrap_or_default();
        let mut normalized = String::with_capacity(display.len());
        normalized.push_str(if local.is_empty() { "+" } else { local });
        normalized.push('@');
        normalized.push_str(&domain.to_ascii_lowercase());
        Ok(Self { display: display.to_string(), normalized })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_plus_tags() {
        let e = Email::parse("  Jane.Doe+promo@Example.COM ").unwrap();
        assert_eq!(e.display(), "Jane.Doe+promo@Example.COM");
        assert_eq!(e.normalized(), "jane.doe@example.com");
        assert_eq!(e.domain(), "example.com");
        assert_eq!(
            Email::parse("jane.doe@example.com").unwrap().normalized(),
            e.normalized()
        );
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in ["", "plain", "@example.com", "a@", "a@b", "a b@c.com", "a@-b.com", "a..b@c.com", "a@b..com"] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }
}
