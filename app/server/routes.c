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
#define SLUG	ROUTE_SLUG

/*
 * Who may use a route (db/access.h): what its id names and the action.
 * SELF: the signed-in runner's own (or, signed out, nobody's).
 */
#define SELF		{ ACCESS_OF_SELF, ACCESS_OWN }
#define OF_PLAN(a)	{ ACCESS_OF_PLAN, ACCESS_##a }
#define OF_WORKOUT(a)	{ ACCESS_OF_WORKOUT, ACCESS_##a }
#define OF_CLUB(a)	{ ACCESS_OF_CLUB, ACCESS_##a }
#define OF_MEMBER(a)	{ ACCESS_OF_MEMBER, ACCESS_##a }
#define OF_ACTIVITY(a)	{ ACCESS_OF_ACTIVITY, ACCESS_##a }
#define OF_ADJUSTMENT(a) { ACCESS_OF_ADJUSTMENT, ACCESS_##a }

const struct route routes[] = {
	/* Operations. */
	{ "GET",  "/livez", page_livez, ROUTE_NODB | ROUTE_NOSESSION, "livez",
	  {0}, SELF },
	{ "GET",  "/readyz", page_readyz, ROUTE_NOSESSION, "readyz", {0},
	  SELF },
	/* Loopback only (pages/metrics.c); served while the db is down. */
	{ "GET",  "/metrics", page_metrics,
	  ROUTE_NOSESSION | ROUTE_DB_OPTIONAL, "metrics", {0}, SELF },

	/* Pages. */
	{ "GET",  "/", page_home, 0, "home", {0}, SELF },

	/* Strava webhook: machine endpoint; POST runs while the db is down. */
	{ "GET",  "/strava/webhook", page_strava_webhook_verify,
	  ROUTE_NODB | ROUTE_NOSESSION, "strava_webhook_verify", {0}, SELF },
	{ "POST", "/strava/webhook", page_strava_webhook_event,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY | ROUTE_DB_OPTIONAL,
	  "strava_webhook_event", {0}, SELF },

	/* Strava connection. */
	{ "GET",  "/strava/connect", page_strava_connect, ROUTE_AUTH,
	  "strava_connect", {0}, SELF },
	{ "GET",  "/strava/callback", page_strava_callback, ROUTE_AUTH,
	  "strava_callback", {0}, SELF },
	{ "GET",  "/strava/disconnect", page_strava_disconnect_confirm,
	  ROUTE_AUTH, "strava_disconnect_confirm", {0}, SELF },
	{ "POST", "/strava/disconnect", page_strava_disconnect,
	  ROUTE_AUTH | ROUTE_CSRF, "strava_disconnect", {0}, SELF },

	/* Garmin Connect (issue 17.2): pages/garmin.c.  The webhook is a
	 * machine endpoint: Garmin's notifications, confirmed by the jobs. */
	{ "POST", "/garmin/webhook", page_garmin_webhook,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY | ROUTE_LARGE_BODY,
	  "garmin_webhook", {0}, SELF },
	{ "GET",  "/garmin/connect", page_garmin_connect, ROUTE_AUTH,
	  "garmin_connect", {0}, SELF },
	{ "GET",  "/garmin/callback", page_garmin_callback, ROUTE_AUTH,
	  "garmin_callback", {0}, SELF },
	{ "POST", "/garmin/disconnect", page_garmin_disconnect,
	  ROUTE_AUTH | ROUTE_CSRF, "garmin_disconnect", {0}, SELF },

	/* Accounts. */
	{ "GET",  "/signup", page_signup, 0, "signup", {0}, SELF },
	{ "POST", "/signup", page_signup_post, ROUTE_CSRF, "signup_post", {0},
	  SELF },
	{ "GET",  "/login", page_login, 0, "login", {0}, SELF },
	{ "POST", "/login", page_login_post, ROUTE_CSRF, "login_post", {0},
	  SELF },
	{ "POST", "/logout", page_logout, ROUTE_CSRF, "logout", {0}, SELF },
	{ "GET",  "/settings", page_settings, ROUTE_AUTH, "settings", {0},
	  SELF },
	{ "POST", "/settings", page_settings_post, ROUTE_AUTH | ROUTE_CSRF,
	  "settings_post", {0}, SELF },
	{ "POST", "/settings/password", page_settings_password,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_password", {0}, SELF },
	{ "POST", "/settings/delete", page_settings_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_delete", {0}, SELF },

	/* Plans (tests/integration/test_ownership.c lists every id route). */
	{ "GET",  "/plans", page_plans, ROUTE_AUTH, "plans", {0}, SELF },
	{ "GET",  "/plans/new", page_plan_new, ROUTE_AUTH, "plan_new", {0},
	  SELF },
	{ "POST", "/plans/new", page_plan_new_post, ROUTE_AUTH | ROUTE_CSRF,
	  "plan_new_post", {0}, SELF },
	{ "GET",  "/plans/" UUID "/edit", page_plan_edit, ROUTE_AUTH,
	  "plan_edit", { CAP_UUID }, OF_PLAN(PLAN) },
	{ "POST", "/plans/" UUID "/edit", page_plan_edit_post,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_edit_post", { CAP_UUID },
	  OF_PLAN(PLAN) },
	{ "POST", "/plans/" UUID "/activate", page_plan_activate,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_activate", { CAP_UUID },
	  OF_PLAN(OWN) },
	{ "POST", "/plans/" UUID "/rename", page_plan_rename,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_rename", { CAP_UUID }, OF_PLAN(OWN) },
	{ "POST", "/plans/" UUID "/delete", page_plan_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_delete", { CAP_UUID }, OF_PLAN(OWN) },
	{ "POST", "/plans/" UUID "/workouts", page_workout_add,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_add", { CAP_UUID }, OF_PLAN(OWN) },

	/* Workout management (the workout page itself is the views'). */
	{ "POST", "/workouts/" UUID "/edit", page_workout_edit,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_edit", { CAP_UUID },
	  OF_WORKOUT(ADJUST) },
	{ "POST", "/workouts/" UUID "/delete", page_workout_delete,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_delete", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "POST", "/workouts/" UUID "/skip", page_workout_skip,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_skip", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "POST", "/workouts/" UUID "/done", page_workout_done,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_done", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "POST", "/workouts/" UUID "/reset", page_workout_reset,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_reset", { CAP_UUID },
	  OF_WORKOUT(OWN) },

	/* Views of a plan: calendar, week, workout, activities, exports. */
	{ "GET",  "/plans/" UUID, page_plan_calendar, ROUTE_AUTH,
	  "plan_calendar", { CAP_UUID }, OF_PLAN(READ) },
	{ "GET",  "/plans/" UUID "/weeks/" ROUTE_NUMBER, page_plan_week,
	  ROUTE_AUTH, "plan_week", { CAP_UUID, CAP_INT }, OF_PLAN(READ) },
	{ "GET",  "/plans/" UUID "/export\\.csv", page_plan_csv, ROUTE_AUTH,
	  "plan_csv", { CAP_UUID }, OF_PLAN(READ) },
	{ "GET",  "/plans/" UUID "/calendar\\.ics", page_plan_ics,
	  ROUTE_NOSESSION | ROUTE_BY_TOKEN, "plan_ics", { CAP_UUID }, SELF },
	{ "POST", "/plans/" UUID "/calendar-token", page_plan_calendar_token,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_calendar_token", { CAP_UUID },
	  OF_PLAN(OWN) },
	{ "GET",  "/workouts/" UUID, page_workout, ROUTE_AUTH, "workout",
	  { CAP_UUID }, OF_WORKOUT(READ) },
	{ "GET",  "/workouts/" UUID "/workout\\.fit", page_workout_fit,
	  ROUTE_AUTH, "workout_fit", { CAP_UUID }, OF_WORKOUT(READ) },
	{ "POST", "/workouts/" UUID "/match", page_workout_match,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_match", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "POST", "/workouts/" UUID "/unmatch", page_workout_unmatch,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_unmatch", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "POST", "/workouts/" UUID "/note", page_workout_note,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_note", { CAP_UUID },
	  OF_WORKOUT(OWN) },
	{ "GET",  "/activities", page_activities, ROUTE_AUTH, "activities",
	  {0}, SELF },
	{ "GET",  "/activities/upload", page_activities_upload, ROUTE_AUTH,
	  "activities_upload", {0}, SELF },
	{ "POST", "/activities/upload", page_activities_upload_post,
	  ROUTE_AUTH | ROUTE_CSRF | ROUTE_UPLOAD, "activities_upload_post",
	  {0}, SELF },

	/* Clubs (issue 18): pages/clubs.c, invitations.c, coaching.c. */
	{ "POST", "/workouts/" UUID "/comments", page_workout_comment,
	  ROUTE_AUTH | ROUTE_CSRF, "workout_comment", { CAP_UUID },
	  OF_WORKOUT(COMMENT) },
	{ "GET",  "/clubs/new", page_club_new, ROUTE_AUTH, "club_new", {0},
	  SELF },
	{ "POST", "/clubs/new", page_club_new_post, ROUTE_AUTH | ROUTE_CSRF,
	  "club_new_post", {0}, SELF },
	{ "GET",  "/c/" SLUG "/", page_club, ROUTE_AUTH, "club",
	  { CAP_SLUG }, OF_CLUB(CLUB) },
	{ "POST", "/c/" SLUG "/leave", page_club_leave,
	  ROUTE_AUTH | ROUTE_CSRF, "club_leave", { CAP_SLUG }, OF_CLUB(CLUB) },
	{ "GET",  "/c/" SLUG "/members", page_club_members, ROUTE_AUTH,
	  "club_members", { CAP_SLUG }, OF_CLUB(ROSTER) },
	{ "POST", "/c/" SLUG "/members/" UUID "/remove", page_club_member_remove,
	  ROUTE_AUTH | ROUTE_CSRF, "club_member_remove",
	  { CAP_SLUG, CAP_UUID }, OF_CLUB(MANAGE) },
	{ "GET",  "/c/" SLUG "/invitations", page_club_invitations,
	  ROUTE_AUTH, "club_invitations", { CAP_SLUG }, OF_CLUB(MANAGE) },
	{ "POST", "/c/" SLUG "/invitations", page_club_invite,
	  ROUTE_AUTH | ROUTE_CSRF, "club_invite", { CAP_SLUG },
	  OF_CLUB(MANAGE) },
	{ "POST", "/c/" SLUG "/invitations/" UUID "/revoke",
	  page_club_invitation_revoke, ROUTE_AUTH | ROUTE_CSRF,
	  "club_invitation_revoke", { CAP_SLUG, CAP_UUID }, OF_CLUB(MANAGE) },
	{ "GET",  "/c/" SLUG "/athletes/" UUID, page_club_athlete, ROUTE_AUTH,
	  "club_athlete", { CAP_SLUG, CAP_UUID }, OF_MEMBER(READ) },
	{ "GET",  "/c/" SLUG "/athletes/" UUID "/plans/new", page_plan_new,
	  ROUTE_AUTH, "club_athlete_plan_new", { CAP_SLUG, CAP_UUID },
	  OF_MEMBER(PLAN) },
	{ "POST", "/c/" SLUG "/athletes/" UUID "/plans/new", page_plan_new_post,
	  ROUTE_AUTH | ROUTE_CSRF, "club_athlete_plan_new_post",
	  { CAP_SLUG, CAP_UUID }, OF_MEMBER(PLAN) },
	/* The invitation link: its token, not a session, opens it. */
	{ "GET",  "/c/" SLUG "/join", page_join, ROUTE_BY_TOKEN, "join",
	  { CAP_SLUG }, SELF },
	{ "POST", "/c/" SLUG "/join", page_join_post,
	  ROUTE_BY_TOKEN | ROUTE_CSRF, "join_post", { CAP_SLUG }, SELF },

	/* Mailed links and the mail parts of settings (pages/mail_pages.h). */
	{ "GET",  "/email/verify", page_email_verify, 0, "email_verify", {0}, SELF },
	{ "POST", "/email/verify", page_email_verify_post, ROUTE_CSRF,
	  "email_verify_post", {0}, SELF },
	{ "GET",  "/password/forgot", page_password_forgot, 0,
	  "password_forgot", {0}, SELF },
	{ "POST", "/password/forgot", page_password_forgot_post, ROUTE_CSRF,
	  "password_forgot_post", {0}, SELF },
	{ "GET",  "/password/reset", page_password_reset, 0, "password_reset",
	  {0}, SELF },
	{ "POST", "/password/reset", page_password_reset_post, ROUTE_CSRF,
	  "password_reset_post", {0}, SELF },
	/* RFC 8058: mail clients POST without cookies; the link is signed. */
	{ "GET",  "/unsubscribe", page_unsubscribe, 0, "unsubscribe", {0}, SELF },
	{ "POST", "/unsubscribe", page_unsubscribe_post,
	  ROUTE_NOSESSION | ROUTE_RAW_BODY, "unsubscribe_post", {0}, SELF },
	{ "POST", "/settings/notifications", page_settings_notifications,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_notifications", {0}, SELF },
	{ "POST", "/settings/email/verify", page_settings_verify_again,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_verify_again", {0}, SELF },
	{ "POST", "/settings/export", page_settings_export,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_export", {0}, SELF },
	/* The id is in the signed query, checked before any query runs. */
	{ "GET",  "/settings/export/download", page_settings_export_download,
	  ROUTE_AUTH, "settings_export_download", {0}, SELF },

	/* Training load, fitness and plans that adapt (issue 16). */
	{ "GET",  "/fitness", page_fitness, ROUTE_AUTH, "fitness", {0}, SELF },
	{ "GET",  "/activities/" UUID, page_activity, ROUTE_AUTH, "activity",
	  { CAP_UUID }, OF_ACTIVITY(OWN) },
	{ "POST", "/activities/" UUID "/source", page_activity_source,
	  ROUTE_AUTH | ROUTE_CSRF, "activity_source", { CAP_UUID },
	  OF_ACTIVITY(OWN) },
	{ "GET",  "/plans/" UUID "/adjust", page_plan_adjust, ROUTE_AUTH,
	  "plan_adjust", { CAP_UUID }, OF_PLAN(OWN) },
	{ "POST", "/plans/" UUID "/adjust", page_plan_adjust_post,
	  ROUTE_AUTH | ROUTE_CSRF, "plan_adjust_post", { CAP_UUID },
	  OF_PLAN(OWN) },
	{ "GET",  "/adjustments/" UUID, page_adjustment, ROUTE_AUTH,
	  "adjustment", { CAP_UUID }, OF_ADJUSTMENT(OWN) },
	{ "POST", "/adjustments/" UUID "/accept", page_adjustment_accept,
	  ROUTE_AUTH | ROUTE_CSRF, "adjustment_accept", { CAP_UUID },
	  OF_ADJUSTMENT(OWN) },
	{ "POST", "/adjustments/" UUID "/decline", page_adjustment_decline,
	  ROUTE_AUTH | ROUTE_CSRF, "adjustment_decline", { CAP_UUID },
	  OF_ADJUSTMENT(OWN) },
	{ "POST", "/settings/heart-rate", page_settings_heart_rate,
	  ROUTE_AUTH | ROUTE_CSRF, "settings_heart_rate", {0}, SELF },
};
const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
