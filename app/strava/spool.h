/*
 * spool: a durable local queue of webhook bodies for when PostgreSQL
 * cannot take them.  Each event is one file, written to a temporary name,
 * fsync()ed, renamed into place and the directory fsync()ed, so once
 * spool_write() returns the event survives a crash or a power cut and
 * Strava can be told 200.  The job worker replays the files through the
 * intake (the event and its job), oldest first, and removes them.
 *
 * A file is named ID.json where ID is a zero-padded microsecond time,
 * the writer's pid and a random number: names sort in arrival order and
 * never collide between workers.  The ID is stored with the replayed row
 * (spool_id, unique), so replaying a file twice stores it once.
 */
#ifndef CADENCE_SPOOL_H
#define CADENCE_SPOOL_H

#include <stddef.h>

#include "core/buf.h"

#define SPOOL_ID_MAX		48	/* "1700000000000000-12345-89abcdef" */
#define SPOOL_MAX_FILE		(64 * 1024)	/* larger files are not ours */
#define SPOOL_STALE_TMP		3600	/* seconds: half-written files go */
#define SPOOL_DIR_MODE		0700

typedef char spool_id_t[SPOOL_ID_MAX];

/*
 * Stores body durably in dir (created if missing) and writes its ID.
 * Returns 0, or -1 with errno set (logged).
 */
int	spool_write(const char *dir, const char *body, size_t len,
	    spool_id_t id);
/*
 * Fills ids with up to max spooled events, oldest first, and returns how
 * many (0 when the directory does not exist), or -1.  Also removes
 * temporary files abandoned by a crash more than SPOOL_STALE_TMP ago.
 */
int	spool_list(const char *dir, spool_id_t *ids, size_t max);
/* Reads one event's body into out (replacing its contents); 0 or -1. */
int	spool_read(const char *dir, const char *id, buf_t *out);
/* Removes an event durably; 0, or -1 (a missing file is not an error). */
int	spool_remove(const char *dir, const char *id);
/* Sets an event that can never be stored (unreadable, invalid, refused
 * by the database) aside as ID.bad, out of the queue; logged. */
int	spool_quarantine(const char *dir, const char *id);

#endif
