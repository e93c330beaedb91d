/*
 * The route table: every URL Cadence answers, in one place.  Patterns are
 * anchored at both ends by the router.  Flags say what the dispatcher
 * checks before the handler runs (web/router.h); captures are validated
 * into typed values.
 */
#include "pages/pages.h"
#include "server/routes.h"

#define UUID	ROUTE_UUID

const struct route routes[] = {
	/* Operations. */
	{ "GET",  "/livez", page_livez, ROUTE_NODB | ROUTE_NOSESSION, "livez", {0} },
	{ "GET",  "/readyz", page_readyz, ROUTE_NOSESSION, "readyz", {0} },
	/* Loopback only (pages/metrics.c); served while the db is down. */
	{ "GET",  "/metrics", page_metrics,
	  ROUTE_NOSESSION | ROUTE_DB_OPTIONAL, "metrics", {0} },

	/* Pages. */
	{ "GET",  "/", page_home, 0, "home", {0} },

	/* Strava webhook: machine endpoint; POST runs while the db is down. */
	{ "GET",  "/strava/webhook", page_strava_webhook_verify,
	  ROUTE_NODB | ROUTE_NOSESSION, "strava_webhook_verify", {0} },
	{ "POST", "/strava/webhook", page_strava_webhook_event,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY | ROUTE_DB_OPTIONAL,
	  "strava_webhook_event", {0} },

	/* Strava connection. */
	{ "GET",  "/strava/connect", page_strava_connect, ROUTE_AUTH,
	  "strava_connect", {0} },
	{ "GET",  "/strava/callback", page_strava_callback, ROUTE_AUTH,
	  "strava_callback", {0} },
	{ "POST", "/strava/disconnect", page_strava_disconnect,
	  ROUTE_AUTH | ROUTE_CSRF, "strava_disconnect", {0} },

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

	/* Plans (tests/integration/test_ownership.c lists every id route). */
	{ "GET",  "/plans", page_plans, ROUTE_AUTH, "plans", {0} },
	{ "GET",  "/plans/new", page_plan_new, ROUTE_AUTH, "plan_new", {0} },
	{ "POST", "/plans/new", page_plan_new_post, ROUTE_AUTH | ROUTE_CSRF,
	  "plan_new_post", {0} },
	{ "GET",  "/plans/" UUID "/edit", page_plan_edit, ROUTE_AUTH,
	  "plan_edit", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/edit", page_plan_edit_post,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_edit_post", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/activate", page_plan_activate,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_activate", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/rename", page_plan_rename,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_rename", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/delete", page_plan_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_delete", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/workouts", page_workout_add,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_add", { CAP_UUID } },

	/* Workout management (the workout page itself is the views'). */
	{ "POST", "/workouts/" UUID "/edit", page_workout_edit,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_edit", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/delete", page_workout_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_delete", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/skip", page_workout_skip,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_skip", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/done", page_workout_done,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_done", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/reset", page_workout_reset,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_reset", { CAP_UUID } },

	/* Views of a plan: calendar, week, workout, activities, exports. */
	{ "GET",  "/plans/" UUID, page_plan_calendar, ROUTE_AUTH,
	  "plan_calendar", { CAP_UUID } },
	{ "GET",  "/plans/" UUID "/weeks/" ROUTE_NUMBER, page_plan_week,
	  ROUTE_AUTH, "plan_week", { CAP_UUID, CAP_INT } },
	{ "GET",  "/plans/" UUID "/export\\.csv", page_plan_csv, ROUTE_AUTH,
	  "plan_csv", { CAP_UUID } },
	{ "GET",  "/plans/" UUID "/calendar\\.ics", page_plan_ics,
	  ROUTE_NOSESSION, "plan_ics", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/calendar-token", page_plan_calendar_token,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_calendar_token", { CAP_UUID } },
	{ "GET",  "/workouts/" UUID, page_workout, ROUTE_AUTH, "workout",
	  { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/match", page_workout_match,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_match", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/unmatch", page_workout_unmatch,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_unmatch", { CAP_UUID } },
	{ "POST", "/workouts/" UUID "/note", page_workout_note,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_note", { CAP_UUID } },
	{ "GET",  "/activities", page_activities, ROUTE_AUTH, "activities",
	  {0} },

	/* Training load, fitness and plans that adapt (issue 16). */
	{ "GET",  "/fitness", page_fitness, ROUTE_AUTH, "fitness", {0} },
	{ "GET",  "/activities/" UUID, page_activity, ROUTE_AUTH, "activity",
	  { CAP_UUID } },
	{ "GET",  "/plans/" UUID "/adjust", page_plan_adjust, ROUTE_AUTH,
	  "plan_adjust", { CAP_UUID } },
	{ "POST", "/plans/" UUID "/adjust", page_plan_adjust_post,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_adjust_post", { CAP_UUID } },
	{ "GET",  "/adjustments/" UUID, page_adjustment, ROUTE_AUTH,
	  "adjustment", { CAP_UUID } },
	{ "POST", "/adjustments/" UUID "/accept", page_adjustment_accept,
	  ROUTE_AUTH | ROUTE_CSRF, "adjustment_accept", { CAP_UUID } },
	{ "POST", "/adjustments/" UUID "/decline", page_adjustment_decline,
	  ROUTE_AUTH | ROUTE_CSRF, "adjustment_decline", { CAP_UUID } },
	{ "POST", "/settings/heart-rate", page_settings_heart_rate,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_heart_rate", {0} },
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
