-- Covering indexes for the contest's stats and timeseries, measured by
-- `npm run bench:scale` at 1M entries (BENCH_SCALE_WHATIF=1, SQL time):
-- revenue 325 -> 11 ms, signups by day 368 -> 61 ms, points by day 491 -> 72 ms,
-- entry totals 300 -> 135 ms. Each still reads every row it aggregates (see
-- docs/SCALING.md for the counters that would make them flat).
CREATE INDEX purchases_revenue ON purchases(contest_id, currency, amount);
CREATE INDEX entries_by_day ON entries(contest_id, created_at, referred_by_entry_id);
CREATE INDEX ledger_points_by_day ON ledger(contest_id, status, created_at, delta);
CREATE INDEX entries_totals ON entries(contest_id, referred_by_entry_id, total_points, pending_points);
