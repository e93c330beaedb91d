/*
 * strava_keep: what stays when a runner's Strava data goes (issue 15.1).
 *
 * Strava's terms require deleting the activities that came from Strava
 * when the runner disconnects (or deauthorizes Cadence on Strava's side),
 * and with them go the completions that tie them to workouts.  A workout
 * those runs completed stays done as the runner's own record: it becomes
 * a hand-marked "done" (manual_status), which keeps its completed_at (the
 * date and time the run ended) and nothing else from Strava.  A workout
 * run only partly (below COMPLIANCE_DONE_PCT) loses its run.
 *
 * strava_keep_done() runs inside the caller's transaction, before the
 * activities are deleted, and locks the runner's users row first
 * (db_strava_unlink in db/strava.c, and the deauthorization job in
 * app/strava/webhook_process.c).
 */
#ifndef CADENCE_DB_STRAVA_KEEP_H
#define CADENCE_DB_STRAVA_KEEP_H

struct db;

/* What a disconnect would do now, for the confirmation page. */
struct strava_keep_outlook {
	long	runs;		/* activities from Strava, deleted */
	long	done;		/* workouts they complete: stay done */
	long	partial;	/* workouts they run partly: lose the run */
};

/* Fills *out for user_id: 0, or -1 on a database error. */
int	strava_keep_outlook(struct db *, const char *user_id,
	    struct strava_keep_outlook *out);
/*
 * Marks done by hand every workout of user_id that Strava runs complete
 * and that has no hand mark yet.  Returns how many, or -1.
 */
long	strava_keep_done(struct db *, const char *user_id);

#endif
