-- Coaches and clubs (issue 18): seed 003's GoFastCompany in our naming.
-- Every runner belongs to one company (the seed's non-null companyId): a
-- club or coaching business they were invited to, or else their personal
-- company, made with the account and kept for when they leave a club.
-- Within their company a runner is its owner, a coach or an athlete; the
-- owner and coaches of a club see its athletes' training (app/db/access.c
-- decides, in one place).  Seed 003's run-crew tables are not taken.
-- Seed 000's tables only gain columns.

CREATE TABLE companies (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name       VARCHAR(255) NOT NULL CHECK (length(name) > 0),
    -- The club's address under /c/; personal companies get 'p-' and 32
    -- hex digits and have no pages.
    slug       VARCHAR(40) NOT NULL UNIQUE
               CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) >= 3),
    personal   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE TRIGGER companies_updated_at BEFORE UPDATE ON companies
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Existing runners get their personal company; the migration is not a
-- change of theirs, so updated_at and the page-cache versions stay.
ALTER TABLE users
    ADD COLUMN company_id          UUID REFERENCES companies (id),
    ADD COLUMN company_role        VARCHAR(10) NOT NULL DEFAULT 'owner'
        CHECK (company_role IN ('owner', 'coach', 'athlete')),
    ADD COLUMN personal_company_id UUID UNIQUE REFERENCES companies (id);
ALTER TABLE users DISABLE TRIGGER USER;
UPDATE users SET personal_company_id = gen_random_uuid();
INSERT INTO companies (id, name, slug, personal)
SELECT personal_company_id, COALESCE(NULLIF(name, ''), 'Personal'),
       'p-' || replace(personal_company_id::text, '-', ''), TRUE
  FROM users;
UPDATE users SET company_id = personal_company_id;
ALTER TABLE users ENABLE TRIGGER USER;
ALTER TABLE users
    ALTER COLUMN company_id SET NOT NULL,
    ALTER COLUMN personal_company_id SET NOT NULL;
-- The roster and the access checks: a company's members by role.
CREATE INDEX idx_users_company ON users (company_id, company_role);
-- One owner per company.
CREATE UNIQUE INDEX idx_users_company_owner ON users (company_id)
    WHERE company_role = 'owner';

-- A runner created without a company (any path: sign-up passes one made
-- in the same statement, so a taken email leaves none behind) gets their
-- personal company here.
CREATE FUNCTION users_personal_company() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.personal_company_id IS NULL THEN
        NEW.personal_company_id := gen_random_uuid();
        INSERT INTO companies (id, name, slug, personal)
        VALUES (NEW.personal_company_id, COALESCE(NULLIF(NEW.name, ''), 'Personal'),
                'p-' || replace(NEW.personal_company_id::text, '-', ''), TRUE);
    END IF;
    IF NEW.company_id IS NULL THEN
        NEW.company_id := NEW.personal_company_id;
        NEW.company_role := 'owner';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER users_personal_company BEFORE INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION users_personal_company();

-- A deleted runner's personal company goes with them.  A club whose owner
-- is deleted is dissolved: its members go back to their personal
-- companies (their data stays theirs) rather than stay in a club nobody
-- manages; then it is deleted with its invitations.
CREATE FUNCTION users_drop_companies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.company_role = 'owner' AND OLD.company_id <> OLD.personal_company_id THEN
        UPDATE users SET company_id = personal_company_id, company_role = 'owner'
         WHERE company_id = OLD.company_id;
    END IF;
    DELETE FROM companies c
     WHERE c.id IN (OLD.personal_company_id, OLD.company_id)
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.company_id = c.id
                          OR u.personal_company_id = c.id);
    RETURN NULL;
END $$;
CREATE TRIGGER users_drop_companies AFTER DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION users_drop_companies();

-- Single-use invitation links: the owner hands out /c/{slug}/join?t=TOKEN;
-- only the SHA-256 of the token is kept.  Used by at most one runner
-- (accepted_by), before expires_at, unless revoked.
CREATE TABLE company_invitations (
    id          UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    company_id  UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    role        VARCHAR(10) NOT NULL CHECK (role IN ('coach', 'athlete')),
    token_hash  BYTEA NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- Who it is for, as the owner noted it ("Ana, Tuesday group").
    label       VARCHAR(255),
    invited_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    expires_at  TIMESTAMP NOT NULL,
    accepted_by UUID REFERENCES users (id) ON DELETE SET NULL,
    accepted_at TIMESTAMP,
    revoked_at  TIMESTAMP,
    created_at  TIMESTAMP NOT NULL DEFAULT NOW(),
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX idx_invitations_company ON company_invitations (company_id, created_at);

-- A coach's comments on an athlete's workout, and the athlete's answers.
-- The author may be gone (NULL); the comment stays the athlete's.
CREATE TABLE workout_comments (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    workout_id UUID NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    author_id  UUID REFERENCES users (id) ON DELETE SET NULL,
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_at TIMESTAMP NOT NULL DEFAULT NOW()
);
CREATE INDEX idx_comments_workout ON workout_comments (workout_id, created_at);
-- Deleting a runner clears their authorship through this index.
CREATE INDEX idx_comments_author ON workout_comments (author_id);

-- A comment changes the athlete's pages (and their coaches' views of them).
CREATE FUNCTION bump_comment_owner() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r   RECORD;
    uid UUID;
BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    SELECT p.user_id INTO uid FROM workouts w
      JOIN training_plans p ON p.id = w.training_plan_id
     WHERE w.id = r.workout_id;
    IF uid IS NOT NULL THEN
        PERFORM bump_user_version(uid);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER workout_comments_version
    AFTER INSERT OR UPDATE OR DELETE ON workout_comments
    FOR EACH ROW EXECUTE FUNCTION bump_comment_owner();

-- A workout a coach adjusted carries the coach's mark (cleared when the
-- runner changes it again).
ALTER TABLE workouts
    ADD COLUMN adjusted_by UUID REFERENCES users (id) ON DELETE SET NULL;
