-- The owner's first hour (issue 27): the getting-started checklist asks which
-- parts of a setup a contest has seen. Visits, referrals and Stripe leave rows;
-- the participant widget does not (its join is a signup like the tracker's),
-- so the first time it shows up (its join form's read, or a participant
-- token's read of the contest) is written here, once: the write is made only
-- while this is NULL.
ALTER TABLE contests ADD COLUMN widget_seen_at TEXT;
