/*
 * Ownership and tenancy: every route of the route table, as every kind
 * of viewer, against one athlete's data (issue 18's role x route table).
 *
 * The subject, SELF, is an athlete of club A who owns a plan, its
 * workouts and a Strava activity.  The viewers:
 *	SELF	the athlete themself
 *	OWNER	club A's owner		COACH	a coach of club A
 *	MATE	another athlete of A	RIVAL	the owner of club B
 *	LONE	a runner in no club	ANON	signed out
 * Each cell says what that viewer gets: a status; R, sent to sign-in;
 * P, a route the viewer may use on their own but that the test does
 * not run (it would delete the fixture or the viewer's account): a
 * forged CSRF token must get 403, so the route is there; X, a machine
 * route without sessions, tested by its own suite.  Every refusal (404,
 * 409, 422, R, P) must leave SELF's data, club A's members and its
 * invitations exactly as they were; an id of another tenant answers
 * 404, exactly like a missing one.
 *
 * The route table is the pool's own (server/routes.c, linked in, as in
 * test_hostile.c): a route without a row here fails the test, and so
 * does a row without a route.  Rows run in order, viewers left to
 * right; the few that change club A (a new invitation, withdrawing one,
 * removing a member, leaving) come last.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "clubs_helpers.h"
#include "core/util.h"
#include "server/routes.h"

#define PATH_MAX_LEN	512
#define FORM_MAX_LEN	1024

enum viewer { SELF, OWNER, COACH, MATE, RIVAL, LONE, ANON, NVIEWERS };

static const char *const viewer_names[NVIEWERS] = {
	"SELF", "OWNER", "COACH", "MATE", "RIVAL", "LONE", "ANON",
};

#define R	1	/* 303 to /login */
#define P	2	/* not run: a forged CSRF token gets 403 */
#define X	3	/* machine route: not requested */

/*
 * Placeholders: {plan}, {workout}, {activity}, {athlete} (SELF's),
 * {slug} (club A), {member} (an athlete of A the owner may remove),
 * {invitation} (a pending one of A), {token} (a used one of A),
 * {race_date}, {n} (1).  form: the POST body besides csrf_token, one
 * that succeeds for a viewer allowed to use the route.
 */
