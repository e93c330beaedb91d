/*
 * upload_runs: runs from uploaded activity files (POST /activities/upload),
 * from bytes to stored, matched activities (docs/activity-files.md).
 *
 * Every file is parsed first (files/activity_file.h); if any is refused,
 * nothing is stored and each file gets its verdict: the request is all
 * or nothing, so a runner fixes the bad file and sends them again.  Then,
 * in one transaction, each run is stored as an activity of source 'file'
 * (laps, route) unless the runner already has the same run (start within
 * 2 minutes, distance within 3 %, from any source): then the file is
 * noted as another source of that activity and nothing else changes
 * (precedence strava > garmin > file).  Last, the days touched are
 * matched to the plan like Strava's runs (strava/sync.h).
 */
#ifndef CADENCE_PAGES_UPLOAD_RUNS_H
#define CADENCE_PAGES_UPLOAD_RUNS_H

#include "core/arena.h"
#include "web/multipart.h"

struct db;

enum upload_verdict {
	UPLOAD_STORED,		/* a new activity */
	UPLOAD_SAME_RUN,	/* already here: kept as a source */
	UPLOAD_REFUSED,		/* a bad file (message says why) */
	UPLOAD_TOO_LARGE,	/* over UPLOAD_MAX_FILE */
	UPLOAD_UNKNOWN,		/* not FIT, GPX or TCX */
	UPLOAD_NOT_STORED,	/* good, but another file was refused */
	UPLOAD__MAX
};

struct upload_outcome {
	const char		*filename;
	const char		*format;	/* "FIT", "GPX", "TCX", "" */
	enum upload_verdict	 verdict;
	const char		*message;	/* for the runner */
	const char		*activity_id;	/* stored or same run, or NULL */
	double			 parse_ms;	/* time af_parse took */
};

/*
 * Reads, stores and matches files->n files of user_id.  *out (arena) gets
 * one outcome per file, *status the HTTP status: 200, or 400 / 413 / 415
 * (the worst refusal) with nothing stored.  0, or -1 on a database error
 * (rolled back).
 */
int	upload_runs(struct db *, arena_t *, const char *user_id,
	    const struct uploads *files, struct upload_outcome **out,
	    int *status);

#endif
