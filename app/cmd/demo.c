/*
 * build/cadence demo: creates (once) the demo runner of `make run`,
 * demo@cadence.test with password demo-runner, so every page has
 * something to show on first start.  The runner also gets (once: only
 * while it has no plan) an active half-marathon plan that started about
 * fifteen weeks ago, so the calendar and the fitness chart have months
 * of past and a future; the last week the runner was ill and did not
 * run, so the job worker proposes to adjust the plan.
 *
 * And a coach, coach@cadence.test (password demo-coach), owner of the
 * Demo Running Club (/c/demo-club/) with three athletes: the demo
 * runner and two more (ana@ and ben@cadence.test, password demo-runner)
 * who run the same plan differently, so the roster has someone on
 * track, someone who stopped and someone who skips the hard sessions.  They join by
 * the club's own invitation links, and the coach has left the demo
 * runner a comment.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/config.h"
#include "core/http.h"
#include "core/password.h"
#include "core/util.h"
#include "db/db.h"
#include "core/token.h"
#include "db/clubs.h"
#include "db/comments.h"
#include "db/demo.h"
#include "db/plans.h"
#include "domain/plan_gen.h"
#include "strava/connection.h"

#define DEMO_PASSWORD	"demo-runner"
#define DEMO_COACH_EMAIL	"coach@cadence.test"
#define DEMO_COACH_PASSWORD	"demo-coach"
#define DEMO_COACH_NAME	"Carla Reyes"
#define DEMO_CLUB_NAME	"Demo Running Club"
#define DEMO_CLUB_SLUG	"demo-club"
#define DEMO_STOPPED_DAYS	10	/* Ana has not run for this long */

/* How a demo athlete runs the plan. */
enum demo_habit {
	HABIT_STEADY,		/* nearly all of it, on pace */
	HABIT_STOPPED,		/* steady, then nothing for DEMO_STOPPED_DAYS */
	HABIT_EASY_ONLY,	/* the easy runs, never the hard sessions */
};

static const struct demo_runner {
	const char	*email, *first, *last;
	enum demo_habit	 habit;
} demo_runners[] = {
	{ "demo@cadence.test", "Demo", "Runner", HABIT_STEADY },
	{ "ana@cadence.test", "Ana", "Lima", HABIT_STOPPED },
	{ "ben@cadence.test", "Ben", "Okafor", HABIT_EASY_ONLY },
};
#define DEMO_SANDBOX_TIMEOUT_MS	10000	/* per sandbox call */
#define DEMO_SANDBOX_MAX_BODY	(1024 * 1024)	/* bytes of its answer */
#define DEMO_PLAN_WEEKS	22	/* week 1 began ... */
#define DEMO_WEEKS_PAST	15	/* ... this many weeks before this one */
#define DEMO_DAYS_OFF	7	/* no run in the last days: a cold */

/* The demo plan: a half marathon on the Sunday six weeks from now. */
static int
demo_plan(struct db *db, const char *user_id)
{
	static const struct plan_race race = { "Demo half marathon",
	    "Paris Half Marathon", "Paris", NULL };
	struct plan_input	 in = { 0 };
	struct plan		 p;
	char			 id[PLAN_ID_LEN];
	int			 has, rc;

	if ((has = plans_has_any(db, user_id)) != 0)
		return has < 0 ? -1 : 0;
	if (demo_today(db, &in.today) == -1)
		return -1;
	in.race_distance = 21097;
	in.first_day = WD_MON;
	in.race_date = date_week_start(in.today, WD_MON) +
	    7 * (DEMO_PLAN_WEEKS - 1 - DEMO_WEEKS_PAST) + WD_SUN;
	in.weeks = DEMO_PLAN_WEEKS;
	in.runs_per_week = 5;
	in.long_run_day = WD_SUN;
	in.weekly_distance_m = 35000;		/* the demo profile's */
	in.longest_run_m = 14000;
	in.recent_race_distance = 10000;
	in.recent_race_time_s = 2940;
	in.unit = UNIT_KM;
	if (plan_generate(&in, &p) != 0)
		return -1;
	rc = plans_create(db, user_id, &race, &in, &p, id);
	plan_free(&p);
	if (rc == 0)
		printf("demo: created the demo plan %s\n", id);
	return rc;
}