static const struct route_case {
	const char	*method;
	const char	*path;
	const char	*form;
	int		 want[NVIEWERS];
} cases[] = {
	/* Operations and the Strava webhook: nobody's data. */
	{ "GET",  "/livez", NULL, { 200, 200, 200, 200, 200, 200, 200 } },
	{ "GET",  "/readyz", NULL, { 200, 200, 200, 200, 200, 200, 200 } },
	{ "GET",  "/metrics", NULL, { 200, 200, 200, 200, 200, 200, 200 } },
	{ "GET",  "/strava/webhook", NULL, { 403, 403, 403, 403, 403, 403,
	  403 } },
	{ "POST", "/strava/webhook", NULL, { X, X, X, X, X, X, X } },
	/* The viewer's own pages: no id can name someone else's. */
	{ "GET",  "/", NULL, { 200, 200, 200, 200, 200, 200, 200 } },
	{ "GET",  "/strava/connect", NULL, { 302, 302, 302, 302, 302, 302, R } },
	{ "GET",  "/strava/callback", NULL, { 400, 400, 400, 400, 400, 400,
	  R } },
	{ "GET",  "/strava/disconnect", NULL, { 303, 303, 303, 303, 303, 303,
	  R } },
	{ "POST", "/strava/disconnect", "", { P, P, P, P, P, P, R } },
	{ "POST", "/garmin/webhook", NULL, { X, X, X, X, X, X, X } },
	{ "GET",  "/garmin/connect", NULL, { 302, 302, 302, 302, 302, 302, R } },
	{ "GET",  "/garmin/callback", NULL, { 400, 400, 400, 400, 400, 400,
	  R } },
	{ "POST", "/garmin/disconnect", "", { P, P, P, P, P, P, R } },
	/* Mailed links open by their signed token, not by a session: without
	 * one they are a 404 for everyone; the forms are CSRF'd. */
	{ "GET",  "/fitness", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "POST", "/settings/heart-rate", "", { P, P, P, P, P, P, R } },
	{ "GET",  "/email/verify", NULL, { 404, 404, 404, 404, 404, 404, 404 } },
	{ "POST", "/email/verify", "", { P, P, P, P, P, P, P } },
	{ "GET",  "/password/forgot", NULL, { 200, 200, 200, 200, 200, 200,
	  200 } },
	{ "POST", "/password/forgot", "", { P, P, P, P, P, P, P } },
	{ "GET",  "/password/reset", NULL, { 404, 404, 404, 404, 404, 404,
	  404 } },
	{ "POST", "/password/reset", "", { P, P, P, P, P, P, P } },
	{ "GET",  "/unsubscribe", NULL, { 404, 404, 404, 404, 404, 404, 404 } },
	{ "POST", "/unsubscribe", NULL, { X, X, X, X, X, X, X } },
	{ "POST", "/settings/notifications", "", { P, P, P, P, P, P, R } },
	{ "POST", "/settings/email/verify", "", { P, P, P, P, P, P, R } },
	{ "POST", "/settings/export", "", { P, P, P, P, P, P, R } },
	{ "GET",  "/settings/export/download", NULL, { 404, 404, 404, 404,
	  404, 404, R } },
	{ "GET",  "/signup", NULL, { 303, 303, 303, 303, 303, 303, 200 } },
	{ "POST", "/signup", "", { P, P, P, P, P, P, P } },
	{ "GET",  "/login", NULL, { 303, 303, 303, 303, 303, 303, 200 } },
	{ "POST", "/login", "", { P, P, P, P, P, P, P } },
	{ "POST", "/logout", "", { P, P, P, P, P, P, P } },
	{ "GET",  "/settings", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "POST", "/settings", "", { P, P, P, P, P, P, R } },
	{ "POST", "/settings/password", "", { P, P, P, P, P, P, R } },
	{ "POST", "/settings/delete", "", { P, P, P, P, P, P, R } },
	{ "GET",  "/plans", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "GET",  "/plans/new", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "POST", "/plans/new", "", { P, P, P, P, P, P, R } },
	{ "GET",  "/activities", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "GET",  "/activities/upload", NULL, { 200, 200, 200, 200, 200, 200,
	  R } },
	{ "POST", "/activities/upload", "", { P, P, P, P, P, P, R } },
	{ "GET",  "/clubs/new", NULL, { 200, 200, 200, 200, 200, 200, R } },
	{ "POST", "/clubs/new", "", { P, P, P, P, P, P, R } },
	/* The calendar feed: a token, not a session (test_views.c). */
	{ "GET",  "/plans/{plan}/calendar.ics", NULL, { 404, 404, 404, 404,
	  404, 404, 404 } },

	/*
	 * SELF's workouts: read, commented on and adjusted by coaches
	 * (before the plan is re-planned: an edited workout stays).
	 */
	{ "GET",  "/workouts/{workout}", NULL, { 200, 200, 200, 404, 404, 404,
	  R } },
	{ "GET",  "/workouts/{workout}/workout.fit", NULL, { 200, 200, 200,
	  404, 404, 404, R } },
	{ "POST", "/workouts/{workout}/comments", "body=Taken", { 303, 303,
	  303, 404, 404, 404, R } },
	{ "POST", "/workouts/{workout}/edit", "type=long&distance=30"
	  "&description=Taken", { 303, 303, 303, 404, 404, 404, R } },
	/* ...and what only the runner says about their own running. */
	{ "POST", "/workouts/{workout}/skip", "", { 303, 404, 404, 404, 404,
	  404, R } },
	{ "POST", "/workouts/{workout}/done", "", { 303, 404, 404, 404, 404,
	  404, R } },
	{ "POST", "/workouts/{workout}/reset", "", { 303, 404, 404, 404, 404,
	  404, R } },
	{ "POST", "/workouts/{workout}/note", "rpe=3&note=Taken", { 303, 404,
	  404, 404, 404, 404, R } },
	{ "POST", "/workouts/{workout}/match", "activity_id={activity}", { 303,
	  404, 404, 404, 404, 404, R } },
	{ "POST", "/workouts/{workout}/unmatch", "activity_id={activity}",
	  { 303, 404, 404, 404, 404, 404, R } },
	{ "POST", "/workouts/{workout}/delete", "", { P, 404, 404, 404, 404,
	  404, R } },

	/* SELF's plan: read and (re-)planned by their coaches too. */
	{ "GET",  "/plans/{plan}", NULL, { 200, 200, 200, 404, 404, 404, R } },
	{ "GET",  "/plans/{plan}/weeks/{n}", NULL, { 200, 200, 200, 404, 404,
	  404, R } },
	{ "GET",  "/plans/{plan}/export.csv", NULL, { 200, 200, 200, 404, 404,
	  404, R } },
	{ "GET",  "/plans/{plan}/edit", NULL, { 200, 200, 200, 404, 404, 404,
	  R } },
	{ "POST", "/plans/{plan}/edit", "race_name=Taken&race_distance=10000"
	  "&race_date={race_date}&runs_per_week=4&long_run_day=sat"
	  "&weekly_distance=30", { 303, 303, 303, 404, 404, 404, R } },
	/* ...and managed by SELF alone. */
	{ "POST", "/plans/{plan}/activate", "", { 303, 404, 404, 404, 404, 404,
	  R } },
	{ "POST", "/plans/{plan}/rename", "name=Taken", { 303, 404, 404, 404,
	  404, 404, R } },
	{ "POST", "/plans/{plan}/workouts", "date={race_date}&type=easy"
	  "&distance=5", { 303, 404, 404, 404, 404, 404, R } },
	{ "POST", "/plans/{plan}/calendar-token", "", { 303, 404, 404, 404, 404,
	  404, R } },
	{ "POST", "/plans/{plan}/delete", "confirm=yes", { P, 404, 404, 404,
	  404, 404, R } },

	/* Club A: its page for members, roster and athletes for leaders. */
	{ "GET",  "/c/{slug}/", NULL, { 200, 200, 200, 200, 404, 404, R } },
	{ "GET",  "/c/{slug}/members", NULL, { 404, 200, 200, 404, 404, 404,
	  R } },
	{ "GET",  "/c/{slug}/athletes/{athlete}", NULL, { 200, 200, 200, 404,
	  404, 404, R } },
	{ "GET",  "/c/{slug}/athletes/{athlete}/plans/new", NULL, { 200, 200,
	  200, 404, 404, 404, R } },
	{ "POST", "/c/{slug}/athletes/{athlete}/plans/new", "race_name=Taken"
	  "&race_distance=10000&race_date={race_date}&weeks=8&runs_per_week=4"
	  "&long_run_day=sun&weekly_distance=30", { 303, 303, 303, 404, 404,
	  404, R } },
	{ "GET",  "/c/{slug}/invitations", NULL, { 404, 200, 404, 404, 404,
	  404, R } },
	/* A used link: never again, for anyone (409: in a club already). */
	{ "GET",  "/c/{slug}/join?t={token}", NULL, { 404, 404, 404, 404, 404,
	  404, 404 } },
	{ "POST", "/c/{slug}/join", "t={token}", { 409, 409, 409, 409, 409,
	  404, R } },
	/* The owner's: these change club A, so they come last. */
	{ "POST", "/c/{slug}/invitations", "role=athlete&label=Taken", { 404,
	  201, 404, 404, 404, 404, R } },
	{ "POST", "/c/{slug}/invitations/{invitation}/revoke", "", { 404, 303,
	  404, 404, 404, 404, R } },
	{ "POST", "/c/{slug}/members/{member}/remove", "", { 404, 303, 404,
	  404, 404, 404, R } },
	{ "POST", "/c/{slug}/leave", "", { 303, 422, 303, 303, 404, 404, R } },
	/* Activities and proposals to adapt a plan: the runner's alone. */
	{ "GET",  "/activities/{activity}", NULL, { 200, 404, 404, 404, 404,
	  404, R } },
	/* 400: the owner reaches the form's check; nobody else gets that far. */
	{ "POST", "/activities/{activity}/source", "source=dropbox&detail=x",
	  { 400, 404, 404, 404, 404, 404, R } },
	{ "GET",  "/plans/{plan}/adjust", NULL, { 200, 404, 404, 404, 404, 404,
	  R } },
	/* 200: the page that says why no new weeks are proposed yet. */
	{ "POST", "/plans/{plan}/adjust", "days_off=3", { 200, 404, 404, 404,
	  404, 404, R } },
	{ "GET",  "/adjustments/{adjustment}", NULL, { 200, 404, 404, 404, 404,
	  404, R } },
	{ "POST", "/adjustments/{adjustment}/decline", "", { 303, 404, 404,
	  404, 404, 404, R } },
	/* 409: declined already (the row before). */
	{ "POST", "/adjustments/{adjustment}/accept", "", { 409, 404, 404,
	  404, 404, 404, R } },
};

