/*
 * fit: a strict FIT reader, and activity files into struct af_activity.
 *
 * Layout (FIT protocol): a header (size byte 12 or 14, protocol version,
 * profile version, data size, ".FIT", optional header CRC), data_size
 * bytes of records, then the CRC-16 of everything before it.  A record
 * starts with a header byte: bit 7 set is a compressed-timestamp data
 * message (local type in bits 5-6, time offset in bits 0-4); else bit 6
 * set is a definition (bit 5: developer fields follow) and clear is a
 * data message, local type in bits 0-3.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "files/activity_file.h"
#include "files/fit.h"

#define SEMICIRCLE_DEG	(180.0 / 2147483648.0)
#define FIT_SYSTEM_TIME	0x10000000u	/* below: seconds since power-on */
#define BASE_NUM_MASK	0x1F
#define N_BASE_TYPES	17

static const uint16_t crc_table[16] = {
	0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
	0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400
};

/* Size of each base type, by its number (the low 5 bits of the byte). */
static const uint8_t base_size[N_BASE_TYPES] = {
	1, 1, 1, 2, 2, 4, 4, 1, 4, 8, 1, 2, 4, 1, 8, 8, 8
};

uint16_t
fit_crc16(uint16_t crc, const void *data, size_t n)
{
	const uint8_t *p = data;
	uint16_t tmp;
	size_t i;

	for (i = 0; i < n; i++) {
		tmp = crc_table[crc & 0xF];
		crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ tmp ^ crc_table[p[i] & 0xF]);
		tmp = crc_table[crc & 0xF];
		crc = (uint16_t)(((crc >> 4) & 0x0FFF) ^ tmp ^ crc_table[(p[i] >> 4) & 0xF]);
	}
	return crc;
}

/* ---- the container ---- */

struct fit_def {
	bool		 defined;
	bool		 big;
	uint16_t	 global;
	int		 nfields;
	uint8_t		 num[FIT_MAX_FIELDS], size[FIT_MAX_FIELDS], base[FIT_MAX_FIELDS];
	size_t		 dev_bytes;	/* developer fields: skipped */
};

struct walker {
	const uint8_t	*p, *end;	/* records left */
	size_t		 origin;	/* offset of p in the file, for messages */
	const uint8_t	*file;
	struct fit_def	 defs[FIT_MAX_LOCAL];
	struct fit_msg	 msg;
	bool		 have_ts;
	uint32_t	 last_ts;
	fit_msg_fn	 fn;
	void		*ctx;
};

