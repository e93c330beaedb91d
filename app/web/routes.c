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

	/* Strava webhook: machine endpoint; POST runs while the db is down. */
	{ "GET",  "/strava/webhook", page_strava_webhook_verify,
	  ROUTE_NODB | ROUTE_NOSESSION, "strava_webhook_verify", {0} },
	{ "POST", "/strava/webhook", page_strava_webhook_event,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY | ROUTE_DB_OPTIONAL,
	  "strava_webhook_event", {0} },

	/* Accounts. */
	{ "GET",  "/signup", page_signup, 0, "signup", {0} },
	{ "POST", "/signup", page_signup_post, ROUTE_CSRF, "signup_post", {0} },
	{ "GET",  "/login", page_login, 0, "login", {0} },
	{ "POST", "/login", page_login_post, ROUTE_CSRF, "login_post", {0} },
	{ "POST", "/logout", page_logout, ROUTE_CSRF, "logout", {0} },
	{ "GET",  "/settings", page_settings, ROUTE_AUTH, "settings", {0} },
	{ "POST", "/settings", page_settings_post, ROUTE_AUTH | ROUTE_CSRF,
	  "settings_post", {0} },
	{ "POST", "/settings/password", page_settings_password,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_password", {0} },
	{ "POST", "/settings/delete", page_settings_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_delete", {0} },
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
