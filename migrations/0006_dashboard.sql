-- The owner's dashboard: the entries list sorted by points, and per-day series.
-- Each query walks an index of its own contest, never the table.

-- Entries by confirmed points, most first, within a contest (participants page).
CREATE INDEX entries_by_points ON entries(contest_id, total_points DESC, created_at, id);

-- Ledger rows of a contest by time (points per day).
CREATE INDEX ledger_by_contest_time ON ledger(contest_id, created_at);
