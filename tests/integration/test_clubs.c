/*
 * Clubs (issue 18) through nginx, as people use them:
 *
 *   a new coach starts a club, invites two runners who each sign up
 *   from the link, sees them on the roster with their compliance, opens
 *   an athlete's calendar, week and workout, comments on a workout and
 *   adjusts one, and the runner sees both and answers;
 *
 * and what must not happen: an invitation replayed, used for another
 * club, expired or withdrawn; two runners using one link at once; a
 * coach still seeing a runner who left or was removed; a coach's pages
 * carrying the runner's Strava tokens or calendar-feed address; an
 * athlete seeing the club's other athletes.  (test_ownership.c checks
 * every route for every role.)
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "clubs_helpers.h"
#include "core/util.h"

#define PATH_LEN	256
#define FORM_LEN	1024

TestSuite(clubs, .timeout = 180);

static char *
body_of(struct client *c, const char *path, long want)
{
	struct http_resp r;
	char *s;

	cr_assert_eq(client_get(c, path, &r), want, "GET %s: %ld", path,
	    r.status);
	s = strdup(buf_cstr(&r.body));
	resp_done(&r);
	return s;
}

static long
status_of(struct client *c, const char *method, const char *path,
    const char *form)
{
	struct http_resp r;
	long s = strcmp(method, "GET") == 0 ? client_get(c, path, &r) :
	    client_post(c, path, form, &r);

	resp_done(&r);
	return s;
}

/* The value of the form field name in body (static buffer). */
static const char *
field(const char *body, const char *name)
{
	static char	 v[1024];
	char		 key[128];
	const char	*p;

	snprintf(key, sizeof(key), "name=\"%s\" value=\"", name);
	if ((p = strstr(body, key)) == NULL)
		return "";
	p += strlen(key);
	snprintf(v, sizeof(v), "%.*s", (int)strcspn(p, "\""), p);
	return v;
}

/*
 * A runner who has never used Cadence opens the invitation link, signs
 * up from it, signs in and lands back on it, and joins.
 */
static void
sign_up_from_link(struct client *c, const char *slug, const char *token,
    const char *name, char email[128])
{
	static int	 n;
	struct http_resp r;
	char		 form[FORM_LEN], next[256], *page;
	const char	*loc;

	/* Lower case: emails are stored folded. */
	snprintf(email, 128, "%c%s-%d-%d@test.cadence", name[0] | 0x20,
	    name + 1, (int)getpid(), n++);
	page = body_of(c, club_link(slug, token), 200);
	cr_assert(strstr(page, "Create your account") != NULL);
	snprintf(next, sizeof(next), "%s", field(page, "next"));
	cr_assert_str_eq(next, club_link(slug, token));
	free(page);
	snprintf(form, sizeof(form), "name=%s&email=%s&password=%s&next=%s",
	    name, urlenc(email), urlenc(TEST_PASSWORD), urlenc(next));
	cr_assert_eq(client_post(c, "/signup", form, &r), 303);
	loc = resp_header_value(&r, "Location");
	cr_assert(loc != NULL && strncmp(loc, "/login?next=", 12) == 0,
	    "after sign-up: %s", loc ? loc : "(none)");
	page = body_of(c, loc, 200);
	resp_done(&r);
	cr_assert_str_eq(field(page, "next"), next, "sign-in forgot the link");
	free(page);
	snprintf(form, sizeof(form), "email=%s&password=%s&next=%s",
	    urlenc(email), urlenc(TEST_PASSWORD), urlenc(next));
	cr_assert_eq(client_post(c, "/login", form, &r), 303);
	cr_assert_str_eq(resp_header_value(&r, "Location"), next);
	resp_done(&r);
	club_join(c, slug, token);
}

