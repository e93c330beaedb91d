/* upload_runs: see upload_runs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/util.h"
#include "db/activity_files.h"
#include "db/db.h"
#include "files/activity_file.h"
#include "files/activity_route.h"
#include "strava/sync.h"
#include "pages/upload_runs.h"
#include "web/router.h"

/* A parsed file waiting to be stored. */
struct parsed {
	struct af_activity	 act;
	bool			 ok;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* A file's sport as Strava names it (domain/activity.h's run types). */
static const char *
sport_type(const char *sport)
{
	if (sport[0] == '\0' || strstr(sport, "run") != NULL)
		return strstr(sport, "trail") != NULL ? "TrailRun" : "Run";
	if (strstr(sport, "cycl") != NULL || strstr(sport, "bik") != NULL)
		return "Ride";
	if (strcmp(sport, "walking") == 0)
		return "Walk";
	if (strcmp(sport, "hiking") == 0)
		return "Hike";
	if (strcmp(sport, "swimming") == 0)
		return "Swim";
	return "Workout";
}

/* Parses one file into *p; fills the outcome; returns its HTTP status. */
static int
parse_one(arena_t *a, const struct upload_file *f, struct parsed *p,
    struct upload_outcome *o)
{
	char	err[AF_ERR_MAX];
	double	t0 = now_ms();

	o->filename = f->filename[0] != '\0' ? f->filename : "(no name)";
	o->format = "";
	if (f->len > UPLOAD_MAX_FILE) {
		o->verdict = UPLOAD_TOO_LARGE;
		o->message = arena_printf(a, "the file is %zu bytes: at most "
		    "%d are accepted", f->len, UPLOAD_MAX_FILE);
		return 413;
	}
	if (af_sniff(f->data, f->len) == -1) {
		o->verdict = UPLOAD_UNKNOWN;
		o->message = "not a FIT, GPX or TCX file";
		return 415;
	}
	if (af_parse(f->data, f->len, &p->act, err, sizeof(err)) == -1) {
		o->parse_ms = now_ms() - t0;
		o->message = arena_strdup(a, err);
		o->verdict = UPLOAD_REFUSED;
		return 400;
	}
	o->parse_ms = now_ms() - t0;
	o->format = af_format_name(p->act.format);
	p->ok = true;
	return 200;
}

/*
 * Stores one parsed run, or keeps it as a copy of the same run already
 * here (sql/026: the runner can switch the run to it).
 */
static int
store_one(struct db *db, arena_t *ar, const char *user_id,
    const struct af_activity *a, struct upload_outcome *o, date_t *lo,
    date_t *hi)
{
	struct file_run	 r;
	struct same_run	 same;
	char		 id[40];
	date_t		 d;
	int		 found, rc;

	found = activity_files_find_same(db, ar, user_id, a->start_time,
	    (int)(a->distance_m + 0.5), &same);
	if (found == -1)
		return -1;
	memset(&r, 0, sizeof(r));
	r.file_name = o->filename;
	r.name = o->filename;
	r.sport_type = sport_type(a->sport);
	r.start_epoch = a->start_time;
	r.distance_m = (int)(a->distance_m + 0.5);
	r.moving_s = (int)(a->moving_s + 0.5);
	r.elapsed_s = (int)(a->elapsed_s + 0.5);
	r.average_hr = a->avg_hr;
	r.elevation_gain = af_climb_m(a);
	r.polyline = af_route_polyline(ar, a);
	r.splits = af_run_splits(ar, a);
	if ((rc = activity_files_insert(db, user_id, &r, id, &d)) == -1)
		return -1;
	if (rc == 1) {
		o->verdict = UPLOAD_SAME_RUN;
		o->activity_id = found == 1 ? same.id : NULL;
		o->message = arena_printf(ar, "already here from %s: kept as "
		    "one activity, the file listed as another source",
		    found != 1 || strcmp(same.source, "file") == 0 ?
		    "another file" : strcmp(same.source, "strava") == 0 ?
		    "Strava" : "Garmin");
		return 0;
	}
	o->verdict = UPLOAD_STORED;
	o->activity_id = arena_strdup(ar, id);
	o->message = "stored";
	if (d < *lo)
		*lo = d;
	if (d > *hi)
		*hi = d;
	return 0;
}

static int
store_all(struct db *db, arena_t *ar, const char *user_id,
    struct parsed *p, struct upload_outcome *o, size_t n)
{
	date_t	lo = INT32_MAX, hi = INT32_MIN;
	size_t	i;

	if (db_begin(db) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (store_one(db, ar, user_id, &p[i].act, &o[i], &lo, &hi) == -1)
			goto fail;
	if (lo <= hi && sync_rematch(db, user_id, lo, hi, NULL) == -1)
		goto fail;
	if (db_commit(db) == 0)
		return 0;
fail:
	db_rollback(db);
	return -1;
}

int
upload_runs(struct db *db, arena_t *ar, const char *user_id,
    const struct uploads *files, struct upload_outcome **out, int *status)
{
	struct parsed	*p = xcalloc(files->n + 1, sizeof(*p));
	size_t		 i;
	int		 st, rc = 0;

	*out = arena_alloc(ar, (files->n + 1) * sizeof(**out));
	*status = 200;
	for (i = 0; i < files->n; i++) {
		st = parse_one(ar, &files->v[i], &p[i], &(*out)[i]);
		/* The worst refusal: too large, then not ours, then bad. */
		if (st == 413 || (st == 415 && *status != 413) ||
		    (st == 400 && *status == 200))
			*status = st;
	}
	if (*status == 200)
		rc = store_all(db, ar, user_id, p, *out, files->n);
	for (i = 0; i < files->n; i++) {
		if (*status != 200 && p[i].ok) {
			(*out)[i].verdict = UPLOAD_NOT_STORED;
			(*out)[i].message = "a good file, not stored: another "
			    "file was refused, and an upload is all or nothing";
		}
		af_free(&p[i].act);
	}
	free(p);
	return rc;
}
