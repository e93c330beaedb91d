-- The calendar feed's address is no longer stored.  Its token is now
-- derived: keyed BLAKE2b-256 (a subkey of CADENCE_SECRET_KEY) of the plan
-- id and a per-plan nonce that "new feed address" replaces
-- (app/core/secret.c), so a copy of the database alone opens no feed.
-- Addresses made before (two UUIDs: 244 random bits, stored in clear)
-- keep working for their calendar apps: only their SHA-256 is kept, until
-- the runner asks for a new address.
ALTER TABLE training_plans
    ADD COLUMN ics_nonce TEXT NOT NULL
        DEFAULT replace(gen_random_uuid()::text, '-', ''),
    ADD COLUMN ics_legacy_sha256 BYTEA;
UPDATE training_plans SET ics_legacy_sha256 = sha256(convert_to(ics_token, 'UTF8'))
 WHERE ics_token IS NOT NULL;
ALTER TABLE training_plans DROP COLUMN ics_token;
