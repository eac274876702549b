//! Handlers: parse the request, call the core, write one batch, answer.

pub mod accounts;
pub mod awards;
pub mod bonus_actions;
pub mod campaigns;
pub mod confirm;
pub mod contests;
pub mod draws;
pub mod email_templates;
pub mod emails;
pub mod entries;
pub mod exports;
pub mod finale;
pub mod payouts;
pub mod prizes;
pub mod purchases;
pub mod record;
pub mod referral;
pub mod webhook_deliveries;
pub mod webhook_endpoints;
pub mod webhooks;
