//! Currencies and amounts.

/// The active ISO 4217 codes (list one as pycountry 26.2.16 has it: BGN, CUC,
/// HRK, SLL and ZWL withdrawn; XAD, XCG and ZWG in), sorted for a binary search.
/// XTS (testing) and XXX (no currency) are left out: no purchase is in them.
pub const ACTIVE_CURRENCIES: [&str; 176] = [
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND",
    "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY",
    "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP",
    "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD",
    "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
    "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN",
    "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX",
    "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV", "WST", "XAD", "XAF", "XAG", "XAU", "XBA",
    "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA", "YER", "ZAR", "ZMW", "ZWG",
];

/// An active ISO 4217 code (`ACTIVE_CURRENCIES`), upper-case; given upper- or
/// lower-case (Stripe's `eur`), not mixed. `None` for anything else, so no
/// made-up currency (`QQA`) is ever stored or counted.
pub fn parse_currency(code: &str) -> Option<String> {
    let one_case = code.bytes().all(|b| b.is_ascii_uppercase()) || code.bytes().all(|b| b.is_ascii_lowercase());
    let upper = code.to_ascii_uppercase();
    (one_case && ACTIVE_CURRENCIES.binary_search(&upper.as_str()).is_ok()).then_some(upper)
}

/// The pattern of an active code as the OpenAPI document states it (`Currency`):
/// every code upper- or lower-case.
pub fn currency_pattern() -> String {
    let upper = ACTIVE_CURRENCIES.join("|");
    ["^(?:", &upper, "|", &upper.to_ascii_lowercase(), ")$"].concat()
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
        let code = parse_currency(code).ok_or("currency codes must be active ISO 4217 codes")?;
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
        assert_eq!(parse_currency("EUR").as_deref(), Some("EUR"));
        assert_eq!(parse_currency("zwg").as_deref(), Some("ZWG"));
        assert_eq!(parse_currency(" usd "), None);
        assert_eq!(parse_currency(""), None);
        assert_eq!(parse_currency("US"), None);
        assert_eq!(parse_currency("U5D"), None);
        assert_eq!(parse_currency("Usd"), None, "one case or the other");
    }

    #[test]
    fn only_active_codes_are_currencies() {
        // Three letters are not enough: made up, withdrawn, testing, no currency.
        for code in ["QQA", "qqa", "ABC", "HRK", "ZWL", "CUC", "BGN", "XTS", "XXX"] {
            assert_eq!(parse_currency(code), None, "{code}");
        }
        assert!(ACTIVE_CURRENCIES.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        assert!(ACTIVE_CURRENCIES.iter().all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())));
        for code in ACTIVE_CURRENCIES {
            assert_eq!(parse_currency(code).as_deref(), Some(code));
            assert_eq!(parse_currency(&code.to_ascii_lowercase()).as_deref(), Some(code));
        }
        // The minor-unit tables name active codes only.
        for code in ["JPY", "KRW", "XAF", "BHD", "KWD"] {
            assert!(ACTIVE_CURRENCIES.contains(&code));
        }
    }

    #[test]
    fn the_openapi_document_states_the_same_codes() {
        let doc: serde_json::Value = serde_json::from_str(include_str!("../../openapi.json")).unwrap();
        let pattern = currency_pattern();
        assert_eq!(doc["components"]["schemas"]["Currency"]["pattern"].as_str(), Some(pattern.as_str()));
        assert!(pattern.contains("|USD|") && pattern.contains("|usd|") && !pattern.contains("QQA"));
    }

    #[test]
    fn minor_units_follow_the_currency() {
        assert_eq!(from_minor_units(4999, "usd"), 49.99);
        assert_eq!(from_minor_units(5000, "jpy"), 5000.0);
        assert_eq!(from_minor_units(1500, "KWD"), 1.5);
    }
}
