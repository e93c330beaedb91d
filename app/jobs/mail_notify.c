/*
 * mail_notify: see mail_notify.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/secret.h"
#include "core/util.h"
#include "db/db.h"
#include "db/mail.h"
#include "db/plan_view.h"
#include "jobs/jobs.h"
#include "jobs/mail_notify.h"
#include "jobs/mail_send.h"
#include "view/plan_format.h"

static const struct notify_kind kinds[] = {
	{ "weekly_summary", "Weekly summary",
	  "Every week: last week planned against done, and the key workouts "
	  "of the week ahead.", true },
	{ "strava_reconnect", "Strava needs you to reconnect",
	  "When Strava stops sending your runs until you connect again.", true },
	{ "plan_proposals", "Plan adjustment proposals",
	  "When Cadence proposes to change your plan.", false },
	{ "coach_comments", "Coach comments",
	  "When your coach comments on a workout.", false },
};

const struct notify_kind *
notify_kinds(size_t *n)
{
	*n = NELEM(kinds);
	return kinds;
}

const struct notify_kind *
notify_kind(const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < NELEM(kinds); i++)
		if (strcmp(kinds[i].key, key) == 0)
			return &kinds[i];
	return NULL;
}

/* ---- unsubscribe links --------------------------------------------------- */

static bool
unsubscribe_sig(const struct config *cfg, const char *user_id,
    const char *kind, char out[SECRET_MAC_HEX])
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%s|%s", user_id, kind);
	return secret_mac_hex(cfg, SECRET_UNSUBSCRIBE, msg, out);
}

const char *
notify_unsubscribe_url(const struct config *cfg, arena_t *a,
    const char *user_id, const char *kind)
{
	char sig[SECRET_MAC_HEX];

	if (!unsubscribe_sig(cfg, user_id, kind, sig))
		return NULL;
	return arena_printf(a, "%s/unsubscribe?u=%s&k=%s&s=%s", cfg->base_url,
	    user_id, kind, sig);
}

bool
notify_unsubscribe_ok(const struct config *cfg, const char *user_id,
    const char *kind, const char *sig)
{
	char want[SECRET_MAC_HEX];

	return notify_kind(kind) != NULL && sig != NULL &&
	    unsubscribe_sig(cfg, user_id, kind, want) &&
	    str_equal_ct(sig, want);
}

/* ---- queueing ------------------------------------------------------------------ */

int
mail_notify(struct db *db, const char *user_id, const char *kind,
    json_t *data)
{
	json_t	*p;
	char	*text;
	int	 rc = -1;

	if (notify_kind(kind) == NULL) {
		log_error("mail_notify: unknown kind %s", kind);
		json_decref(data);
		return -1;
	}
	p = json_pack("{s:s, s:o}", "kind", kind, "data",
	    data != NULL ? data : json_object());
	if (p != NULL && (text = json_dumps(p, JSON_COMPACT)) != NULL) {
		rc = jobs_enqueue(db, "mail.notify", user_id, text, NULL, 0);
		free(text);
	}
	json_decref(p);
	return rc;
}

int
notify_weekly_schedule(struct db *db, const char *user_id, bool now)
{
	char	 day[11], key[96], payload[64];
	date_t	 start;
	int	 delay, rc;

	if ((rc = db_mail_week_start(db, user_id, NOTIFY_WEEKLY_HOUR, now,
	    &delay, &start)) != 1)
		return rc < 0 ? -1 : 0;
	date_format(start, day);
	snprintf(key, sizeof(key), "%s:%s%s", user_id, day, now ? ":now" : "");
	snprintf(payload, sizeof(payload), "{\"week\": \"%s\", \"now\": %s}",
	    day, now ? "true" : "false");
	return jobs_enqueue(db, "mail.weekly", user_id, payload, key, delay);
}

int
notify_set(struct db *db, const char *user_id, const char *kind, bool on)
{
	int rc;

	if (notify_kind(kind) == NULL)
		return 0;
	if ((rc = db_mail_notify_set(db, user_id, kind, on)) == 1 && on &&
	    strcmp(kind, "weekly_summary") == 0 &&
	    notify_weekly_schedule(db, user_id, false) < 0)
		return -1;
	return rc;
}

/* ---- handlers ---------------------------------------------------------------- */

static enum job_result
db_trouble(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "database error while %s", what);
	return JOB_RETRY;
}

