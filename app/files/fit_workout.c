/*
 * fit_workout: structured steps as a FIT workout file.
 *
 * Three local message types, each defined once, little-endian, protocol
 * 1.0 (no developer data, no 64-bit types) so that older watches read it:
 *   0 file_id      type 5 (workout), manufacturer 255 (development),
 *                  product 0, time_created
 *   1 workout      sport 1 (running), num_valid_steps, wkt_name
 *   2 workout_step message_index, duration type/value, target type and
 *                  value with a custom range, intensity, notes
 * A repeat block becomes its work and recovery steps followed by a
 * "repeat until steps complete" step pointing back at the work step, the
 * repeat count in target_value, as the FIT profile describes it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "files/activity_file.h"
#include "files/fit.h"

#define MANUFACTURER_DEVELOPMENT	255
#define SPORT_RUNNING			1
#define U32_INVALID			0xFFFFFFFFu
#define ENUM_INVALID			0xFF

enum { DUR_TIME = 0, DUR_DISTANCE = 1, DUR_OPEN = 5, DUR_REPEAT_STEPS = 6 };
enum { TGT_SPEED = 0, TGT_OPEN = 2 };
enum { INT_ACTIVE = 0, INT_WARMUP = 2, INT_COOLDOWN = 3, INT_RECOVERY = 4 };
enum { LOCAL_FILE_ID, LOCAL_WORKOUT, LOCAL_STEP };

/* Base types. */
enum { B_ENUM = 0x00, B_UINT16 = 0x84, B_UINT32 = 0x86, B_STRING = 0x07 };

struct fdef {
	uint8_t num, size, base;
};

static const struct fdef file_id_fields[] = {
	{ 0, 1, B_ENUM }, { 1, 2, B_UINT16 }, { 2, 2, B_UINT16 }, { 4, 4, B_UINT32 }
};
static const struct fdef workout_fields[] = {
	{ 4, 1, B_ENUM }, { 6, 2, B_UINT16 }, { 8, FIT_WKT_NAME_BYTES, B_STRING }
};
static const struct fdef step_fields[] = {
	{ FIT_FIELD_MESSAGE_INDEX, 2, B_UINT16 }, { 1, 1, B_ENUM },
	{ 2, 4, B_UINT32 }, { 3, 1, B_ENUM }, { 4, 4, B_UINT32 },
	{ 5, 4, B_UINT32 }, { 6, 4, B_UINT32 }, { 7, 1, B_ENUM },
	{ 8, FIT_NOTES_BYTES, B_STRING }
};

static void
put8(buf_t *b, unsigned v)
{
	buf_putc(b, (int)(v & 0xFF));
}

static void
put16(buf_t *b, unsigned v)
{
	put8(b, v);
	put8(b, v >> 8);
}

static void
put32(buf_t *b, uint32_t v)
{
	put16(b, v & 0xFFFF);
	put16(b, v >> 16);
}

