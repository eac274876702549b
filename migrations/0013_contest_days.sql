-- A contest's timeseries as per-day counters, kept by triggers in the same
-- transaction as every row they count (as 0012 keeps the stats), so a 30-day
-- series reads at most 30 rows (and their currencies) however big the contest
-- is. Days are UTC (`substr(created_at, 1, 10)`), counted as the aggregates of
-- 0011 counted them: every visit, every entry and referred entry, every
-- purchase at its amount and currency, confirmed ledger points by the day their
-- row was written. A row moved to another day (its created_at changed) or
-- another status moves its counts.
CREATE TABLE contest_days (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  day         TEXT NOT NULL,
  visits      INTEGER NOT NULL DEFAULT 0,
  signups     INTEGER NOT NULL DEFAULT 0,
  referred    INTEGER NOT NULL DEFAULT 0,
  points      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (contest_id, day)
) WITHOUT ROWID;

CREATE TABLE contest_day_revenue (
  contest_id  TEXT NOT NULL REFERENCES contests(id),
  day         TEXT NOT NULL,
  currency    TEXT NOT NULL,
  purchases   INTEGER NOT NULL DEFAULT 0,
  amount      REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (contest_id, day, currency)
) WITHOUT ROWID;

INSERT INTO contest_days (contest_id, day, visits)
  SELECT contest_id, substr(created_at, 1, 10), COUNT(*) FROM visits WHERE 1 GROUP BY 1, 2
  ON CONFLICT (contest_id, day) DO UPDATE SET visits = visits + excluded.visits;
INSERT INTO contest_days (contest_id, day, signups, referred)
  SELECT contest_id, substr(created_at, 1, 10), COUNT(*), COUNT(referred_by_entry_id) FROM entries WHERE 1 GROUP BY 1, 2
  ON CONFLICT (contest_id, day) DO UPDATE SET signups = signups + excluded.signups, referred = referred + excluded.referred;
INSERT INTO contest_days (contest_id, day, points)
  SELECT contest_id, substr(created_at, 1, 10), SUM(delta) FROM ledger WHERE status = 'confirmed' GROUP BY 1, 2
  ON CONFLICT (contest_id, day) DO UPDATE SET points = points + excluded.points;
INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
  SELECT contest_id, substr(created_at, 1, 10), currency, COUNT(*), SUM(amount) FROM purchases WHERE 1 GROUP BY 1, 2, 3
  ON CONFLICT (contest_id, day, currency) DO UPDATE SET purchases = purchases + excluded.purchases, amount = amount + excluded.amount;

CREATE TRIGGER visits_by_day_insert AFTER INSERT ON visits
BEGIN
  INSERT INTO contest_days (contest_id, day, visits) VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), 1)
    ON CONFLICT (contest_id, day) DO UPDATE SET visits = visits + 1;
END;

CREATE TRIGGER visits_by_day_move AFTER UPDATE OF contest_id, created_at ON visits
BEGIN
  UPDATE contest_days SET visits = visits - 1 WHERE contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10);
  INSERT INTO contest_days (contest_id, day, visits) VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), 1)
    ON CONFLICT (contest_id, day) DO UPDATE SET visits = visits + 1;
END;

CREATE TRIGGER entries_by_day_insert AFTER INSERT ON entries
BEGIN
  INSERT INTO contest_days (contest_id, day, signups, referred)
    VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), 1, NEW.referred_by_entry_id IS NOT NULL)
    ON CONFLICT (contest_id, day) DO UPDATE SET signups = signups + 1, referred = referred + excluded.referred;
END;

CREATE TRIGGER entries_by_day_update AFTER UPDATE OF contest_id, created_at, referred_by_entry_id ON entries
BEGIN
  UPDATE contest_days SET signups = signups - 1, referred = referred - (OLD.referred_by_entry_id IS NOT NULL)
    WHERE contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10);
  INSERT INTO contest_days (contest_id, day, signups, referred)
    VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), 1, NEW.referred_by_entry_id IS NOT NULL)
    ON CONFLICT (contest_id, day) DO UPDATE SET signups = signups + 1, referred = referred + excluded.referred;
END;

CREATE TRIGGER ledger_by_day_insert AFTER INSERT ON ledger WHEN NEW.status = 'confirmed'
BEGIN
  INSERT INTO contest_days (contest_id, day, points) VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.delta)
    ON CONFLICT (contest_id, day) DO UPDATE SET points = points + excluded.points;
END;

CREATE TRIGGER ledger_by_day_update AFTER UPDATE OF contest_id, created_at, status, delta ON ledger
  WHEN OLD.status = 'confirmed' OR NEW.status = 'confirmed'
BEGIN
  UPDATE contest_days SET points = points - OLD.delta
    WHERE OLD.status = 'confirmed' AND contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10);
  INSERT INTO contest_days (contest_id, day, points)
    SELECT NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.delta WHERE NEW.status = 'confirmed'
    ON CONFLICT (contest_id, day) DO UPDATE SET points = points + excluded.points;
END;

CREATE TRIGGER purchases_by_day_insert AFTER INSERT ON purchases
BEGIN
  INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
    VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.currency, 1, NEW.amount)
    ON CONFLICT (contest_id, day, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER purchases_by_day_update AFTER UPDATE OF contest_id, created_at, currency, amount ON purchases
BEGIN
  UPDATE contest_day_revenue SET purchases = purchases - 1, amount = amount - OLD.amount
    WHERE contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10) AND currency = OLD.currency;
  INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
    VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.currency, 1, NEW.amount)
    ON CONFLICT (contest_id, day, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;
