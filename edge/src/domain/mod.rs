//! The functional core: pure rules with native unit tests. Nothing here touches
//! the network, D1 or the clock; callers pass in what they read.

pub mod api_key;
pub mod bonus;
pub mod contest;
pub mod email;
pub mod fraud;
pub mod ids;
pub mod money;
pub mod participant_token;
pub mod points;
pub mod privacy;
pub mod rewards;
pub mod signature;
pub mod spring_pages;
pub mod time;
pub mod trust;
pub mod v1_pages;