/*
 * Whether (user, kind) may be mailed now: on, the runner there, the
 * address verified.  JOB_OK with u loaded, else what the job returns.
 */
static enum job_result
gate(struct job_run *run, const struct job *j, const char *kind,
    arena_t *a, struct mail_user *u, char *err, size_t errlen)
{
	switch (j->user_id == NULL ? 0 :
	    db_mail_notify_on(run->db, j->user_id, kind)) {
	case -1:
		return db_trouble(err, errlen, "reading the settings");
	case 0:
		snprintf(err, errlen, "%s is off", kind);
		return JOB_SKIP;
	}
	switch (db_mail_user(run->db, a, j->user_id, u)) {
	case -1:
		return db_trouble(err, errlen, "loading the runner");
	case 0:
		snprintf(err, errlen, "the account is gone");
		return JOB_SKIP;
	}
	if (!u->verified) {
		snprintf(err, errlen, "the address is not verified");
		return JOB_SKIP;
	}
	return JOB_OK;
}

/* Queues the notification mail (joins the caller's transaction). */
static int
queue(struct job_run *run, const struct mail_user *u, const char *kind,
    const char *tpl, json_t *data, arena_t *a)
{
	struct mail_request m = {
		.user_id = u->r.id, .template = tpl, .to_addr = u->r.email,
		.to_name = u->r.name, .data = data,
		.unsubscribe_url = notify_unsubscribe_url(run->cfg, a, u->r.id,
		    kind),
	};

	json_object_set_new(data, "settings_url", json_string("/settings"));
	json_object_set_new(data, "kind_label",
	    json_string(notify_kind(kind)->label));
	return mail_enqueue(run->db, run->cfg, &m);
}

/*
 * Once per period: the ledger note and the mail in one transaction, so a
 * job run twice mails once.
 */
static enum job_result
queue_once(struct job_run *run, const struct mail_user *u, const char *kind,
    const char *period, const char *tpl, json_t *data, arena_t *a,
    char *err, size_t errlen)
{
	if (db_begin(run->db) == -1)
		goto trouble;
	switch (db_mail_ledger_once(run->db, u->r.id, kind, period)) {
	case -1:
		goto trouble;
	case 0:
		db_rollback(run->db);
		json_decref(data);
		snprintf(err, errlen, "sent already for %s", period);
		return JOB_SKIP;
	}
	if (queue(run, u, kind, tpl, data, a) < 0 ||
	    db_mail_ledger_purge(run->db, u->r.id, NOTIFY_LEDGER_DAYS) == -1 ||
	    db_commit(run->db) == -1)
		goto trouble_sent;
	snprintf(err, errlen, "%s for %s queued", kind, period);
	return JOB_OK;
trouble:
	json_decref(data);
trouble_sent:
	db_rollback(run->db);
	return db_trouble(err, errlen, "queueing the mail");
}

/* "Nov 17 - Nov 23" */
static const char *
week_label(arena_t *a, date_t from)
{
	return arena_printf(a, "%s to %s", pf_date(a, from, DS_SHORT),
	    pf_date(a, from + 6, DS_SHORT));
}

static json_t *
last_week_json(arena_t *a, const struct plan_view *pv, date_t from,
    enum unit u)
{
	struct week_totals	tot;
	int			pct;

	plan_view_totals(pv, from, from + 6, &tot);
	pct = week_totals_percent(&tot);
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i}",
	    "label", week_label(a, from),
	    "planned", pf_distance(a, (int)tot.planned_m, u),
	    "done", pf_distance(a, (int)(tot.matched_m + tot.unplanned_m), u),
	    "percent", pct < 0 ? 0 : pct, "workouts", tot.workouts,
	    "done_count", tot.done, "missed", tot.missed,
	    "skipped", tot.skipped);
}

static json_t *
next_week_json(arena_t *a, const struct plan_view *pv, date_t from,
    enum unit u)
{
	json_t	*key = json_array();
	long	 total = 0;
	size_t	 i;

