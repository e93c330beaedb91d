/*
 * fit: the parts of Garmin's FIT protocol Cadence needs, written from the
 * published protocol description (there is no FIT library in Debian).
 *
 *   - fit_walk(): a strict reader of the container: file header (12 or 14
 *     bytes, header CRC when present), definition and data messages
 *     (little- and big-endian, developer fields skipped), compressed
 *     timestamp headers, and the file CRC.  It hands each data message to
 *     a callback; it never reads outside the buffer.
 *   - af_parse_fit() (activity_file.h): an activity file's file_id,
 *     session, lap and record messages into struct af_activity.
 *   - fit_workout_encode(): a workout file (file_id, workout,
 *     workout_step) from structured steps, for watches to import.
 */
#ifndef CADENCE_FIT_H
#define CADENCE_FIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "domain/workout_steps.h"

#define FIT_EPOCH		631065600	/* 1989-12-31T00:00:00Z in Unix time */
#define FIT_HEADER_SIZE		14
#define FIT_PROFILE_VERSION	2100		/* 21.00: nothing newer is used */
#define FIT_MAX_LOCAL		16		/* local message types */
#define FIT_MAX_FIELDS		255		/* a definition's field count is a byte */
#define FIT_WKT_NAME_BYTES	32		/* workout name, NUL included */
#define FIT_NOTES_BYTES		48		/* step notes, NUL included */

/* Global message numbers used here. */
enum {
	FIT_MESG_FILE_ID = 0, FIT_MESG_SESSION = 18, FIT_MESG_LAP = 19,
	FIT_MESG_RECORD = 20, FIT_MESG_WORKOUT = 26, FIT_MESG_WORKOUT_STEP = 27
};

/* file_id.type values. */
enum { FIT_FILE_ACTIVITY = 4, FIT_FILE_WORKOUT = 5, FIT_FILE_COURSE = 6 };

#define FIT_FIELD_TIMESTAMP	253
#define FIT_FIELD_MESSAGE_INDEX	254

struct fit_field {
	uint8_t		 num;
	uint8_t		 size;
	uint8_t		 base;		/* base type byte, e.g. 0x86 uint32 */
	const uint8_t	*p;		/* into the caller's buffer */
};

struct fit_msg {
	uint16_t	 global;
	bool		 big;		/* big-endian fields */
	int		 nfields;
	struct fit_field f[FIT_MAX_FIELDS];
	bool		 has_ts;	/* from a compressed header */
	uint32_t	 ts;
};

/* Return 0 to go on, -1 (with err set) to stop the walk. */
typedef int (*fit_msg_fn)(void *ctx, const struct fit_msg *, char *err,
    size_t errlen);

/* CRC-16 of the FIT protocol, continuing from crc (start with 0). */
uint16_t fit_crc16(uint16_t crc, const void *, size_t);
/*
 * Walks a whole FIT file.  Returns 0, or -1 with err naming the problem
 * (truncated, bad CRC, undefined local message, ...).
 */
int	 fit_walk(const void *data, size_t len, fit_msg_fn, void *ctx,
	    char *err, size_t errlen);
/*
 * A field's value as an unsigned or signed integer, false when the field
 * is absent or holds its base type's invalid value.  Timestamp (253)
 * falls back to the compressed header's time.  Multi-byte fields of a
 * single-byte base type are read as their first byte.
 */
bool	 fit_get_u(const struct fit_msg *, uint8_t num, uint64_t *);
bool	 fit_get_s(const struct fit_msg *, uint8_t num, int64_t *);
/* A string field (NUL-terminated within its size) copied into buf. */
bool	 fit_get_str(const struct fit_msg *, uint8_t num, char *buf, size_t n);

/*
 * Encodes a FIT workout file: file_id (type workout), workout (running,
 * name, step count) and one workout_step per step, repeats as
 * "repeat until steps complete" steps.  time_created is Unix seconds.
 * Appends to out; returns 0, or -1 with err set.
 */
int	 fit_workout_encode(const struct ws_workout *, const char *name,
	    int64_t time_created, buf_t *out, char *err, size_t errlen);

#endif
