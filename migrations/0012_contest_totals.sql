-- A contest's stats as counters, kept by triggers in the same transaction as
-- every row they count (as 0010 keeps entry_count), so the stats read two small
-- rows however big the contest is. Rows are counted as the old aggregates did:
-- every visit; every entry, referred or not, with its confirmed and pending
-- points; every purchase at its amount and currency, whatever its status.
ALTER TABLE contests ADD COLUMN visit_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN referred_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN points_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contests ADD COLUMN pending_total INTEGER NOT NULL DEFAULT 0;

CREATE TABLE contest_revenue (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  currency    TEXT NOT NULL,
  purchases   INTEGER NOT NULL DEFAULT 0,
  amount      REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (contest_id, currency)
);

UPDATE contests SET
  visit_count = (SELECT COUNT(*) FROM visits v WHERE v.contest_id = contests.id),
  referred_count = (SELECT COUNT(referred_by_entry_id) FROM entries e WHERE e.contest_id = contests.id),
  points_total = (SELECT COALESCE(SUM(total_points), 0) FROM entries e WHERE e.contest_id = contests.id),
  pending_total = (SELECT COALESCE(SUM(pending_points), 0) FROM entries e WHERE e.contest_id = contests.id);
INSERT INTO contest_revenue (contest_id, currency, purchases, amount)
  SELECT contest_id, currency, COUNT(*), SUM(amount) FROM purchases GROUP BY contest_id, currency;

CREATE TRIGGER visits_counted AFTER INSERT ON visits
BEGIN
  UPDATE contests SET visit_count = visit_count + 1 WHERE id = NEW.contest_id;
END;

CREATE TRIGGER entries_totals_insert AFTER INSERT ON entries
BEGIN
  UPDATE contests SET
    referred_count = referred_count + (NEW.referred_by_entry_id IS NOT NULL),
    points_total = points_total + NEW.total_points,
    pending_total = pending_total + NEW.pending_points
  WHERE id = NEW.contest_id;
END;

CREATE TRIGGER entries_totals_update AFTER UPDATE OF referred_by_entry_id, total_points, pending_points ON entries
BEGIN
  UPDATE contests SET
    referred_count = referred_count + (NEW.referred_by_entry_id IS NOT NULL) - (OLD.referred_by_entry_id IS NOT NULL),
    points_total = points_total + NEW.total_points - OLD.total_points,
    pending_total = pending_total + NEW.pending_points - OLD.pending_points
  WHERE id = NEW.contest_id;
END;

CREATE TRIGGER purchases_revenue_insert AFTER INSERT ON purchases
BEGIN
  INSERT INTO contest_revenue (contest_id, currency, purchases, amount) VALUES (NEW.contest_id, NEW.currency, 1, NEW.amount)
    ON CONFLICT (contest_id, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER purchases_revenue_update AFTER UPDATE OF amount, currency ON purchases
BEGIN
  UPDATE contest_revenue SET purchases = purchases - 1, amount = amount - OLD.amount
    WHERE contest_id = OLD.contest_id AND currency = OLD.currency;
  INSERT INTO contest_revenue (contest_id, currency, purchases, amount) VALUES (NEW.contest_id, NEW.currency, 1, NEW.amount)
    ON CONFLICT (contest_id, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;
