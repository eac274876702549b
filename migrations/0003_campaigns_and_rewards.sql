-- Referral Rocket's campaigns and participants on the same engine: a campaign is
-- a contest, a participant an entry. Monetary, double-sided rewards live in their
-- own append-only ledger, from which balances are derived.

ALTER TABLE contests ADD COLUMN campaign_url TEXT;
ALTER TABLE contests ADD COLUMN reward_header TEXT;
ALTER TABLE contests ADD COLUMN reward_description TEXT;
ALTER TABLE contests ADD COLUMN share_header TEXT;
ALTER TABLE contests ADD COLUMN share_description TEXT;
ALTER TABLE contests ADD COLUMN reward_type TEXT NOT NULL DEFAULT 'Monetary'
  CHECK (reward_type IN ('Monetary', 'Points'));

ALTER TABLE entries ADD COLUMN first_name TEXT;
ALTER TABLE entries ADD COLUMN last_name TEXT;
-- Set once, by the first qualifying event (with a token so the batch that set it
-- can tell it did).
ALTER TABLE entries ADD COLUMN qualified_at TEXT;
ALTER TABLE entries ADD COLUMN qualified_amount REAL;
ALTER TABLE entries ADD COLUMN qualified_event_id TEXT;
-- SHA-256 of (contest, IP): enough to count signups from one address, never the address.
ALTER TABLE entries ADD COLUMN signup_ip_hash TEXT;
-- Low, Medium, High; NULL for entries created through the API.
ALTER TABLE entries ADD COLUMN fraud_score TEXT;

DROP INDEX entries_by_referrer;
CREATE INDEX entries_by_referrer ON entries(referred_by_entry_id, created_at, id);
CREATE INDEX entries_by_ip ON entries(contest_id, signup_ip_hash, created_at);

CREATE TABLE rewards (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  entry_id    TEXT NOT NULL REFERENCES entries(id),
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  -- 'referral': earned by referring (the referrer side); 'referee': by joining through a referral
  side        TEXT NOT NULL CHECK (side IN ('referral', 'referee')),
  kind        TEXT NOT NULL CHECK (kind IN ('earned', 'redeemed')),
  -- earned > 0, redeemed < 0: a balance is the plain sum
  amount      REAL NOT NULL,
  ref_id      TEXT NOT NULL,
  note        TEXT,
  created_at  TEXT NOT NULL,
  UNIQUE (entry_id, side, kind, ref_id)
);
-- The qualifying batch checks its own token: a small partial index.
CREATE INDEX entries_by_qualified_event ON entries(qualified_event_id) WHERE qualified_event_id IS NOT NULL;
