//! What a use case answers: its value and the webhook events its batch wrote.

use crate::domain::ids::EventId;

/// A use case's result once its batch is committed: the value the handler
/// renders and the ids of the webhook events the batch wrote. Handlers hand it
/// to `Ctx::commit` (the cron to `outbox::commit`), which sends the events to
/// the queue and answers the value, so an event is never left unsent by
/// forgetting a call (the cron would send it only minutes later).
#[must_use = "hand it to `ctx.commit` (or `outbox::commit`): it sends the events"]
pub struct Committed<T> {
    value: T,
    events: Vec<EventId>,
}

impl<T> Committed<T> {
    pub fn new(value: T, events: Vec<EventId>) -> Self {
        Self { value, events }
    }

    /// A result whose batch wrote no event (a retry, nothing to do).
    pub fn without_events(value: T) -> Self {
        Self::new(value, Vec::new())
    }

    /// The value and the events, for the one place that sends them
    /// (`outbox::commit`) and a use case built on another.
    pub fn into_parts(self) -> (T, Vec<EventId>) {
        (self.value, self.events)
    }

    /// The same events with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Committed<U> {
        Committed { value: f(self.value), events: self.events }
    }

    pub fn value(&self) -> &T {
        &self.value
    }
}
