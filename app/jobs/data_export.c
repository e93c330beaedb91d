/*
 * data_export: see data_export.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/secret.h"
#include "core/tar.h"
#include "core/util.h"
#include "db/db.h"
#include "db/mail.h"
#include "domain/csv.h"
#include "domain/route_gpx.h"
#include "jobs/data_export.h"
#include "jobs/jobs.h"
#include "jobs/mail_send.h"

#define DIR_NAME	"cadence-data"

static const char *const parts[] = {
	"profile", "plans", "workouts", "feedback", "activities",
};

static const char readme[] =
    "Your data from Cadence\n"
    "======================\n\n"
    "Each part comes twice: as JSON (every field, as Cadence keeps it) and\n"
    "as CSV (one row per record, for a spreadsheet).\n\n"
    "  profile     your account and training profile\n"
    "  plans       your training plans\n"
    "  workouts    every planned workout, with what was done\n"
    "  feedback    your notes and effort on workouts\n"
    "  activities  your runs from Strava\n"
    "  routes/     each run's route as GPX, where Strava gave one\n\n"
    "Distances are metres, durations seconds, paces seconds per km,\n"
    "dates ISO 8601 (times without a zone are UTC unless named local).\n";

int
data_export_request(struct db *db, arena_t *a, const char *user_id,
    const char **id)
{
	char	payload[96];
	int	rc;

	*id = NULL;
	if (db_begin(db) == -1)
		return -1;
	if ((rc = db_mail_export_add(db, a, user_id, EXPORT_TTL, id)) == 1) {
		snprintf(payload, sizeof(payload), "{\"export\": \"%s\"}", *id);
		if (jobs_enqueue(db, "data.export", user_id, payload, *id, 0) < 0)
			rc = -1;
	}
	if (rc < 0 || db_commit(db) == -1) {
		db_rollback(db);
		return -1;
	}
	return rc;
}

const char *
data_export_path(const struct config *cfg, arena_t *a, const char *id)
{
	return arena_printf(a, "%s/%s.tar.gz", cfg->export_dir, id);
}

int
data_export_forget(const struct config *cfg, struct db *db,
    const char *user_id)
{
	const char	**ids;
	arena_t		  a;
	int		  n, i;

	arena_init(&a);
	if ((n = db_mail_export_ids(db, &a, user_id, &ids)) > 0)
		for (i = 0; i < n; i++)
			(void)unlink(data_export_path(cfg, &a, ids[i]));
	arena_free(&a);
	return n < 0 ? -1 : 0;
}

const char *
data_export_size(arena_t *a, long long bytes)
{
	if (bytes < 1000 * 1000)
		return arena_printf(a, "%lld KB", (bytes + 999) / 1000);
	return arena_printf(a, "%.1f MB", (double)bytes / 1e6);
}

static bool
link_sig(const struct config *cfg, const char *user_id, const char *id,
    long long expires, char out[SECRET_MAC_HEX])
{
	char msg[160];

	snprintf(msg, sizeof(msg), "%s|%s|%lld", user_id, id, expires);
	return secret_mac_hex(cfg, SECRET_EXPORT, msg, out);
}

const char *
data_export_url(const struct config *cfg, arena_t *a, const char *user_id,
    const char *id, long long expires)
{
	char sig[SECRET_MAC_HEX];

	if (!link_sig(cfg, user_id, id, expires, sig))
		return NULL;
	return arena_printf(a, "/settings/export/download?id=%s&e=%lld&s=%s",
	    id, expires, sig);
}

bool
data_export_link_ok(const struct config *cfg, const char *user_id,
    const char *id, const char *expires, const char *sig)
{
	char		 want[SECRET_MAC_HEX], *end;
	long long	 e;

	if (expires == NULL || sig == NULL || *expires == '\0')
		return false;
	errno = 0;
	e = strtoll(expires, &end, 10);
	if (errno != 0 || *end != '\0' || e < (long long)time(NULL))
		return false;
	return link_sig(cfg, user_id, id, e, want) && str_equal_ct(sig, want);
}

/* ---- the archive ---------------------------------------------------------- */