/* The fixture: ids the placeholders stand for. */
struct ids {
	char	 user[64], plan[64], workout[64], activity[64], race_date[16];
	char	 slug[CLUB_SLUG_LEN], member[64], invitation[64];
	char	 token[CLUB_TOKEN_LEN];
	char	 adjustment[64];
};

/* Copies s into out with the placeholders replaced. */
static void
expand(char *out, size_t n, const char *s, const struct ids *a)
{
	static const char *const keys[] = { "{plan}", "{workout}",
	    "{activity}", "{race_date}", "{athlete}", "{slug}", "{member}",
	    "{invitation}", "{token}", "{adjustment}", "{n}" };
	const char *vals[] = { a->plan, a->workout, a->activity, a->race_date,
	    a->user, a->slug, a->member, a->invitation, a->token,
	    a->adjustment, "1" };
	size_t used = 0, k;

	while (*s != '\0' && used + 1 < n) {
		for (k = 0; k < NELEM(keys); k++)
			if (strncmp(s, keys[k], strlen(keys[k])) == 0)
				break;
		if (k < NELEM(keys)) {
			used += (size_t)snprintf(out + used, n - used, "%s",
			    vals[k]);
			if (used >= n)
				used = n - 1;
			s += strlen(keys[k]);
		} else
			out[used++] = *s++;
	}
	out[used] = '\0';
}

