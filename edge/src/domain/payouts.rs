//! Payouts of reward balances: what the payout files look like (PayPal
//! Payouts' bulk file, Wise's batch "send by email" file, a generic CSV), how a
//! file is split into parts, amounts in a currency's minor units, and what a
//! payout's reference may be.

use super::csv::push_text;
use super::money::minor_unit_exponent;

/// The file a payouts export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PayPal Payouts' bulk upload: no header; recipient, amount, currency,
    /// customer id, note, wallet.
    Paypal,
    /// Wise's batch payment file for recipients paid by email.
    Wise,
    /// A header row, then entry id, email, name, amount, currency.
    Generic,
}

/// Wise's batch file columns we write (the "send by email" template).
pub const WISE_HEADER: &[&str] = &[
    "name",
    "recipientEmail",
    "paymentReference",
    "receiverType",
    "amountCurrency",
    "amount",
    "sourceCurrency",
    "targetCurrency",
];

pub const GENERIC_HEADER: &[&str] = &["entryId", "email", "name", "amount", "currency"];

impl Format {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "paypal" => Some(Self::Paypal),
            "wise" => Some(Self::Wise),
            "generic" => Some(Self::Generic),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Paypal => "paypal",
            Self::Wise => "wise",
            Self::Generic => "generic",
        }
    }

    /// Rows per file: PayPal takes up to 5,000 a file, Wise up to 1,000.
    pub fn part_size(self) -> u64 {
        match self {
            Self::Wise => 1_000,
            Self::Paypal | Self::Generic => 5_000,
        }
    }

    /// The header row, if the format has one.
    pub fn header(self) -> Option<&'static [&'static str]> {
        match self {
            Self::Paypal => None,
            Self::Wise => Some(WISE_HEADER),
            Self::Generic => Some(GENERIC_HEADER),
        }
    }
}

/// How many parts `rows` owed entries make (at least 1: an empty file when
/// nothing is owed).
pub fn parts(rows: u64, format: Format) -> u64 {
    rows.div_ceil(format.part_size()).max(1)
}

/// Rows to skip before part `part` (1-based).
pub fn part_offset(part: u64, format: Format) -> u64 {
    part.saturating_sub(1).saturating_mul(format.part_size())
}

/// The smallest balance that is owed: half a minor unit (it rounds to one).
pub fn min_owed(currency: &str) -> f64 {
    0.5 / 10f64.powi(minor_unit_exponent(currency) as i32) - 1e-9
}

/// An amount in the currency's minor units, as text: `12.50` (USD), `1500`
/// (JPY), `1.250` (KWD); half a minor unit rounds away from zero.
pub fn format_amount(amount: f64, currency: &str) -> String {
    let exp = minor_unit_exponent(currency);
    let minor = (amount * 10f64.powi(exp as i32)).round() as i64;
    let (sign, minor) = if minor < 0 { ("-", minor.unsigned_abs()) } else { ("", minor.unsigned_abs()) };
    if exp == 0 {
        return [sign, &minor.to_string()].concat();
    }
    let unit = 10u64.pow(exp);
    let fraction = (minor % unit).to_string();
    let zeros = "0".repeat(exp as usize - fraction.len());
    [sign, &(minor / unit).to_string(), ".", &zeros, &fraction].concat()
}

/// The amount rounded to the currency's minor units, as a number (the JSON answers).
pub fn round_amount(amount: f64, currency: &str) -> f64 {
    let scale = 10f64.powi(minor_unit_exponent(currency) as i32);
    // `+ 0.0` makes -0 (an empty sum) 0.
    (amount * scale).round() / scale + 0.0
}

/// What one owed entry's row says.
pub struct Owed<'a> {
    pub entry_id: &'a str,
    pub email: &'a str,
    pub name: Option<&'a str>,
    pub amount: f64,
    pub currency: &'a str,
    /// PayPal's note to the recipient (at most 400 characters are written).
    pub note: &'a str,
}

/// PayPal's note limit, in characters.
const NOTE_MAX: usize = 400;

/// Appends the entry's row in `format` (CRLF line end; text cells inert).
pub fn push_row(out: &mut String, format: Format, o: &Owed) {
    let amount = format_amount(o.amount, o.currency);
    let cells: Vec<&str> = match format {
        Format::Paypal => {
            let note = o.note.char_indices().nth(NOTE_MAX).map_or(o.note, |(i, _)| &o.note[..i]);
            vec![o.email, &amount, o.currency, o.entry_id, note, "PAYPAL"]
        }
        Format::Wise => {
            let name = o.name.filter(|n| !n.is_empty()).unwrap_or(o.email);
            vec![name, o.email, o.entry_id, "PRIVATE", "target", &amount, o.currency, o.currency]
        }
        Format::Generic => vec![o.entry_id, o.email, o.name.unwrap_or(""), &amount, o.currency],
    };
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_text(out, cell);
    }
    out.push_str("\r\n");
}

/// The longest reference a payout may have.
pub const REFERENCE_MAX: usize = 100;