/* A plan that started two weeks ago, through the form at path. */
static void
plan_at(struct client *c, const char *path, const char *race)
{
	char form[FORM_LEN];

	/* One query: db_value's buffer holds one answer at a time. */
	snprintf(form, sizeof(form), "race_name=%s&race_distance=10000"
	    "&runs_per_week=4&long_run_day=sun&weekly_distance=30%s", race,
	    db_value("SELECT '&race_date=' || (CURRENT_DATE + 63) ||"
	    " '&start_date=' || (CURRENT_DATE - 14)"));
	struct http_resp r;
	const char	*err;

	free(body_of(c, path, 200));
	if (client_post(c, path, form, &r) != 303) {
		err = strstr(buf_cstr(&r.body), "field-error");
		cr_assert_fail("plan at %s: %ld %.200s", path, r.status,
		    err ? err : buf_cstr(&r.body));
	}
	resp_done(&r);
}

/* Every past workout of user's active plan done, as its run arrived. */
static void
run_every_past_workout(const char *user)
{
	db_exec_sql("WITH w AS (SELECT w.id, w.scheduled_date, w.distance"
	    "  FROM workouts w JOIN training_plans p ON p.id = w.training_plan_id"
	    " WHERE p.user_id = '%1$s' AND p.is_active"
	    "   AND w.scheduled_date < CURRENT_DATE),"
	    " a AS (INSERT INTO strava_activities (user_id, strava_activity_id,"
	    "   name, sport_type, distance, moving_time, elapsed_time,"
	    "   start_date_local)"
	    " SELECT '%1$s', 800000000000 + (random() * 1e11)::bigint, w.id::text,"
	    "   'Run', w.distance, w.distance * 0.36, w.distance * 0.37,"
	    "   w.scheduled_date + time '07:00' FROM w RETURNING id, name)"
	    " INSERT INTO workout_completions (workout_id, strava_activity_id)"
	    " SELECT a.name::uuid, a.id FROM a", user);
	db_exec_sql("UPDATE users SET strava_athlete_id = 700000000 +"
	    " (random() * 1e8)::bigint WHERE id = '%s'", user);
}

static const char *
active_plan(const char *user)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM training_plans"
	    " WHERE user_id = '%s' AND is_active", user));
	cr_assert_eq(strlen(id), 36, "no active plan");
	return id;
}

/* A workout of plan: the last before today, or the first after. */
static const char *
workout_of(const char *plan, bool past)
{
	static char id[64];

	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND scheduled_date %s CURRENT_DATE"
	    " ORDER BY scheduled_date %s, id LIMIT 1", plan, past ? "<" : ">",
	    past ? "DESC" : "ASC"));
	cr_assert_eq(strlen(id), 36);
	return id;
}