	for (i = 0; i < pv->nworkouts; i++) {
		const struct pv_workout *w = &pv->workouts[i];

		if (w->date < from || w->date >= from + 7)
			continue;
		total += w->distance_m;
		if (plan_view_is_key(w))
			json_array_append_new(key, json_pack("{s:s, s:s, s:s, "
			    "s:s?, s:s}", "day", pf_date(a, w->date, DS_DAY),
			    "type", w->type_name, "distance",
			    pf_distance(a, w->distance_m, u), "pace",
			    w->pace_fast > 0 ? pf_pace_range(a, w->pace_fast,
			    w->pace_slow, u) : NULL, "url",
			    arena_printf(a, "/workouts/%s", w->id)));
	}
	return json_pack("{s:s, s:s, s:o, s:b}", "label", week_label(a, from),
	    "total", pf_distance(a, (int)total, u), "key", key,
	    "has_key", json_array_size(key) > 0);
}

static json_t *
weekly_data(struct job_run *run, const struct mail_user *u, date_t start,
    arena_t *a)
{
	struct plan_view	pv;
	enum unit		unit = pf_unit(&u->r);
	int			rc;

	if ((rc = plan_view_load_active(run->db, a, u->r.id, pf_today(&u->r),
	    start - 7, start + 6, &pv)) < 0)
		return NULL;
	if (rc == 0)
		return json_pack("{s:b, s:s}", "has_plan", 0, "week_label",
		    week_label(a, start));
	return json_pack("{s:b, s:s, s:s, s:s, s:o, s:o}", "has_plan", 1,
	    "plan_name", pv.name, "plan_url", arena_printf(a, "/plans/%s",
	    pv.id), "week_label", week_label(a, start), "last_week",
	    last_week_json(a, &pv, start - 7, unit), "next_week",
	    next_week_json(a, &pv, start, unit));
}

static enum job_result
weekly_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL), *data;
	const char		*week = json_string_value(json_object_get(p, "week"));
	bool			 now = json_is_true(json_object_get(p, "now"));
	struct mail_user	 u;
	date_t			 start;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	if (week == NULL || !date_parse(week, &start)) {
		snprintf(err, errlen, "payload without a week");
		r = JOB_FAIL;
	} else if (!now && j->user_id != NULL &&
	    db_mail_notify_on(run->db, j->user_id, "weekly_summary") == 1 &&
	    notify_weekly_schedule(run->db, j->user_id, false) < 0)
		r = db_trouble(err, errlen, "scheduling the next summary");
	else if ((r = gate(run, j, "weekly_summary", &a, &u, err, errlen)) !=
	    JOB_OK)
		;
	else if ((data = weekly_data(run, &u, start, &a)) == NULL)
		r = db_trouble(err, errlen, "loading the plan");
	else
		r = queue_once(run, &u, "weekly_summary", week, "weekly_summary",
		    data, &a, err, errlen);
	json_decref(p);
	arena_free(&a);
	return r;
}

static enum job_result
strava_reconnect_job(struct job_run *run, const struct job *j, char *err,
    size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL);
	const char		*since = json_string_value(json_object_get(p, "since"));
	struct mail_user	 u;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	if ((r = gate(run, j, "strava_reconnect", &a, &u, err, errlen)) != JOB_OK)
		;
	else if (db_mail_strava_broken(run->db, j->user_id) != 1) {
		snprintf(err, errlen, "reconnected already");
		r = JOB_SKIP;
	} else
		r = queue_once(run, &u, "strava_reconnect", since ? since : "?",
		    "strava_reconnect", json_object(), &a, err, errlen);
	json_decref(p);
	arena_free(&a);
	return r;
}

static enum job_result
notify_job(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	json_t			*p = json_loads(j->payload, 0, NULL);
	const char		*kind = json_string_value(json_object_get(p, "kind"));
	json_t			*data = json_object_get(p, "data");
	struct mail_user	 u;
	arena_t			 a;
	enum job_result		 r;

	arena_init(&a);
	if (notify_kind(kind) == NULL || !json_is_object(data)) {
		snprintf(err, errlen, "payload without a known kind and data");
		r = JOB_FAIL;
	} else if ((r = gate(run, j, kind, &a, &u, err, errlen)) == JOB_OK) {
		if (queue(run, &u, kind, arena_printf(&a, "notify_%s", kind),
		    json_incref(data), &a) < 0)
			r = db_trouble(err, errlen, "queueing the mail");
		else
			snprintf(err, errlen, "%s queued", kind);
	}
	json_decref(p);
	arena_free(&a);
	return r;
}

void
mail_notify_register(void)
{
	jobs_register_kind("mail.weekly", weekly_job);
	jobs_register_kind("mail.strava_reconnect", strava_reconnect_job);
	jobs_register_kind("mail.notify", notify_job);
}
