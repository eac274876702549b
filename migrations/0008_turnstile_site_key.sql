-- The public half of a contest's Turnstile pair: the participant widget's join
-- form renders the check with it (the secret stays write-only).
ALTER TABLE contests ADD COLUMN turnstile_site_key TEXT;
