//! Currencies and amounts.

/// An ISO-4217 code, upper-case. `None` for anything that is not three letters.
pub fn parse_currency(code: &str) -> Option<String> {
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

/// Contest setting `currencyRates`: what one unit of a currency is worth in the
/// contest's `pointsCurrency` (`{"EUR":1.08,"JPY":0.0067}`). Codes are
/// upper-cased; every rate is positive, finite and at most 1e6.
pub fn parse_rates(pairs: &[(String, f64)]) -> Result<Vec<(String, f64)>, String> {
    let mut rates = Vec::with_capacity(pairs.len());
    for (code, rate) in pairs {
        let code = parse_currency(code).ok_or("currency codes must be 3-letter ISO codes")?;
        if !(rate.is_finite() && *rate > 0.0 && *rate <= 1e6) {
            return Err("rates must be positive numbers up to 1000000".into());
        }
        rates.push((code, *rate));
    }
    if rates.len() > 200 {
        return Err("at most 200 rates".into());
    }
    Ok(rates)
}

/// The value of one unit of `currency` in `points_currency`: 1 for the same
/// currency, the contest's rate for another, `None` when it has none.
pub fn rate_to(points_currency: &str, rates: &[(String, f64)], currency: &str) -> Option<f64> {
    if currency.eq_ignore_ascii_case(points_currency) {
        return Some(1.0);
    }
    rates.iter().find(|(c, _)| c.eq_ignore_ascii_case(currency)).map(|(_, r)| *r)
}

/// The largest amount one purchase (or refund) may carry, in its currency's unit.
pub const MAX_AMOUNT: f64 = 1e9;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_validated_and_looked_up() {
        let rates = parse_rates(&[("eur".into(), 1.08), ("JPY".into(), 0.0067)]).unwrap();
        assert_eq!(rates[0], ("EUR".into(), 1.08));
        assert_eq!(rate_to("USD", &rates, "EUR"), Some(1.08));
        assert_eq!(rate_to("USD", &rates, "usd"), Some(1.0));
        assert_eq!(rate_to("USD", &rates, "GBP"), None);
        assert!(parse_rates(&[("EURO".into(), 1.0)]).is_err());
        assert!(parse_rates(&[("EUR".into(), 0.0)]).is_err());
        assert!(parse_rates(&[("EUR".into(), f64::INFINITY)]).is_err());
        assert!(parse_rates(&[("EUR".into(), 2e6)]).is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(parse_currency("usd").as_deref(), Some("USD"));
        assert_eq!(parse_currency(" usd "), None);
        assert_eq!(parse_currency(""), None);
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
