-- Prize awards kept by triggers (issue 24), so every path that moves an
-- entry's confirmed totals (tracker, v1, webhooks, Stripe, reviews, the holds
-- sweep, refunds, adjustments, disqualification) earns and voids milestones in
-- its own batch, and every award insert (milestones here, rank prizes from the
-- finalize) takes its code, its credit and its event the same way.
--
-- The batch's time is the entry's `updated_at` (every recompute sets it), the
-- award's `earned_at` / `voided_at` / `fulfilled_at` after that.

-- A milestone is earned once per entry and prize (NOT EXISTS here, UNIQUE as
-- the backstop), while the prize has fewer non-void awards than its quantity
-- (counted inside the INSERT: D1 runs batches one at a time, so 20 parallel
-- crossings of a quantity-5 prize earn 5). A void award is final: the entry
-- does not earn that prize again.
CREATE TRIGGER entries_prize_milestones AFTER UPDATE OF total_points, confirmed_referrals, disqualified ON entries
WHEN NEW.disqualified = 0 AND NEW.erased_at IS NULL
BEGIN
  INSERT INTO prize_awards (id, prize_id, contest_id, entry_id, status, earned_at)
  SELECT 'pa_' || lower(hex(randomblob(8))), p.id, p.contest_id, NEW.id, 'earned', NEW.updated_at
    FROM prizes p
   WHERE p.contest_id = NEW.contest_id AND p.kind = 'milestone'
     AND (NEW.confirmed_referrals >= p.threshold_referrals OR NEW.total_points >= p.threshold_points)
     AND NOT EXISTS (SELECT 1 FROM prize_awards a WHERE a.prize_id = p.id AND a.entry_id = NEW.id)
     AND (p.quantity IS NULL
          OR (SELECT COUNT(*) FROM prize_awards a WHERE a.prize_id = p.id AND a.status != 'void') < p.quantity);
END;

-- A reversal that takes the entry below a milestone's threshold voids the
-- award not yet fulfilled and marks a fulfilled one for clawback.
-- Disqualification does both to every prize of the entry, rank ones included.
CREATE TRIGGER entries_prize_reversals AFTER UPDATE OF total_points, confirmed_referrals, disqualified ON entries
BEGIN
  UPDATE prize_awards SET status = 'void', voided_at = NEW.updated_at,
         void_reason = CASE WHEN NEW.disqualified = 1 THEN 'disqualified' ELSE 'below threshold' END
   WHERE entry_id = NEW.id AND status IN ('earned', 'waiting')
     AND prize_id IN (SELECT p.id FROM prizes p WHERE p.contest_id = NEW.contest_id
           AND (NEW.disqualified = 1
                OR NEW.confirmed_referrals < p.threshold_referrals OR NEW.total_points < p.threshold_points));
  UPDATE prize_awards SET clawback = 1
   WHERE entry_id = NEW.id AND status = 'fulfilled' AND clawback = 0
     AND prize_id IN (SELECT p.id FROM prizes p WHERE p.contest_id = NEW.contest_id
           AND (NEW.disqualified = 1
                OR NEW.confirmed_referrals < p.threshold_referrals OR NEW.total_points < p.threshold_points));
END;

-- Any new award (milestone or rank): a code prize takes the pool's oldest free
-- code (UNIQUE award_id: a code goes to one award) or waits for the next
-- upload; a credit prize adds to the entry's reward balance (the `rewards`
-- ledger Referral Rocket's balance and payouts read); `prize.earned` is
-- written when an enabled endpoint of the account listens for it.
CREATE TRIGGER prize_awards_earned AFTER INSERT ON prize_awards
BEGIN
  UPDATE prize_codes SET award_id = NEW.id, assigned_at = NEW.earned_at
   WHERE id = (SELECT c.id FROM prize_codes c WHERE c.prize_id = NEW.prize_id
                  AND c.award_id IS NULL AND c.burned_at IS NULL ORDER BY c.id LIMIT 1)
     AND NEW.status = 'earned'
     AND (SELECT fulfilment FROM prizes WHERE id = NEW.prize_id) = 'code';
  UPDATE prize_awards SET status = 'waiting'
   WHERE id = NEW.id AND status = 'earned'
     AND (SELECT fulfilment FROM prizes WHERE id = NEW.prize_id) = 'code'
     AND NOT EXISTS (SELECT 1 FROM prize_codes WHERE award_id = NEW.id);
  INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
  SELECT NEW.entry_id, NEW.contest_id, 'referral', 'earned', p.credit_amount, 'prize:' || NEW.id, p.name, NEW.earned_at
    FROM prizes p WHERE p.id = NEW.prize_id AND p.fulfilment = 'credit' AND NEW.status != 'void';
  INSERT INTO webhook_events (id, account_id, type, subject_id, created_at)
  SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, 'prize.earned', NEW.id, NEW.earned_at
    FROM contests c WHERE c.id = NEW.contest_id
     AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = c.account_id AND w.enabled = 1
                   AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'prize.earned'));
