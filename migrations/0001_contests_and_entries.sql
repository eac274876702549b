-- Accounts own contests; a contest's entries are its participants.
-- Timestamps are ISO-8601 UTC text ("2025-06-15T12:00:00.000Z"): they sort as text.

CREATE TABLE accounts (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE contests (
  id          TEXT PRIMARY KEY,
  account_id  TEXT NOT NULL REFERENCES accounts(id),
  name        TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'ended')),
  ends_at     TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX contests_by_account ON contests(account_id, created_at);

CREATE TABLE entries (
  id                    TEXT PRIMARY KEY,
  contest_id            TEXT NOT NULL REFERENCES contests(id),
  -- normalized (lower-case, plus-tag removed): the identity of a participant
  email                 TEXT NOT NULL,
  -- as the participant typed it, for display
  email_display         TEXT NOT NULL,
  name                  TEXT,
  referral_code         TEXT NOT NULL,
  referred_by_entry_id  TEXT REFERENCES entries(id),
  total_points          INTEGER NOT NULL DEFAULT 0,
  disqualified          INTEGER NOT NULL DEFAULT 0,
  created_at            TEXT NOT NULL,
  UNIQUE (contest_id, email),
  UNIQUE (contest_id, referral_code)
);
CREATE INDEX entries_by_referrer ON entries(referred_by_entry_id, created_at);
