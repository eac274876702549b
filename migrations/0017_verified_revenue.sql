-- Revenue counts verified purchases only (issue 22, item 9). 0012 and 0013
-- counted every purchase whatever its status, so one anonymous track-purchase
-- put any amount in the public stats. A purchase counts as revenue once a
-- trusted source verified it (`verified_at` set: the v1 API, the purchase
-- webhook, Stripe, or a browser's claim verified by one of them), from then on
-- and at the verified figures. Refunds change nothing here, as before: revenue
-- stays gross, so a verified purchase refunded later still counts (its status
-- `refunded`). A claim never verified (`unverified`, or refunded before any
-- trusted report) is counted apart in `unverified_*`, which only the owner's
-- stats show. The per-day counters keep verified purchases only.
ALTER TABLE contest_revenue ADD COLUMN unverified_purchases INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contest_revenue ADD COLUMN unverified_amount REAL NOT NULL DEFAULT 0;

DROP TRIGGER IF EXISTS purchases_revenue_insert;
DROP TRIGGER IF EXISTS purchases_revenue_update;
DROP TRIGGER IF EXISTS purchases_by_day_insert;
DROP TRIGGER IF EXISTS purchases_by_day_update;

-- The counters again, from the rows.
DELETE FROM contest_revenue;
INSERT INTO contest_revenue (contest_id, currency, purchases, amount, unverified_purchases, unverified_amount)
  SELECT contest_id, currency,
    SUM(verified_at IS NOT NULL), TOTAL(CASE WHEN verified_at IS NOT NULL THEN amount END),
    SUM(verified_at IS NULL), TOTAL(CASE WHEN verified_at IS NULL THEN amount END)
  FROM purchases GROUP BY contest_id, currency;
DELETE FROM contest_day_revenue;
INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
  SELECT contest_id, substr(created_at, 1, 10), currency, COUNT(*), SUM(amount)
  FROM purchases WHERE verified_at IS NOT NULL GROUP BY 1, 2, 3;

CREATE TRIGGER purchases_revenue_insert AFTER INSERT ON purchases
BEGIN
  INSERT INTO contest_revenue (contest_id, currency, purchases, amount, unverified_purchases, unverified_amount)
    VALUES (NEW.contest_id, NEW.currency,
      NEW.verified_at IS NOT NULL, CASE WHEN NEW.verified_at IS NOT NULL THEN NEW.amount ELSE 0 END,
      NEW.verified_at IS NULL, CASE WHEN NEW.verified_at IS NULL THEN NEW.amount ELSE 0 END)
    ON CONFLICT (contest_id, currency) DO UPDATE SET
      purchases = purchases + excluded.purchases, amount = amount + excluded.amount,
      unverified_purchases = unverified_purchases + excluded.unverified_purchases,
      unverified_amount = unverified_amount + excluded.unverified_amount;
END;

-- A verification (`verified_at` set, perhaps with other figures) moves the
-- purchase from the unverified counts to the verified ones.
CREATE TRIGGER purchases_revenue_update AFTER UPDATE OF contest_id, amount, currency, verified_at ON purchases
BEGIN
  UPDATE contest_revenue SET
    purchases = purchases - (OLD.verified_at IS NOT NULL),
    amount = amount - CASE WHEN OLD.verified_at IS NOT NULL THEN OLD.amount ELSE 0 END,
    unverified_purchases = unverified_purchases - (OLD.verified_at IS NULL),
    unverified_amount = unverified_amount - CASE WHEN OLD.verified_at IS NULL THEN OLD.amount ELSE 0 END
    WHERE contest_id = OLD.contest_id AND currency = OLD.currency;
  INSERT INTO contest_revenue (contest_id, currency, purchases, amount, unverified_purchases, unverified_amount)
    VALUES (NEW.contest_id, NEW.currency,
      NEW.verified_at IS NOT NULL, CASE WHEN NEW.verified_at IS NOT NULL THEN NEW.amount ELSE 0 END,
      NEW.verified_at IS NULL, CASE WHEN NEW.verified_at IS NULL THEN NEW.amount ELSE 0 END)
    ON CONFLICT (contest_id, currency) DO UPDATE SET
      purchases = purchases + excluded.purchases, amount = amount + excluded.amount,
      unverified_purchases = unverified_purchases + excluded.unverified_purchases,
      unverified_amount = unverified_amount + excluded.unverified_amount;
END;

CREATE TRIGGER purchases_by_day_insert AFTER INSERT ON purchases WHEN NEW.verified_at IS NOT NULL
BEGIN
  INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
    VALUES (NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.currency, 1, NEW.amount)
    ON CONFLICT (contest_id, day, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;

CREATE TRIGGER purchases_by_day_update AFTER UPDATE OF contest_id, created_at, currency, amount, verified_at ON purchases
  WHEN OLD.verified_at IS NOT NULL OR NEW.verified_at IS NOT NULL
BEGIN
  UPDATE contest_day_revenue SET purchases = purchases - 1, amount = amount - OLD.amount
    WHERE OLD.verified_at IS NOT NULL
      AND contest_id = OLD.contest_id AND day = substr(OLD.created_at, 1, 10) AND currency = OLD.currency;
  INSERT INTO contest_day_revenue (contest_id, day, currency, purchases, amount)
    SELECT NEW.contest_id, substr(NEW.created_at, 1, 10), NEW.currency, 1, NEW.amount WHERE NEW.verified_at IS NOT NULL
    ON CONFLICT (contest_id, day, currency) DO UPDATE SET purchases = purchases + 1, amount = amount + excluded.amount;
END;
