-- How many entries a contest has, kept by a trigger in the same transaction
-- as each insert (entries are never deleted: erasure keeps a tombstone), so a
-- page of entries reads one row instead of counting a million.
ALTER TABLE contests ADD COLUMN entry_count INTEGER NOT NULL DEFAULT 0;
UPDATE contests SET entry_count = (SELECT COUNT(*) FROM entries WHERE entries.contest_id = contests.id);
CREATE TRIGGER entries_counted AFTER INSERT ON entries
BEGIN
  UPDATE contests SET entry_count = entry_count + 1 WHERE id = NEW.contest_id;
END;
