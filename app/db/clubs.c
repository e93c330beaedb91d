/* clubs: see clubs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/clubs.h"
#include "db/db.h"

#define NUM_LEN		24

static date_t
day(const PGresult *r, int row, int col)
{
	date_t d;

	return db_date(r, row, col, &d) ? d : 0;
}

/* ---- starting a club ----------------------------------------------------- */

/* The runner's row, locked: moves of one runner run one after another. */
static const struct db_stmt q_lock = DB_STMT("clubs_lock_runner",
    "SELECT u.company_id = u.personal_company_id FROM users u"
    " WHERE u.id = $1 FOR UPDATE");
enum { LK_ALONE, LK__MAX };
static const struct db_stmt q_create = DB_STMT("clubs_create",
    "INSERT INTO companies (name, slug) VALUES ($1, $2)"
    " ON CONFLICT (slug) DO NOTHING RETURNING id");
enum { CR_ID, CR__MAX };
static const struct db_stmt q_move = DB_STMT("clubs_move",
    "UPDATE users SET company_id = $2, company_role = $3 WHERE id = $1");

/* 1 when user_id is in their personal company (row locked), 0, -1. */
static int
lock_alone(struct db *db, const char *user_id)
{
	PGresult	*r = db_exec(db, &q_lock, 1, &user_id);
	int		 alone;

	if (r == NULL)
		return -1;
	alone = PQntuples(r) == 1 && db_bool(r, 0, LK_ALONE);
	PQclear(r);
	return alone;
}

/* Ends the transaction with rollback and returns rc. */
static int
undo(struct db *db, int rc)
{
	db_rollback(db);
	return rc;
}

enum clubs_create
clubs_create(struct db *db, const char *user_id, const char *name,
    const char *slug)
{
	const char	*p[3] = { name, slug, NULL };
	const char	*id = NULL;
	arena_t		 a;
	int		 rc;

	if (db_begin(db) == -1)
		return CLUBS_CREATE_FAILED;
	if ((rc = lock_alone(db, user_id)) != 1)
		return undo(db, rc == 0 ? CLUBS_NOT_ALONE : CLUBS_CREATE_FAILED);
	arena_init(&a);
	rc = db_fetch_str(db, &a, &q_create, 2, p, CR_ID, &id);
	if (rc == 1) {
		p[0] = user_id;
		p[1] = id;
		p[2] = "owner";
		rc = db_run(db, &q_move, 3, p) == 1 && db_commit(db) == 0 ?
		    CLUBS_CREATED : -1;
	} else if (rc == 0)
		rc = CLUBS_SLUG_TAKEN;
	arena_free(&a);
	if (rc != CLUBS_CREATED)
		db_rollback(db);
	return (enum clubs_create)rc;
}

/* ---- members ------------------------------------------------------------- */

static const struct db_stmt q_members = DB_READ("clubs_members",
    "SELECT u.id, COALESCE(NULLIF(u.name, ''), u.email), u.email,"
    "       u.company_role"
    "  FROM users u"
    " WHERE u.company_id = $1"
    "   AND (NOT $2::bool OR u.company_role IN ('owner', 'coach'))"
    " ORDER BY CASE u.company_role WHEN 'owner' THEN 0 WHEN 'coach' THEN 1"
    "          ELSE 2 END, lower(COALESCE(NULLIF(u.name, ''), u.email)), u.id");
enum { ME_ID, ME_NAME, ME_EMAIL, ME_ROLE, ME__MAX };

int
clubs_members(struct db *db, arena_t *a, const char *company_id,
    bool leads_only, struct club_member **out)
{
	const char	*p[2] = { company_id, leads_only ? "t" : "f" };
	PGresult	*r = db_exec(db, &q_members, 2, p);
	int		 i, n;

	*out = NULL;
	if (r == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct club_member *m = &(*out)[i];

		m->id = db_strdup(a, r, i, ME_ID);
		m->name = db_strdup(a, r, i, ME_NAME);
		m->email = db_strdup(a, r, i, ME_EMAIL);
		m->role = access_role(db_val(r, i, ME_ROLE));
	}
	PQclear(r);
	return n;
}

/*
 * Back to the personal company; never the owner (a club keeps its
 * owner), never from a personal company.
 */
