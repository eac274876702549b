-- Abuse limits and privacy: less personal data, participant tokens, erasure.

-- validate-code masks the advocate's email unless the owner restores the seed's
-- full email; a Turnstile secret (write-only) makes track-signup check for a bot.
ALTER TABLE contests ADD COLUMN expose_referrer_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN turnstile_secret TEXT;

-- Signs participant tokens; rotating it revokes every token of the account.
ALTER TABLE accounts ADD COLUMN token_secret TEXT;
UPDATE accounts SET token_secret = lower(hex(randomblob(32))) WHERE token_secret IS NULL;

-- A visit is counted once per (contest, advocate, client address, day); the
-- address only as an HMAC with the deployment's IP_HASH_KEY.
ALTER TABLE visits ADD COLUMN ip_hash TEXT;
ALTER TABLE visits ADD COLUMN day TEXT;
CREATE UNIQUE INDEX visits_once_a_day ON visits(contest_id, entry_id, ip_hash, day);

-- Erasure (GDPR): the person's data is replaced by a tombstone; the row stays
-- so the ledger and the other entries' totals stay right.
ALTER TABLE entries ADD COLUMN erased_at TEXT;
