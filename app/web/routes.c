/*
 * The route table: every URL Cadence answers, in one place.  Patterns are
 * anchored at both ends by the router.  Flags say what the dispatcher
 * checks before the handler runs (web/router.h); captures are validated
 * into typed values.
 */
#include "pages/pages.h"
#include "web/router.h"

#define UUID	"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"

const struct route routes[] = {
	/* Operations. */
	{ "GET",  "/livez", page_livez, ROUTE_NODB | ROUTE_NOSESSION, "livez", {0} },
	{ "GET",  "/readyz", page_readyz, ROUTE_NOSESSION, "readyz", {0} },

	/* Pages. */
	{ "GET",  "/", page_home, 0, "home", {0} },
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