static const struct db_stmt q_leave = DB_STMT("clubs_leave",
    "UPDATE users SET company_id = personal_company_id, company_role = 'owner'"
    " WHERE id = $1 AND company_id = $2 AND company_role <> 'owner'"
    "   AND company_id <> personal_company_id");

int
clubs_leave(struct db *db, const char *user_id, const char *company_id)
{
	const char	*p[2] = { user_id, company_id };
	long		 n = db_run(db, &q_leave, 2, p);

	return n < 0 ? -1 : n == 1;
}

int
clubs_remove_member(struct db *db, const char *company_id,
    const char *member_id)
{
	return clubs_leave(db, member_id, company_id);
}

/* ---- invitations --------------------------------------------------------- */

/* Unless the club has INVITATIONS_PENDING_MAX links waiting already. */
static const struct db_stmt q_invite = DB_STMT("clubs_invite",
    "INSERT INTO company_invitations (company_id, role, label, invited_by,"
    "        token_hash, expires_at)"
    " SELECT $1, $2, NULLIF($3, ''), $4, decode($5, 'hex'),"
    "        NOW() + make_interval(days => $6::int)"
    "  WHERE (SELECT count(*) FROM company_invitations i"
    "          WHERE i.company_id = $1 AND i.accepted_at IS NULL"
    "            AND i.revoked_at IS NULL AND i.expires_at > NOW()) < $7::int"
    " RETURNING id");
enum { IN_ID, IN__MAX };

int
clubs_invite(struct db *db, arena_t *a, const char *company_id,
    const char *invited_by, enum company_role role, const char *label,
    const char *token_hash_hex, const char **id)
{
	char		 ttl[NUM_LEN], max[NUM_LEN];
	const char	*p[7] = { company_id, access_role_key(role), label,
			    invited_by, token_hash_hex, ttl, max };

	snprintf(ttl, sizeof(ttl), "%d", INVITATION_TTL_DAYS);
	snprintf(max, sizeof(max), "%d", INVITATIONS_PENDING_MAX);
	return db_fetch_str(db, a, &q_invite, 7, p, IN_ID, id);
}

static const struct db_stmt q_invitations = DB_READ("clubs_invitations",
    "SELECT i.id, i.role, COALESCE(i.label, ''),"
    "       CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted'"
    "            WHEN i.revoked_at IS NOT NULL THEN 'revoked'"
    "            WHEN i.expires_at <= NOW() THEN 'expired'"
    "            ELSE 'pending' END,"
    "       i.created_at::date, i.expires_at::date,"
    "       COALESCE(NULLIF(u.name, ''), u.email)"
    "  FROM company_invitations i"
    "  LEFT JOIN users u ON u.id = i.accepted_by"
    " WHERE i.company_id = $1"
    " ORDER BY i.created_at DESC, i.id LIMIT $2::int");
enum { IV_ID, IV_ROLE, IV_LABEL, IV_STATE, IV_CREATED, IV_EXPIRES,
	IV_ACCEPTED_BY, IV__MAX };

static enum invitation_state
state_of(const char *s)
{
	if (strcmp(s, "accepted") == 0)
		return INVITATION_ACCEPTED;
	if (strcmp(s, "revoked") == 0)
		return INVITATION_REVOKED;
	if (strcmp(s, "expired") == 0)
		return INVITATION_EXPIRED;
	return INVITATION_PENDING;
}

int
clubs_invitations(struct db *db, arena_t *a, const char *company_id,
    struct invitation **out)
{
	char		 lim[NUM_LEN];
	const char	*p[2] = { company_id, lim };
	PGresult	*r;
	int		 i, n;

	snprintf(lim, sizeof(lim), "%d", INVITATIONS_SHOWN);
	*out = NULL;
	if ((r = db_exec(db, &q_invitations, 2, p)) == NULL)
		return -1;
	n = PQntuples(r);
	*out = arena_alloc(a, sizeof(**out) * (size_t)(n + 1));
	for (i = 0; i < n; i++) {
		struct invitation *v = &(*out)[i];

		v->id = db_strdup(a, r, i, IV_ID);
		v->role = access_role(db_val(r, i, IV_ROLE));
		v->label = db_strdup(a, r, i, IV_LABEL);
		v->state = state_of(db_val(r, i, IV_STATE));
		v->created = day(r, i, IV_CREATED);
		v->expires = day(r, i, IV_EXPIRES);
		v->accepted_by = db_strdup(a, r, i, IV_ACCEPTED_BY);
	}
	PQclear(r);
	return n;
}