/* The union of the objects' keys, in the order they first appear. */
static json_t *
columns(const json_t *rows)
{
	json_t		*cols = json_array(), *row, *v, *c;
	const char	*k;
	size_t		 i, j;
	bool		 seen;

	json_array_foreach(rows, i, row) {
		json_object_foreach((json_t *)row, k, v) {
			seen = false;
			json_array_foreach(cols, j, c)
				seen = seen || strcmp(json_string_value(c), k) == 0;
			if (!seen)
				json_array_append_new(cols, json_string(k));
		}
	}
	return cols;
}

static void
csv_value(csv_t *c, const json_t *v)
{
	char	 num[64];
	char	*text;

	if (v == NULL || json_is_null(v))
		csv_field_text(c, "");
	else if (json_is_string(v))
		csv_field_text(c, json_string_value(v));
	else if (json_is_integer(v))
		csv_field_int(c, json_integer_value(v));
	else if (json_is_real(v)) {
		snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		csv_field_number(c, num);
	} else if (json_is_boolean(v))
		csv_field_text(c, json_is_true(v) ? "true" : "false");
	else {
		text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		csv_field_text(c, text ? text : "");
		free(text);
	}
}

/* One CSV row per object of rows, a header of every key. */
static void
csv_from_json(buf_t *out, const json_t *rows)
{
	json_t	*cols = columns(rows), *row, *col;
	csv_t	 c;
	size_t	 i, j;

	csv_init(&c, out);
	json_array_foreach(cols, j, col)
		csv_field_text(&c, json_string_value(col));
	csv_end_row(&c);
	json_array_foreach(rows, i, row) {
		json_array_foreach(cols, j, col)
			csv_value(&c, json_object_get(row,
			    json_string_value(col)));
		csv_end_row(&c);
	}
	json_decref(cols);
}

static int
add_text(struct tar *t, const char *name, const buf_t *b, time_t now)
{
	char path[TAR_NAME_MAX + 32];

	if ((size_t)snprintf(path, sizeof(path), DIR_NAME "/%s", name) >
	    TAR_NAME_MAX)
		return -1;
	return tar_add(t, path, b->data != NULL ? b->data : "", b->len, now);
}

/* Each run with a route: routes/DATE_STRAVAID.gpx. */
static int
add_routes(struct tar *t, const json_t *acts, time_t now, int *nroutes)
{
	json_t	*a;
	buf_t	 b = BUF_INIT;
	char	 name[96], iso[32];
	size_t	 i;
	int	 rc = 0;

	json_array_foreach(acts, i, a) {
		const char *when = json_string_value(json_object_get(a,
		    "start_date_local"));
		const char *utc = json_string_value(json_object_get(a,
		    "start_date"));
		const char *title = json_string_value(json_object_get(a, "name"));

		buf_reset(&b);
		snprintf(iso, sizeof(iso), "%.19sZ", utc ? utc : "");
		if (!route_gpx_from_polyline(&b, title ? title : "Run",
		    utc != NULL && strlen(utc) >= 19 ? iso : "",
		    json_string_value(json_object_get(a, "summary_polyline"))))
			continue;
		snprintf(name, sizeof(name), "routes/%.10s_%lld.gpx",
		    when ? when : "run", (long long)json_integer_value(
		    json_object_get(a, "strava_activity_id")));
		if ((rc = add_text(t, name, &b, now)) != 0)
			break;
		(*nroutes)++;
	}
	buf_free(&b);
	return rc;
}

/* Writes the archive of user_id to path; -1 (logged) on failure. */
static int
write_archive(struct db *db, const char *user_id, const char *path,
    int *nroutes)
{
	struct tar	*t;
	arena_t		 a;
	buf_t		 b = BUF_INIT;
	json_t		*rows = NULL;
	const char	*text;
	time_t		 now = time(NULL);
	size_t		 i;
	int		 rc = -1;

	if ((t = tar_create(path)) == NULL) {
		log_error("export: cannot create %s: %s", path, strerror(errno));
		return -1;
	}
	arena_init(&a);
	buf_puts(&b, readme);
	if (add_text(t, "README.txt", &b, now) != 0)
		goto out;
	for (i = 0; i < NELEM(parts); i++) {
		text = NULL;
		if (db_mail_export_part(db, &a, user_id, parts[i], &text) != 1 ||
		    text == NULL || (rows = json_loads(text, 0, NULL)) == NULL)
			goto out;
		buf_reset(&b);
		buf_puts(&b, text);
		buf_putc(&b, '\n');
		if (add_text(t, arena_printf(&a, "%s.json", parts[i]), &b,
		    now) != 0)
			goto out;
		buf_reset(&b);
		csv_from_json(&b, rows);
		if (add_text(t, arena_printf(&a, "%s.csv", parts[i]), &b,
		    now) != 0 || (strcmp(parts[i], "activities") == 0 &&
		    add_routes(t, rows, now, nroutes) != 0))
			goto out;
		json_decref(rows);
		rows = NULL;
	}
	rc = 0;
out:
	json_decref(rows);
	buf_free(&b);
	arena_free(&a);
	if (tar_close(t) != 0 && rc == 0) {
		log_error("export: writing %s failed", path);
		rc = -1;
	}
	return rc;
}