Test(clubs, a_new_coach_invites_two_runners_and_coaches_them)
{
	struct client	*coach = client_new(), *ana = client_new();
	struct client	*ben = client_new();
	char		 slug[CLUB_SLUG_LEN], t1[CLUB_TOKEN_LEN];
	char		 t2[CLUB_TOKEN_LEN], cemail[128], aemail[128];
	char		 bemail[128], ana_id[64], ben_id[64], path[PATH_LEN];
	char		 plan[64], wpast[64], wnext[64], *page, *a, *b;

	/* The coach starts a club and makes two invitation links. */
	client_signup(coach, "coach", cemail);
	club_new(coach, "harbour", "Harbour <Runners>", slug);
	snprintf(path, sizeof(path), "/c/%s/", slug);
	page = body_of(coach, path, 200);
	cr_assert(strstr(page, "Harbour &lt;Runners&gt;") != NULL);
	cr_assert(strstr(page, "No athletes yet") != NULL);
	free(page);
	club_invite(coach, slug, "athlete", t1);
	club_invite(coach, slug, "athlete", t2);

	/* Each runner signs up from their link and joins. */
	sign_up_from_link(ana, slug, t1, "Ana", aemail);
	sign_up_from_link(ben, slug, t2, "Ben", bemail);
	snprintf(ana_id, sizeof(ana_id), "%s", user_id_of(aemail));
	snprintf(ben_id, sizeof(ben_id), "%s", user_id_of(bemail));
	page = body_of(ana, path, 200);
	cr_assert(strstr(page, "Who can see your training") != NULL);
	cr_assert(strstr(page, "Test Runner") != NULL, "the coach is named");
	cr_assert(strstr(page, "Ben") == NULL, "an athlete sees another");
	free(page);

	/* The coach plans for Ana; Ben plans for himself.  Ana runs it all. */
	snprintf(path, sizeof(path), "/c/%s/athletes/%s/plans/new", slug,
	    ana_id);
	plan_at(coach, path, "Harbour+10K");
	plan_at(ben, "/plans/new", "Own+10K");
	snprintf(plan, sizeof(plan), "%s", active_plan(ana_id));
	run_every_past_workout(ana_id);

	/* The roster: both, Ben (missed workouts, no Strava) first. */
	snprintf(path, sizeof(path), "/c/%s/", slug);
	page = body_of(coach, path, 200);
	a = strstr(page, ">Ana</a>");
	b = strstr(page, ">Ben</a>");
	cr_assert(a != NULL && b != NULL, "both on the roster");
	cr_expect(b < a, "who needs attention comes first");
	cr_expect(strstr(page, "1 need attention") != NULL);
	cr_expect(strstr(page, "Missed workouts") != NULL ||
	    strstr(page, "Missed key workouts") != NULL);
	cr_expect(strstr(page, "No Strava link") != NULL);
	cr_expect(strstr(a, "Missed, last 2 weeks</dt><dd>0 key, 0 other") !=
	    NULL, "Ana ran everything");
	free(page);

	/* Ana's calendar, a week and a workout, read-only for the coach. */
	snprintf(path, sizeof(path), "/plans/%s", plan);
	page = body_of(coach, path, 200);
	cr_assert(strstr(page, "class=\"viewing\"") != NULL);
	cr_assert(strstr(page, "calendar.ics") == NULL, "the feed is Ana's");
	free(page);
	snprintf(path, sizeof(path), "/plans/%s/weeks/2", plan);
	free(body_of(coach, path, 200));
	snprintf(wpast, sizeof(wpast), "%s", workout_of(plan, true));
	snprintf(wnext, sizeof(wnext), "%s", workout_of(plan, false));
	snprintf(path, sizeof(path), "/workouts/%s", wpast);
	page = body_of(coach, path, 200);
	cr_assert(strstr(page, "Adjust this workout") != NULL);
	cr_assert(strstr(page, "/note\"") == NULL, "Ana's note form");
	cr_assert(strstr(page, "/unmatch\"") == NULL, "Ana's match forms");
	free(page);

	/* The coach comments; Ana sees it there and on her dashboard. */
	snprintf(path, sizeof(path), "/workouts/%s/comments", wpast);
	cr_assert_eq(status_of(coach, "POST", path, "body=Lovely+even+"
	    "pacing%2C+Ana."), 303);
	snprintf(path, sizeof(path), "/workouts/%s", wpast);
	page = body_of(ana, path, 200);
	cr_assert(strstr(page, "Lovely even pacing, Ana.") != NULL);
	cr_assert(strstr(page, "Answer your coach") != NULL);
	free(page);
	page = body_of(ana, "/", 200);
	cr_assert(strstr(page, "From your coach") != NULL);
	cr_assert(strstr(page, "Lovely even pacing, Ana.") != NULL);
	free(page);
	/* She answers; the coach reads it. */
	snprintf(path, sizeof(path), "/workouts/%s/comments", wpast);
	cr_assert_eq(status_of(ana, "POST", path, "body=Thanks%21+Legs+felt+"
	    "fresh."), 303);
	snprintf(path, sizeof(path), "/workouts/%s", wpast);
	page = body_of(coach, path, 200);
	cr_assert(strstr(page, "Thanks! Legs felt fresh.") != NULL);
	free(page);

	/* The coach shortens a workout: Ana sees it was the coach. */
	snprintf(path, sizeof(path), "/workouts/%s/edit", wnext);
	cr_assert_eq(status_of(coach, "POST", path, "distance=5"), 303);
	cr_assert_str_eq(db_value("SELECT distance || ' ' || (adjusted_by ="
	    " '%s') FROM workouts WHERE id = '%s'", user_id_of(cemail), wnext),
	    "5000 true");
	snprintf(path, sizeof(path), "/workouts/%s", wnext);
	page = body_of(ana, path, 200);
	cr_assert(strstr(page, "adjusted by Test Runner (coach)") != NULL);
	free(page);
	/* Her own change clears the coach's mark. */
	snprintf(path, sizeof(path), "/workouts/%s/edit", wnext);
	cr_assert_eq(status_of(ana, "POST", path, "distance=6"), 303);
	cr_assert_str_eq(db_value("SELECT adjusted_by IS NULL FROM workouts"
	    " WHERE id = '%s'", wnext), "t");

	/* The club's name on its members' pages. */
	page = body_of(ben, "/plans", 200);
	cr_assert(strstr(page, "class=\"club-strip\"") != NULL);
	cr_assert(strstr(page, "Harbour &lt;Runners&gt;") != NULL);
	free(page);
	client_free(coach);
	client_free(ana);
	client_free(ben);
}

