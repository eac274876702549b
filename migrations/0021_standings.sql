-- The end of a contest (issue 24): when it ended, the contest.ended event
-- written once, the final standings frozen in pages, and the setting that
-- lets the cron finalize.

-- When the contest ended: POST /end's time, or its endsAt once passed (or,
-- for a status set to ended by PATCH, when the cron first saw it).
ALTER TABLE contests ADD COLUMN ended_at TEXT;
-- When contest.ended was written (once per contest: the statement that sets
-- it from NULL writes the event).
ALTER TABLE contests ADD COLUMN ended_event_at TEXT;
-- When finalizing started (standings are written in pages from then until
-- finalized_at, 0019, is set).
ALTER TABLE contests ADD COLUMN finalize_started_at TEXT;
-- When a run last wrote its standings: a finalizing contest untouched for a
-- while has stalled (its queue message lost), and the cron goes on with it.
ALTER TABLE contests ADD COLUMN finalize_touched_at TEXT;
-- The contest setting autoFinalizeAfterHours (contest_settings.rs): the cron
-- finalizes that many hours after the end, leaving pending awards out.
ALTER TABLE contests ADD COLUMN auto_finalize_after_hours INTEGER
  CHECK (auto_finalize_after_hours IS NULL OR auto_finalize_after_hours BETWEEN 0 AND 8760);

-- The cron's questions: contests whose end it has not yet noticed, those to
-- finalize by their setting, and finalizing ones that stalled.
CREATE INDEX contests_end_unnoticed_status ON contests(status) WHERE ended_event_at IS NULL;
CREATE INDEX contests_end_unnoticed_date ON contests(ends_at) WHERE ended_event_at IS NULL;
CREATE INDEX contests_auto_finalize ON contests(ended_at)
  WHERE finalized_at IS NULL AND auto_finalize_after_hours IS NOT NULL;
CREATE INDEX contests_finalizing ON contests(finalize_touched_at)
  WHERE finalize_started_at IS NOT NULL AND finalized_at IS NULL;

-- The final standings: dense ranks 1..n of the ranked entries (neither
-- disqualified nor erased when their page was written), with the values
-- they were ranked by.
CREATE TABLE standings (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  rank        INTEGER NOT NULL CHECK (rank > 0),
  entry_id    TEXT NOT NULL REFERENCES entries(id),
  points      INTEGER NOT NULL,
  -- COALESCE(points_reached_at, created_at): when it reached its final total
  reached_at  TEXT NOT NULL,
  joined_at   TEXT NOT NULL,
  PRIMARY KEY (contest_id, rank),
  UNIQUE (contest_id, entry_id)
) WITHOUT ROWID;

-- The ranking order, walked in keyset pages by finalize: more points, then
-- earlier reachedAt, then earlier join, then the id. Only ranked entries.
CREATE INDEX entries_final_rank ON entries(
  contest_id, total_points DESC, COALESCE(points_reached_at, created_at), created_at, id)
  WHERE disqualified = 0 AND erased_at IS NULL;