/* A fixed-size string field: NUL-padded, cut on a UTF-8 boundary. */
static void
put_str(buf_t *b, const char *s, size_t size)
{
	size_t n = s ? strlen(s) : 0, i;

	if (n > size - 1) {
		n = size - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	buf_add(b, s ? s : "", n);
	for (i = n; i < size; i++)
		put8(b, 0);
}

static void
define(buf_t *b, int local, uint16_t global, const struct fdef *f, size_t n)
{
	size_t i;

	put8(b, 0x40 | (unsigned)local);
	put8(b, 0);		/* reserved */
	put8(b, 0);		/* little-endian */
	put16(b, global);
	put8(b, (unsigned)n);
	for (i = 0; i < n; i++) {
		put8(b, f[i].num);
		put8(b, f[i].size);
		put8(b, f[i].base);
	}
}

struct fstep {
	unsigned dur_type, target_type, intensity;
	uint32_t dur_value, target_value, low, high;
	const char *notes;
};

static unsigned
intensity_of(enum ws_intensity i)
{
	switch (i) {
	case WS_WARMUP:
		return INT_WARMUP;
	case WS_COOLDOWN:
		return INT_COOLDOWN;
	case WS_REST:
		return INT_RECOVERY;	/* a jog, not standing rest */
	default:
		return INT_ACTIVE;	/* "interval" (5) is unknown to older watches */
	}
}

static const char *
notes_of(const struct ws_step *s)
{
	if (s->target != WS_TGT_EFFORT)
		return s->uphill && s->intensity == WS_REST ? "Jog back down" : NULL;
	if (s->effort == WS_EFFORT_STRIDE)
		return "Stride: fast but relaxed";
	return s->uphill ? "Uphill, hard effort" : s->effort == WS_EFFORT_HARD ?
	    "Hard effort" : "Easy effort";
}

/* Speed in mm/s (the profile's m/s with scale 1000) of a pace in s/km. */
static uint32_t
speed_of(int sec_per_km)
{
	return (uint32_t)lround(1000000.0 / sec_per_km);
}

static struct fstep
step_of(const struct ws_step *s)
{
	struct fstep f = { DUR_OPEN, TGT_OPEN, intensity_of(s->intensity),
	    U32_INVALID, 0, U32_INVALID, U32_INVALID, notes_of(s) };

	if (s->duration == WS_DUR_DISTANCE) {
		f.dur_type = DUR_DISTANCE;
		f.dur_value = (uint32_t)s->value * 100;		/* cm */
	} else if (s->duration == WS_DUR_TIME) {
		f.dur_type = DUR_TIME;
		f.dur_value = (uint32_t)s->value * 1000;	/* ms */
	}
	if (s->target == WS_TGT_PACE) {
		/* target_value 0: a custom range; slower pace = lower speed. */
		f.target_type = TGT_SPEED;
		f.low = speed_of(s->pace_slow_s);
		f.high = speed_of(s->pace_fast_s);
	}
	return f;
}

static void
put_step(buf_t *b, unsigned index, const struct fstep *f)
{
	put8(b, LOCAL_STEP);
	put16(b, index);
	put8(b, f->dur_type);
	put32(b, f->dur_value);
	put8(b, f->target_type);
	put32(b, f->target_value);
	put32(b, f->low);
	put32(b, f->high);
	put8(b, f->intensity);
	put_str(b, f->notes, FIT_NOTES_BYTES);
}

static unsigned
put_block(buf_t *b, unsigned index, const struct ws_block *bl)
{
	struct fstep f = step_of(&bl->work);
	unsigned first = index;

	put_step(b, index++, &f);
	if (bl->reps == 0)
		return index;
	f = step_of(&bl->recovery);
	put_step(b, index++, &f);
	f = (struct fstep){ DUR_REPEAT_STEPS, ENUM_INVALID, ENUM_INVALID, first,
	    (uint32_t)bl->reps, U32_INVALID, U32_INVALID, NULL };
	put_step(b, index++, &f);
	return index;
}

static unsigned
fit_step_count(const struct ws_workout *w)
{
	unsigned n = 0;
	int i;

	for (i = 0; i < w->nblocks; i++)
		n += w->blocks[i].reps > 0 ? 3 : 1;
	return n;
}

int
fit_workout_encode(const struct ws_workout *w, const char *name,
    int64_t time_created, buf_t *out, char *err, size_t errlen)
{
	buf_t b = BUF_INIT;
	size_t start = out->len;
	unsigned index = 0;
	uint16_t crc;
	int i;

	if (w->nblocks <= 0 || w->nblocks > WS_MAX_BLOCKS)
		return af_fail(err, errlen, "FIT: a workout needs steps");
	if (time_created < FIT_EPOCH || time_created - FIT_EPOCH > (int64_t)UINT32_MAX - 1)
		return af_fail(err, errlen, "FIT: creation time out of range");
	define(&b, LOCAL_FILE_ID, FIT_MESG_FILE_ID, file_id_fields, NELEM(file_id_fields));
	put8(&b, LOCAL_FILE_ID);
	put8(&b, FIT_FILE_WORKOUT);
	put16(&b, MANUFACTURER_DEVELOPMENT);
	put16(&b, 0);
	put32(&b, (uint32_t)(time_created - FIT_EPOCH));
	define(&b, LOCAL_WORKOUT, FIT_MESG_WORKOUT, workout_fields, NELEM(workout_fields));
	put8(&b, LOCAL_WORKOUT);
	put8(&b, SPORT_RUNNING);
	put16(&b, fit_step_count(w));
	put_str(&b, name, FIT_WKT_NAME_BYTES);
	define(&b, LOCAL_STEP, FIT_MESG_WORKOUT_STEP, step_fields, NELEM(step_fields));
	for (i = 0; i < w->nblocks; i++)
		index = put_block(&b, index, &w->blocks[i]);
	/* Header: size, protocol 1.0, profile, data size, ".FIT", header CRC. */
	put8(out, FIT_HEADER_SIZE);
	put8(out, 0x10);
	put16(out, FIT_PROFILE_VERSION);
	put32(out, (uint32_t)b.len);
	buf_add(out, ".FIT", 4);
	put16(out, fit_crc16(0, out->data + start, 12));
	buf_add(out, b.data, b.len);
	crc = fit_crc16(0, out->data + start, out->len - start);
	put16(out, crc);
	buf_free(&b);
	return 0;
}