/* ---- invitations ---------------------------------------------------------- */

static long
join_status(struct client *c, const char *slug, const char *token)
{
	char path[128], form[96];

	snprintf(path, sizeof(path), "/c/%s/join", slug);
	snprintf(form, sizeof(form), "t=%s", token);
	free(body_of(c, "/settings", 200));	/* the session's CSRF token */
	return status_of(c, "POST", path, form);
}

Test(clubs, an_invitation_works_once_for_its_own_club_until_it_expires)
{
	struct client	*owner = client_new(), *other = client_new();
	struct client	*x = client_new(), *y = client_new(), *anon =
			    client_new();
	char		 slug[CLUB_SLUG_LEN], oslug[CLUB_SLUG_LEN];
	char		 t[CLUB_TOKEN_LEN], t2[CLUB_TOKEN_LEN], e[128];

	client_signup(owner, "owner", e);
	club_new(owner, "alpha", "Alpha", slug);
	client_signup(other, "other", e);
	club_new(other, "beta", "Beta", oslug);
	client_signup(x, "x", e);
	client_signup(y, "y", e);
	club_invite(owner, slug, "athlete", t);

	/* Stored as its SHA-256 only. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM company_invitations"
	    " WHERE token_hash = sha256(convert_to('%s', 'UTF8'))", t), "1");
	cr_assert_str_eq(db_value("SELECT count(*) FROM company_invitations"
	    " WHERE position(convert_to('%s', 'UTF8') IN token_hash) > 0"
	    "    OR label LIKE '%%%s%%'", t, t), "0");

	/* Another club's address: nothing there, and nothing used up. */
	cr_assert_eq(status_of(anon, "GET", club_link(oslug, t), NULL), 404);
	cr_assert_eq(join_status(y, oslug, t), 404);
	cr_assert_str_eq(db_value("SELECT company_role || ' ' || c.personal"
	    " FROM users u JOIN companies c ON c.id = u.company_id"
	    " WHERE u.email = '%s'", e), "owner true");

	/* Used once... */
	club_join(x, slug, t);
	/* ...then never again, signed in or not. */
	cr_assert_eq(status_of(anon, "GET", club_link(slug, t), NULL), 404);
	cr_assert_eq(join_status(y, slug, t), 404);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users u JOIN companies"
	    " c ON c.id = u.company_id WHERE c.slug = '%s'", slug), "2");

	/* Expired, or withdrawn by the owner: the same 404. */
	club_invite(owner, slug, "athlete", t2);
	db_exec_sql("UPDATE company_invitations SET expires_at = NOW() -"
	    " interval '1 second' WHERE token_hash = sha256(convert_to('%s',"
	    " 'UTF8'))", t2);
	cr_assert_eq(join_status(y, slug, t2), 404);
	club_invite(owner, slug, "coach", t2);
	{
		char	 path[160];
		const char *id = db_value("SELECT id FROM company_invitations"
		    " WHERE token_hash = sha256(convert_to('%s', 'UTF8'))", t2);

		snprintf(path, sizeof(path), "/c/%s/invitations/%s/revoke",
		    slug, id);
		free(body_of(owner, "/settings", 200));
		cr_assert_eq(status_of(owner, "POST", path, ""), 303);
		cr_assert_eq(status_of(owner, "POST", path, ""), 404,
		    "revoked twice");
	}
	cr_assert_eq(join_status(y, slug, t2), 404);
	/* A member of one club cannot join another before leaving. */
	club_invite(other, oslug, "athlete", t2);
	cr_assert_eq(join_status(x, oslug, t2), 409);
	client_free(owner);
	client_free(other);
	client_free(x);
	client_free(y);
	client_free(anon);
}

