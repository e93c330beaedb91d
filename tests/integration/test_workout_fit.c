/*
 * "Download for my watch" (GET /workouts/{id}/workout.fit, issue 17)
 * through nginx and the pool: a FIT workout file of the workout's steps,
 * as an attachment, that a FIT reader accepts (header and file CRCs,
 * file_id of type workout, the workout's step count, its repeat), read
 * with Cadence's own strict decoder (files/fit.h, itself checked against
 * gpsbabel and Garmin's SDK in the unit tests).  The runner's club coach
 * may download it too (access rules: reading); another runner gets 404
 * (the ownership suite covers every role).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "files/fit.h"

static struct client *c;

static void setup(void) { c = client_new(); }
static void teardown(void) { client_free(c); }

TestSuite(workout_fit, .init = setup, .fini = teardown, .timeout = 120);

struct fit_read {
	uint64_t	file_type;
	uint64_t	nsteps;		/* workout.num_valid_steps */
	int		steps;		/* workout_step messages */
	uint64_t	repeats;	/* a repeat step's count, 0: none */
};

static int
on_msg(void *ctx, const struct fit_msg *m, char *err, size_t errlen)
{
	struct fit_read	*r = ctx;
	uint64_t	 v;

	(void)err;
	(void)errlen;
	if (m->global == FIT_MESG_FILE_ID)
		fit_get_u(m, 0, &r->file_type);
	else if (m->global == FIT_MESG_WORKOUT)
		fit_get_u(m, 6, &r->nsteps);
	else if (m->global == FIT_MESG_WORKOUT_STEP) {
		r->steps++;
		/* duration_type 6: repeat until steps complete, target_value
		 * the count. */
		if (fit_get_u(m, 1, &v) && v == 6)
			fit_get_u(m, 4, &r->repeats);
	}
	return 0;
}

static void
new_plan(char user[64], char plan[64])
{
	struct http_resp	r;
	char			email[128], form[1024], race[16];

	client_signup(c, "watch", email);
	snprintf(user, 64, "%s", db_value("SELECT id FROM users WHERE email ="
	    " '%s'", email));
	snprintf(race, sizeof(race), "%s", db_value("SELECT (current_date +"
	    " 70)::text"));
	snprintf(form, sizeof(form), "name=Mine&race_name=Half&race_distance="
	    "21097&race_date=%s&runs_per_week=5&long_run_day=sun"
	    "&weekly_distance=50&longest_run=16&recent_race_distance=10000"
	    "&recent_race_time=45:00", race);
	cr_assert_eq(client_post(c, "/plans/new", form, &r), 303);
	resp_done(&r);
	snprintf(plan, 64, "%s", db_value("SELECT id FROM training_plans WHERE"
	    " user_id = '%s'", user));
	cr_assert_eq(strlen(plan), 36);
}

Test(workout_fit, an_interval_workout_downloads_as_a_fit_workout_file)
{
	struct http_resp	r;
	struct fit_read		fr;
	char			user[64], plan[64], id[64], path[128], err[160];
	char			other[128];
	long			reps;

	new_plan(user, plan);
	snprintf(id, sizeof(id), "%s", db_value("SELECT id FROM workouts WHERE"
	    " training_plan_id = '%s' AND description ~ '\\{R:[0-9]+:'"
	    " ORDER BY scheduled_date LIMIT 1", plan));
	cr_assert_eq(strlen(id), 36, "the plan has no reps workout");
	reps = atol(db_value("SELECT substring(description FROM"
	    " '\\{R:([0-9]+):') FROM workouts WHERE id = '%s'", id));
	/* The workout page links it. */
	snprintf(path, sizeof(path), "/workouts/%s", id);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert(resp_has(&r, "/workout.fit\" download>Download for my "
	    "watch"));
	resp_done(&r);
	snprintf(path, sizeof(path), "/workouts/%s/workout.fit", id);
	cr_assert_eq(client_get(c, path, &r), 200);
	cr_assert_str_eq(resp_header_value(&r, "Content-Type"),
	    "application/vnd.ant.fit");
	cr_assert(strncmp(resp_header_value(&r, "Content-Disposition"),
	    "attachment; filename=\"cadence-", 30) == 0);
	memset(&fr, 0, sizeof(fr));
	cr_assert_eq(fit_walk(r.body.data, r.body.len, on_msg, &fr, err,
	    sizeof(err)), 0, "the file does not read: %s", err);
	cr_assert_eq(fr.file_type, FIT_FILE_WORKOUT);
	/* Warm-up, rep, recovery, the repeat, cool-down. */
	cr_assert_eq(fr.steps, 5);
	cr_assert_eq(fr.nsteps, 5);
	cr_assert_eq((long)fr.repeats, reps);
	resp_done(&r);
	/* A damaged copy does not read: the test's decoder checks CRCs. */
	{
		char *copy;

		cr_assert_eq(client_get(c, path, &r), 200);
		copy = malloc(r.body.len + 1);
		memcpy(copy, r.body.data, r.body.len);
		copy[r.body.len / 2] ^= 0x40;
		cr_assert_eq(fit_walk(copy, r.body.len, on_msg, &fr, err,
		    sizeof(err)), -1);
		free(copy);
		resp_done(&r);
	}
	/* Another runner: 404; signed out: to sign-in. */
	client_free(c);
	c = client_new();
	client_signup(c, "notmine", other);
	cr_assert_eq(client_get(c, path, &r), 404);
	resp_done(&r);
	client_free(c);
	c = client_new();
	cr_assert_eq(client_get(c, path, &r), 303);
	resp_done(&r);
}

/* Every workout of a plan downloads (the steady fallback included). */
Test(workout_fit, every_workout_of_a_plan_downloads)
{
	struct http_resp	r;
	struct fit_read		fr;
	char			user[64], plan[64], path[128], err[160];
	char			ids[4096], *id, *save = NULL;
	int			n = 0;

	new_plan(user, plan);
	snprintf(ids, sizeof(ids), "%s", db_value("SELECT string_agg(id::text,"
	    " ' ' ORDER BY scheduled_date) FROM (SELECT DISTINCT ON"
	    " (workout_type, description ~ '\\{R:') id, scheduled_date FROM"
	    " workouts WHERE training_plan_id = '%s') t", plan));
	for (id = strtok_r(ids, " ", &save); id != NULL;
	    id = strtok_r(NULL, " ", &save)) {
		snprintf(path, sizeof(path), "/workouts/%s/workout.fit", id);
		cr_assert_eq(client_get(c, path, &r), 200, "%s: %.500s", id,
		    buf_cstr(&r.body));
		memset(&fr, 0, sizeof(fr));
		cr_assert_eq(fit_walk(r.body.data, r.body.len, on_msg, &fr,
		    err, sizeof(err)), 0, "%s: %s", id, err);
		cr_assert_gt(fr.steps, 0);
		cr_assert_eq((uint64_t)fr.steps, fr.nsteps);
		resp_done(&r);
		n++;
	}
	cr_assert_geq(n, 3);
}