/*
 * Everything SELF owns, club A's members and its invitations, as one
 * checksum: any write (even a no-op update) shows.
 */
static char *
checksum(const struct ids *a)
{
	return strdup(db_value("SELECT md5("
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_plans t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM races t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_phases t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workouts t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM strava_activities t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workout_completions t JOIN strava_activities a"
	    "      ON a.id = t.strava_activity_id WHERE a.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY"
	    "         t.workout_id), '')"
	    "    FROM workout_feedback t JOIN workouts w ON w.id = t.workout_id"
	    "    JOIN training_plans p ON p.id = w.training_plan_id"
	    "   WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workout_comments t JOIN workouts w ON w.id = t.workout_id"
	    "    JOIN training_plans p ON p.id = w.training_plan_id"
	    "   WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(u.id || u.company_role, '|'"
	    "         ORDER BY u.id), '')"
	    "    FROM users u JOIN companies c ON c.id = u.company_id"
	    "   WHERE c.slug = '%2$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM company_invitations t JOIN companies c"
	    "      ON c.id = t.company_id WHERE c.slug = '%2$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM plan_adjustments t WHERE t.user_id = '%1$s'))",
	    a->user, a->slug));
}

/* SELF's plan (through the form), a workout, a run on its day. */
static void
subject_data(struct client *c, struct ids *ids)
{
	struct http_resp r;
	char form[1024];

	snprintf(ids->race_date, sizeof(ids->race_date), "%s", db_value(
	    "SELECT ((now() AT TIME ZONE 'UTC')::date + 70)::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Mine&race_distance="
	    "10000&race_date=%s&weeks=8&runs_per_week=5&long_run_day=sun"
	    "&weekly_distance=30", ids->race_date);
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303);
	resp_done(&r);
	snprintf(ids->plan, sizeof(ids->plan), "%s", db_value("SELECT id FROM"
	    " training_plans WHERE user_id = '%s'", ids->user));
	snprintf(ids->workout, sizeof(ids->workout), "%s", db_value("SELECT id"
	    " FROM workouts WHERE training_plan_id = '%s' ORDER BY"
	    " scheduled_date LIMIT 1", ids->plan));
	snprintf(ids->activity, sizeof(ids->activity), "%s", db_value(
	    "INSERT INTO strava_activities (user_id, strava_activity_id, name,"
	    " sport_type, distance, moving_time, elapsed_time,"
	    " start_date_local) SELECT '%s', 900000000000 + (random() *"
	    " 1e9)::bigint, 'Morning run', 'Run', 8000, 2400, 2450,"
	    " scheduled_date + time '07:00' FROM workouts WHERE id = '%s'"
	    " RETURNING id", ids->user, ids->workout));
	/* A pending proposal to adapt the plan (as the job worker stores
	 * one; nothing in it to apply). */
	snprintf(ids->adjustment, sizeof(ids->adjustment), "%s", db_value(
	    "INSERT INTO plan_adjustments (user_id, training_plan_id, kind,"
	    " reason, trigger_key, summary, from_date, basis, changes)"
	    " VALUES ('%s', '%s', 'replan', 'break', 'break:x:1', 'Mine',"
	    " (now() AT TIME ZONE 'UTC')::date + 1, '{}',"
	    " '{\"workouts\":[],\"phases\":[],\"old\":[]}') RETURNING id",
	    ids->user, ids->plan));
	cr_assert_eq(strlen(ids->plan), 36);
	cr_assert_eq(strlen(ids->workout), 36);
	cr_assert_eq(strlen(ids->activity), 36);
	cr_assert_eq(strlen(ids->adjustment), 36);
}