struct racer {
	struct client	*c;
	const char	*path, *form;
	long		 status;
};

static void *
race(void *arg)
{
	struct racer *r = arg;

	r->status = status_of(r->c, "POST", r->path, r->form);
	return NULL;
}

/* Two runners press "Join" with one link at the same moment: one joins. */
Test(clubs, one_link_used_at_once_by_two_joins_one)
{
	struct client	*owner = client_new();
	struct racer	 r[2];
	pthread_t	 th[2];
	char		 slug[CLUB_SLUG_LEN], t[CLUB_TOKEN_LEN], e[128];
	char		 path[128], form[96];
	int		 i, joined = 0;

	client_signup(owner, "owner", e);
	club_new(owner, "race", "Race", slug);
	club_invite(owner, slug, "athlete", t);
	snprintf(path, sizeof(path), "/c/%s/join", slug);
	snprintf(form, sizeof(form), "t=%s", t);
	for (i = 0; i < 2; i++) {
		r[i].c = client_new();
		client_signup(r[i].c, "racer", e);
		free(body_of(r[i].c, "/settings", 200));
		r[i].path = path;
		r[i].form = form;
	}
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, race, &r[i]);
	for (i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		joined += r[i].status == 303;
		cr_expect(r[i].status == 303 || r[i].status == 404, "%ld",
		    r[i].status);
		client_free(r[i].c);
	}
	cr_assert_eq(joined, 1);
	cr_assert_str_eq(db_value("SELECT count(*) FROM users u JOIN companies"
	    " c ON c.id = u.company_id WHERE c.slug = '%s'", slug), "2");
	client_free(owner);
}

/* ---- leaving ------------------------------------------------------------- */

/* Everything a runner has, as one checksum. */
static char *
holdings(const char *user)
{
	return strdup(db_value("SELECT md5("
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM training_plans t WHERE t.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workouts t JOIN training_plans p"
	    "      ON p.id = t.training_plan_id WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM workout_comments t JOIN workouts w ON w.id = t.workout_id"
	    "    JOIN training_plans p ON p.id = w.training_plan_id"
	    "   WHERE p.user_id = '%1$s') ||"
	    " (SELECT coalesce(string_agg(t::text, '|' ORDER BY t.id), '')"
	    "    FROM strava_activities t WHERE t.user_id = '%1$s'))", user));
}

