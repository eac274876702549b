-- The owner's review queue of bonus completions: a completion carries its
-- contest, so a contest's pending ones are one indexed range, oldest first.
ALTER TABLE bonus_completions ADD COLUMN contest_id TEXT REFERENCES contests(id);
UPDATE bonus_completions
   SET contest_id = (SELECT a.contest_id FROM bonus_actions a WHERE a.id = bonus_completions.bonus_action_id);
CREATE INDEX bonus_completions_by_contest ON bonus_completions(contest_id, status, created_at, id);
