-- Contest integrity: only trusted sources mint points. Every ledger row has a
-- status; totals count confirmed rows only. Purchases are unverified until a
-- trusted source reports them; refunds and disputes reverse their awards.

-- Integrity settings of a contest (defaults documented in docs/API.md, "Trust").
ALTER TABLE contests ADD COLUMN browser_purchases TEXT NOT NULL DEFAULT 'pending'
  CHECK (browser_purchases IN ('pending', 'award'));
ALTER TABLE contests ADD COLUMN max_points_per_purchase INTEGER NOT NULL DEFAULT 100000;
ALTER TABLE contests ADD COLUMN max_points_per_adjustment INTEGER NOT NULL DEFAULT 1000000;
ALTER TABLE contests ADD COLUMN points_currency TEXT NOT NULL DEFAULT 'USD';
-- JSON object of currency -> value of one unit in points_currency, e.g. {"EUR":1.08}.
ALTER TABLE contests ADD COLUMN currency_rates TEXT;
ALTER TABLE contests ADD COLUMN referral_awards TEXT NOT NULL DEFAULT 'instant'
  CHECK (referral_awards IN ('instant', 'onPurchase', 'review'));
ALTER TABLE contests ADD COLUMN max_referrals_per_hour INTEGER NOT NULL DEFAULT 20;
ALTER TABLE contests ADD COLUMN hold_days INTEGER NOT NULL DEFAULT 0;

-- The ledger is rebuilt: SQLite cannot add CHECKs or widen one in place.
CREATE TABLE ledger_v2 (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id     TEXT NOT NULL REFERENCES entries(id),
  contest_id   TEXT NOT NULL REFERENCES contests(id),
  -- one award never exceeds what a JavaScript number holds many times over
  delta        INTEGER NOT NULL CHECK (delta BETWEEN -1000000000000 AND 1000000000000),
  reason       TEXT NOT NULL CHECK (reason IN
                 ('referral_advocate', 'referral_friend', 'purchase', 'purchase_refund', 'bonus_action', 'adjustment')),
  ref_id       TEXT NOT NULL,
  note         TEXT,
  created_at   TEXT NOT NULL,
  -- only confirmed rows count in totals, ranks, leaderboards and stats
  status       TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'pending', 'rejected')),
  -- why a row is pending (kept after review, for the record)
  hold         TEXT CHECK (hold IS NULL OR hold IN
                 ('unverified_purchase', 'fraud', 'velocity', 'review', 'on_purchase', 'currency')),
  -- holdDays: a pending row confirms itself after this time unless rejected
  confirm_after TEXT,
  reviewed_at  TEXT,
  UNIQUE (entry_id, reason, ref_id)
);
INSERT INTO ledger_v2 (id, entry_id, contest_id, delta, reason, ref_id, note, created_at)
  SELECT id, entry_id, contest_id, MAX(-1000000000000, MIN(1000000000000, delta)), reason, ref_id, note, created_at
  FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;
-- Totals sum an entry's rows by status straight off this index.
CREATE INDEX ledger_by_entry ON ledger(entry_id, status, delta);
-- An entry's ledger page, oldest first.
CREATE INDEX ledger_by_entry_id ON ledger(entry_id, id);
-- Review queue: a contest's awards by status, newest first.
CREATE INDEX ledger_by_contest ON ledger(contest_id, status, id);
CREATE INDEX ledger_by_contest_all ON ledger(contest_id, id);
-- A purchase's awards and refunds, a referral's awards.
CREATE INDEX ledger_by_ref ON ledger(ref_id, reason);
-- Holds that confirm themselves (holdDays), for the scheduled sweep.
CREATE INDEX ledger_due ON ledger(confirm_after) WHERE status = 'pending' AND confirm_after IS NOT NULL;

ALTER TABLE entries ADD COLUMN pending_points INTEGER NOT NULL DEFAULT 0;
UPDATE entries SET total_points = (SELECT COALESCE(SUM(delta), 0) FROM ledger WHERE entry_id = entries.id);

-- No total may hold a number JavaScript cannot represent exactly: every read of
-- the entry and of the leaderboard would fail. (A trigger, because SQLite cannot
-- add a CHECK to an existing table; it aborts the whole batch.)
CREATE TRIGGER entries_points_bounded_insert BEFORE INSERT ON entries
  WHEN abs(NEW.total_points) > 9007199254740991 OR abs(NEW.pending_points) > 9007199254740991
  BEGIN SELECT RAISE(ABORT, 'points total out of range'); END;
CREATE TRIGGER entries_points_bounded_update BEFORE UPDATE OF total_points, pending_points ON entries
  WHEN abs(NEW.total_points) > 9007199254740991 OR abs(NEW.pending_points) > 9007199254740991
  BEGIN SELECT RAISE(ABORT, 'points total out of range'); END;

-- Identity: only providers that deliver plus-addressed mail fold "+tag"; Gmail
-- also ignores dots and googlemail.com is gmail.com. Re-derive stored identities.
UPDATE OR IGNORE entries SET email = lower(email_display)
  WHERE instr(email_display, '+') > 0
    AND lower(substr(email_display, instr(email_display, '@') + 1)) NOT IN
      ('gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'icloud.com',
       'me.com', 'mac.com', 'fastmail.com', 'fastmail.fm', 'proton.me', 'protonmail.com', 'protonmail.ch',
       'pm.me', 'zoho.com', 'yandex.com', 'yandex.ru', 'hey.com');
UPDATE OR IGNORE entries
  SET email = replace(substr(email, 1, instr(email, '@') - 1), '.', '') || '@gmail.com'
  WHERE email LIKE '%@gmail.com' OR email LIKE '%@googlemail.com';

-- Purchases: reported by the browser (unverified) or a trusted source (verified).
ALTER TABLE purchases ADD COLUMN status TEXT NOT NULL DEFAULT 'verified'
  CHECK (status IN ('unverified', 'verified', 'refunded'));
ALTER TABLE purchases ADD COLUMN refunded_amount REAL NOT NULL DEFAULT 0;
-- Stripe's payment intent of a Checkout Session: refunds and disputes name it.
ALTER TABLE purchases ADD COLUMN payment_intent TEXT;
ALTER TABLE purchases ADD COLUMN verified_at TEXT;
-- Set by the batch that verified the purchase, so its later statements can tell they did.
ALTER TABLE purchases ADD COLUMN verify_token TEXT;
UPDATE purchases SET status = 'unverified' WHERE source = 'tracker';
UPDATE purchases SET verified_at = created_at WHERE status = 'verified';
CREATE INDEX purchases_by_contest ON purchases(contest_id, created_at, id);
CREATE INDEX purchases_by_status ON purchases(contest_id, status, created_at, id);
CREATE INDEX purchases_by_payment_intent ON purchases(contest_id, payment_intent) WHERE payment_intent IS NOT NULL;

-- Refunds and disputes: one row per refund id (a Stripe refund state, a dispute,
-- or the owner's Idempotency-Key), so a replay reverses nothing twice.
CREATE TABLE refunds (
  id           TEXT PRIMARY KEY,
  contest_id   TEXT NOT NULL REFERENCES contests(id),
  purchase_id  TEXT NOT NULL REFERENCES purchases(id),
  refund_key   TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('refund', 'dispute')),
  amount       REAL NOT NULL CHECK (amount > 0),
  points       INTEGER NOT NULL DEFAULT 0,
  source       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (purchase_id, refund_key)
);
