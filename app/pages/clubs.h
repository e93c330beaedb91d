/*
 * clubs: what the club pages share (clubs.c, invitations.c, coaching.c).
 */
#ifndef CADENCE_PAGES_CLUBS_H
#define CADENCE_PAGES_CLUBS_H

#include <jansson.h>
#include <stdbool.h>

#include "db/access.h"
#include "db/clubs.h"
#include "web/http.h"

/* "Owner", "Coach", "Athlete". */
const char	*club_role_label(enum company_role);
/* {name, slug, url} of a company: the club pages' `club` object. */
json_t		*club_json(struct request *, const struct company *);
/* [{name, role_label}]: the owner and coaches of company_id; NULL on error. */
json_t		*club_leads_json(struct request *, const char *company_id);
/* True when the signed-in runner leads (owns or coaches) their club. */
bool		 club_viewer_leads(const struct request *);
/* Characters (not bytes) of UTF-8 text, as the database counts them. */
size_t		 club_chars(const char *);
/* One line of text of at most max characters (names, labels). */
bool		 club_line_ok(const char *, size_t max);

#endif