static size_t
at(const struct walker *w)
{
	return (size_t)(w->p - w->file);
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static int
check_header(const uint8_t *b, size_t len, size_t *hsize, size_t *dsize,
    char *err, size_t errlen)
{
	uint32_t data_size;

	if (len < 12)
		return af_fail(err, errlen, "FIT: the file is %zu bytes, shorter than "
		    "a FIT header", len);
	if (b[0] < 12 || b[0] > len)
		return af_fail(err, errlen, "FIT: header size %u is invalid", b[0]);
	if (memcmp(b + 8, ".FIT", 4) != 0)
		return af_fail(err, errlen, "FIT: no \".FIT\" signature");
	if (b[1] >> 4 != 1 && b[1] >> 4 != 2)
		return af_fail(err, errlen, "FIT: protocol version %u.%u is not "
		    "supported", b[1] >> 4, b[1] & 0xF);
	if (b[0] >= 14 && le16(b + 12) != 0 && le16(b + 12) != fit_crc16(0, b, 12))
		return af_fail(err, errlen, "FIT: header CRC mismatch");
	data_size = le32(b + 4);
	if ((uint64_t)b[0] + data_size + 2 > len)
		return af_fail(err, errlen, "FIT: the file is truncated (%zu bytes, "
		    "the header announces %llu)", len,
		    (unsigned long long)b[0] + data_size + 2);
	if ((uint64_t)b[0] + data_size + 2 < len)
		return af_fail(err, errlen, "FIT: %llu bytes after the end of the "
		    "file (chained FIT files are not accepted)",
		    (unsigned long long)(len - b[0] - data_size - 2));
	if (le16(b + len - 2) != fit_crc16(0, b, len - 2))
		return af_fail(err, errlen, "FIT: CRC mismatch (the file is damaged)");
	*hsize = b[0];
	*dsize = data_size;
	return 0;
}

static int
read_definition(struct walker *w, uint8_t hdr, char *err, size_t errlen)
{
	struct fit_def *d = &w->defs[hdr & 0x0F];
	size_t n, i, need;

	if (w->end - w->p < 5)
		return af_fail(err, errlen, "FIT: definition cut short at byte %zu", at(w));
	if (w->p[1] > 1)
		return af_fail(err, errlen, "FIT: architecture %u at byte %zu",
		    w->p[1], at(w));
	memset(d, 0, sizeof(*d));
	d->big = w->p[1] == 1;
	d->global = d->big ? (uint16_t)(w->p[2] << 8 | w->p[3]) : le16(w->p + 2);
	n = w->p[4];
	w->p += 5;
	if ((size_t)(w->end - w->p) < 3 * n)
		return af_fail(err, errlen, "FIT: definition cut short at byte %zu", at(w));
	for (i = 0; i < n; i++, w->p += 3) {
		if (w->p[1] == 0)
			return af_fail(err, errlen, "FIT: field of size 0 at byte %zu", at(w));
		d->num[i] = w->p[0];
		d->size[i] = w->p[1];
		d->base[i] = w->p[2];
	}
	d->nfields = (int)n;
	if (hdr & 0x20) {		/* developer fields: sizes only */
		if (w->p >= w->end)
			return af_fail(err, errlen, "FIT: definition cut short at byte %zu", at(w));
		need = 3 * (size_t)*w->p++;
		if ((size_t)(w->end - w->p) < need)
			return af_fail(err, errlen, "FIT: definition cut short at byte %zu", at(w));
		for (i = 0; i < need; i += 3)
			d->dev_bytes += w->p[i + 1];
		w->p += need;
	}
	d->defined = true;
	return 0;
}

/* The compressed header's time: the last one's high bits plus the offset,
 * rolling over when the offset went backwards. */
static uint32_t
compressed_time(uint32_t last, uint8_t off)
{
	uint32_t t = (last & ~0x1Fu) + off;

	return off >= (last & 0x1F) ? t : t + 0x20;
}

static int
read_data(struct walker *w, int local, bool compressed, uint8_t off,
    char *err, size_t errlen)
{
	const struct fit_def *d = &w->defs[local];
	struct fit_msg *m = &w->msg;
	uint64_t ts;
	int i;

	if (!d->defined)
		return af_fail(err, errlen, "FIT: data for undefined local message %d "
		    "at byte %zu", local, at(w));
	if (compressed && !w->have_ts)
		return af_fail(err, errlen, "FIT: compressed timestamp before any "
		    "timestamp at byte %zu", at(w));
	m->global = d->global;
	m->big = d->big;
	m->nfields = d->nfields;
	m->has_ts = compressed;
	m->ts = compressed ? compressed_time(w->last_ts, off) : 0;
	for (i = 0; i < d->nfields; i++) {
		if (w->end - w->p < d->size[i])
			return af_fail(err, errlen, "FIT: message cut short at byte %zu",
			    at(w));
		m->f[i] = (struct fit_field){ d->num[i], d->size[i], d->base[i], w->p };
		w->p += d->size[i];
	}
	if ((size_t)(w->end - w->p) < d->dev_bytes)
		return af_fail(err, errlen, "FIT: message cut short at byte %zu", at(w));
	w->p += d->dev_bytes;
	if (fit_get_u(m, FIT_FIELD_TIMESTAMP, &ts)) {
		w->last_ts = (uint32_t)ts;
		w->have_ts = true;
	}
	return w->fn(w->ctx, m, err, errlen);
}

int
fit_walk(const void *data, size_t len, fit_msg_fn fn, void *ctx, char *err,
    size_t errlen)
{
	struct walker *w;
	size_t hsize = 0, dsize = 0;
	int rc = 0;

	if (check_header(data, len, &hsize, &dsize, err, errlen) != 0)
		return -1;
	/* Sixteen definitions and a message: too big for a worker's stack. */
	w = xcalloc(1, sizeof(*w));
	w->file = data;
	w->p = w->file + hsize;
	w->end = w->p + dsize;
	w->fn = fn;
	w->ctx = ctx;
	while (rc == 0 && w->p < w->end) {
		uint8_t hdr = *w->p++;

		if (hdr & 0x80)
			rc = read_data(w, (hdr >> 5) & 3, true, hdr & 0x1F, err, errlen);
		else if (hdr & 0x40)
			rc = read_definition(w, hdr, err, errlen);
		else
			rc = read_data(w, hdr & 0x0F, false, 0, err, errlen);
	}
	free(w);
	return rc;
}

/* ---- field values ---- */

static const struct fit_field *
find(const struct fit_msg *m, uint8_t num)
{
	int i;

	for (i = 0; i < m->nfields; i++)
		if (m->f[i].num == num)
			return &m->f[i];
	return NULL;
}

static uint64_t
read_uint(const uint8_t *p, int n, bool big)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[big ? n - 1 - i : i] << (8 * i);
	return v;
}

