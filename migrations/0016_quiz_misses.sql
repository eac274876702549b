-- Wrong quiz answers (issue 22): at most 5 an hour per entry and action. One
-- row per wrong answer, written only while fewer than 5 are in the last hour
-- (a conditional insert), and a completion is written only under the same
-- condition, so parallel guesses get no more tries than sequential ones.
-- Rows older than the hour are deleted by the next wrong answer's batch.
CREATE TABLE quiz_misses (
  entry_id        TEXT NOT NULL REFERENCES entries(id),
  bonus_action_id TEXT NOT NULL REFERENCES bonus_actions(id),
  at              TEXT NOT NULL
);
CREATE INDEX quiz_misses_by_entry_action ON quiz_misses(entry_id, bonus_action_id, at);