/* Club A with its people, club B's owner, a lone runner, a stranger. */
static void
fixture(struct client *v[NVIEWERS], struct ids *ids)
{
	struct client	*spare = client_new();
	struct http_resp r;
	char		 e[128], id[64], slug_b[CLUB_SLUG_LEN];
	int		 i;

	for (i = 0; i < NVIEWERS; i++)
		v[i] = client_new();
	memset(ids, 0, sizeof(*ids));
	client_signup(v[OWNER], "owner", e);
	club_new(v[OWNER], "own-a", "Club A", ids->slug);
	club_member(v[SELF], v[OWNER], ids->slug, "athlete", "self", e,
	    ids->user);
	club_member(v[COACH], v[OWNER], ids->slug, "coach", "coach", e, id);
	/* MATE's link, once used, is the replayed {token}. */
	client_signup(v[MATE], "mate", e);
	club_invite(v[OWNER], ids->slug, "athlete", ids->token);
	club_join(v[MATE], ids->slug, ids->token);
	club_member(spare, v[OWNER], ids->slug, "athlete", "spare", e,
	    ids->member);
	snprintf(ids->invitation, sizeof(ids->invitation), "%s", db_value(
	    "INSERT INTO company_invitations (company_id, role, token_hash,"
	    " expires_at) SELECT id, 'athlete', sha256(gen_random_uuid()::text"
	    "::bytea), NOW() + interval '1 day' FROM companies WHERE slug ="
	    " '%s' RETURNING id", ids->slug));
	client_signup(v[RIVAL], "rival", e);
	club_new(v[RIVAL], "own-b", "Club B", slug_b);
	client_signup(v[LONE], "lone", e);
	client_get(v[ANON], "/login", &r);	/* a pre-session CSRF token */
	resp_done(&r);
	subject_data(v[SELF], ids);
	client_free(spare);
}

/* What want says about status s and where it sent the viewer. */
static bool
as_wanted(int want, long s, const struct http_resp *r)
{
	const char *loc = resp_header_value(r, "Location");

	if (want == R)
		return s == 303 && loc != NULL && strncmp(loc, "/login", 6) == 0;
	if (want == P)
		return s == 403;
	return s == want;
}

/* One cell: the request, its answer, and nothing changed on refusal. */
static void
cell(struct client *c, const struct route_case *rc, enum viewer v,
    const struct ids *ids)
{
	struct http_resp r;
	char path[PATH_MAX_LEN], form[FORM_MAX_LEN], *before;
	int want = rc->want[v];
	long s;

	if (want == X)
		return;
	before = checksum(ids);
	expand(path, sizeof(path), rc->path, ids);
	if (strcmp(rc->method, "GET") == 0)
		s = client_get(c, path, &r);
	else if (want == P)
		s = client_req(c, "POST", path, "csrf_token=forged", NULL, &r);
	else {
		expand(form, sizeof(form), rc->form ? rc->form : "", ids);
		s = client_post(c, path, form, &r);
	}
	cr_expect(as_wanted(want, s, &r), "%s %s as %s: %ld, want %d",
	    rc->method, rc->path, viewer_names[v], s, want);
	if (want == R || want == P || s / 100 == 4) {
		char *after = checksum(ids);

		cr_expect_str_eq(after, before, "%s %s as %s (%ld) changed "
		    "SELF's data or club A", rc->method, rc->path,
		    viewer_names[v], s);
		free(after);
	}
	free(before);
	resp_done(&r);
}

