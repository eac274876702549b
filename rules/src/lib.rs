//! The rules the browser tracker (`tracker/`) and the worker (`edge/`) must agree
//! on, written once: what a referral code looks like, the referral cookie's name
//! and lifetimes, and how a parameter is added to a URL's query (keeping its
//! fragment).
//!
//! `no_std`, no `alloc`, no dependencies: every byte the tracker uses of this
//! crate is paid by every visitor. Nothing here formats (`core::fmt::Write` is
//! only the caller's buffer) or panics.
#![no_std]

#[cfg(test)]
extern crate std;

mod referral_code;
pub mod referral_cookie;
pub mod url;

pub use referral_code::ReferralCode;
