/*
 * clubs: companies (sql/015_companies.sql), who belongs to them, and the
 * invitation links that bring runners in.
 *
 * These calls take a company id the access layer granted (db/access.h:
 * the club of the URL, after access_allows()) or the signed-in runner's
 * own id, and touch only that club's rows or that runner's membership.
 * Moving a runner between companies never moves or copies their data:
 * plans, workouts and runs stay theirs, only who may see them changes.
 * Calls return 1 (done, found) / 0 (none, refused) / -1 (database error)
 * unless said otherwise; strings are in the arena given.
 */
#ifndef CADENCE_DB_CLUBS_H
#define CADENCE_DB_CLUBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "db/access.h"
#include "domain/date.h"

#define CLUB_NAME_MAX		120	/* characters */
#define INVITATION_TTL_DAYS	7
#define INVITATION_LABEL_MAX	120	/* characters */
#define INVITATIONS_SHOWN	50	/* the newest, on the owner's page */
#define INVITATIONS_PENDING_MAX	50	/* links waiting at once, per club */

struct db;

enum clubs_create {
	CLUBS_CREATE_FAILED = -1,
	CLUBS_CREATED = 1,
	CLUBS_SLUG_TAKEN = 2,
	CLUBS_NOT_ALONE = 3,	/* the runner is in a club already */
};

/*
 * A new club name/slug (valid: the caller checks) with user_id as its
 * owner, moved there from their personal company in one transaction.
 */
enum clubs_create clubs_create(struct db *, const char *user_id,
	    const char *name, const char *slug);

struct club_member {
	const char		*id;
	const char		*name;		/* the email when no name */
	const char		*email;
	enum company_role	 role;
};

/*
 * The members of company_id, the owner first, then coaches, then
 * athletes, by name.  leads_only: the owner and coaches alone (who can
 * see an athlete's data).  Returns how many (>= 0) or -1.
 */
int	clubs_members(struct db *, arena_t *, const char *company_id,
	    bool leads_only, struct club_member **out);

/*
 * user_id leaves company_id for their personal company (an owner cannot
 * leave their club).  Their data stays theirs; their coaches lose sight
 * of it at once.
 */
int	clubs_leave(struct db *, const char *user_id, const char *company_id);
/* The owner removes member_id (not the owner) from company_id: the same. */
int	clubs_remove_member(struct db *, const char *company_id,
	    const char *member_id);

/* ---- invitations --------------------------------------------------------- */

enum invitation_state {
	INVITATION_PENDING, INVITATION_ACCEPTED, INVITATION_EXPIRED,
	INVITATION_REVOKED,
};

struct invitation {
	const char		*id;
	enum company_role	 role;		/* coach or athlete */
	const char		*label;		/* "" when none */
	enum invitation_state	 state;
	date_t			 created;	/* UTC dates */
	date_t			 expires;
	const char		*accepted_by;	/* name, or NULL */
};

/*
 * A new invitation of company_id for role (coach or athlete), valid
 * INVITATION_TTL_DAYS, of which only token_hash (SHA-256, 64 hex digits)
 * is stored; its id into *id.  1, 0 when INVITATIONS_PENDING_MAX links
 * of the club are waiting already, or -1.
 */
int	clubs_invite(struct db *, arena_t *, const char *company_id,
	    const char *invited_by, enum company_role, const char *label,
	    const char *token_hash_hex, const char **id);
/* company_id's newest INVITATIONS_SHOWN invitations; how many, or -1. */
int	clubs_invitations(struct db *, arena_t *, const char *company_id,
	    struct invitation **out);
/* Revokes a pending invitation of company_id. */
int	clubs_revoke(struct db *, const char *company_id,
	    const char *invitation_id);

/* What a valid invitation link opens. */
struct invitation_offer {
	struct company		 company;
	enum company_role	 role;
	const char		*invited_by;	/* name, or NULL */
	date_t			 expires;	/* UTC date */
};

/*
 * The pending, unexpired invitation of the club slug whose token hashes
 * to token_hash_hex: 1 into *out, or 0 (none: used, revoked, expired, or
 * of another club).
 */
int	clubs_offer(struct db *, arena_t *, const char *slug,
	    const char *token_hash_hex, struct invitation_offer *out);

enum clubs_join {
	CLUBS_JOIN_FAILED = -1,
	CLUBS_JOIN_INVALID = 0,	/* no such pending invitation of that club */
	CLUBS_JOINED = 1,
	CLUBS_JOIN_NOT_ALONE = 2,	/* in a club already: leave it first */
};

/*
 * user_id accepts the invitation of the club slug whose token hashes to
 * token_hash_hex: in one transaction the invitation is used up (at most
 * once, whoever asks at the same time) and the runner moves to the club
 * with its role.  Nothing changes unless all of it does.
 */
enum clubs_join clubs_join(struct db *, const char *slug,
	    const char *token_hash_hex, const char *user_id);

#endif
