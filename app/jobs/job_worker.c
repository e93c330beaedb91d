/*
 * job_worker: see job_worker.h.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "jobs/fitness_jobs.h"
#include "jobs/housekeeping.h"
#include "jobs/job_worker.h"
#include "jobs/jobs.h"
#include "jobs/mail_send.h"
#include "jobs/queue.h"
#include "strava/fetch.h"
#include "strava/import.h"

struct worker {
	const struct config	*cfg;
	struct db		*db;
	struct slot		*slot;		/* NULL in the foreground */
	bool			 foreground;
	/* The connection LISTEN was issued on: a reconnect needs another. */
	PGconn			*listen_conn;
	int			 listen_pid;
	bool			 asleep;	/* registered as a sleeper */
	sigset_t		 wait_mask;	/* while asleep: stop signals on */
};

static volatile sig_atomic_t stop_flag;

static void
on_stop(int sig)
{
	stop_flag = 1;
}

/*
 * The stop signals stay blocked except while the worker sleeps in
 * ppoll(), so an event in hand is always finished and recorded, and a
 * signal that arrives just before the sleep still wakes it.
 */
static void
install_signals(struct worker *w)
{
	struct sigaction	 sa;
	sigset_t		 stop;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	if (w->foreground)
		sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (!w->foreground)
		sigaction(SIGINT, &sa, NULL);	/* the master decides */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	sigprocmask(SIG_BLOCK, &stop, &w->wait_mask);
	sigdelset(&w->wait_mask, SIGTERM);
	sigdelset(&w->wait_mask, SIGINT);
}

static bool
stopping(const struct worker *w)
{
	sigset_t pending;

	if (stop_flag)
		return true;
	if (sigpending(&pending) == 0 && (sigismember(&pending, SIGTERM) ||
	    (w->foreground && sigismember(&pending, SIGINT))))
		stop_flag = 1;
	return stop_flag;
}

/* Sleeps until fd is readable (-1: none), a stop signal, or seconds. */
static void
sleep_on(const struct worker *w, int fd, int seconds)
{
	struct pollfd	pfd = { fd, POLLIN, 0 };
	struct timespec	ts = { seconds, 0 };

	(void)ppoll(&pfd, fd >= 0 ? 1 : 0, &ts, &w->wait_mask);
}

/* Connected and listening; false while the database is unreachable. */
static bool
ensure_listening(struct worker *w)
{
	PGconn *c;

	if (!db_ready(w->db))
		return false;
	c = db_conn(w->db);
	if (c == w->listen_conn && PQbackendPID(c) == w->listen_pid)
		return true;
	if (db_simple(w->db, "LISTEN " JOB_CHANNEL) == -1)
		return false;
	w->listen_conn = c;
	w->listen_pid = PQbackendPID(c);
	w->asleep = false;	/* a new backend: not registered yet */
	log_info("jobs: listening for webhook events");
	return true;
}

/* Reads and discards notifications; returns how many there were. */
static int
drain_notifies(struct worker *w)
{
	PGconn		*c = db_conn(w->db);
	PGnotify	*n;
	int		 k = 0;

	if (c == NULL || !PQconsumeInput(c))
		return 0;	/* broken: db_ready() reconnects next round */
	while ((n = PQnotifies(c)) != NULL) {
		PQfreemem(n);
		k++;
	}
	return k;
}

static void
process_one(struct worker *w, struct queue_batch *b, size_t i,
    const struct webhook_settings *settings)
{
	const struct webhook_row *row = &b->rows[i];
	struct job_ctx	 ctx;
	char		 err[JOB_ERR_MAX] = "";
	enum job_result	 r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.cfg = w->cfg;
	ctx.db = w->db;
	ctx.settings = settings;
	ctx.batch = b;
	if (row->attempts > JOB_MAX_ATTEMPTS) {
		/* Claims that never came back: a worker died on this event. */
		snprintf(err, sizeof(err), "gave up after %d attempts (the "
		    "last ended without an outcome: did the job worker die?)",
		    row->attempts - 1);
		r = JOB_FAIL;
	} else {
		if (w->slot != NULL) {
			snprintf(w->slot->route, sizeof(w->slot->route),
			    "job %s %s", webhook_object_name(row->object_type),
			    webhook_aspect_name(row->aspect_type));
			w->slot->busy = 1;
		}
		r = strava_process_event(&ctx, row, err, sizeof(err));
		db_rollback(w->db);	/* a handler's transaction never leaks */
		if (w->slot != NULL) {
			w->slot->busy = 0;
			w->slot->requests++;
		}
	}
	if (queue_finish(w->db, row, r, err, ctx.retry_after) == -1)
		return;
	if (r == JOB_OK || r == JOB_SKIP)
		log_debug("jobs: event %s done%s%s", row->id, *err ? ": " : "",
		    err);
	else if (r != JOB_DEFER)
		log_warn("jobs: event %s (%s %s %lld), attempt %d: %s%s",
		    row->id, webhook_object_name(row->object_type),
		    webhook_aspect_name(row->aspect_type),
		    (long long)row->object_id, row->attempts,
		    r == JOB_FAIL ? "failed: " : "will retry: ", err);
}

