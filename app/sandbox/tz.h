/*
 * tz: the few time zones sandbox activities happen in, with their
 * daylight-saving rules, and Strava's timestamp formats.
 *
 * Built in rather than read from the system's zoneinfo so that seeded
 * data is the same on every machine.
 */
#ifndef SANDBOX_TZ_H
#define SANDBOX_TZ_H

#include <stdbool.h>
#include <stdint.h>

#define SB_DEFAULT_TZ	"Europe/Paris"

/* True for a zone the sandbox knows ("Europe/Paris", "UTC", ...). */
bool	 sb_tz_known(const char *name);
/* The zone's offset from UTC in seconds at UTC instant t. */
int	 sb_tz_offset(const char *name, int64_t t);
/* Strava's label: "(GMT+01:00) Europe/Paris" (standard offset). */
void	 sb_tz_label(const char *name, char *out, size_t size);
/* The UTC instant for a local wall-clock time in the zone. */
int64_t	 sb_tz_to_utc(const char *name, int64_t local);
/* "2026-11-20T17:05:00Z" (21 bytes with the NUL). */
void	 sb_iso8601(int64_t t, char out[21]);
/* Parses "YYYY-MM-DD" and "HH:MM[:SS]" into seconds since the epoch,
 * as if the wall time were UTC. */
bool	 sb_parse_wall(const char *date, const char *time, int64_t *out);

#endif