Test(ownership, every_route_for_every_role, .timeout = 240)
{
	struct client	*v[NVIEWERS];
	struct ids	 ids;
	size_t		 i;
	int		 k;

	fixture(v, &ids);
	for (i = 0; i < NELEM(cases); i++)
		for (k = 0; k < NVIEWERS; k++)
			cell(v[k], &cases[i], (enum viewer)k, &ids);
	fprintf(stderr, "figure: ownership: %zu routes x %d viewers\n",
	    NELEM(cases), NVIEWERS);
	for (k = 0; k < NVIEWERS; k++)
		client_free(v[k]);
}

/* ---- every route of the table has a row --------------------------------- */

/* A pattern as a row path: {id} for a UUID, {n}, {slug}. */
static void
pattern_path(char *out, size_t n, const char *pat)
{
	static const struct { const char *cap, *name; } caps[] = {
		{ ROUTE_UUID, "{id}" }, { ROUTE_NUMBER, "{n}" },
		{ ROUTE_SLUG, "{slug}" },
	};
	size_t used = 0, k;

	while (*pat != '\0' && used + 8 < n) {
		for (k = 0; k < NELEM(caps); k++)
			if (strncmp(pat, caps[k].cap, strlen(caps[k].cap)) == 0)
				break;
		if (k < NELEM(caps)) {
			used += (size_t)snprintf(out + used, n - used, "%s",
			    caps[k].name);
			pat += strlen(caps[k].cap);
		} else {
			if (*pat == '\\')	/* "\\." in a pattern */
				pat++;
			out[used++] = *pat++;
		}
	}
	out[used] = '\0';
}

/* A row's path the same way: ids as {id}, no query string. */
static void
row_path(char *out, size_t n, const char *path)
{
	static const char *const ids[] = { "{plan}", "{workout}", "{athlete}",
	    "{member}", "{invitation}", "{activity}", "{adjustment}" };
	size_t used = 0, k;

	while (*path != '\0' && *path != '?' && used + 8 < n) {
		for (k = 0; k < NELEM(ids); k++)
			if (strncmp(path, ids[k], strlen(ids[k])) == 0)
				break;
		if (k < NELEM(ids)) {
			used += (size_t)snprintf(out + used, n - used, "{id}");
			path += strlen(ids[k]);
		} else
			out[used++] = *path++;
	}
	out[used] = '\0';
}

Test(ownership, every_route_has_a_row_and_every_row_a_route)
{
	char	 want[PATH_MAX_LEN], have[PATH_MAX_LEN];
	bool	 used[NELEM(cases)];
	size_t	 i, k;

	memset(used, 0, sizeof(used));
	for (i = 0; i < nroutes; i++) {
		pattern_path(want, sizeof(want), routes[i].pattern);
		for (k = 0; k < NELEM(cases); k++) {
			row_path(have, sizeof(have), cases[k].path);
			if (strcmp(routes[i].method, cases[k].method) == 0 &&
			    strcmp(want, have) == 0)
				break;
		}
		cr_expect(k < NELEM(cases), "%s %s has no row in the table",
		    routes[i].method, want);
		if (k < NELEM(cases))
			used[k] = true;
	}
	for (k = 0; k < NELEM(cases); k++)
		cr_expect(used[k], "row %s %s names no route", cases[k].method,
		    cases[k].path);
}

/* Signed out, an id route sends to sign-in and reveals nothing. */
Test(ownership, signed_out_is_sent_to_sign_in, .timeout = 60)
{
	struct client *a = client_new(), *anon = client_new();
	struct http_resp r;
	struct ids ids;
	char path[PATH_MAX_LEN], e[128];
	const char *loc;

	memset(&ids, 0, sizeof(ids));
	client_signup(a, "owner", e);
	snprintf(ids.user, sizeof(ids.user), "%s", user_id_of(e));
	subject_data(a, &ids);
	expand(path, sizeof(path), "/plans/{plan}/edit", &ids);
	cr_assert_eq(client_get(anon, path, &r), 303);
	loc = resp_header_value(&r, "Location");
	cr_assert(loc != NULL && strncmp(loc, "/login", 6) == 0);
	cr_assert(!resp_has(&r, "Mine"));
	resp_done(&r);
	client_free(a);
	client_free(anon);
}
