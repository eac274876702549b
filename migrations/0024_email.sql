-- Participant email (issue 26): what a contest sends, through Cloudflare Email
-- Service, one queued message per row; who asked not to hear from it.

-- The sender and the participants' default language (contest settings).
ALTER TABLE contests ADD COLUMN email_from TEXT;
ALTER TABLE contests ADD COLUMN email_from_name TEXT;
ALTER TABLE contests ADD COLUMN email_reply_to TEXT;
ALTER TABLE contests ADD COLUMN email_locale TEXT NOT NULL DEFAULT 'en'
  CHECK (email_locale IN ('en', 'fr', 'de', 'es'));
-- The language a participant signed up in (their signup's `locale`), NULL: the
-- contest's default.
ALTER TABLE entries ADD COLUMN locale TEXT CHECK (locale IS NULL OR locale IN ('en', 'fr', 'de', 'es'));

-- A contest's own version of a message: whether it is on, and its templates
-- (NULL: the shipped text of the recipient's language). Absent: the defaults.
CREATE TABLE email_templates (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  kind        TEXT NOT NULL CHECK (kind IN
                ('welcome', 'confirm', 'referral.confirmed', 'prize.earned', 'contest.results', 'portal')),
  enabled     INTEGER CHECK (enabled IS NULL OR enabled IN (0, 1)),
  subject     TEXT,
  body_text   TEXT,
  body_html   TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (contest_id, kind)
) WITHOUT ROWID;

-- Every message a contest decided to send, once per cause (dedupe_key: the
-- event, entry or request it answers), with what became of it. Rendered when
-- sent, from the data then.
CREATE TABLE emails (
  id           TEXT PRIMARY KEY,
  contest_id   TEXT NOT NULL REFERENCES contests(id),
  entry_id     TEXT REFERENCES entries(id),
  kind         TEXT NOT NULL CHECK (kind IN
                 ('welcome', 'confirm', 'referral.confirmed', 'prize.earned', 'contest.results', 'portal', 'test')),
  -- normalized address (the entry's, or the owner's for a test send)
  to_address   TEXT NOT NULL,
  -- what the message is about (a prize award id, a ledger row id...), if anything
  ref_id       TEXT,
  dedupe_key   TEXT NOT NULL,
  -- queued: waiting for the queue; sent; failed: every attempt failed;
  -- suppressed / capped / erased: decided not to send (unsubscribed, the daily
  -- cap, an erased participant)
  status       TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed', 'suppressed', 'capped', 'erased')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_error   TEXT,
  message_id   TEXT,
  -- the UTC day it counts against the address's cap (YYYY-MM-DD)
  day          TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  sent_at      TEXT,
  UNIQUE (contest_id, dedupe_key)
);
-- The cap: messages to an address on a day, per contest.
CREATE INDEX emails_by_address_day ON emails(contest_id, to_address, day);
-- The owner's list, newest first, and the failed ones.
CREATE INDEX emails_by_contest ON emails(contest_id, created_at, id);
CREATE INDEX emails_by_status ON emails(contest_id, status, created_at, id);
-- The cron's question: queued messages whose queue message was lost.
CREATE INDEX emails_queued ON emails(created_at) WHERE status = 'queued';

-- Addresses that unsubscribed from a contest's optional messages (the one-click
-- link or the owner); `portal` and `confirm` still go (asked for by the person).
CREATE TABLE email_suppressions (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  address     TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('unsubscribe', 'owner')),
  created_at  TEXT NOT NULL,
  PRIMARY KEY (contest_id, address)
) WITHOUT ROWID;
