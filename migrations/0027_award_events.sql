-- The award events as triggers on the ledger (issue 27), so no path that
-- writes or moves an award can forget its event.
--
-- `award.created` for every new ledger row, written by the insert itself:
-- tracker, v1, webhooks, Stripe (a trusted purchase's award is written by
-- `VERIFIED_PURCHASE_AWARD`, which wrote no event before), bonus actions,
-- adjustments, refund reversals, and any path written later. An insert that does nothing (`ON CONFLICT DO
-- NOTHING`, a false guard) fires nothing; an upsert that updates an existing
-- row (a verified claim's award replaced) is no new row and fires nothing.
--
-- Written, as every event, only when someone wants it: an enabled endpoint of
-- the account listens for `award.created`, or the award's contest sends the
-- `referral.confirmed` email (`engine::emails::message_for` sends it from this
-- event), as `db::outbox::listened_to` decides for the other events (`COUNT(*)`
-- over `json_each`, not `EXISTS`, which would be planned as a scan; the plan is
-- checked by schema.spec, `db::query_plans`). The event's time is the row's
-- `created_at`, the batch's time, by which `db::outbox::triggered_events` reads
-- it back for the batch to send. A later migration that rebuilds `ledger` (as
-- 0025 did) drops its triggers with it: it must create these two again
-- (test/api/award-events.spec.ts fails otherwise).
CREATE TRIGGER ledger_award_created AFTER INSERT ON ledger
BEGIN
  INSERT INTO webhook_events (id, account_id, type, subject_id, created_at)
  SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, 'award.created', CAST(NEW.id AS TEXT), NEW.created_at
    FROM contests c WHERE c.id = NEW.contest_id
     AND (EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = c.account_id AND w.enabled = 1
                    AND (SELECT COUNT(*) FROM json_each(w.events) WHERE value = 'award.created') > 0)
          OR EXISTS (SELECT 1 FROM email_templates et WHERE et.contest_id = NEW.contest_id
                       AND et.kind = 'referral.confirmed' AND et.enabled = 1));
END;

-- `award.confirmed` and `award.rejected` for every move of a row to that
-- status, the same way: the owner's review, the holdDays sweep, an email
-- confirmation or its expiry (which wrote their event themselves before), and
-- the moves that wrote none: a trusted report verifying a browser's claim
-- (its award replaced, confirmed or, all refunded, rejected) or crediting
-- another entry (the claim's award rejected), a trusted signup naming another
-- advocate (the browser's referral awards rejected), a friend's verified
-- purchase (`onPurchase`), a refund taking a pending award to nothing. Every
-- such UPDATE sets `reviewed_at` to the batch's time, the event's time. A row
-- moved back to pending (`email_unconfirmed`) is no settlement.
CREATE TRIGGER ledger_award_settled AFTER UPDATE OF status ON ledger
WHEN NEW.status != OLD.status AND NEW.status IN ('confirmed', 'rejected')
BEGIN
  INSERT INTO webhook_events (id, account_id, type, subject_id, created_at)
  SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, 'award.' || NEW.status, CAST(NEW.id AS TEXT), NEW.reviewed_at
    FROM contests c WHERE c.id = NEW.contest_id
     AND (EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = c.account_id AND w.enabled = 1
                    AND (SELECT COUNT(*) FROM json_each(w.events) WHERE value = 'award.' || NEW.status) > 0)
          OR (NEW.status = 'confirmed' AND EXISTS (SELECT 1 FROM email_templates et WHERE et.contest_id = NEW.contest_id
                       AND et.kind = 'referral.confirmed' AND et.enabled = 1)));
END;