/* Expired archives: rows and files. */
static void
expire_old(struct job_run *run, arena_t *a)
{
	const char	**ids;
	int		  n, i;

	if ((n = db_mail_export_expire(run->db, a, EXPORT_EXPIRE_BATCH,
	    &ids)) <= 0)
		return;
	for (i = 0; i < n; i++)
		(void)unlink(data_export_path(run->cfg, a, ids[i]));
	log_info("export: %d expired archive(s) deleted", n);
}

static int
ensure_dir(const char *dir)
{
	char	path[CONFIG_STR_MAX], *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(path, 0700);
			*p = '/';
		}
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

/* The archive is ready: its link goes to the runner's address. */
static int
mail_link(struct job_run *run, arena_t *a, const struct mail_user *u,
    const struct data_export *e, int nroutes)
{
	struct mail_request m = {
		.user_id = u->r.id, .template = "export_ready",
		.to_addr = u->r.email, .to_name = u->r.name,
		.data = json_pack("{s:s, s:I, s:i}", "size_label",
		    data_export_size(a, e->size_bytes),
		    "routes", (json_int_t)nroutes, "days", EXPORT_TTL / 86400),
		.sealed = json_pack("{s:s}", "link", arena_printf(a, "%s%s",
		    run->cfg->base_url, data_export_url(run->cfg, a, u->r.id,
		    e->id, e->expires_epoch))),
	};

	return mail_enqueue(run->db, run->cfg, &m);
}

static enum job_result
export_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL);
	const char		*id = json_string_value(json_object_get(p, "export"));
	const char		*path, *tmp;
	struct data_export	 e;
	struct mail_user	 u;
	struct stat		 st;
	arena_t			 a;
	int			 nroutes = 0;
	enum job_result		 r = JOB_RETRY;

	arena_init(&a);
	expire_old(run, &a);
	if (id == NULL || j->user_id == NULL ||
	    db_mail_export_get(run->db, &a, j->user_id, id, &e) != 1 ||
	    strcmp(e.status, "pending") != 0 ||
	    db_mail_user(run->db, &a, j->user_id, &u) != 1) {
		snprintf(err, errlen, "no pending export %s", id ? id : "?");
		r = JOB_SKIP;
		goto out;
	}
	path = data_export_path(run->cfg, &a, id);
	tmp = arena_printf(&a, "%s.part", path);
	if (ensure_dir(run->cfg->export_dir) == -1 ||
	    write_archive(run->db, j->user_id, tmp, &nroutes) == -1 ||
	    rename(tmp, path) == -1 || stat(path, &st) == -1) {
		(void)unlink(tmp);
		snprintf(err, errlen, "the archive could not be written");
		goto out;
	}
	e.size_bytes = st.st_size;
	if (db_begin(run->db) == -1 ||
	    db_mail_export_finish(run->db, id, true, st.st_size) == -1 ||
	    mail_link(run, &a, &u, &e, nroutes) < 0 ||
	    db_commit(run->db) == -1) {
		db_rollback(run->db);
		snprintf(err, errlen, "database error while finishing");
		goto out;
	}
	snprintf(err, errlen, "%lld bytes, %d route(s)",
	    (long long)st.st_size, nroutes);
	r = JOB_OK;
out:
	json_decref(p);
	arena_free(&a);
	return r;
}

void
data_export_register(void)
{
	jobs_register_kind("data.export", export_job);
}