/* The field's base type size, or 0 when the field cannot hold one value. */
static int
value_size(const struct fit_field *f)
{
	int b = f->base & BASE_NUM_MASK;

	if (b >= N_BASE_TYPES || f->size < base_size[b])
		return 0;
	return base_size[b];
}

/* Invalid values by base type: all ones, the signed maximum, or zero for
 * the "z" types. */
static bool
is_invalid(int b, uint64_t v, int n)
{
	uint64_t ones = n == 8 ? UINT64_MAX : ((uint64_t)1 << (8 * n)) - 1;

	switch (b) {
	case 0x01: case 0x03: case 0x05: case 0x0E:	/* sint8..sint64 */
		return v == ones >> 1;
	case 0x0A: case 0x0B: case 0x0C: case 0x10:	/* uint8z..uint64z */
		return v == 0;
	case 0x08: case 0x09:	/* floats are not integers here */
		return true;
	default:
		return v == ones;
	}
}

bool
fit_get_u(const struct fit_msg *m, uint8_t num, uint64_t *out)
{
	const struct fit_field *f = find(m, num);
	int n;
	uint64_t v;

	if (f == NULL || (n = value_size(f)) == 0) {
		if (num == FIT_FIELD_TIMESTAMP && m->has_ts) {
			*out = m->ts;
			return true;
		}
		return false;
	}
	v = read_uint(f->p, n, m->big);
	if (is_invalid(f->base & BASE_NUM_MASK, v, n))
		return false;
	*out = v;
	return true;
}

bool
fit_get_s(const struct fit_msg *m, uint8_t num, int64_t *out)
{
	const struct fit_field *f = find(m, num);
	uint64_t v;
	int n;

	if (!fit_get_u(m, num, &v))
		return false;
	n = f != NULL ? value_size(f) : 4;
	/* Sign-extend from the field's width. */
	if (n < 8 && (v >> (8 * n - 1)) & 1)
		v |= ~(((uint64_t)1 << (8 * n)) - 1);
	*out = (int64_t)v;
	return true;
}

bool
fit_get_str(const struct fit_msg *m, uint8_t num, char *buf, size_t n)
{
	const struct fit_field *f = find(m, num);
	size_t k;

	if (f == NULL || (f->base & BASE_NUM_MASK) != 0x07 || n == 0)
		return false;
	for (k = 0; k < f->size && f->p[k] != '\0' && k + 1 < n; k++)
		buf[k] = (char)f->p[k];
	buf[k] = '\0';
	return k > 0;
}

/* ---- activity files ---- */

struct fit_activity {
	struct af_activity	*a;
	bool			 file_id;
	int			 sessions;
};

static const char *const sports[] = {
	"generic", "running", "cycling", "transition", "fitness_equipment",
	"swimming", "basketball", "soccer", "tennis", "american_football",
	"training", "walking", "cross_country_skiing", "alpine_skiing",
	"snowboarding", "rowing", "mountaineering", "hiking"
};

static int64_t
unix_time(uint64_t fit)
{
	return (int64_t)fit + FIT_EPOCH;
}

/* date_time fields below 0x10000000 count from power-on, not the epoch. */
static bool
get_time(const struct fit_msg *m, uint8_t num, int64_t *t)
{
	uint64_t v;

	if (!fit_get_u(m, num, &v) || v < FIT_SYSTEM_TIME)
		return false;
	*t = unix_time(v);
	return true;
}

static double
scaled(const struct fit_msg *m, uint8_t num, double scale, double dflt)
{
	uint64_t v;

	return fit_get_u(m, num, &v) ? (double)v / scale : dflt;
}

static int
on_file_id(struct fit_activity *fa, const struct fit_msg *m, char *err,
    size_t errlen)
{
	uint64_t type;

	if (fa->file_id)
		return 0;
	fa->file_id = true;
	if (!fit_get_u(m, 0, &type))
		return af_fail(err, errlen, "FIT: the file_id message has no type");
	if (type == FIT_FILE_WORKOUT)
		return af_fail(err, errlen, "FIT: this is a workout file, not a "
		    "recorded activity");
	if (type != FIT_FILE_ACTIVITY)
		return af_fail(err, errlen, "FIT: file type %llu is not an activity",
		    (unsigned long long)type);
	return 0;
}