/* POSTs a JSON object to the sandbox's control API; its reply or NULL. */
static json_t *
sandbox_post(const struct config *cfg, const char *path, json_t *body)
{
	static const char *const headers[] = {
	    "Content-Type: application/json", NULL };
	char			 url[1100], *text = json_dumps(body, 0);
	struct http_req		 req = { .url = url, .headers = headers,
		.body = text, .max_body = DEMO_SANDBOX_MAX_BODY,
		.total_timeout_ms = DEMO_SANDBOX_TIMEOUT_MS };
	struct http_resp	 r;
	json_t			*out = NULL;

	snprintf(url, sizeof(url), "%s%s", cfg->strava_oauth_base, path);
	if (text != NULL) {
		if (http_perform(&req, &r) == HTTP_OK)
			out = json_loadb(buf_cstr(&r.body), r.body.len, 0, NULL);
		http_resp_free(&r);
	}
	free(text);
	json_decref(body);
	return out;
}

/* xorshift32: the same spread on every machine, so the demo is stable. */
static unsigned
demo_rand(unsigned *s, unsigned n)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s % n;
}

/*
 * How far a real run lands from the plan (issue 15.5): percent of the
 * planned distance, 0 for a missed workout.  Most within +-9 %, some
 * just outside (a partial run in the green band), some cut short.
 */
static int
demo_distance_pct(unsigned *s)
{
	unsigned roll = demo_rand(s, 100);

	if (roll < 8)
		return 0;				/* missed */
	if (roll < 13)
		return 55 + (int)demo_rand(s, 20);	/* cut short */
	if (roll < 15)
		return 35 + (int)demo_rand(s, 10);	/* stopped early */
	if (roll < 25)
		return demo_rand(s, 2) ? 82 + (int)demo_rand(s, 6) :
		    112 + (int)demo_rand(s, 6);		/* just outside */
	return 91 + (int)demo_rand(s, 19);		/* 91..109 */
}

/*
 * The run's average pace (s/km): easy runs in their range or a little
 * off, now and then too fast (the usual mistake); a whole interval or
 * tempo session averages well slower than its reps' pace.
 */
static int
demo_pace(unsigned *s, const struct demo_workout *w)
{
	int mid = (w->pace_fast + w->pace_slow) / 2;

	if (strcmp(w->type, "Intervals") == 0 || strcmp(w->type, "Tempo") == 0)
		return w->pace_slow + 35 + (int)demo_rand(s, 40);
	if (demo_rand(s, 100) < 15)
		return w->pace_fast - 12 - (int)demo_rand(s, 20);
	return mid - 20 + (int)demo_rand(s, 45);
}

/* Average heart rate by the kind of run, with a day's wobble. */
static int
demo_heartrate(unsigned *s, const char *type)
{
	int base = strcmp(type, "Intervals") == 0 ? 156 :
	    strcmp(type, "Tempo") == 0 ? 160 : strcmp(type, "Long") == 0 ?
	    146 : 138;

	return base + (int)demo_rand(s, 12);
}

/*
 * A sandbox athlete of the demo's own whose history is the demo plan run
 * as a real runner would: distances, paces, heart rate and climb vary
 * from run to run (demo_distance_pct, demo_pace), a few workouts are
 * missed or cut short, one recovery jog is unplanned, and nothing in the
 * last DEMO_DAYS_OFF days.  Returns the athlete id, or 0.
 */
/* The share (percent) of workout i of n the runner runs; 0: not at all. */
static int
run_share(enum demo_habit habit, const struct demo_workout *w, int i, int n,
    date_t today)
{
	if (habit == HABIT_EASY_ONLY && strcmp(w->type, "Easy") != 0 &&
	    strcmp(w->type, "Recovery") != 0)
		return 0;
	if (habit == HABIT_STOPPED && w->date >= today - DEMO_STOPPED_DAYS)
		return 0;
	if (i % 11 == 7)		/* missed now and then */
		return 0;
	/* Deterministic spread around plan: 96..104 %, one 70 %. */
	return i == n - 3 ? 70 : 96 + (i * 37) % 9;
}