static const struct db_stmt q_revoke = DB_STMT("clubs_revoke",
    "UPDATE company_invitations SET revoked_at = NOW()"
    " WHERE id = $1 AND company_id = $2"
    "   AND accepted_at IS NULL AND revoked_at IS NULL");

int
clubs_revoke(struct db *db, const char *company_id, const char *invitation_id)
{
	const char	*p[2] = { invitation_id, company_id };
	long		 n = db_run(db, &q_revoke, 2, p);

	return n < 0 ? -1 : n == 1;
}

/* A usable invitation: of the slug's club, pending, not expired. */
#define USABLE_INVITATION \
    " FROM company_invitations i JOIN companies c ON c.id = i.company_id" \
    " WHERE c.slug = $1 AND i.token_hash = decode($2, 'hex')" \
    "   AND NOT c.personal AND i.accepted_at IS NULL" \
    "   AND i.revoked_at IS NULL AND i.expires_at > NOW()"

static const struct db_stmt q_offer = DB_STMT("clubs_offer",
    "SELECT c.id, c.name, c.slug, i.role,"
    "       (SELECT COALESCE(NULLIF(u.name, ''), u.email) FROM users u"
    "         WHERE u.id = i.invited_by),"
    "       i.expires_at::date"
    USABLE_INVITATION);
enum { OF_ID, OF_NAME, OF_SLUG, OF_ROLE, OF_BY, OF_EXPIRES, OF__MAX };

int
clubs_offer(struct db *db, arena_t *a, const char *slug,
    const char *token_hash_hex, struct invitation_offer *out)
{
	const char	*p[2] = { slug, token_hash_hex };
	PGresult	*r = db_exec(db, &q_offer, 2, p);
	int		 found;

	memset(out, 0, sizeof(*out));
	if (r == NULL)
		return -1;
	if ((found = PQntuples(r) == 1)) {
		out->company.id = db_strdup(a, r, 0, OF_ID);
		out->company.name = db_strdup(a, r, 0, OF_NAME);
		out->company.slug = db_strdup(a, r, 0, OF_SLUG);
		out->role = access_role(db_val(r, 0, OF_ROLE));
		out->invited_by = db_null(r, 0, OF_BY) ? NULL :
		    db_strdup(a, r, 0, OF_BY);
		out->expires = day(r, 0, OF_EXPIRES);
	}
	PQclear(r);
	return found;
}

/*
 * Uses the invitation up: a second request for it (replayed, or at the
 * same time) finds accepted_at set once the first commits, and gets no
 * row.
 */
static const struct db_stmt q_use = DB_STMT("clubs_use_invitation",
    "UPDATE company_invitations SET accepted_by = $3, accepted_at = NOW()"
    " WHERE id = (SELECT i.id" USABLE_INVITATION " FOR UPDATE OF i)"
    "   AND accepted_at IS NULL"
    " RETURNING company_id, role");
enum { US_COMPANY, US_ROLE, US__MAX };

/* Moves user_id into the club of the used invitation: 1, 0, -1. */
static int
use_invitation(struct db *db, const char *slug, const char *hash,
    const char *user_id)
{
	const char	*p[3] = { slug, hash, user_id };
	PGresult	*r = db_exec(db, &q_use, 3, p);
	int		 rc;

	if (r == NULL)
		return -1;
	if ((rc = PQntuples(r) == 1)) {
		p[0] = user_id;
		p[1] = db_val(r, 0, US_COMPANY);
		p[2] = db_val(r, 0, US_ROLE);
		if (db_run(db, &q_move, 3, p) != 1)
			rc = -1;
	}
	PQclear(r);
	return rc;
}

enum clubs_join
clubs_join(struct db *db, const char *slug, const char *token_hash_hex,
    const char *user_id)
{
	int rc;

	if (db_begin(db) == -1)
		return CLUBS_JOIN_FAILED;
	if ((rc = lock_alone(db, user_id)) != 1)
		return undo(db, rc == 0 ? CLUBS_JOIN_NOT_ALONE :
		    CLUBS_JOIN_FAILED);
	if ((rc = use_invitation(db, slug, token_hash_hex, user_id)) != 1)
		return undo(db, rc);
	if (db_commit(db) == -1)
		return undo(db, CLUBS_JOIN_FAILED);
	return CLUBS_JOINED;
}
