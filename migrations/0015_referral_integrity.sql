-- Issue 22 (items 4 and 8).
--
-- Why a browser-made referral link earns no purchase credit yet: the hold of
-- its referral award (fraud, velocity or review) while that award waits. NULL
-- when the link counts (made by a trusted source, or its award confirmed).
-- Confirming the award clears it; rejecting it removes the link.
ALTER TABLE entries ADD COLUMN referral_hold TEXT CHECK (referral_hold IN ('fraud', 'velocity', 'review'));
-- The version `join`'s participant tokens are signed with: a trusted take-over
-- of the entry moves it on, so the token handed to whoever typed the email
-- stops working (the owner's minted tokens are not versioned).
ALTER TABLE entries ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
-- Which counts a tracker signup's write batch found (`domain::trust::Counted`:
-- 2 for the address's burst plus 1 for the advocate past maxReferralsPerHour);
-- NULL for a signup that is not screened. Its awards' holds follow from it.
ALTER TABLE entries ADD COLUMN screen_counts INTEGER;
