//! The functional core: pure rules with native unit tests. Nothing here touches
//! the network, D1 or the clock; callers pass in what they read.

pub mod email;
pub mod ids;
pub mod time;
