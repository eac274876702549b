-- What was taken back from a purchase, by part, and Stripe subscriptions.
--
-- A subscription-mode Checkout Session has no payment intent: its invoice's
-- charge names the invoice, so the session's invoice (and its subscription and
-- customer, for the record) are stored to match refunds and disputes by.
ALTER TABLE purchases ADD COLUMN stripe_invoice TEXT;
ALTER TABLE purchases ADD COLUMN stripe_subscription TEXT;
ALTER TABLE purchases ADD COLUMN stripe_customer TEXT;
CREATE INDEX purchases_by_invoice ON purchases(contest_id, stripe_invoice) WHERE stripe_invoice IS NOT NULL;

-- Refunds and disputes are counted apart: Stripe's `amount_refunded` counts
-- refunds only, and a won dispute gives its part back. `refunded_amount` stays
-- what was taken back in all: MIN(amount, refunds_total + disputed_amount).
ALTER TABLE purchases ADD COLUMN refunds_total REAL NOT NULL DEFAULT 0;
ALTER TABLE purchases ADD COLUMN disputed_amount REAL NOT NULL DEFAULT 0;

-- Refunds gain a kind: `dispute_won`, a dispute's part given back (once per
-- dispute, by its key). SQLite cannot widen a CHECK in place: the table is rebuilt.
CREATE TABLE refunds_v2 (
  id           TEXT PRIMARY KEY,
  contest_id   TEXT NOT NULL REFERENCES contests(id),
  purchase_id  TEXT NOT NULL REFERENCES purchases(id),
  refund_key   TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('refund', 'dispute', 'dispute_won')),
  -- refund: what it refunded; dispute: the amount disputed; dispute_won: the part given back
  amount       REAL NOT NULL CHECK (amount > 0),
  -- points taken back (refund, dispute) or given back (dispute_won)
  points       INTEGER NOT NULL DEFAULT 0,
  source       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (purchase_id, refund_key)
);
INSERT INTO refunds_v2 (id, contest_id, purchase_id, refund_key, kind, amount, points, source, created_at)
  SELECT id, contest_id, purchase_id, refund_key, kind, amount, points, source, created_at FROM refunds;
DROP TABLE refunds;
ALTER TABLE refunds_v2 RENAME TO refunds;

UPDATE purchases SET
  refunds_total = (SELECT COALESCE(SUM(amount), 0) FROM refunds r WHERE r.purchase_id = purchases.id AND r.kind = 'refund'),
  disputed_amount = (SELECT COALESCE(SUM(amount), 0) FROM refunds r WHERE r.purchase_id = purchases.id AND r.kind = 'dispute')
  WHERE refunded_amount > 0;
