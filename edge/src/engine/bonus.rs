//! Bonus actions as use cases: completion (by the participant or for them) and
//! the owner's review, each one D1 batch.
