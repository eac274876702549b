-- Indexes for two statements that scanned their table: a guarded award's
-- `EXISTS (SELECT 1 FROM purchases WHERE verify_token = ?)` (only verified
-- purchases carry a token) and the cron's 30-day clean-up of fanned-out
-- webhook events by `created_at` (the waiting index covers the others).
CREATE INDEX purchases_by_verify_token ON purchases(verify_token) WHERE verify_token IS NOT NULL;
CREATE INDEX webhook_events_fanned_out ON webhook_events(created_at) WHERE fanned_out_at IS NOT NULL;
