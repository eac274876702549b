-- Demo data for the local stack: one account, one contest, one advocate whose
-- referral code the demo page's links carry. Idempotent (INSERT OR IGNORE).
INSERT OR IGNORE INTO accounts (id, name, created_at)
VALUES ('acct_demo', 'Demo Shop', '2026-01-01T00:00:00.000Z');

INSERT OR IGNORE INTO contests (id, account_id, name, status, created_at)
VALUES ('ct_demo', 'acct_demo', 'Demo launch contest', 'active', '2026-01-01T00:00:00.000Z');

INSERT OR IGNORE INTO entries (id, contest_id, email, email_display, name, referral_code, created_at)
VALUES ('en_demo_ada', 'ct_demo', 'ada@example.com', 'ada@example.com', 'Ada Advocate', 'ADA2026', '2026-01-01T00:00:00.000Z');
