//! The functional core: pure rules with native unit tests. Nothing here touches
//! the network, D1 or the clock; callers pass in what they read.

/// Serde for an enum stored and shown as text: `Serialize` writes `as_str()`,
/// `Deserialize` reads with `parse` and refuses anything else. Rows from D1
/// become enums at the boundary, so no handler compares strings.
macro_rules! text_enum {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(["unknown ", stringify!($t), " value: ", &text].concat())
                })
            }
        }
    )+};
}
pub(crate) use text_enum;

pub mod address;
pub mod api_key;
pub mod beacon;
pub mod bonus;
pub mod confirm_token;
pub mod contest;
pub mod csv;
pub mod draw;
pub mod draw_rule;
pub mod email;
pub mod email_templates;
pub mod finale;
pub mod first_party;
pub mod fraud;
pub mod ids;
pub mod money;
pub mod participant_token;
pub mod payouts;
pub mod points;
pub mod portal;
pub mod privacy;
pub mod prizes;
pub mod record;
pub mod referral;
pub mod refunds;
pub mod rewards;
pub mod screening;
pub mod series;
pub mod signature;
pub mod spring_pages;
pub mod time;
pub mod trust;
pub mod unsubscribe;
pub mod v1_pages;
pub mod webhooks;
