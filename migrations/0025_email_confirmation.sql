-- Confirmed signups (issue 26, double opt-in): an untrusted signup of a contest
-- that requires it waits for its address to be confirmed; until then its
-- referral awards are held (`email_unconfirmed`), it is not ranked and earns no
-- prize; past `confirmation_days` the cron rejects it.

ALTER TABLE contests ADD COLUMN require_email_confirmation INTEGER NOT NULL DEFAULT 0
  CHECK (require_email_confirmation IN (0, 1));
ALTER TABLE contests ADD COLUMN confirmation_days INTEGER NOT NULL DEFAULT 7
  CHECK (confirmation_days BETWEEN 1 AND 90);

-- NULL: confirmed (or never asked); 'pending': waiting for the confirm link;
-- 'expired': the cron rejected it (its awards rejected; it stays unranked).
ALTER TABLE entries ADD COLUMN email_confirmation TEXT
  CHECK (email_confirmation IS NULL OR email_confirmation IN ('pending', 'expired'));
-- When the link was used (single use: only a pending entry confirms).
ALTER TABLE entries ADD COLUMN email_confirmed_at TEXT;
-- Until when the link confirms (signup + confirmationDays).
ALTER TABLE entries ADD COLUMN confirm_by TEXT;
-- The cron's question: pending confirmations past their time.
CREATE INDEX entries_confirm_due ON entries(confirm_by) WHERE email_confirmation = 'pending';

-- Unconfirmed entries are not ranked: the final standings' order skips them.
DROP INDEX entries_final_rank;
CREATE INDEX entries_final_rank ON entries(
  contest_id, total_points DESC, COALESCE(points_reached_at, created_at), created_at, id)
  WHERE disqualified = 0 AND erased_at IS NULL AND email_confirmation IS NULL;

-- 0020's milestone trigger, unchanged but for: an unconfirmed entry earns
-- nothing, and its confirmation (email_confirmation set to NULL) earns what its
-- totals reach.
DROP TRIGGER entries_prize_milestones;
CREATE TRIGGER entries_prize_milestones
AFTER UPDATE OF total_points, confirmed_referrals, disqualified, email_confirmation ON entries
WHEN NEW.disqualified = 0 AND NEW.erased_at IS NULL AND NEW.email_confirmation IS NULL
BEGIN
  INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, earned_at)
  SELECT 'pa_' || lower(hex(randomblob(8))), p.id, p.contest_id, NEW.id, 'earned', NEW.updated_at
    FROM prizes p
   WHERE p.contest_id = NEW.contest_id AND p.kind = 'milestone'
     AND (NEW.confirmed_referrals >= p.threshold_referrals OR NEW.total_points >= p.threshold_points)
     AND NOT EXISTS (SELECT 1 FROM prize_awards a WHERE a.prize_id = p.id AND a.entry_id = NEW.id)
     AND (p.quantity IS NULL
          OR (SELECT COUNT(*) FROM prize_awards a WHERE a.prize_id = p.id AND a.status != 'void') < p.quantity);
END;

-- The ledger is rebuilt (as 0004 did) so `hold` may be `email_unconfirmed`;
-- `after_hold` keeps the hold the contest's rules gave the award at signup,
-- which it takes when the address is confirmed (NULL: it confirms then).
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
                 ('unverified_purchase', 'fraud', 'velocity', 'review', 'on_purchase', 'currency', 'email_unconfirmed')),
  -- holdDays: a pending row confirms itself after this time unless rejected
  confirm_after TEXT,
  reviewed_at  TEXT,
  after_hold   TEXT CHECK (after_hold IS NULL OR after_hold IN
                 ('unverified_purchase', 'fraud', 'velocity', 'review', 'on_purchase', 'currency')),
  UNIQUE (entry_id, reason, ref_id)
);
INSERT INTO ledger_v2 (id, entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after, reviewed_at)
  SELECT id, entry_id, contest_id, delta, reason, ref_id, note, created_at, status, hold, confirm_after, reviewed_at
  FROM ledger;
DROP TABLE ledger;
ALTER TABLE ledger_v2 RENAME TO ledger;
CREATE INDEX ledger_by_entry ON ledger(entry_id, status, delta);
CREATE INDEX ledger_by_entry_id ON ledger(entry_id, id);
CREATE INDEX ledger_by_contest ON ledger(contest_id, status, id);
CREATE INDEX ledger_by_contest_all ON ledger(contest_id, id);
CREATE INDEX ledger_by_ref ON ledger(ref_id, reason);
-- The holdDays sweep; an award waiting for its address is not due yet.
CREATE INDEX ledger_due ON ledger(confirm_after) WHERE status = 'pending' AND confirm_after IS NOT NULL;
CREATE INDEX ledger_by_contest_time ON ledger(contest_id, created_at);
CREATE INDEX ledger_points_by_day ON ledger(contest_id, status, created_at, delta);
-- 0013's per-day counters, as they were.
CREATE TRIGGER ledger_by_day_insert AFTER INSERT ON ledger WHEN NEW.status = 'confirmed'
BEGIN
  INSERT INTO contest_days (contest_id, day, points) VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.delta)
    ON CONFLICT (contest_id, day) DO UPDATE SET points = points + excluded.points;
END;
CREATE TRIGGER ledger_by_day_update AFTER UPDATE OF contest_id, created_at, status, delta ON ledger
  WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed'
BEGIN
  UPDATE contest_days SET points = points - OLD.delta
    WHERE OLD.status = 'confirmed' AND contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10);
  INSERT INTO contest_days (contest_id, day, points)
    SELECT NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.delta WHERE NEW.status = 'confirmed'
    ON CONFLICT (contest_id, day) DO UPDATE SET points = points + excluded.points;
END;
