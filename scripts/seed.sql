-- Demo data for the local stack: one account, one contest, one advocate whose
-- referral code the demo page's links carry. Idempotent (INSERT OR IGNORE).
-- A template: a NAME in double braces is the value of NAME in scripts/demo.env,
-- quoted for SQL by scripts/demo.mjs, which also derives each key's stored form
-- (DEMO_PUBLIC_KEY_HASH, DEMO_PUBLIC_KEY_PREFIX, the same for the private key);
-- prepare_local_db (scripts/lib.sh) applies the result.
INSERT OR IGNORE INTO accounts (id, name, created_at, token_secret)
VALUES ('acct_demo', 'Demo Shop', '2026-01-01T00:00:00.000Z', '{{DEMO_TOKEN_SECRET}}');
-- Set again on every start (an older local database had a random one): the
-- demo page's widget token is minted from it (scripts/demo.mjs token).
UPDATE accounts SET token_secret = '{{DEMO_TOKEN_SECRET}}' WHERE id = 'acct_demo';

INSERT OR IGNORE INTO contests (id, account_id, name, status, created_at)
VALUES ('{{DEMO_CONTEST_ID}}', 'acct_demo', 'Demo launch contest', 'active', '2026-01-01T00:00:00.000Z');

INSERT OR IGNORE INTO entries (id, contest_id, email, email_display, name, referral_code, created_at)
VALUES ('{{DEMO_ADVOCATE_ID}}', '{{DEMO_CONTEST_ID}}', '{{DEMO_ADVOCATE_EMAIL}}', '{{DEMO_ADVOCATE_EMAIL}}', '{{DEMO_ADVOCATE_NAME}}', '{{DEMO_REFERRAL_CODE}}', '2026-01-01T00:00:00.000Z');

-- Demo API keys (local only: the seed is never applied remotely). Stored as
-- their SHA-256 like every key; the keys themselves are printed by npm start.
INSERT OR IGNORE INTO api_keys (id, account_id, kind, key_hash, key_prefix, created_at) VALUES
  ('key_demo_public', 'acct_demo', 'public',
   '{{DEMO_PUBLIC_KEY_HASH}}', '{{DEMO_PUBLIC_KEY_PREFIX}}', '2026-01-01T00:00:00.000Z'),
  ('key_demo_private', 'acct_demo', 'private',
   '{{DEMO_PRIVATE_KEY_HASH}}', '{{DEMO_PRIVATE_KEY_PREFIX}}', '2026-01-01T00:00:00.000Z');

UPDATE contests SET webhook_secret = '{{DEMO_WEBHOOK_SECRET}}' WHERE id = '{{DEMO_CONTEST_ID}}' AND webhook_secret IS NULL;

INSERT OR IGNORE INTO bonus_actions (id, contest_id, action, description, icon, icon_color, points, confirmation_type, destination_url, sort_order, created_at) VALUES
  ('ba_demo_follow', '{{DEMO_CONTEST_ID}}', 'follow_twitter', 'Follow us on Twitter', 'twitter', '#1DA1F2', 10, 'auto', 'https://twitter.com/example', 1, '2026-01-01T00:00:00.000Z'),
  ('ba_demo_visit', '{{DEMO_CONTEST_ID}}', 'visit_website', 'Visit our product page', 'link', '#6366F1', 5, 'click', 'https://example.com/product', 2, '2026-01-01T00:00:00.000Z');
