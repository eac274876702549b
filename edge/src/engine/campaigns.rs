//! Referral Rocket campaigns as use cases: qualifying a referred participant and
//! redeeming a reward balance, each one D1 batch.
