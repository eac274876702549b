-- Payouts of reward balances (issue 24). A payout is a reference the owner
-- gives (their PayPal or Wise batch id) and one `rewards` row per entry and
-- side, kind 'redeemed', ref_id 'payout:<reference>'. This table makes the
-- reference once per contest: the batch inserts its row first and the
-- redemptions are written only if that insert was this batch's (its token),
-- so a retried reference writes nothing.
CREATE TABLE payouts (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  reference   TEXT NOT NULL,
  currency    TEXT NOT NULL,
  token       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (contest_id, reference)
);

-- The payouts export: balances of a contest's entries, summed in entry order
-- from the index alone.
CREATE INDEX rewards_by_contest_entry ON rewards(contest_id, entry_id, amount);
