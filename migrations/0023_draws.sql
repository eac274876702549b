-- Draw prizes (issue 25): winners picked from the final standings by a
-- published sequence (docs/DRAWS.md) anyone can recompute. One row per draw
-- prize, made with the prize; what is published fills in as the contest ends.
CREATE TABLE prize_draws (
  prize_id         TEXT PRIMARY KEY REFERENCES prizes(id) ON DELETE CASCADE,
  contest_id       TEXT NOT NULL REFERENCES contests(id),
  winners          INTEGER NOT NULL CHECK (winners > 0),
  -- eligibility: both optional (NULL: no minimum)
  min_points       INTEGER CHECK (min_points IS NULL OR min_points >= 0),
  min_referrals    INTEGER CHECK (min_referrals IS NULL OR min_referrals >= 0),
  weighting        TEXT NOT NULL CHECK (weighting IN ('points', 'equal')),
  -- 32 random bytes (lowercase hex), secret until drawn_at; its SHA-256
  -- (lowercase hex) is public from the start
  seed             TEXT NOT NULL CHECK (length(seed) = 64),
  seed_commitment  TEXT NOT NULL CHECK (length(seed_commitment) = 64),
  -- at finalize, in the batch that sets contests.finalized_at: the eligible
  -- list's hash and size, and the beacon round it commits to
  list_hash        TEXT CHECK (list_hash IS NULL OR length(list_hash) = 64),
  list_entries     INTEGER,
  list_weight      TEXT,          -- the total weight, decimal (can exceed 2^63)
  chain_hash       TEXT,
  beacon_round     INTEGER,
  listed_at        TEXT,
  -- once round beacon_round exists: the beacon (signature checked), the picks
  -- (prize_awards.draw_k) and the seed revealed
  randomness       TEXT,
  signature        TEXT,
  drawn_at         TEXT,
  -- the step after the last one taken: where a voided place is refilled from
  next_k           INTEGER CHECK (next_k IS NULL OR next_k >= 0),
  CHECK ((list_hash IS NULL) = (beacon_round IS NULL)),
  CHECK (drawn_at IS NULL OR (list_hash IS NOT NULL AND randomness IS NOT NULL AND next_k IS NOT NULL))
);
CREATE INDEX prize_draws_by_contest ON prize_draws(contest_id);
-- The cron's question: listed draws whose round has not been taken yet.
CREATE INDEX prize_draws_waiting ON prize_draws(beacon_round)
  WHERE list_hash IS NOT NULL AND drawn_at IS NULL;

-- What is published is never rewritten: the seed and its commitment never
-- change; the rule and the list are fixed once listed; the beacon once drawn.
CREATE TRIGGER prize_draws_fixed BEFORE UPDATE ON prize_draws
WHEN NEW.seed IS NOT OLD.seed OR NEW.seed_commitment IS NOT OLD.seed_commitment
  OR NEW.contest_id IS NOT OLD.contest_id
  OR (OLD.list_hash IS NOT NULL AND (
       NEW.list_hash IS NOT OLD.list_hash OR NEW.beacon_round IS NOT OLD.beacon_round
    OR NEW.chain_hash IS NOT OLD.chain_hash OR NEW.list_entries IS NOT OLD.list_entries
    OR NEW.list_weight IS NOT OLD.list_weight OR NEW.listed_at IS NOT OLD.listed_at
    OR NEW.winners IS NOT OLD.winners OR NEW.weighting IS NOT OLD.weighting
    OR NEW.min_points IS NOT OLD.min_points OR NEW.min_referrals IS NOT OLD.min_referrals))
  OR (OLD.drawn_at IS NOT NULL AND (
       NEW.randomness IS NOT OLD.randomness OR NEW.signature IS NOT OLD.signature
    OR NEW.drawn_at IS NOT OLD.drawn_at))
BEGIN
  SELECT RAISE(ABORT, 'a published draw cannot change');
END;

-- A draw's picks are its prize awards with the step k that picked them; one
-- pick per step. (prize_id, entry_id) is already unique: a picked entry has
-- left the list, voided or not.
ALTER TABLE prize_awards ADD COLUMN draw_k INTEGER CHECK (draw_k IS NULL OR draw_k >= 0);
CREATE UNIQUE INDEX prize_awards_draw_steps ON prize_awards(prize_id, draw_k) WHERE draw_k IS NOT NULL;

-- The final standings carry the confirmed referrals each entry was ranked
-- with, so a draw's eligibility (minReferrals) is decided from frozen data
-- and its list can be served again byte for byte.
ALTER TABLE standings ADD COLUMN referrals INTEGER NOT NULL DEFAULT 0;

-- The final standings' bytes (`rank\tentryId\tpoints\treachedAt\n`, by rank)
-- and their SHA-256, published at finalize.
ALTER TABLE contests ADD COLUMN standings_hash TEXT;