static int64_t
demo_sandbox_athlete(const struct config *cfg, struct db *db, arena_t *ar,
    const char *user_id, const struct demo_runner *who)
{
	struct demo_workout	*w;
	json_t			*a, *act;
	int64_t			 id;
	int			 i, n, pct;
	unsigned		 seed = 20260315;
	long			 run_m;
	date_t			 today;
	char			 when[32], day[11];

	if (demo_today(db, &today) == -1)
		return 0;
	a = sandbox_post(cfg, "/_sandbox/athletes", json_pack("{s:s, s:s, "
	    "s:s, s:s}", "firstname", who->first, "lastname", who->last,
	    "city", "Paris", "country", "France"));
	if (a == NULL || (id = json_integer_value(json_object_get(a, "id"))) <= 0) {
		json_decref(a);
		return 0;
	}
	json_decref(a);
	if ((n = demo_past_workouts(db, ar, user_id, &w)) < 0 ||
	    demo_today(db, &today) == -1)
		return 0;
	/* The demo runner was ill: nothing run lately (a proposal to adapt
	 * the plan waits for them); the club's others run their habit. */
	while (who->habit == HABIT_STEADY && n > 0 &&
	    w[n - 1].date >= today - DEMO_DAYS_OFF)
		n--;
	for (i = 0; i < n; i++) {
		const char	*type = w[i].type;
		long		 dist = w[i].distance_m;

		/* The demo runner varies like a real one; the club's other
		 * athletes follow their habit. */
		pct = who->habit == HABIT_STEADY ? demo_distance_pct(&seed) :
		    run_share(who->habit, &w[i], i, n, today);
		if (pct == 0)
			continue;
		run_m = dist * pct / 100;
		snprintf(when, sizeof(when), "%s", i % 3 == 0 ? "18:30" : "07:15");
		date_format(w[i].date, day);
		act = sandbox_post(cfg, "/_sandbox/activities", json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i, s:i}",
		    "athlete_id", (json_int_t)id,
		    "name", strcmp(type, "Long") == 0 ? "Sunday long run" :
		    strcmp(type, "Intervals") == 0 ? "Track intervals" :
		    strcmp(type, "Tempo") == 0 ? "Tempo run" : "Easy run",
		    "sport_type", "Run", "date", day, "time", when,
		    "timezone", DEMO_TIMEZONE,
		    "distance", (json_int_t)run_m,
		    "moving_time", (json_int_t)(run_m * demo_pace(&seed, &w[i]) /
		    1000),
		    "average_heartrate", demo_heartrate(&seed, type),
		    "total_elevation_gain", 10 + (int)demo_rand(&seed, 110)));
		json_decref(act);
	}
	if (n > 4 && who->habit == HABIT_STEADY) {	/* a rest-day jog */
		date_format(w[n - 4].date, day);
		json_decref(sandbox_post(cfg, "/_sandbox/activities", json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:i, s:i}", "athlete_id",
		    (json_int_t)id, "name", "Shake-out jog", "sport_type", "Run",
		    "date", day, "time", "12:10", "distance",
		    3200, "moving_time", 1150)));
	}
	return id;
}

/*
 * With the Strava sandbox, the demo runner gets a sandbox athlete whose
 * runs follow the demo plan, is connected to it through the real OAuth
 * flow (the consent form approved as a browser would) and the history
 * import is queued, so the calendar shows matched runs once the job
 * worker has run.  Idempotent: a runner already linked is left alone; a
 * failure is reported but never fatal.
 */
static int
demo_strava(const struct config *cfg, struct db *db, arena_t *a,
    const char *user_id, const struct demo_runner *who)
{
	char		 code[256], err[256] = "";
	int		 linked;
	int64_t		 athlete;

	if (!cfg->sandbox)
		return 0;
	if ((linked = demo_strava_linked(db, user_id)) != 0)
		return linked < 0 ? 1 : 0;
	if ((athlete = demo_sandbox_athlete(cfg, db, a, user_id, who)) == 0 ||
	    strava_sandbox_authorize(cfg, athlete, code, sizeof(code),
	    err, sizeof(err)) == -1 ||
	    strava_connect_code(cfg, db, user_id, code, STRAVA_SCOPE, err,
	    sizeof(err)) != CONNECT_OK) {
		fprintf(stderr, "demo: Strava sandbox not connected: %s\n", err);
		return 0;
	}
	printf("demo: connected to Strava sandbox athlete %lld; importing\n",
	    (long long)athlete);
	return 0;
}

