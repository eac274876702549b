//! Currencies and amounts.

/// An ISO-4217 code, upper-case. `None` for anything that is not three letters.
pub fn parse_currency(raw: &str) -> Option<String> {
    let code = raw.trim();
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())).then(|| code.to_ascii_uppercase())
}

/// Digits after the decimal point in a currency's minor unit, as Stripe counts them.
pub fn minor_unit_exponent(currency: &str) -> u32 {
    const ZERO_DECIMAL: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE_DECIMAL: &[&str] = &["BHD", "JOD", "KWD", "OMR", "TND"];
    let c = currency.to_ascii_uppercase();
    if ZERO_DECIMAL.contains(&c.as_str()) {
        0
    } else if THREE_DECIMAL.contains(&c.as_str()) {
        3
    } else {
        2
    }
}

/// Stripe's `amount_total` (minor units) as an amount in the currency's unit.
pub fn from_minor_units(minor: i64, currency: &str) -> f64 {
    minor as f64 / 10f64.powi(minor_unit_exponent(currency) as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currencies() {
        assert_eq!(parse_currency(" usd ").as_deref(), Some("USD"));
        assert_eq!(parse_currency("US"), None);
        assert_eq!(parse_currency("U5D"), None);
    }

    #[test]
    fn minor_units_follow_the_currency() {
        assert_eq!(from_minor_units(4999, "usd"), 49.99);
        assert_eq!(from_minor_units(5000, "jpy"), 5000.0);
        assert_eq!(from_minor_units(1500, "KWD"), 1.5);
    }
}
