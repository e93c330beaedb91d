/*
 * The route table: every URL Cadence answers, in one place.  Patterns are
 * anchored at both ends by the router.  Flags say what the dispatcher
 * checks before the handler runs (web/router.h); captures are validated
 * into typed values.
 */
#include "pages/mail_pages.h"
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

	/* Mailed links and the mail parts of settings (pages/mail_pages.h). */
	{ "GET",  "/email/verify", page_email_verify, 0, "email_verify", {0} },
	{ "POST", "/email/verify", page_email_verify_post, ROUTE_CSRF,
	  "email_verify_post", {0} },
	{ "GET",  "/password/forgot", page_password_forgot, 0,
	  "password_forgot", {0} },
	{ "POST", "/password/forgot", page_password_forgot_post, ROUTE_CSRF,
	  "password_forgot_post", {0} },
	{ "GET",  "/password/reset", page_password_reset, 0, "password_reset",
	  {0} },
	{ "POST", "/password/reset", page_password_reset_post, ROUTE_CSRF,
	  "password_reset_post", {0} },
	/* RFC 8058: mail clients POST without cookies; the link is signed. */
	{ "GET",  "/unsubscribe", page_unsubscribe, 0, "unsubscribe", {0} },
	{ "POST", "/unsubscribe", page_unsubscribe_post,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY, "unsubscribe_post", {0} },
	{ "POST", "/settings/notifications", page_settings_notifications,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_notifications", {0} },
	{ "POST", "/settings/email/verify", page_settings_verify_again,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_verify_again", {0} },
	{ "POST", "/settings/export", page_settings_export,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_export", {0} },
	/* The id is in the signed query, checked before any query runs. */
	{ "GET",  "/settings/export/download", page_settings_export_download,
	  ROUTE_AUTH, "settings_export_download", {0} },
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