/* The demo plan, then the sandbox athlete: the exit status. */
static int
demo_runner_data(const struct config *cfg, struct db *db, arena_t *a,
    const char *user_id, const struct demo_runner *who)
{
	return demo_plan(db, user_id) == 0 ?
	    demo_strava(cfg, db, a, user_id, who) : 1;
}

/* Finds or creates the runner of email: 1 into *id (new: *created), -1. */
static int
demo_account(struct db *db, arena_t *a, const char *email, const char *name,
    const char *password, const char **id)
{
	char	hash[PASSWORD_HASH_MAX];
	int	found;

	if ((found = demo_find_runner(db, a, email, id)) != 0)
		return found;
	if (password_hash(password, hash) != 0 ||
	    demo_create_runner(db, a, email, name, hash, id) == -1)
		return -1;
	printf("demo: created %s (password %s)\n", email, password);
	return 1;
}

/* The athlete joins the club by an invitation link, as anyone would. */
static int
demo_join(struct db *db, arena_t *a, const char *club_id,
    const char *coach_id, const char *athlete_id)
{
	char		 token[TOKEN_HEX_LEN], hash[TOKEN_HEX_LEN];
	const char	*inv;

	token_new(token);
	token_hash(token, hash);
	if (clubs_invite(db, a, club_id, coach_id, ROLE_ATHLETE, "Demo",
	    hash, &inv) != 1)
		return -1;
	return clubs_join(db, DEMO_CLUB_SLUG, hash, athlete_id) ==
	    CLUBS_JOIN_FAILED ? -1 : 0;
}

/*
 * The coach's club with the athletes in it, made once (while the coach
 * has none); the coach comments on the demo runner's last workout.
 */
static int
demo_club(struct db *db, arena_t *a, const char *const athletes[],
    size_t n)
{
	const char	*coach, *club, *workout;
	size_t		 i;

	if (demo_account(db, a, DEMO_COACH_EMAIL, DEMO_COACH_NAME,
	    DEMO_COACH_PASSWORD, &coach) == -1)
		return 1;
	switch (clubs_create(db, coach, DEMO_CLUB_NAME, DEMO_CLUB_SLUG)) {
	case CLUBS_CREATED:
		break;
	case CLUBS_NOT_ALONE:		/* made by an earlier run */
		return 0;
	case CLUBS_SLUG_TAKEN:
		fprintf(stderr, "demo: /c/" DEMO_CLUB_SLUG "/ is someone "
		    "else's: no demo club\n");
		return 0;
	default:
		return 1;
	}
	if (demo_club_id(db, a, DEMO_CLUB_SLUG, &club) != 1)
		return 1;
	for (i = 0; i < n; i++)
		if (demo_join(db, a, club, coach, athletes[i]) == -1)
			return 1;
	if (demo_recent_workout(db, a, athletes[0], &workout) == 1 &&
	    comments_add(db, athletes[0], workout, coach, "Nice and steady: "
	    "that is exactly the effort I want on these days. How did your "
	    "legs feel?") == -1)
		return 1;
	printf("demo: %s coaches %zu athletes in /c/" DEMO_CLUB_SLUG "/ "
	    "(password %s)\n", DEMO_COACH_EMAIL, n, DEMO_COACH_PASSWORD);
	return 0;
}

int
cmd_demo(int argc, char **argv)
{
	struct config	 cfg;
	struct db	*db;
	arena_t		 a;
	char		 err[512], name[64];
	const char	*ids[NELEM(demo_runners)];
	size_t		 i;
	int		 rc = 0;

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "cadence: %s\n", err);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	db = db_new(cfg.database_url);
	arena_init(&a);
	for (i = 0; i < NELEM(demo_runners) && rc == 0; i++) {
		const struct demo_runner *who = &demo_runners[i];

		snprintf(name, sizeof(name), "%s %s", who->first, who->last);
		if (demo_account(db, &a, who->email, name, DEMO_PASSWORD,
		    &ids[i]) == -1)
			rc = 1;
		else
			rc = demo_runner_data(&cfg, db, &a, ids[i], who);
	}
	if (rc == 0)
		rc = demo_club(db, &a, ids, NELEM(demo_runners));
	arena_free(&a);
	db_free(db);
	return rc;
}