/// A payout's reference: 1 to 100 letters, digits, `-`, `_`, `.`, `:`, `/`
/// or `#` (the owner's batch id, e.g. PayPal's `2026-12` or a Wise `B123`).
pub fn valid_reference(reference: &str) -> bool {
    (1..=REFERENCE_MAX).contains(&reference.len())
        && reference.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:/#".contains(&b))
}

/// The `ref_id` of a payout's redemption rows.
pub fn payout_ref(reference: &str) -> String {
    ["payout:", reference].concat()
}

/// At most this many entries per payout call.
pub const MAX_ENTRIES: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn owed<'a>(email: &'a str, name: Option<&'a str>, amount: f64, currency: &'a str) -> Owed<'a> {
        Owed { entry_id: "en_1", email, name, amount, currency, note: "Rewards from Spring" }
    }

    fn row(format: Format, o: &Owed) -> String {
        let mut s = String::new();
        push_row(&mut s, format, o);
        s
    }

    #[test]
    fn amounts_use_the_currency_minor_units() {
        assert_eq!(format_amount(12.5, "USD"), "12.50");
        assert_eq!(format_amount(0.1 + 0.2, "EUR"), "0.30");
        assert_eq!(format_amount(1500.0, "JPY"), "1500");
        assert_eq!(format_amount(1.25, "KWD"), "1.250");
        assert_eq!(format_amount(0.005, "USD"), "0.01");
        assert_eq!(format_amount(1234567.891, "usd"), "1234567.89");
        assert_eq!(format_amount(-3.5, "USD"), "-3.50");
        assert_eq!(round_amount(10.006, "USD"), 10.01);
        assert_eq!(round_amount(99.6, "JPY"), 100.0);
        assert!(round_amount(std::iter::empty::<f64>().sum(), "USD").is_sign_positive());
        assert!(min_owed("USD") < 0.005 && min_owed("USD") > 0.0049);
        assert!(min_owed("JPY") < 0.5 && min_owed("JPY") > 0.49);
    }

    #[test]
    fn parts_of_each_format() {
        assert_eq!(parts(0, Format::Paypal), 1);
        assert_eq!(parts(5_000, Format::Paypal), 1);
        assert_eq!(parts(5_001, Format::Paypal), 2);
        assert_eq!(parts(5_001, Format::Generic), 2);
        assert_eq!(parts(1_001, Format::Wise), 2);
        assert_eq!(part_offset(1, Format::Paypal), 0);
        assert_eq!(part_offset(2, Format::Paypal), 5_000);
        assert_eq!(part_offset(3, Format::Wise), 2_000);
        assert_eq!(part_offset(u64::MAX, Format::Paypal), u64::MAX);
    }

    #[test]
    fn rows_of_each_format() {
        let o = owed("ada@example.com", Some("Ada L"), 20.0, "USD");
        assert_eq!(row(Format::Paypal, &o), "ada@example.com,20.00,USD,en_1,Rewards from Spring,PAYPAL\r\n");
        assert_eq!(row(Format::Wise, &o), "Ada L,ada@example.com,en_1,PRIVATE,target,20.00,USD,USD\r\n");
        assert_eq!(row(Format::Generic, &o), "en_1,ada@example.com,Ada L,20.00,USD\r\n");
        let nameless = owed("bo@example.com", None, 5.0, "JPY");
        assert_eq!(row(Format::Wise, &nameless), "bo@example.com,bo@example.com,en_1,PRIVATE,target,5,JPY,JPY\r\n");
        assert_eq!(row(Format::Generic, &nameless), "en_1,bo@example.com,,5,JPY\r\n");
        assert_eq!(Format::Paypal.header(), None);
        assert_eq!(Format::Wise.header().map(|h| h.len()), Some(8));
    }

    #[test]
    fn cells_are_inert_and_notes_capped() {
        let o = owed("=cmd@example.com", Some("+SUM(A1),x"), 1.0, "USD");
        assert_eq!(row(Format::Generic, &o), "en_1,\"'=cmd@example.com\",\"'+SUM(A1),x\",1.00,USD\r\n");
        let long = "é".repeat(450);
        let o = Owed { note: &long, ..owed("a@example.com", None, 1.0, "USD") };
        let line = row(Format::Paypal, &o);
        assert_eq!(line, ["a@example.com,1.00,USD,en_1,", &"é".repeat(400), ",PAYPAL\r\n"].concat());
    }

    #[test]
    fn references() {
        assert!(valid_reference("2026-12"));
        assert!(valid_reference("batch_7.b:1/2#3"));
        assert!(valid_reference(&"a".repeat(100)));
        assert!(!valid_reference(""));
        assert!(!valid_reference(&"a".repeat(101)));
        assert!(!valid_reference("two words"));
        assert!(!valid_reference("é"));
        assert!(!valid_reference("=1+1"));
        assert_eq!(payout_ref("2026-12"), "payout:2026-12");
        for f in ["paypal", "wise", "generic"] {
            assert_eq!(Format::parse(f).map(Format::as_str), Some(f));
        }
        assert_eq!(Format::parse("PayPal"), None);
    }
}
