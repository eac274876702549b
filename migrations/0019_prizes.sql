-- Prizes and their awards (issue 24). A prize belongs to a contest and says
-- what earns it (`kind` and its rule) and how it is handed out (`fulfilment`).
-- `draw` is the next kind (random draws); its columns come with it.

CREATE TABLE prizes (
  id                   TEXT PRIMARY KEY,
  contest_id           TEXT NOT NULL REFERENCES contests(id),
  name                 TEXT NOT NULL,
  description          TEXT,
  image_url            TEXT,
  kind                 TEXT NOT NULL CHECK (kind IN ('milestone', 'rank', 'draw')),
  -- milestone: exactly one of the two thresholds
  threshold_referrals  INTEGER CHECK (threshold_referrals IS NULL OR threshold_referrals > 0),
  threshold_points     INTEGER CHECK (threshold_points IS NULL OR threshold_points > 0),
  -- rank: places rank_from..rank_to of the final standings
  rank_from            INTEGER CHECK (rank_from IS NULL OR rank_from > 0),
  rank_to              INTEGER CHECK (rank_to IS NULL OR rank_to >= rank_from),
  fulfilment           TEXT NOT NULL CHECK (fulfilment IN ('code', 'credit', 'manual')),
  -- credit: added to the entry's reward balance
  credit_amount        REAL CHECK (credit_amount IS NULL OR credit_amount > 0),
  credit_currency      TEXT,
  -- how many may earn it (NULL: no limit); void awards do not count
  quantity             INTEGER CHECK (quantity IS NULL OR quantity > 0),
  created_at           TEXT NOT NULL,
  updated_at           TEXT,
  CHECK (kind != 'milestone' OR (threshold_referrals IS NULL) != (threshold_points IS NULL)),
  CHECK (kind != 'rank' OR (rank_from IS NOT NULL AND rank_to IS NOT NULL)),
  CHECK (fulfilment != 'credit' OR (credit_amount IS NOT NULL AND credit_currency IS NOT NULL))
);
CREATE INDEX prizes_by_contest ON prizes(contest_id, kind, created_at, id);

-- One row per (prize, entry), ever: a prize is earned once per entry.
CREATE TABLE prize_awards (
  id           TEXT PRIMARY KEY,
  prize_id     TEXT NOT NULL REFERENCES prizes(id),
  contest_id   TEXT NOT NULL REFERENCES contests(id),
  entry_id     TEXT NOT NULL REFERENCES entries(id),
  -- earned: decided (and its code assigned, if a code prize); waiting: earned,
  -- no code left in the pool yet; fulfilled: the owner handed it out; void
  status       TEXT NOT NULL CHECK (status IN ('earned', 'waiting', 'fulfilled', 'void')),
  -- rank prizes: the place in the final standings
  rank         INTEGER,
  earned_at    TEXT NOT NULL,
  fulfilled_at TEXT,
  fulfil_note  TEXT,
  voided_at    TEXT,
  void_reason  TEXT,
  -- fulfilled, then a reversal took the entry back below the threshold
  clawback     INTEGER NOT NULL DEFAULT 0 CHECK (clawback IN (0, 1)),
  UNIQUE (prize_id, entry_id)
);
CREATE INDEX prize_awards_by_contest ON prize_awards(contest_id, status, earned_at, id);
CREATE INDEX prize_awards_by_prize ON prize_awards(prize_id, status, earned_at, id);
CREATE INDEX prize_awards_by_entry ON prize_awards(entry_id, prize_id);

-- A code prize's pool. A code is assigned to at most one award (UNIQUE
-- award_id) and an award holds at most one code; burned codes stay with the
-- void award they were burned on.
CREATE TABLE prize_codes (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  prize_id     TEXT NOT NULL REFERENCES prizes(id) ON DELETE CASCADE,
  code         TEXT NOT NULL,
  award_id     TEXT UNIQUE REFERENCES prize_awards(id),
  assigned_at  TEXT,
  burned_at    TEXT,
  created_at   TEXT NOT NULL,
  UNIQUE (prize_id, code)
);
-- The next free code of a prize: the oldest upload first.
CREATE INDEX prize_codes_available ON prize_codes(prize_id, id) WHERE award_id IS NULL AND burned_at IS NULL;
CREATE INDEX prize_codes_assigned ON prize_codes(prize_id, id) WHERE award_id IS NOT NULL;

-- Confirmed referrals: referred entries whose referral award (the advocate's
-- row) is confirmed; kept with the totals by the same recompute.
ALTER TABLE entries ADD COLUMN confirmed_referrals INTEGER NOT NULL DEFAULT 0;
UPDATE entries SET confirmed_referrals = (
  SELECT COUNT(*) FROM ledger
   WHERE ledger.entry_id = entries.id AND ledger.reason = 'referral_advocate' AND ledger.status = 'confirmed');
-- When the entry's confirmed total last changed (the standings' first tie-breaker
-- after points); NULL until it has any confirmed row.
ALTER TABLE entries ADD COLUMN points_reached_at TEXT;
UPDATE entries SET points_reached_at = (
  SELECT MAX(COALESCE(ledger.reviewed_at, ledger.created_at)) FROM ledger
   WHERE ledger.entry_id = entries.id AND ledger.status = 'confirmed');

ALTER TABLE contests ADD COLUMN finalized_at TEXT;
