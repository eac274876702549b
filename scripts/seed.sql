-- Demo data for the local stack: one account, one contest, one advocate whose
-- referral code the demo page's links carry. Idempotent (INSERT OR IGNORE).
INSERT OR IGNORE INTO accounts (id, name, created_at, token_secret)
VALUES ('acct_demo', 'Demo Shop', '2026-01-01T00:00:00.000Z', lower(hex(randomblob(32))));

INSERT OR IGNORE INTO contests (id, account_id, name, status, created_at)
VALUES ('ct_demo', 'acct_demo', 'Demo launch contest', 'active', '2026-01-01T00:00:00.000Z');

INSERT OR IGNORE INTO entries (id, contest_id, email, email_display, name, referral_code, created_at)
VALUES ('en_demo_ada', 'ct_demo', 'ada@example.com', 'ada@example.com', 'Ada Advocate', 'ADA2026', '2026-01-01T00:00:00.000Z');

-- Demo API keys (local only: the seed is never applied remotely). Stored as
-- their SHA-256 like every key; the keys themselves are printed by npm start.
INSERT OR IGNORE INTO api_keys (id, account_id, kind, key_hash, key_prefix, created_at) VALUES
  ('key_demo_public', 'acct_demo', 'public',
   '26d3f5988674444c788ca0beea48e6a8bbd38b8e2cc04f3c94412815658ca78c', 'rt_pk_demo', '2026-01-01T00:00:00.000Z'),
  ('key_demo_private', 'acct_demo', 'private',
   '0883850b5fb52a0510ab561fd7bc6009d4bf4ea98d0514aa5772cd88840a0709', 'rt_sk_demo', '2026-01-01T00:00:00.000Z');

UPDATE contests SET webhook_secret = 'whk_demo_local_secret' WHERE id = 'ct_demo' AND webhook_secret IS NULL;

INSERT OR IGNORE INTO bonus_actions (id, contest_id, action, description, icon, icon_color, points, confirmation_type, destination_url, sort_order, created_at) VALUES
  ('ba_demo_follow', 'ct_demo', 'follow_twitter', 'Follow us on Twitter', 'twitter', '#1DA1F2', 10, 'auto', 'https://twitter.com/example', 1, '2026-01-01T00:00:00.000Z'),
  ('ba_demo_visit', 'ct_demo', 'visit_website', 'Visit our product page', 'link', '#6366F1', 5, 'click', 'https://example.com/product', 2, '2026-01-01T00:00:00.000Z');