/*
 * Claims and processes batches until one comes back short.  Rows an
 * earlier fetch of the batch answered (queue_coalesce) are done already.
 */
static void
work_queue(struct worker *w)
{
	struct queue_batch	 b;
	struct webhook_settings	 settings;
	size_t			 i, got;

	do {
		if (queue_claim(w->db, &b) == -1)
			return;
		if (b.n > 0)
			(void)db_webhooks_settings_load(w->db, &settings);
		for (i = 0; i < b.n; i++) {
			if (b.done[i])
				continue;
			if (stopping(w))
				queue_release(w->db, &b.rows[i]);
			else
				process_one(w, &b, i, &settings);
		}
		got = b.n + b.bad;
		queue_batch_free(&b);
	} while (got == JOB_CLAIM_BATCH && !stopping(w));
}

static bool
stop_cb(void *arg)
{
	return stopping(arg);
}

/* The scoreboard shows the kind a job worker is running. */
static void
busy_cb(const char *kind, bool on, void *arg)
{
	struct worker *w = arg;

	if (w->slot == NULL)
		return;
	if (on) {
		snprintf(w->slot->route, sizeof(w->slot->route), "job %s", kind);
		w->slot->busy = 1;
	} else {
		w->slot->busy = 0;
		w->slot->requests++;
	}
}

/* "jobs.ping": proves the queue end to end (`cadence jobs ping`). */
static enum job_result
ping(struct job_run *run, const struct job *j, char *err, size_t errlen)
{
	snprintf(err, errlen, "pong after %d attempt(s)", j->attempts);
	return JOB_OK;
}

static void
replay_spool(struct worker *w)
{
	int n;

	do {
		n = queue_replay_spool(w->db, w->cfg->spool_dir,
		    w->cfg->strava_subscription_id, JOB_SPOOL_BATCH);
	} while (n == JOB_SPOOL_BATCH && !stopping(w));
}

int
job_worker_run(const struct config *cfg, struct slot *slot, bool foreground)
{
	struct worker w;
	time_t        last_cleanup = 0;	/* strava/import.h: raw_data */
	time_t        last_purge = 0;	/* jobs/housekeeping.h: retention */

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.slot = slot;
	w.foreground = foreground;
	w.db = db_new(cfg->database_url);
	mail_worker_start(cfg);		/* SMTP_* checked, templates loaded */
	install_signals(&w);
	if (slot != NULL)
		slot->ready = 1;	/* later deaths are not start-up crashes */
	while (!stopping(&w)) {
		if (!ensure_listening(&w)) {
			sleep_on(&w, -1, JOB_RECONNECT_SECONDS);
			continue;
		}
		drain_notifies(&w);	/* later ones wake the sleep below */
		if (cfg->spool_dir[0] != '\0')
			replay_spool(&w);
		work_queue(&w);
		/* The job queue's other kinds (jobs/jobs.h). */
		if (jobs_work(cfg, w.db, stop_cb, &w, busy_cb) > 0 &&
		    !stopping(&w))
			continue;
		/* Resyncs owed after intake limits, and retention. */
		housekeeping_run(w.db, &last_purge);
		/* Strava history imports, a few pages a turn (strava/import.h). */
		if (import_work(cfg, w.db, &last_cleanup) > 0 && !stopping(&w))
			continue;
		if (stopping(&w) || drain_notifies(&w) > 0)
			continue;	/* (work arrived while working) */
		if (!w.asleep) {
			/*
			 * Inserts notify only while a worker is registered
			 * asleep: register, then look once more for events
			 * that committed before the registration.
			 */
			w.asleep = queue_set_asleep(w.db, true) == 0;
			continue;
		}
		sleep_on(&w, PQsocket(db_conn(w.db)), JOB_SWEEP_SECONDS);
		/* Woken by work: busy until caught up, so no NOTIFYs. */
		if (drain_notifies(&w) > 0 && queue_set_asleep(w.db, false) == 0)
			w.asleep = false;
	}
	db_free(w.db);
	return 0;
}

int
job_worker_main(const struct config *cfg, struct scoreboard *sb, int slot,
    int listen_fd)
{
	close(listen_fd);	/* web requests are not ours */
	prctl(PR_SET_NAME, JOB_PROCESS_NAME, 0, 0, 0);
	/* Acknowledging webhooks comes first; the queue may lag a little. */
	setpriority(PRIO_PROCESS, 0, JOB_NICE);
	return job_worker_run(cfg, &sb->slots[slot], false);
}

void
jobs_register(void)
{
	jobs_register_kind("jobs.ping", ping);
	mail_jobs_register();	/* mail.send, account mails, notifications */
	fitness_jobs_register();	/* loads, fitness, plan adaptation */
	/* The Strava client: fetch-and-upsert, and deauthorization checks. */
	job_fetch_activity = strava_job_fetch_activity;
	job_confirm_deauth = strava_job_confirm_deauth;
}