Test(clubs, who_leaves_keeps_their_data_and_their_coach_loses_sight)
{
	struct client	*owner = client_new(), *coach = client_new();
	struct client	*a = client_new(), *b = client_new();
	char		 slug[CLUB_SLUG_LEN], e[128], ce[128], aid[64], bid[64];
	char		 cid[64], path[PATH_LEN], plan[64], *before, *page;

	client_signup(owner, "owner", e);
	club_new(owner, "leave", "Leavers", slug);
	club_member(coach, owner, slug, "coach", "coach", ce, cid);
	club_member(a, owner, slug, "athlete", "a", e, aid);
	club_member(b, owner, slug, "athlete", "b", e, bid);
	plan_at(a, "/plans/new", "Mine");
	snprintf(plan, sizeof(plan), "%s", active_plan(aid));
	snprintf(path, sizeof(path), "/workouts/%s/comments",
	    workout_of(plan, true));
	cr_assert_eq(status_of(coach, "POST", path, "body=Hi"), 303);
	snprintf(path, sizeof(path), "/plans/%s", plan);
	cr_assert_eq(status_of(coach, "GET", path, NULL), 200);

	/* The athlete leaves: the coach sees nothing of theirs any more. */
	before = holdings(aid);
	snprintf(path, sizeof(path), "/c/%s/leave", slug);
	cr_assert_eq(status_of(a, "POST", path, ""), 303);
	cr_assert_str_eq(holdings(aid), before, "leaving changed their data");
	free(before);
	snprintf(path, sizeof(path), "/plans/%s", plan);
	cr_assert_eq(status_of(coach, "GET", path, NULL), 404);
	cr_assert_eq(status_of(owner, "GET", path, NULL), 404);
	cr_assert_eq(status_of(a, "GET", path, NULL), 200, "still theirs");
	snprintf(path, sizeof(path), "/c/%s/", slug);
	cr_assert_eq(status_of(a, "GET", path, NULL), 404);
	page = body_of(coach, path, 200);
	cr_assert(strstr(page, aid) == NULL, "left, still on the roster");
	free(page);
	page = body_of(a, "/plans", 200);
	cr_assert(strstr(page, "club-strip") == NULL);
	free(page);

	/* The owner removes the other; the owner cannot leave. */
	snprintf(path, sizeof(path), "/c/%s/members/%s/remove", slug, bid);
	free(body_of(owner, "/settings", 200));
	cr_assert_eq(status_of(coach, "POST", path, ""), 404, "only the owner");
	cr_assert_eq(status_of(owner, "POST", path, ""), 303);
	cr_assert_eq(status_of(owner, "POST", path, ""), 404);
	snprintf(path, sizeof(path), "/c/%s/athletes/%s", slug, bid);
	cr_assert_eq(status_of(coach, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/c/%s/leave", slug);
	cr_assert_eq(status_of(owner, "POST", path, ""), 422);
	client_free(owner);
	client_free(coach);
	client_free(a);
	client_free(b);
}

/* An owner who deletes their account dissolves the club, not its data. */
Test(clubs, a_deleted_owner_leaves_no_club_behind)
{
	struct client	*owner = client_new(), *a = client_new();
	char		 slug[CLUB_SLUG_LEN], e[128], aid[64], path[PATH_LEN];
	char		*before;

	client_signup(owner, "owner", e);
	club_new(owner, "gone", "Gone", slug);
	club_member(a, owner, slug, "athlete", "a", e, aid);
	plan_at(a, "/plans/new", "Mine");
	before = holdings(aid);
	free(body_of(owner, "/settings", 200));
	cr_assert_eq(status_of(owner, "POST", "/settings/delete", "password="
	    "correct+horse+battery&confirm=yes"), 303);
	cr_assert_str_eq(db_value("SELECT count(*) FROM companies WHERE slug ="
	    " '%s'", slug), "0");
	cr_assert_str_eq(db_value("SELECT company_role || ' ' || c.personal"
	    " FROM users u JOIN companies c ON c.id = u.company_id"
	    " WHERE u.id = '%s'", aid), "owner true");
	cr_assert_str_eq(holdings(aid), before);
	free(before);
	snprintf(path, sizeof(path), "/c/%s/", slug);
	cr_assert_eq(status_of(a, "GET", path, NULL), 404);
	/* No company is left without a runner. */
	cr_assert_str_eq(db_value("SELECT count(*) FROM companies c WHERE NOT"
	    " EXISTS (SELECT 1 FROM users u WHERE u.company_id = c.id OR"
	    " u.personal_company_id = c.id)"), "0");
	client_free(owner);
	client_free(a);
}

/* No page grows without bound: comments per workout, links waiting. */
Test(clubs, comments_and_waiting_links_are_bounded)
{
	struct client	*coach = client_new(), *a = client_new();
	char		 slug[CLUB_SLUG_LEN], e[128], aid[64], path[PATH_LEN];
	char		 w[64];
	struct http_resp r;

	client_signup(coach, "coach", e);
	club_new(coach, "bounded", "Bounded", slug);
	club_member(a, coach, slug, "athlete", "a", e, aid);
	plan_at(a, "/plans/new", "Mine");
	snprintf(w, sizeof(w), "%s", workout_of(active_plan(aid), true));
	db_exec_sql("INSERT INTO workout_comments (workout_id, author_id, body)"
	    " SELECT '%s', '%s', 'x' FROM generate_series(1, 199)", w, aid);
	snprintf(path, sizeof(path), "/workouts/%s/comments", w);
	cr_assert_eq(status_of(coach, "POST", path, "body=The+200th"), 303);
	cr_assert_eq(status_of(coach, "POST", path, "body=One+more"), 422);
	cr_assert_str_eq(db_value("SELECT count(*) FROM workout_comments"
	    " WHERE workout_id = '%s'", w), "200");

	db_exec_sql("INSERT INTO company_invitations (company_id, role,"
	    " token_hash, expires_at) SELECT c.id, 'athlete',"
	    " sha256(gen_random_uuid()::text::bytea), NOW() + interval '1 day'"
	    " FROM companies c, generate_series(1, 50) WHERE c.slug = '%s'",
	    slug);
	snprintf(path, sizeof(path), "/c/%s/invitations", slug);
	cr_assert_eq(client_post(coach, path, "role=athlete", &r), 422);
	cr_assert(resp_has(&r, "50 links are waiting already"));
	resp_done(&r);
	client_free(coach);
	client_free(a);
}

/* ---- what never leaves the runner ----------------------------------------- */

Test(clubs, tokens_and_the_feed_address_never_reach_the_coach)
{
	struct client	*coach = client_new(), *a = client_new();
	char		 slug[CLUB_SLUG_LEN], e[128], aid[64], plan[64];
	char		 feed[65], paths[8][PATH_LEN];
	size_t		 i;

	client_signup(coach, "coach", e);
	club_new(coach, "tokens", "Tokens", slug);
	club_member(a, coach, slug, "athlete", "a", e, aid);
	plan_at(a, "/plans/new", "Mine");
	snprintf(plan, sizeof(plan), "%s", active_plan(aid));
	cr_assert(client_feed_token(a, plan, feed));
	db_exec_sql("UPDATE users SET strava_athlete_id = 712345678,"
	    " strava_access_token = 'SECRET-ACCESS-zq81',"
	    " strava_refresh_token = 'SECRET-REFRESH-zq81' WHERE id = '%s'",
	    aid);
	/* Every page a coach has of the athlete. */
	snprintf(paths[0], PATH_LEN, "/c/%s/", slug);
	snprintf(paths[1], PATH_LEN, "/c/%s/members", slug);
	snprintf(paths[2], PATH_LEN, "/c/%s/athletes/%s", slug, aid);
	snprintf(paths[3], PATH_LEN, "/plans/%s", plan);
	snprintf(paths[4], PATH_LEN, "/plans/%s/weeks/1", plan);
	snprintf(paths[5], PATH_LEN, "/plans/%s/export.csv", plan);
	snprintf(paths[6], PATH_LEN, "/plans/%s/edit", plan);
	snprintf(paths[7], PATH_LEN, "/workouts/%s", workout_of(plan, true));
	for (i = 0; i < NELEM(paths); i++) {
		char *page = body_of(coach, paths[i], 200);

		cr_expect(strstr(page, "SECRET-") == NULL, "%s shows a token",
		    paths[i]);
		cr_expect(strstr(page, feed) == NULL, "%s shows the feed",
		    paths[i]);
		free(page);
	}
	/* The coach's own Strava pages are the coach's. */
	cr_assert(!client_feed_token(coach, plan, feed));
	client_free(coach);
	client_free(a);
}
