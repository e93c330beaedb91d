/*
 * routes: the application's one handler table (method + PCRE2 pattern ->
 * page handler and flags), every page, the Strava OAuth callback and
 * webhook among them.
 */
#ifndef CADENCE_ROUTES_H
#define CADENCE_ROUTES_H

#include <stddef.h>

#include "web/router.h"

/* The capture patterns of typed path pieces (web/router.h's caps). */
#define ROUTE_UUID \
    "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
#define ROUTE_NUMBER	"([0-9]{1,6})"
/* A club's URL name (core/util.h's slug_valid checks the rest). */
#define ROUTE_SLUG	"([a-z0-9][a-z0-9-]{1,38}[a-z0-9])"

extern const struct route routes[];
extern const size_t nroutes;

#endif
