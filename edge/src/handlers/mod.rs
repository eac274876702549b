//! Handlers: parse the request, call the core, touch D1 through `db`, answer.

pub mod referral;