/* Sessions add up (a multisport file has several); the first starts it. */
static void
on_session(struct fit_activity *fa, const struct fit_msg *m)
{
	struct af_activity *a = fa->a;
	uint64_t v;
	int64_t t;

	if (fa->sessions++ == 0) {
		if (get_time(m, 2, &t))
			a->start_time = t;
		if (fit_get_u(m, 5, &v) && v < NELEM(sports))
			snprintf(a->sport, sizeof(a->sport), "%s", sports[v]);
	}
	if (fit_get_u(m, 9, &v)) {
		a->distance_m += v / 100.0;
		a->has_distance = true;
	}
	if (fit_get_u(m, 7, &v)) {
		a->elapsed_s += v / 1000.0;
		a->has_elapsed = true;
	}
	if (fit_get_u(m, 8, &v)) {
		a->moving_s += v / 1000.0;
		a->has_moving = true;
	}
	if (fit_get_u(m, 16, &v) && a->avg_hr == 0)
		a->avg_hr = (int)v;
	if (fit_get_u(m, 17, &v) && (int)v > a->max_hr)
		a->max_hr = (int)v;
}

static int
on_lap(struct fit_activity *fa, const struct fit_msg *m, char *err,
    size_t errlen)
{
	struct af_lap *l = af_add_lap(fa->a);
	uint64_t v;

	if (l == NULL)
		return af_fail(err, errlen, "FIT: more than %d laps", AF_MAX_LAPS);
	get_time(m, 2, &l->start);
	l->elapsed_s = scaled(m, 7, 1000, 0);
	l->timer_s = scaled(m, 8, 1000, l->elapsed_s);
	l->distance_m = scaled(m, 9, 100, 0);
	if (fit_get_u(m, 15, &v))
		l->avg_hr = (int)v;
	if (fit_get_u(m, 16, &v))
		l->max_hr = (int)v;
	return 0;
}

static int
on_record(struct fit_activity *fa, const struct fit_msg *m, char *err,
    size_t errlen)
{
	struct af_point *p = af_add_point(fa->a);
	int64_t lat, lon;
	uint64_t v;

	if (p == NULL)
		return af_fail(err, errlen, "FIT: more than %d points", AF_MAX_POINTS);
	get_time(m, FIT_FIELD_TIMESTAMP, &p->time);
	if (fit_get_s(m, 0, &lat) && fit_get_s(m, 1, &lon)) {
		p->lat = (double)lat * SEMICIRCLE_DEG;
		p->lon = (double)lon * SEMICIRCLE_DEG;
		p->has_pos = true;
	}
	if (fit_get_u(m, 78, &v) || fit_get_u(m, 2, &v)) {
		p->ele = v / 5.0 - 500;		/* scale 5, offset 500 */
		p->has_ele = true;
	}
	if (fit_get_u(m, 3, &v))
		p->hr = (int)v;
	if (fit_get_u(m, 5, &v))
		p->distance_m = v / 100.0;
	return 0;
}

static int
on_message(void *ctx, const struct fit_msg *m, char *err, size_t errlen)
{
	struct fit_activity *fa = ctx;

	if (m->global == FIT_MESG_FILE_ID)
		return on_file_id(fa, m, err, errlen);
	if (!fa->file_id)
		return af_fail(err, errlen, "FIT: the first message is not file_id");
	switch (m->global) {
	case FIT_MESG_SESSION:
		on_session(fa, m);
		return 0;
	case FIT_MESG_LAP:
		return on_lap(fa, m, err, errlen);
	case FIT_MESG_RECORD:
		return on_record(fa, m, err, errlen);
	default:
		return 0;
	}
}

int
af_parse_fit(const void *data, size_t len, struct af_activity *out, char *err,
    size_t errlen)
{
	struct fit_activity fa = { out, false, 0 };

	memset(out, 0, sizeof(*out));
	out->format = AF_FIT;
	if (len > AF_MAX_BYTES)
		return af_fail(err, errlen, "the file is %zu bytes: at most %d are "
		    "accepted", len, AF_MAX_BYTES);
	if (fit_walk(data, len, on_message, &fa, err, errlen) != 0)
		goto bad;
	if (!fa.file_id) {
		af_fail(err, errlen, "FIT: no file_id message");
		goto bad;
	}
	if (fa.sessions == 0 && out->npoints == 0) {
		af_fail(err, errlen, "FIT: no session and no record: nothing was "
		    "recorded");
		goto bad;
	}
	if (af_finish(out, err, errlen) != 0)
		goto bad;
	return 0;
bad:
	af_free(out);
	return -1;
}
