-- Sign-in throttling that protects without locking owners out (issue 12,
-- items 4 and 5).  app/pages/login_throttle.c keeps three kinds of rows:
--
--   pair:<subject>|<addr>  one account from one client address: refuses
--                          that client after a few failures
--   acct:<subject>         one account from everywhere: slows every check
--                          of it during a distributed attack, refuses none
--   addr:<addr>            one client address, every account: refuses it
--
-- <subject> is the user id, or for an email no account has, 'e:' and the
-- SHA-256 of PostgreSQL's lower() of it (every spelling that reaches one
-- account shares its counters; no stranger's email is stored).  <addr> is
-- the client address, an IPv6 one cut to its /64.
--
-- failures counts attempts in the window that began with the first one
-- (an attempt is counted before its password is checked, and taken back
-- when it was right); last_failure is the latest.  Rows whose window has
-- passed mean nothing and are deleted by the next attempts.  user_id names
-- the account, so deleting it deletes its rows.

DELETE FROM login_throttle;		-- e-mail keyed rows mean nothing now

ALTER TABLE login_throttle
    ALTER COLUMN key TYPE TEXT,
    ADD COLUMN user_id UUID REFERENCES users (id) ON DELETE CASCADE,
    -- A row written without a window is already over.
    ADD COLUMN window_end TIMESTAMP NOT NULL DEFAULT NOW(),
    DROP COLUMN locked_until;

CREATE INDEX idx_login_throttle_window ON login_throttle (window_end);
CREATE INDEX idx_login_throttle_user ON login_throttle (user_id)
    WHERE user_id IS NOT NULL;

-- Sign-up answers alike whether or not an email is taken; a sign-up for a
-- taken one is noted here and told to the owner at their next sign-in.
ALTER TABLE users ADD COLUMN signup_attempted_at TIMESTAMP;
