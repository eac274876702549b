//! The functional core: pure rules with native unit tests. Nothing here touches
//! the network, D1 or the clock; callers pass in what they read.

pub mod api_key;
pub mod bonus;
pub mod contest;
pub mod email;
pub mod fraud;
pub mod ids;
pub mod money;
pub mod pagination;
pub mod paging;
pub mod participant_token;
pub mod points;
pub mod privacy;
pub mod rewards;
pub mod signature;
pub mod time;
pub mod trust;
