-- The contest engine: API keys, contest settings, bonus actions, purchases,
-- visits and the append-only points ledger.

ALTER TABLE contests ADD COLUMN description TEXT;
ALTER TABLE contests ADD COLUMN advocate_points INTEGER NOT NULL DEFAULT 10;
ALTER TABLE contests ADD COLUMN friend_points INTEGER NOT NULL DEFAULT 5;
ALTER TABLE contests ADD COLUMN purchase_points_per_unit REAL NOT NULL DEFAULT 1;
-- 'advocate': a referred buyer's purchase points go to the advocate who referred
-- them (an unreferred buyer earns them); 'buyer': always the buyer.
ALTER TABLE contests ADD COLUMN purchase_points_to TEXT NOT NULL DEFAULT 'advocate'
  CHECK (purchase_points_to IN ('advocate', 'buyer'));
ALTER TABLE contests ADD COLUMN referral_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE contests ADD COLUMN referrer_reward REAL NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN referee_reward REAL NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN reward_currency TEXT NOT NULL DEFAULT 'USD';
-- Shared secret of the inbound signup/purchase webhooks.
ALTER TABLE contests ADD COLUMN webhook_secret TEXT;
-- Stripe's endpoint signing secret (whsec_...), set by the owner.
ALTER TABLE contests ADD COLUMN stripe_webhook_secret TEXT;
ALTER TABLE contests ADD COLUMN updated_at TEXT;

ALTER TABLE entries ADD COLUMN disqualified_reason TEXT;
ALTER TABLE entries ADD COLUMN source TEXT NOT NULL DEFAULT 'api';
ALTER TABLE entries ADD COLUMN updated_at TEXT;
-- Index columns follow each query's ORDER BY to its last tie-breaker: pages come
-- straight off the index, never from a sort of the whole contest.
CREATE INDEX entries_leaderboard ON entries(contest_id, disqualified, total_points DESC, created_at, id);
DROP INDEX contests_by_account;
CREATE INDEX contests_by_account ON contests(account_id, created_at, id);
CREATE INDEX entries_by_contest ON entries(contest_id, created_at, id);

-- Keys are shown once; only their SHA-256 is stored.
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  kind        TEXT NOT NULL CHECK (kind IN ('public', 'private')),
  key_hash    TEXT NOT NULL UNIQUE,
  key_prefix  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);
CREATE INDEX api_keys_by_account ON api_keys(account_id, created_at);

CREATE TABLE bonus_actions (
  id                 TEXT PRIMARY KEY,
  contest_id         TEXT NOT NULL REFERENCES contests(id),
  action             TEXT NOT NULL,
  description        TEXT NOT NULL,
  icon               TEXT,
  icon_color         TEXT,
  points             INTEGER NOT NULL,
  confirmation_type  TEXT NOT NULL CHECK (confirmation_type IN ('auto', 'click', 'manual', 'quiz')),
  destination_url    TEXT,
  -- quiz actions only; never shown through the API
  correct_answer     TEXT,
  sort_order         INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  -- deleted actions keep their completions (and the ledger their points)
  deleted_at         TEXT
);
CREATE INDEX bonus_actions_by_contest ON bonus_actions(contest_id, deleted_at, sort_order, created_at, id);

CREATE TABLE bonus_completions (
  id               TEXT PRIMARY KEY,
  entry_id         TEXT NOT NULL REFERENCES entries(id),
  bonus_action_id  TEXT NOT NULL REFERENCES bonus_actions(id),
  status           TEXT NOT NULL CHECK (status IN ('verified', 'pending', 'rejected')),
  proof            TEXT,
  answer           TEXT,
  points_awarded   INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL,
  completed_at     TEXT,
  reviewed_at      TEXT,
  UNIQUE (entry_id, bonus_action_id)
);

CREATE TABLE purchases (
  id                 TEXT PRIMARY KEY,
  contest_id         TEXT NOT NULL REFERENCES contests(id),
  order_id           TEXT NOT NULL,
  buyer_email        TEXT NOT NULL,
  buyer_entry_id     TEXT REFERENCES entries(id),
  -- the entry the purchase points went to (buyer or advocate), if any
  credited_entry_id  TEXT REFERENCES entries(id),
  amount             REAL NOT NULL CHECK (amount > 0),
  currency           TEXT NOT NULL,
  points_awarded     INTEGER NOT NULL DEFAULT 0,
  referral_code      TEXT,
  source             TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  UNIQUE (contest_id, order_id)
);
CREATE INDEX purchases_by_buyer ON purchases(buyer_entry_id);

CREATE TABLE visits (
  id          TEXT PRIMARY KEY,
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  entry_id    TEXT NOT NULL REFERENCES entries(id),
  url         TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX visits_by_contest ON visits(contest_id, created_at);
CREATE INDEX visits_by_entry ON visits(entry_id);

-- Every point change is a row here, written in the same batch that recomputes
-- entries.total_points from it. (entry_id, reason, ref_id) is unique: one award
-- per cause, however often a request is retried.
CREATE TABLE ledger (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id    TEXT NOT NULL REFERENCES entries(id),
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  delta       INTEGER NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN
                ('referral_advocate', 'referral_friend', 'purchase', 'bonus_action', 'adjustment')),
  ref_id      TEXT NOT NULL,
  note        TEXT,
  created_at  TEXT NOT NULL,
  UNIQUE (entry_id, reason, ref_id)
);
