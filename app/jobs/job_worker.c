/*
 * job_worker: see job_worker.h.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "db/db.h"
#include "db/jobs.h"
#include "jobs/fitness_jobs.h"
#include "jobs/job_worker.h"
#include "jobs/jobs.h"
#include "jobs/mail_send.h"

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
static const struct job_source *sources[JOB_SOURCES_MAX];
static size_t nsources;

void
job_worker_add_source(const struct job_source *src)
{
	if (nsources < JOB_SOURCES_MAX)
		sources[nsources++] = src;
	else
		log_error("jobs: more than %d sources of work: %s left out",
		    JOB_SOURCES_MAX, src->name);
}

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
	if (db_simple(w->db, "LISTEN " JOB_WAKE_CHANNEL) == -1 ||
	    db_jobs_plan_per_run(w->db) == -1)
		return false;
	w->listen_conn = c;
	w->listen_pid = PQbackendPID(c);
	w->asleep = false;	/* a new backend: not registered yet */
	log_info("jobs: listening for work");
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

/* Finished jobs go after JOBS_KEEP_DAYS, looked at hourly. */
static void
purge_jobs(struct worker *w, time_t *last)
{
	long n;

	if (time(NULL) - *last < JOB_PURGE_SECONDS)
		return;
	*last = time(NULL);
	if ((n = db_jobs_purge(w->db, JOBS_KEEP_DAYS, 10000)) > 0)
		log_info("jobs: %ld finished job(s) older than %d days purged",
		    n, JOBS_KEEP_DAYS);
}

/* Each source's first (or after) work; > 0 when some has more now. */
static int
sources_turn(struct worker *w, bool after)
{
	struct job_turn	 t = { w->cfg, w->db, stop_cb, busy_cb, w };
	size_t		 i;
	int		 more = 0;

	for (i = 0; i < nsources && !stopping(w); i++) {
		int (*fn)(const struct job_turn *) = after ?
		    sources[i]->after : sources[i]->first;

		if (fn != NULL && fn(&t) > 0)
			more = 1;
	}
	return more;
}

int
job_worker_run(const struct config *cfg, struct slot *slot, bool foreground)
{
	struct worker w;
	time_t        last_purge = 0;	/* finished jobs */

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
		(void)sources_turn(&w, false);	/* the webhook spool first */
		/* The job queue's kinds (jobs/jobs.h): Strava's events too. */
		if (jobs_work(cfg, w.db, stop_cb, &w, busy_cb) > 0 &&
		    !stopping(&w))
			continue;
		purge_jobs(&w, &last_purge);
		/* Resyncs, retention (strava/jobs.h). */
		if (sources_turn(&w, true) > 0 && !stopping(&w))
			continue;
		if (stopping(&w) || drain_notifies(&w) > 0)
			continue;	/* (work arrived while working) */
		if (!w.asleep) {
			/*
			 * Inserts notify only while a worker is registered
			 * asleep: register, then look once more for work
			 * that committed before the registration.
			 */
			w.asleep = db_jobs_set_asleep(w.db, true) == 0;
			continue;
		}
		sleep_on(&w, PQsocket(db_conn(w.db)), JOB_SWEEP_SECONDS);
		/* Woken by work: busy until caught up, so no NOTIFYs. */
		if (drain_notifies(&w) > 0 && db_jobs_set_asleep(w.db, false) == 0)
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
}
