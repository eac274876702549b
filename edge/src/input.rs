//! Request-body building blocks: validation on construction, every failure a 400
//! that names the field.

use crate::domain::email::Email;
use crate::domain::money::MAX_AMOUNT;
use crate::error::{ApiError, ApiResult};
use serde::{Deserialize, Deserializer};

/// For PATCH bodies: absent -> `None`, `null` -> `Some(None)`, value -> `Some(Some(v))`.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A JSON integer, also written as an integral float (`8184.0` is an integer to
/// JSON Schema, so to our OpenAPI contract). Larger than JavaScript's exact range
/// is refused here, not later by D1.
struct IntLike(i64);

impl<'de> Deserialize<'de> for IntLike {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
        }
        const EXACT: f64 = 9_007_199_254_740_991.0;
        match Raw::deserialize(d).map_err(|_| serde::de::Error::custom("expected an integer"))? {
            Raw::Int(i) => Ok(IntLike(i)),
            Raw::Float(f) if f.fract() == 0.0 && f.abs() <= EXACT => Ok(IntLike(f as i64)),
            Raw::Float(_) => Err(serde::de::Error::custom("expected an integer")),
        }
    }
}

/// `#[serde(default, deserialize_with = "input::int_opt")]` for an optional integer.
pub fn int_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Option::<IntLike>::deserialize(d).map(|o| o.map(|i| i.0))
}

/// [`double_option`] for an integer (written as JSON Schema allows: `2568.0` too).
pub fn int_double_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<IntLike>::deserialize(d).map(|v| Some(v.map(|i| i.0)))
}

/// `#[serde(default, deserialize_with = "input::int_vec")]` for a list of integers.
pub fn int_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    Vec::<IntLike>::deserialize(d).map(|v| v.into_iter().map(|i| i.0).collect())
}

/// An amount given as a JSON number or a numeric string (`"250"`, as Referral
/// Rocket sends it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount(pub f64);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Number(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Number(n) => Ok(Amount(n)),
            Raw::Text(s) => {
                s.trim().parse::<f64>().map(Amount).map_err(|_| serde::de::Error::custom("amount must be a number"))
            }
        }
    }
}

impl Amount {
    /// Finite and greater than zero (else the seed's 400), and at most
    /// `MAX_AMOUNT`: no input may carry a number later reads cannot hold.
    pub fn positive(self) -> ApiResult<f64> {
        if !(self.0.is_finite() && self.0 > 0.0) {
            Err(ApiError::bad_request("Amount must be positive"))
        } else if self.0 > MAX_AMOUNT {
            Err(ApiError::bad_request("Amount must be at most 1000000000"))
        } else {
            Ok(self.0)
        }
    }
}

fn field_error(field: &str, problem: &str) -> ApiError {
    let mut m = String::from("Invalid request body: ");
    m.push_str(field);
    m.push(' ');
    m.push_str(problem);
    ApiError::BadRequest(m)
}

/// A required string field: present, non-blank, at most `max` characters.
pub fn required(field: &str, value: Option<&str>, max: usize) -> ApiResult<String> {
    optional(field, value, max)?.ok_or_else(|| field_error(field, "is required"))
}

/// An optional string field: blank counts as absent. The length limit is the
/// contract's `maxLength`, so it applies to the value as sent, before trimming.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    let Some(raw) = value else { return Ok(None) };
    if raw.chars().count() > max {
        let mut p = String::from("is longer than ");
        p.push_str(&max.to_string());
        p.push_str(" characters");
        return Err(field_error(field, &p));
    }
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if !crate::domain::privacy::is_clean_text(v) {
        return Err(field_error(field, "must not contain control or bidirectional-override characters"));
    }
    Ok(Some(v.to_string()))
}

pub fn email(field: &str, value: Option<&str>) -> ApiResult<Email> {
    let raw = required(field, value, 254)?;
    Email::parse(&raw).map_err(|e| field_error(field, &e.to_lowercase()))
}

pub fn int_in(field: &str, v: i64, min: i64, max: i64) -> ApiResult<i64> {
    if (min..=max).contains(&v) {
        Ok(v)
    } else {
        let mut p = String::from("must be between ");
        p.push_str(&min.to_string());
        p.push_str(" and ");
        p.push_str(&max.to_string());
        Err(field_error(field, &p))
    }
}

pub fn non_negative(field: &str, v: f64, max: f64) -> ApiResult<f64> {
    if v.is_finite() && (0.0..=max).contains(&v) {
        Ok(v)
    } else {
        Err(field_error(field, "must be a non-negative number"))
    }
}

