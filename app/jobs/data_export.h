/*
 * data_export: "download my data".  Settings queues a data.export job
 * (data_export_request); a job worker writes one .tar.gz under
 * CADENCE_EXPORT_DIR with the runner's profile, plans, workouts, feedback
 * and activities, each as JSON and as CSV, and each run's route as GPX
 * where Strava gave a summary polyline; then it mails a link.  The link
 * (/settings/export/download?id=ID&e=EXPIRES&s=SIG) is signed
 * (CADENCE_SECRET_KEY) for the runner, expires with the archive (7 days),
 * and is served only to its owner, signed in (pages/settings_mail.c).
 * Expired archives are deleted by the next export that runs.
 */
#ifndef CADENCE_JOBS_DATA_EXPORT_H
#define CADENCE_JOBS_DATA_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/config.h"

#define EXPORT_TTL		(7 * 86400)	/* seconds a link works */
#define EXPORT_EXPIRE_BATCH	50

struct db;

void	data_export_register(void);
/*
 * Queues an export of user_id: 1 (*id set), 0 when one is being made or
 * too many were asked for today, -1.
 */
int	data_export_request(struct db *, arena_t *, const char *user_id,
	    const char **id);
/* Deletes the archives of user_id (the account is being deleted). */
int	data_export_forget(const struct config *, struct db *,
	    const char *user_id);
/* The archive's path for export id, into the arena. */
const char *data_export_path(const struct config *, arena_t *,
	    const char *id);
/* "820 KB", "3.4 MB" */
const char *data_export_size(arena_t *, long long bytes);
/* The signed download path of export id of user_id, valid until expires. */
const char *data_export_url(const struct config *, arena_t *,
	    const char *user_id, const char *id, long long expires);
/* True when sig signs (user_id, id, expires) and expires is not past. */
bool	data_export_link_ok(const struct config *, const char *user_id,
	    const char *id, const char *expires, const char *sig);

#endif
