-- Every plan gets its calendar-feed secret when it is created (256 bits
-- written as 64 hex digits; gen_random_uuid draws from the server's strong
-- random source, 122 bits per UUID), so showing the calendar never has to
-- write on a GET.
ALTER TABLE training_plans
    ALTER COLUMN ics_token
    SET DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
UPDATE training_plans SET ics_token = DEFAULT WHERE ics_token IS NULL;
