//! Request bodies several routes share (the referral endpoints, the webhooks,
//! the v1 API), and their validation into what the engine takes (its input
//! types: the engine knows nothing of requests).

use crate::domain::money::parse_currency;
use crate::domain::refunds::StripeRefs;
use crate::engine::join::Signup;
use crate::engine::purchase::PurchaseReport;
use crate::error::ApiResult;
use crate::input::{self, Amount};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignupBody {
    pub email: Option<String>,
    pub contest_id: Option<String>,
    pub referral_code: Option<String>,
    pub name: Option<String>,
    /// Cloudflare Turnstile's token, when the contest asks for a bot check.
    pub turnstile_token: Option<String>,
}

impl SignupBody {
    /// The referral endpoint requires a code; the signup webhook does not.
    pub fn validate(&self, code_required: bool) -> ApiResult<Signup> {
        let referral_code = if code_required {
            Some(input::required("referralCode", self.referral_code.as_deref(), 64)?)
        } else {
            input::optional("referralCode", self.referral_code.as_deref(), 64)?
        };
        Ok(Signup {
            email: input::email("email", self.email.as_deref())?,
            name: input::optional("name", self.name.as_deref(), 200)?,
            referral_code,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseBody {
    pub email: Option<String>,
    pub contest_id: Option<String>,
    pub order_id: Option<String>,
    pub amount: Option<Amount>,
    pub currency: Option<String>,
    pub referral_code: Option<String>,
}

impl PurchaseBody {
    pub fn validate(&self) -> ApiResult<PurchaseReport> {
        let email = input::email("email", self.email.as_deref())?;
        let order_id = input::required("orderId", self.order_id.as_deref(), 200)?;
        let amount = self.amount.ok_or_else(|| input::invalid("amount", "is required"))?.positive()?;
        // An active ISO 4217 code when given (the contract's pattern); blank is refused.
        let currency = match self.currency.as_deref() {
            None => "USD".to_string(),
            Some(c) => {
                parse_currency(c).ok_or_else(|| input::invalid("currency", "must be an active ISO 4217 code"))?
            }
        };
        let referral_code = input::optional("referralCode", self.referral_code.as_deref(), 64)?;
        Ok(PurchaseReport { email, order_id, amount, currency, referral_code, stripe: StripeRefs::default() })
    }
}