END;

-- A void award gives its code back to the pool (unless the void burned it
-- first), takes its credit back with a compensating row, and is told.
CREATE TRIGGER prize_awards_voided AFTER UPDATE OF status ON prize_awards
WHEN NEW.status = 'void' AND OLD.status != 'void'
BEGIN
  UPDATE prize_codes SET award_id = NULL, assigned_at = NULL WHERE award_id = NEW.id AND burned_at IS NULL;
  INSERT INTO rewards (entry_id, contest_id, side, kind, amount, ref_id, note, created_at)
  SELECT r.entry_id, r.contest_id, 'referral', 'redeemed', -r.amount, 'prize-void:' || NEW.id, 'prize voided', NEW.voided_at
    FROM rewards r
   WHERE r.entry_id = NEW.entry_id AND r.side = 'referral' AND r.kind = 'earned' AND r.ref_id = 'prize:' || NEW.id
     AND NOT EXISTS (SELECT 1 FROM rewards v WHERE v.entry_id = NEW.entry_id AND v.side = 'referral'
                       AND v.kind = 'redeemed' AND v.ref_id = 'prize-void:' || NEW.id);
  INSERT INTO webhook_events (id, account_id, type, subject_id, created_at)
  SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, 'prize.voided', NEW.id, NEW.voided_at
    FROM contests c WHERE c.id = NEW.contest_id
     AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = c.account_id AND w.enabled = 1
                   AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'prize.voided'));
END;

CREATE TRIGGER prize_awards_fulfilled AFTER UPDATE OF status ON prize_awards
WHEN NEW.status = 'fulfilled' AND OLD.status != 'fulfilled'
BEGIN
  INSERT INTO webhook_events (id, account_id, type, subject_id, created_at)
  SELECT 'evt_' || lower(hex(randomblob(8))), c.account_id, 'prize.fulfilled', NEW.id, NEW.fulfilled_at
    FROM contests c WHERE c.id = NEW.contest_id
     AND EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = c.account_id AND w.enabled = 1
                   AND EXISTS (SELECT 1 FROM json_each(w.events) WHERE value = 'prize.fulfilled'));
END;

-- A free code (uploaded, or given back by a void) serves the prize's oldest
-- waiting award at once.
CREATE TRIGGER prize_codes_uploaded AFTER INSERT ON prize_codes
WHEN NEW.award_id IS NULL AND NEW.burned_at IS NULL
BEGIN
  UPDATE prize_codes SET assigned_at = NEW.created_at,
         award_id = (SELECT a.id FROM prize_awards a WHERE a.prize_id = NEW.prize_id AND a.status = 'waiting'
                      ORDER BY a.earned_at, a.id LIMIT 1)
   WHERE id = NEW.id
     AND EXISTS (SELECT 1 FROM prize_awards a WHERE a.prize_id = NEW.prize_id AND a.status = 'waiting');
  UPDATE prize_awards SET status = 'earned'
   WHERE status = 'waiting' AND id = (SELECT award_id FROM prize_codes WHERE id = NEW.id);
END;

CREATE TRIGGER prize_codes_freed AFTER UPDATE OF award_id ON prize_codes
WHEN NEW.award_id IS NULL AND OLD.award_id IS NOT NULL AND NEW.burned_at IS NULL
BEGIN
  UPDATE prize_codes SET
         assigned_at = (SELECT voided_at FROM prize_awards WHERE id = OLD.award_id),
         award_id = (SELECT a.id FROM prize_awards a WHERE a.prize_id = NEW.prize_id AND a.status = 'waiting'
                      ORDER BY a.earned_at, a.id LIMIT 1)
   WHERE id = NEW.id
     AND EXISTS (SELECT 1 FROM prize_awards a WHERE a.prize_id = NEW.prize_id AND a.status = 'waiting');
  UPDATE prize_awards SET status = 'earned'
   WHERE status = 'waiting' AND id = (SELECT award_id FROM prize_codes WHERE id = NEW.id);
END;

-- The prize events a batch wrote are read back by the batch's time.
CREATE INDEX prize_awards_waiting ON prize_awards(prize_id, earned_at, id) WHERE status = 'waiting';