/// An http(s) URL, as a destination or page URL.
pub fn url(field: &str, value: Option<&str>) -> ApiResult<Option<String>> {
    let Some(v) = optional(field, value, 2048)? else { return Ok(None) };
    if v.starts_with("https://") || v.starts_with("http://") {
        Ok(Some(v))
    } else {
        Err(field_error(field, "must be an http(s) URL"))
    }
}

pub fn invalid(field: &str, problem: &str) -> ApiError {
    field_error(field, problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_from_numbers_and_strings() {
        let a: Amount = serde_json::from_str("49.99").unwrap();
        assert_eq!(a.positive(), Ok(49.99));
        let a: Amount = serde_json::from_str("\"250\"").unwrap();
        assert_eq!(a.0, 250.0);
        assert!(serde_json::from_str::<Amount>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Amount>("true").is_err());
        assert!(Amount(0.0).positive().is_err());
        assert!(Amount(-5.0).positive().is_err());
        assert_eq!(Amount(1e9).positive(), Ok(1e9));
        assert_eq!(Amount(1e9 + 1.0).positive().unwrap_err().message(), "Amount must be at most 1000000000");
    }

    #[test]
    fn integers_also_as_integral_floats() {
        #[derive(Deserialize)]
        struct B {
            #[serde(default, deserialize_with = "int_opt")]
            n: Option<i64>,
            #[serde(default, deserialize_with = "int_vec")]
            ids: Vec<i64>,
        }
        let b: B = serde_json::from_str(r#"{"n": 8184.0, "ids": [1, 2.0]}"#).unwrap();
        assert_eq!((b.n, b.ids), (Some(8184), vec![1, 2]));
        assert_eq!(serde_json::from_str::<B>("{}").unwrap().n, None);
        assert_eq!(serde_json::from_str::<B>(r#"{"n": null}"#).unwrap().n, None);
        for bad in [r#"{"n": 1.5}"#, r#"{"n": "3"}"#, r#"{"n": 1e300}"#, r#"{"ids": [true]}"#] {
            assert!(serde_json::from_str::<B>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn string_fields() {
        assert_eq!(required("name", Some("  Jo "), 10).unwrap(), "Jo");
        assert!(required("name", Some("  "), 10).is_err());
        assert!(required("name", None, 10).unwrap_err().message().contains("name is required"));
        assert!(required("name", Some("abcdef"), 3).is_err());
        // maxLength counts what was sent: blanks past the limit are refused, not trimmed away.
        assert!(optional("name", Some(&"\u{85}".repeat(4)), 3).unwrap_err().message().contains("longer than 3"));
        assert!(required("name", Some(" ab "), 3).is_err());
        assert_eq!(optional("x", Some(" "), 3).unwrap(), None);
        assert!(url("u", Some("javascript:alert(1)")).is_err());
        assert!(required("name", Some("evil\u{202E}gpj.exe"), 100)
            .unwrap_err()
            .message()
            .contains("name must not contain"));
        assert!(optional("note", Some("a\u{0}b"), 100).is_err());
        assert_eq!(
            optional("note", Some("<b>html</b> stays text"), 100).unwrap().as_deref(),
            Some("<b>html</b> stays text")
        );
        assert_eq!(url("u", Some("https://a.b/c")).unwrap().as_deref(), Some("https://a.b/c"));
    }

    #[test]
    fn double_option_distinguishes_null_from_absent() {
        #[derive(Deserialize)]
        struct P {
            #[serde(default, deserialize_with = "double_option")]
            v: Option<Option<String>>,
        }
        assert_eq!(serde_json::from_str::<P>("{}").unwrap().v, None);
        #[derive(Deserialize)]
        struct Hours {
            #[serde(default, deserialize_with = "int_double_option")]
            h: Option<Option<i64>>,
        }
        let hours = |json: &str| serde_json::from_str::<Hours>(json).map(|p| p.h).map_err(|_| ());
        assert_eq!(hours("{}"), Ok(None));
        assert_eq!(hours(r#"{"h":null}"#), Ok(Some(None)));
        assert_eq!(hours(r#"{"h":2568.0}"#), Ok(Some(Some(2568))));
        assert_eq!(hours(r#"{"h":2568.5}"#), Err(()));
        assert_eq!(serde_json::from_str::<P>(r#"{"v":null}"#).unwrap().v, Some(None));
        assert_eq!(serde_json::from_str::<P>(r#"{"v":"a"}"#).unwrap().v, Some(Some("a".into())));
    }
}
