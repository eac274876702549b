-- Outbound webhooks (Standard Webhooks): endpoints, the transactional outbox of
-- events, and one delivery per (event, endpoint).

-- An owner's receiver. `events` is a JSON array of event types. `secret`
-- (whsec_…) signs; after a rotation `previous_secret` signs alongside it until
-- `previous_expires_at`. `consecutive_failures` counts deliveries that failed
-- for good in a row; at 20 the endpoint is disabled with `disabled_reason`.
CREATE TABLE webhook_endpoints (
  id                   TEXT PRIMARY KEY,
  account_id           TEXT NOT NULL REFERENCES accounts(id),
  url                  TEXT NOT NULL,
  description          TEXT,
  events               TEXT NOT NULL,
  enabled              INTEGER NOT NULL DEFAULT 1,
  disabled_reason      TEXT,
  secret               TEXT NOT NULL,
  previous_secret      TEXT,
  previous_expires_at  TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_by_account ON webhook_endpoints(account_id, created_at, id);

-- The outbox: written in the same D1 batch as the change it reports, so an
-- event exists exactly when its change does. `subject_id` names what changed
-- (entry, award, purchase, completion…); `payload` (the signed body) is
-- rendered once, when the event is first fanned out to the endpoints
-- (`fanned_out_at`); the cron re-sends events never fanned out.
CREATE TABLE webhook_events (
  id            TEXT PRIMARY KEY,
  account_id    TEXT NOT NULL REFERENCES accounts(id),
  type          TEXT NOT NULL,
  subject_id    TEXT NOT NULL,
  payload       TEXT,
  created_at    TEXT NOT NULL,
  fanned_out_at TEXT
);
CREATE INDEX webhook_events_waiting ON webhook_events(created_at) WHERE fanned_out_at IS NULL;

-- One event to one endpoint. Its id is the `webhook-id` of every attempt.
-- `status`: pending (attempts to come), succeeded, failed (for good).
CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  event_id         TEXT NOT NULL REFERENCES webhook_events(id),
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_status_code INTEGER,
  last_duration_ms INTEGER,
  last_answer      TEXT,
  last_error       TEXT,
  next_retry_at    TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries(endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries(created_at);
