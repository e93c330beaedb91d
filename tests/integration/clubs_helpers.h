/*
 * clubs_helpers: clubs through the real pages, for test_clubs.c and
 * test_ownership.c: a club, an invitation link, joining by it.
 */
#ifndef CADENCE_TEST_CLUBS_HELPERS_H
#define CADENCE_TEST_CLUBS_HELPERS_H

#include "client.h"

#define CLUB_SLUG_LEN	48
#define CLUB_TOKEN_LEN	65

/*
 * owner (signed in, on their own) starts a club named name under a slug
 * made unique for this run from prefix (into slug).
 */
void	 club_new(struct client *owner, const char *prefix, const char *name,
	    char slug[CLUB_SLUG_LEN]);
/* A new invitation of slug's club for role ("athlete", "coach"). */
void	 club_invite(struct client *owner, const char *slug, const char *role,
	    char token[CLUB_TOKEN_LEN]);
/* The token's link (a path). */
const char *club_link(const char *slug, const char *token);
/* c (signed in, on their own) joins slug's club with token: 303. */
void	 club_join(struct client *c, const char *slug, const char *token);
/* The users.id of email (static buffer). */
const char *user_id_of(const char *email);
/*
 * A new runner in slug's club as role, through an invitation of owner's
 * (c signed in; email and id into out buffers).
 */
void	 club_member(struct client *c, struct client *owner, const char *slug,
	    const char *role, const char *prefix, char email[128], char id[64]);

#endif
