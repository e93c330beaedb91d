/*
 * FIT, GPX and TCX parsing, cross-checked against gpsbabel (Debian's
 * gpsbabel package) on the same files, and refused inputs: truncated,
 * bad CRC, billion laughs, XXE, year 9999, too many points, ...
 *
 * Fixtures are generated here: a GPX run (a loop in Paris, heart rate in
 * Garmin's extension, two segments), the TCX and FIT files gpsbabel
 * writes from it, and FIT activity files from a small writer below that
 * uses what real watches use (compressed timestamps, big-endian
 * definitions, developer fields).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "core/buf.h"
#include "files/activity_file.h"
#include "files/fit.h"
#include "files/xml_walk.h"

#define T0		1795194300	/* 2026-11-20T17:05:00Z */
#define LAT0		48.8566
#define LON0		2.3522
#define NPTS		600		/* 20 min at one point every 2 s */
#define STEP_S		2
#define PAUSE_AT	300		/* the second segment starts here ... */
#define PAUSE_S		60		/* ... after a minute standing */
#define DIST_TOL	0.005		/* gpsbabel's Earth radius differs by 0.1% */

static char dir[64];

static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/cadence-af.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];

	if (getenv("CADENCE_KEEP_FIXTURES") != NULL) {	/* for debugging */
		fprintf(stderr, "fixtures kept in %s\n", dir);
		return;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)!system(cmd);
}

static const char *
path(const char *name)
{
	static char p[4][128];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static void
write_file(const char *name, const void *data, size_t n)
{
	FILE *f = fopen(path(name), "wb");

	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void
read_file(const char *name, buf_t *b)
{
	FILE *f = fopen(path(name), "rb");
	char chunk[65536];
	size_t n;

	cr_assert_not_null(f, "%s", name);
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

static void
gpsbabel(const char *args)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "cd %s && gpsbabel %s 2>gpsbabel.err", dir, args);
	cr_assert_eq(system(cmd), 0, "gpsbabel %s failed", args);
}

/* ---- the generated run ---- */

struct pt {
	int64_t t;
	double lat, lon;
	int hr, ele;
};

/* A 400 m-radius loop at about 3 m/s, heart rate rising 120 -> 170. */
static struct pt
point(int i)
{
	double th = i * STEP_S * 3.0 / 400.0;
	struct pt p;

	p.t = T0 + (int64_t)i * STEP_S + (i >= PAUSE_AT ? PAUSE_S : 0);
	p.lat = LAT0 + 400 * sin(th) / 111195.0;
	p.lon = LON0 + 400 * (1 - cos(th)) / (111195.0 * cos(LAT0 * M_PI / 180));
	p.hr = 120 + i % NPTS * 50 / NPTS;
	p.ele = 35 + (i / 20) % 10;
	return p;
}

static void
time_str(char *b, size_t n, int64_t t)
{
	af_format_time(b, n, t);
}

/* lean: positions and times only (a big file that stays under the size cap). */
static void
make_gpx_points(buf_t *b, int npts, bool two_segments, bool lean)
{
	char ts[40];
	int i;

	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<gpx version=\"1.1\" creator=\"cadence-test\" "
	    "xmlns=\"http://www.topografix.com/GPX/1/1\" "
	    "xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n"
	    "<trk><name>Loop</name><type>running</type><trkseg>\n");
	for (i = 0; i < npts; i++) {
		struct pt p = point(i);

		if (two_segments && i == PAUSE_AT)
			buf_puts(b, "</trkseg><trkseg>\n");
		time_str(ts, sizeof(ts), p.t);
		if (lean) {
			buf_printf(b, "<trkpt lat=\"%.5f\" lon=\"%.5f\"><time>%s</time>"
			    "</trkpt>\n", p.lat, p.lon, ts);
			continue;
		}
		buf_printf(b, "<trkpt lat=\"%.7f\" lon=\"%.7f\"><ele>%d</ele>"
		    "<time>%s</time><extensions><gpxtpx:TrackPointExtension>"
		    "<gpxtpx:hr>%d</gpxtpx:hr></gpxtpx:TrackPointExtension>"
		    "</extensions></trkpt>\n", p.lat, p.lon, p.ele, ts, p.hr);
	}
	buf_puts(b, "</trkseg></trk></gpx>\n");
}

static void
make_gpx(buf_t *b, int npts, bool two_segments)
{
	make_gpx_points(b, npts, two_segments, false);
}

/* gpsbabel's points: unicsv columns by name. */
struct csv_pt {
	double lat, lon;
	int hr;
	int64_t t;
};

static int
col(const char *header, const char *name)
{
	char h[256], *tok, *save = NULL;
	int i = 0;

	snprintf(h, sizeof(h), "%s", header);
	for (tok = strtok_r(h, ",\r\n", &save); tok; tok = strtok_r(NULL, ",\r\n", &save), i++)
		if (strcmp(tok, name) == 0)
			return i;
	return -1;
}

static size_t
read_unicsv(const char *name, struct csv_pt *out, size_t max)
{
	FILE *f = fopen(path(name), "r");
	char line[512];
	int clat, clon, chr, cd, ct;
	size_t n = 0;

	cr_assert_not_null(f);
	cr_assert_not_null(fgets(line, sizeof(line), f));
	clat = col(line, "Latitude");
	clon = col(line, "Longitude");
	chr = col(line, "Heartrate");
	cd = col(line, "Date");
	ct = col(line, "Time");
	cr_assert(clat >= 0 && clon >= 0 && cd >= 0 && ct >= 0, "columns: %s", line);
	while (n < max && fgets(line, sizeof(line), f) != NULL) {
		char *fld[16], *save = NULL, *tok;
		int k = 0, y, mo, d, h, mi, s;
		char iso[40];

		/* Empty fields matter: split by hand. */
		for (tok = line; k < 16; k++) {
			fld[k] = tok;
			tok = strpbrk(tok, ",\r\n");
			if (tok == NULL)
				break;
			*tok++ = '\0';
		}
		(void)save;
		out[n].lat = atof(fld[clat]);
		out[n].lon = atof(fld[clon]);
		out[n].hr = chr >= 0 ? atoi(fld[chr]) : 0;
		cr_assert_eq(sscanf(fld[cd], "%d/%d/%d", &y, &mo, &d), 3);
		cr_assert_eq(sscanf(fld[ct], "%d:%d:%d", &h, &mi, &s), 3);
		snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
		cr_assert(xw_time(iso, &out[n].t));
		n++;
	}
	fclose(f);
	return n;
}

static void
parse_ok(const char *name, struct af_activity *a)
{
	buf_t b = BUF_INIT;
	char err[AF_ERR_MAX] = "";

	read_file(name, &b);
	cr_assert_eq(af_parse(b.data, b.len, a, err, sizeof(err)), 0, "%s: %s", name, err);
	buf_free(&b);
}

/* Our points and gpsbabel's agree one by one. */
static void
same_points(const struct af_activity *a, const struct csv_pt *c, size_t n,
    double pos_tol, bool hr)
{
	size_t i;

	cr_assert_eq(a->npoints, n, "we read %zu points, gpsbabel %zu", a->npoints, n);
	for (i = 0; i < n; i++) {
		cr_assert_eq(a->points[i].time, c[i].t, "point %zu time", i);
		cr_assert(fabs(a->points[i].lat - c[i].lat) < pos_tol &&
		    fabs(a->points[i].lon - c[i].lon) < pos_tol, "point %zu: %f,%f vs %f,%f",
		    i, a->points[i].lat, a->points[i].lon, c[i].lat, c[i].lon);
		if (hr)
			cr_assert_eq(a->points[i].hr, c[i].hr, "point %zu hr", i);
	}
}

static double
rel(double a, double b)
{
	return fabs(a - b) / b;
}

/* The distance gpsbabel computes itself: its TCX lap. */
static double
gpsbabel_distance(const char *gpx)
{
	char args[256];
	struct af_activity a;
	double d;

	snprintf(args, sizeof(args), "-i gpx -f %s -o gtrnctr,course=0,sport=Running "
	    "-F gb-dist.tcx", gpx);
	gpsbabel(args);
	parse_ok("gb-dist.tcx", &a);
	d = a.distance_m;
	af_free(&a);
	return d;
}

TestSuite(activity_files, .init = setup, .fini = teardown, .timeout = 60);

Test(activity_files, gpx_matches_gpsbabel)
{
	static struct csv_pt c[NPTS + 1];
	buf_t b = BUF_INIT;
	struct af_activity a;
	size_t n;
	double gbd;

	make_gpx(&b, NPTS, true);
	write_file("run.gpx", b.data, b.len);
	gpsbabel("-t -i gpx -f run.gpx -o unicsv,utc=0 -F run.csv");
	n = read_unicsv("run.csv", c, NPTS + 1);
	parse_ok("run.gpx", &a);
	cr_assert_eq(a.format, AF_GPX);
	cr_assert_str_eq(a.sport, "running");
	same_points(&a, c, n, 1e-6, true);
	cr_assert_eq(a.start_time, T0);
	/* Elapsed includes the pause; moving time does not. */
	cr_assert_eq((int)a.elapsed_s, (NPTS - 1) * STEP_S + PAUSE_S);
	cr_assert_eq((int)a.moving_s, (NPTS - 2) * STEP_S);
	cr_assert_eq(a.max_hr, 120 + (NPTS - 1) * 50 / NPTS);
	/* One segment, so gpsbabel's distance covers the same ground. */
	buf_reset(&b);
	make_gpx(&b, NPTS, false);
	write_file("one.gpx", b.data, b.len);
	af_free(&a);
	parse_ok("one.gpx", &a);
	gbd = gpsbabel_distance("one.gpx");
	cr_assert(rel(a.distance_m, gbd) < DIST_TOL, "ours %f, gpsbabel %f", a.distance_m, gbd);
	cr_assert(a.distance_m > 3500 && a.distance_m < 3700, "%f", a.distance_m);
	af_free(&a);
	buf_free(&b);
}

Test(activity_files, tcx_written_by_gpsbabel)
{
	static struct csv_pt c[NPTS + 1];
	struct af_activity g, t;
	buf_t b = BUF_INIT;
	size_t n;

	make_gpx(&b, NPTS, false);
	write_file("run.gpx", b.data, b.len);
	gpsbabel("-i gpx -f run.gpx -o gtrnctr,course=0,sport=Running -F run.tcx");
	gpsbabel("-t -i gtrnctr -f run.tcx -o unicsv,utc=0 -F tcx.csv");
	n = read_unicsv("tcx.csv", c, NPTS + 1);
	parse_ok("run.tcx", &t);
	parse_ok("run.gpx", &g);
	cr_assert_eq(t.format, AF_TCX);
	cr_assert_str_eq(t.sport, "running");
	same_points(&t, c, n, 1e-6, true);
	cr_assert_eq(t.start_time, g.start_time);
	cr_assert_eq(t.nlaps, 1);
	cr_assert(rel(t.distance_m, g.distance_m) < DIST_TOL, "tcx %f gpx %f",
	    t.distance_m, g.distance_m);
	cr_assert_eq((int)t.elapsed_s, (int)g.elapsed_s);
	cr_assert_eq(t.max_hr, g.max_hr);
	af_free(&t);
	af_free(&g);
	buf_free(&b);
}

/* gpsbabel writes FIT *course* files (file_id type 6), which we refuse;
 * labelled as an activity (type byte and CRC fixed), its records are a
 * FIT encoding by another program for our decoder to read. */
static void
relabel_as_activity(buf_t *b)
{
	size_t i = (unsigned char)b->data[0];
	uint16_t crc;

	/* gpsbabel writes its definitions first (none with developer
	 * fields); file_id's data follows, its type the first byte. */
	while (i < b->len && (b->data[i] & 0x40))
		i += 6 + 3 * (size_t)(unsigned char)b->data[i + 5];
	cr_assert_eq(b->data[i], 0x00);
	cr_assert_eq((unsigned char)b->data[i + 1], FIT_FILE_COURSE);
	b->data[i + 1] = FIT_FILE_ACTIVITY;
	crc = fit_crc16(0, b->data, b->len - 2);
	b->data[b->len - 2] = (char)(crc & 0xFF);
	b->data[b->len - 1] = (char)(crc >> 8);
}

Test(activity_files, fit_written_by_gpsbabel)
{
	static struct csv_pt c[NPTS + 1];
	struct af_activity f, g;
	buf_t b = BUF_INIT;
	char err[AF_ERR_MAX];
	size_t n;

	make_gpx(&b, NPTS, false);
	write_file("run.gpx", b.data, b.len);
	gpsbabel("-i gpx -f run.gpx -o garmin_fit -F run.fit");
	gpsbabel("-t -i garmin_fit -f run.fit -o unicsv,utc=0 -F fit.csv");
	n = read_unicsv("fit.csv", c, NPTS + 1);
	read_file("run.fit", &b);
	cr_assert_eq(af_parse(b.data, b.len, &f, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "FIT: file type 6 is not an activity");
	relabel_as_activity(&b);
	cr_assert_eq(af_parse(b.data, b.len, &f, err, sizeof(err)), 0, "%s", err);
	parse_ok("run.gpx", &g);
	cr_assert_eq(f.format, AF_FIT);
	/* Semicircles: 8e-8 degrees a unit; gpsbabel prints 6 decimals. */
	same_points(&f, c, n, 1.5e-6, false);
	cr_assert_eq(f.start_time, g.start_time);
	/* gpsbabel's own cumulative distance against ours from the GPX. */
	cr_assert(rel(f.distance_m, g.distance_m) < DIST_TOL, "fit %f gpx %f",
	    f.distance_m, g.distance_m);
	cr_assert_eq((int)f.elapsed_s, (int)g.elapsed_s);
	af_free(&f);
	af_free(&g);
	buf_free(&b);
}

/* ---- a FIT activity writer with what watches do ---- */

static void
p8(buf_t *b, unsigned v)
{
	buf_putc(b, (int)(v & 0xFF));
}

static void
p16(buf_t *b, unsigned v, bool big)
{
	if (big) {
		p8(b, v >> 8);
		p8(b, v);
	} else {
		p8(b, v);
		p8(b, v >> 8);
	}
}

static void
p32(buf_t *b, uint32_t v, bool big)
{
	if (big) {
		p16(b, v >> 16, true);
		p16(b, v & 0xFFFF, true);
	} else {
		p16(b, v & 0xFFFF, false);
		p16(b, v >> 16, false);
	}
}

static void
finish_fit(buf_t *out, const buf_t *rec)
{
	uint16_t crc;

	p8(out, 14);
	p8(out, 0x20);
	p16(out, 2100, false);
	p32(out, (uint32_t)rec->len, false);
	buf_add(out, ".FIT", 4);
	p16(out, fit_crc16(0, out->data, 12), false);
	buf_add(out, rec->data, rec->len);
	crc = fit_crc16(0, out->data, out->len);
	p16(out, crc, false);
}

static uint32_t
semi(double deg)
{
	return (uint32_t)(int32_t)lround(deg / (180.0 / 2147483648.0));
}

/*
 * file_id; records 0..npts-1; a lap; a session.  With watch features,
 * every 10th record is a full little-endian one and the others have a
 * compressed timestamp header and go through a big-endian definition
 * with a developer field, as watches write them.  Without, every record
 * is full, little-endian, with a developer field: gpsbabel 1.8.0 reads
 * that correctly, but applies the last definition's byte order to every
 * message and adds the compressed offset to the last timestamp instead
 * of replacing its low 5 bits (Garmin's FIT SDK for JavaScript reads the
 * big-endian file as we do; it does not take compressed timestamps).
 */
static void
make_fit_records(buf_t *r, int npts, bool watch)
{
	int i;

	if (!watch) {
		/* local 1: timestamp, lat, lon, hr + 2 bytes developer data. */
		p8(r, 0x61); p8(r, 0); p8(r, 0); p16(r, 20, false); p8(r, 4);
		p8(r, 253); p8(r, 4); p8(r, 0x86);
		p8(r, 0); p8(r, 4); p8(r, 0x85);
		p8(r, 1); p8(r, 4); p8(r, 0x85);
		p8(r, 3); p8(r, 1); p8(r, 0x02);
		p8(r, 1); p8(r, 0); p8(r, 2); p8(r, 0);
	}
	for (i = 0; i < npts; i++) {
		struct pt p = point(i);
		uint32_t t = (uint32_t)(p.t - FIT_EPOCH);
		bool full = !watch || i % 10 == 0;

		if (full) {
			p8(r, 0x01);
			p32(r, t, false);
			p32(r, semi(p.lat), false);
			p32(r, semi(p.lon), false);
		} else {
			p8(r, 0x80 | 2 << 5 | (t & 0x1F));
			p32(r, semi(p.lat), true);
			p32(r, semi(p.lon), true);
		}
		p8(r, (unsigned)p.hr);
		if (!watch || !full)
			p16(r, 0xBEEF, false);
	}
}

static void
make_fit(buf_t *out, int npts, bool watch)
{
	buf_t r = BUF_INIT;
	uint32_t t0 = (uint32_t)(T0 - FIT_EPOCH);

	/* file_id: type, manufacturer, time_created. */
	p8(&r, 0x40); p8(&r, 0); p8(&r, 0); p16(&r, 0, false); p8(&r, 3);
	p8(&r, 0); p8(&r, 1); p8(&r, 0x00);
	p8(&r, 1); p8(&r, 2); p8(&r, 0x84);
	p8(&r, 4); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 0x00); p8(&r, FIT_FILE_ACTIVITY); p16(&r, 255, false); p32(&r, t0, false);
	if (watch) {
		/* local 1: record, little-endian, with timestamp. */
		p8(&r, 0x41); p8(&r, 0); p8(&r, 0); p16(&r, 20, false); p8(&r, 4);
		p8(&r, 253); p8(&r, 4); p8(&r, 0x86);
		p8(&r, 0); p8(&r, 4); p8(&r, 0x85);
		p8(&r, 1); p8(&r, 4); p8(&r, 0x85);
		p8(&r, 3); p8(&r, 1); p8(&r, 0x02);
		/* local 2: big-endian, no timestamp, a developer field. */
		p8(&r, 0x62); p8(&r, 0); p8(&r, 1); p16(&r, 20, true); p8(&r, 3);
		p8(&r, 0); p8(&r, 4); p8(&r, 0x85);
		p8(&r, 1); p8(&r, 4); p8(&r, 0x85);
		p8(&r, 3); p8(&r, 1); p8(&r, 0x02);
		p8(&r, 1); p8(&r, 0); p8(&r, 2); p8(&r, 0);
	}
	make_fit_records(&r, npts, watch);
	/* local 3: lap start_time, elapsed, timer, distance. */
	p8(&r, 0x43); p8(&r, 0); p8(&r, 0); p16(&r, 19, false); p8(&r, 4);
	p8(&r, 2); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 7); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 8); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 9); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 0x03); p32(&r, t0, false); p32(&r, 1258000, false);
	p32(&r, 1198000, false); p32(&r, 180000, false);
	/* local 3 redefined: session start_time, sport, elapsed, timer, distance. */
	p8(&r, 0x43); p8(&r, 0); p8(&r, 0); p16(&r, 18, false); p8(&r, 5);
	p8(&r, 2); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 5); p8(&r, 1); p8(&r, 0x00);
	p8(&r, 7); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 8); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 9); p8(&r, 4); p8(&r, 0x86);
	p8(&r, 0x03); p32(&r, t0, false); p8(&r, 1); p32(&r, 1258000, false);
	p32(&r, 1198000, false); p32(&r, 180000, false);
	finish_fit(out, &r);
	buf_free(&r);
}

Test(activity_files, fit_activity_read_by_both)
{
	static struct csv_pt c[NPTS + 1];
	struct af_activity a;
	buf_t b = BUF_INIT;
	size_t n;

	make_fit(&b, NPTS, false);
	write_file("watch.fit", b.data, b.len);
	gpsbabel("-t -i garmin_fit -f watch.fit -o unicsv,utc=0 -F watch.csv");
	n = read_unicsv("watch.csv", c, NPTS + 1);
	parse_ok("watch.fit", &a);
	same_points(&a, c, n, 1.5e-6, true);
	cr_assert_str_eq(a.sport, "running");
	cr_assert_eq(a.start_time, T0);
	cr_assert_float_eq(a.distance_m, 1800.0, 1e-9);
	cr_assert_float_eq(a.elapsed_s, 1258.0, 1e-9);
	cr_assert_float_eq(a.moving_s, 1198.0, 1e-9);
	cr_assert_eq(a.nlaps, 1);
	cr_assert_float_eq(a.laps[0].distance_m, 1800.0, 1e-9);
	af_free(&a);
	buf_free(&b);
}

/* What watches write, against the generator's own truth. */
Test(activity_files, fit_compressed_timestamps_and_big_endian)
{
	struct af_activity a;
	buf_t b = BUF_INIT;
	char err[AF_ERR_MAX] = "";
	int i;

	make_fit(&b, NPTS, true);
	cr_assert_eq(af_parse(b.data, b.len, &a, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(a.npoints, NPTS);
	for (i = 0; i < NPTS; i++) {
		struct pt p = point(i);

		cr_assert_eq(a.points[i].time, p.t, "point %d", i);
		cr_assert(fabs(a.points[i].lat - p.lat) < 1e-7 &&
		    fabs(a.points[i].lon - p.lon) < 1e-7, "point %d", i);
		cr_assert_eq(a.points[i].hr, p.hr, "point %d", i);
	}
	af_free(&a);
	buf_free(&b);
}

/* ---- the workout encoder, read back by the walker ---- */

/* tests/files/fitsdk-check.sh decodes these with Garmin's own FIT SDK. */
static void
dump_for_fitsdk(const char *name, const buf_t *b)
{
	const char *d = getenv("CADENCE_FIT_DUMP");
	char p[512];
	FILE *f;

	if (d == NULL)
		return;
	snprintf(p, sizeof(p), "%s/%s", d, name);
	cr_assert_not_null(f = fopen(p, "wb"));
	cr_assert_eq(fwrite(b->data, 1, b->len, f), b->len);
	fclose(f);
}

struct wstep {
	unsigned index, dur_type, target_type, intensity;
	uint64_t dur_value, target_value, low, high;
	char notes[64];
};

struct wread {
	uint64_t file_type, sport, nsteps;
	char name[64];
	struct wstep s[32];
	int n;
};

static int
on_workout_msg(void *ctx, const struct fit_msg *m, char *err, size_t errlen)
{
	struct wread *w = ctx;
	struct wstep *s;
	uint64_t v;

	(void)err; (void)errlen;
	if (m->global == FIT_MESG_FILE_ID)
		fit_get_u(m, 0, &w->file_type);
	else if (m->global == FIT_MESG_WORKOUT) {
		fit_get_u(m, 4, &w->sport);
		fit_get_u(m, 6, &w->nsteps);
		fit_get_str(m, 8, w->name, sizeof(w->name));
	} else if (m->global == FIT_MESG_WORKOUT_STEP && w->n < 32) {
		s = &w->s[w->n++];
		memset(s, 0, sizeof(*s));
		fit_get_u(m, FIT_FIELD_MESSAGE_INDEX, &v);
		s->index = (unsigned)v;
		s->dur_type = fit_get_u(m, 1, &v) ? (unsigned)v : 0xFF;
		fit_get_u(m, 2, &s->dur_value);
		s->target_type = fit_get_u(m, 3, &v) ? (unsigned)v : 0xFF;
		fit_get_u(m, 4, &s->target_value);
		fit_get_u(m, 5, &s->low);
		fit_get_u(m, 6, &s->high);
		s->intensity = fit_get_u(m, 7, &v) ? (unsigned)v : 0xFF;
		fit_get_str(m, 8, s->notes, sizeof(s->notes));
	}
	return 0;
}

Test(activity_files, fit_workout_encodes_steps_and_repeats)
{
	struct ws_spec sp = { .session = WS_INTERVALS, .distance_m = 10000,
	    .pace_fast_s = 250, .pace_slow_s = 255, .easy_fast_s = 330,
	    .easy_slow_s = 360, .reps = 6, .rep_m = 800, .recovery_m = 400 };
	struct ws_workout w;
	struct wread r;
	buf_t b = BUF_INIT;
	char err[AF_ERR_MAX] = "";
	struct af_activity a;

	cr_assert_eq(ws_build(&sp, &w, err, sizeof(err)), 0);
	cr_assert_eq(fit_workout_encode(&w, "Intervals 6 x 800 m", T0, &b, err,
	    sizeof(err)), 0, "%s", err);
	dump_for_fitsdk("intervals.fit", &b);
	memset(&r, 0, sizeof(r));
	cr_assert_eq(fit_walk(b.data, b.len, on_workout_msg, &r, err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_eq(r.file_type, FIT_FILE_WORKOUT);
	cr_assert_eq(r.sport, 1);
	cr_assert_str_eq(r.name, "Intervals 6 x 800 m");
	cr_assert_eq(r.nsteps, 5);
	cr_assert_eq(r.n, 5);
	/* Warm-up 1400 m at 5:30-6:00/km = 2.778-3.030 m/s. */
	cr_assert_eq(r.s[0].intensity, 2);
	cr_assert_eq(r.s[0].dur_type, 1);
	cr_assert_eq(r.s[0].dur_value, 140000);
	cr_assert_eq(r.s[0].target_type, 0);
	cr_assert_eq(r.s[0].target_value, 0);
	cr_assert_eq(r.s[0].low, 2778);
	cr_assert_eq(r.s[0].high, 3030);
	/* 800 m at 4:10-4:15/km, 400 m recovery jog, repeat from step 1 x 6. */
	cr_assert_eq(r.s[1].index, 1);
	cr_assert_eq(r.s[1].dur_value, 80000);
	cr_assert_eq(r.s[1].low, 3922);
	cr_assert_eq(r.s[1].high, 4000);
	cr_assert_eq(r.s[2].intensity, 4);
	cr_assert_eq(r.s[2].target_type, 2);
	cr_assert_eq(r.s[3].dur_type, 6);
	cr_assert_eq(r.s[3].dur_value, 1);
	cr_assert_eq(r.s[3].target_value, 6);
	cr_assert_eq(r.s[4].intensity, 3);
	cr_assert_eq(r.s[4].dur_value, 140000);
	/* A workout is not an activity. */
	cr_assert_eq(af_parse(b.data, b.len, &a, err, sizeof(err)), -1);
	cr_assert_str_eq(err, "FIT: this is a workout file, not a recorded activity");
	buf_free(&b);
}

Test(activity_files, fit_workout_hills_and_strides_carry_notes)
{
	struct ws_spec sp = { .session = WS_EASY, .distance_m = 8000,
	    .pace_fast_s = 330, .pace_slow_s = 360, .strides = 6 };
	struct ws_workout w;
	struct wread r;
	buf_t b = BUF_INIT;
	char err[AF_ERR_MAX] = "";

	cr_assert_eq(ws_build(&sp, &w, err, sizeof(err)), 0);
	/* A long name is cut on a character boundary, not mid-UTF-8. */
	cr_assert_eq(fit_workout_encode(&w, "Easy run \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", T0, &b, err,
	    sizeof(err)), 0);
	dump_for_fitsdk("strides.fit", &b);
	memset(&r, 0, sizeof(r));
	cr_assert_eq(fit_walk(b.data, b.len, on_workout_msg, &r, err, sizeof(err)), 0);
	cr_assert_eq(strlen(r.name), 31);
	cr_assert_eq(r.n, 4);
	cr_assert_eq(r.s[1].dur_type, 0);		/* time */
	cr_assert_eq(r.s[1].dur_value, 20000);	/* ms */
	cr_assert_eq(r.s[1].target_type, 2);
	cr_assert_str_eq(r.s[1].notes, "Stride: fast but relaxed");
	cr_assert_eq(r.s[3].target_value, 6);
	buf_free(&b);
}

/* ---- refused files ---- */

static void
refused(const void *data, size_t len, const char *want)
{
	struct af_activity a;
	char err[AF_ERR_MAX] = "";

	cr_assert_eq(af_parse(data, len, &a, err, sizeof(err)), -1, "accepted; wanted %s", want);
	cr_assert(strstr(err, want) != NULL, "error \"%s\", wanted \"%s\"", err, want);
	cr_assert_null(a.points);
	cr_assert_null(a.laps);
}

Test(activity_files, bad_fit_files)
{
	buf_t b = BUF_INIT, c = BUF_INIT;
	size_t i;

	make_fit(&b, 20, true);
	refused(b.data, 11, "not a FIT, GPX or TCX");
	refused(b.data, 20, "the file is truncated");
	refused(b.data, b.len - 1, "the file is truncated");
	buf_add(&c, b.data, b.len);
	buf_add(&c, "xx", 2);
	refused(c.data, c.len, "bytes after the end of the file");
	buf_reset(&c);
	buf_add(&c, b.data, b.len);
	c.data[40] ^= 0x01;
	refused(c.data, c.len, "CRC mismatch (the file is damaged)");
	buf_reset(&c);
	buf_add(&c, b.data, b.len);
	c.data[4] ^= 0x01;
	refused(c.data, c.len, "header CRC mismatch");
	/* Every truncation of the records, CRC fixed: refused, never read past. */
	for (i = 15; i < b.len - 2; i += 7) {
		uint16_t crc;

		buf_reset(&c);
		buf_add(&c, b.data, i);
		c.data[4] = (char)((i - 14) & 0xFF);
		c.data[5] = (char)((i - 14) >> 8);
		c.data[12] = c.data[13] = 0;
		crc = fit_crc16(0, c.data, c.len);
		p16(&c, crc, false);
		{
			struct af_activity a;
			char err[AF_ERR_MAX] = "";

			if (af_parse(c.data, c.len, &a, err, sizeof(err)) == 0)
				af_free(&a);
			else
				cr_assert_neq(err[0], '\0');
		}
	}
	buf_free(&b);
	buf_free(&c);
}

Test(activity_files, fit_data_before_definition_or_time)
{
	buf_t r = BUF_INIT, b = BUF_INIT;

	p8(&r, 0x05);		/* data for local 5, never defined */
	finish_fit(&b, &r);
	refused(b.data, b.len, "data for undefined local message 5");
	buf_reset(&r);
	buf_reset(&b);
	p8(&r, 0x40); p8(&r, 0); p8(&r, 0); p16(&r, 20, false); p8(&r, 1);
	p8(&r, 3); p8(&r, 1); p8(&r, 0x02);
	p8(&r, 0x85);		/* compressed timestamp, nothing before */
	p8(&r, 120);
	finish_fit(&b, &r);
	refused(b.data, b.len, "compressed timestamp before any timestamp");
	buf_free(&r);
	buf_free(&b);
}

Test(activity_files, too_many_points)
{
	buf_t b = BUF_INIT;

	make_fit(&b, AF_MAX_POINTS + 1, true);
	refused(b.data, b.len, "more than 100000 points");
	buf_reset(&b);
	make_gpx_points(&b, AF_MAX_POINTS + 1, false, true);
	cr_assert_lt(b.len, AF_MAX_BYTES);
	refused(b.data, b.len, "more than 100000 points");
	buf_free(&b);
}

#define GPX_HEAD "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" " \
	"xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>"
#define GPX_TAIL "</trkseg></trk></gpx>"

Test(activity_files, hostile_xml)
{
	static const char laughs[] = "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE gpx [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;"
	    "&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>\n"
	    "<gpx><trk><name>&c;</name></trk></gpx>";
	static const char xxe[] = "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE gpx [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<gpx><trk><name>&x;</name></trk></gpx>";
	static const char utf16[] = "\xff\xfe<\0g\0p\0x\0>\0";
	buf_t b = BUF_INIT;
	int i;

	refused(laughs, sizeof(laughs) - 1, "declares a DTD or entities");
	refused(xxe, sizeof(xxe) - 1, "declares a DTD or entities");
	refused(utf16, sizeof(utf16) - 1, "not a FIT, GPX or TCX");
	cr_assert_eq(af_parse_gpx(utf16, sizeof(utf16) - 1, &(struct af_activity){0},
	    NULL, 0), -1);
	/* Nesting: 40 levels of <extensions>. */
	buf_puts(&b, GPX_HEAD "<trkpt lat=\"1\" lon=\"1\">");
	for (i = 0; i < 40; i++)
		buf_puts(&b, "<x>");
	refused(b.data, b.len, "nested more than 32 deep");
	buf_free(&b);
}

Test(activity_files, bad_gpx_files)
{
	static const struct {
		const char *doc, *want;
	} bad[] = {
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"><time>9999-12-31T23:59:59Z"
		  "</time></trkpt>" GPX_TAIL,
		  "point 1: time 9999-12-31T23:59:59Z is out of range" },
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"><time>yesterday</time>"
		  "</trkpt>" GPX_TAIL, "point 1: time \"yesterday\" is not an ISO 8601" },
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"><time>2026-02-29T10:00:00Z"
		  "</time></trkpt>" GPX_TAIL, "is not an ISO 8601" },
		{ GPX_HEAD "<trkpt lat=\"98.1\" lon=\"2.1\"><time>2026-02-28T10:00:00Z"
		  "</time></trkpt>" GPX_TAIL, "point 1: position 98.1, 2.1 is not on Earth" },
		{ GPX_HEAD "<trkpt lon=\"2.1\"></trkpt>" GPX_TAIL, "point 1 has no lat or lon" },
		{ GPX_HEAD "<trkpt lat=\"4x\" lon=\"2.1\"></trkpt>" GPX_TAIL, "is not a number" },
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"><extensions><hr>300</hr>"
		  "</extensions></trkpt>" GPX_TAIL, "heart rate \"300\" is impossible" },
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"></trkpt>" GPX_TAIL,
		  "no time anywhere in the file" },
		{ GPX_HEAD GPX_TAIL, "GPX: no track points" },
		{ GPX_HEAD "<trkpt lat=\"48.1\" lon=\"2.1\"><time>2026-02-28T10:00:00Z",
		  "GPX: the XML is malformed at line 2" },
		{ "<?xml version=\"1.0\"?><gpx><trk><trkseg><trkpt lat=\"1\" lon=\"1\">"
		  "<time>2026-01-01T00:00:00Z</time></trkpt><trkpt lat=\"1\" lon=\"1\">"
		  "<time>2026-01-09T00:00:00Z</time></trkpt>" GPX_TAIL,
		  "the points span 192 hours" },
		{ "<gpxfoo/>", "GPX: the root element is <gpxfoo>" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i].doc, strlen(bad[i].doc), bad[i].want);
}

#define TCX_HEAD "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase " \
	"xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">"

Test(activity_files, bad_tcx_files)
{
	static const struct {
		const char *doc, *want;
	} bad[] = {
		{ TCX_HEAD "<Courses><Course><Name>x</Name></Course></Courses>"
		  "</TrainingCenterDatabase>", "TCX: no activity (a course" },
		{ TCX_HEAD "<Activities><Activity Sport=\"Running\"><Id>2026-01-01T10:00:00Z"
		  "</Id><Lap StartTime=\"2026-01-01T10:00:00Z\"><TotalTimeSeconds>60"
		  "</TotalTimeSeconds></Lap></Activity><Activity Sport=\"Running\">"
		  "</Activity></Activities></TrainingCenterDatabase>",
		  "several activities" },
		{ TCX_HEAD "<Activities><Activity Sport=\"Running\"><Id>2026-01-01T10:00:00Z"
		  "</Id><Lap StartTime=\"2026-01-01T10:00:00Z\"><Track><Trackpoint><Time>"
		  "2026-01-01T10:00:00Z</Time><Position><LatitudeDegrees>48</LatitudeDegrees>"
		  "</Position></Trackpoint></Track></Lap></Activity></Activities>"
		  "</TrainingCenterDatabase>", "a latitude or a longitude but not both" },
		{ TCX_HEAD "<Activities><Activity Sport=\"Running\"><Id>9999-01-01T10:00:00Z"
		  "</Id><Lap StartTime=\"9999-01-01T10:00:00Z\"><TotalTimeSeconds>60"
		  "</TotalTimeSeconds></Lap></Activity></Activities></TrainingCenterDatabase>",
		  "lap 1: time 9999-01-01T10:00:00Z is out of range" },
		{ TCX_HEAD "<Activities><Activity Sport=\"Running\"><Id>2026-01-01T10:00:00Z"
		  "</Id><Lap StartTime=\"2026-01-01T10:00:00Z\"><DistanceMeters>-5"
		  "</DistanceMeters></Lap></Activity></Activities></TrainingCenterDatabase>",
		  "TCX: DistanceMeters 1: \"-5\" is not valid" },
		{ TCX_HEAD "<Activities><Activity Sport=\"Running\"></Activity></Activities>"
		  "</TrainingCenterDatabase>", "no lap and no point" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refused(bad[i].doc, strlen(bad[i].doc), bad[i].want);
}

Test(activity_files, iso_times)
{
	static const struct {
		const char *s;
		int64_t t;
	} ok[] = {
		{ "2026-11-20T17:05:00Z", T0 },
		{ "2026-11-20T17:05:00.750Z", T0 },
		{ "2026-11-20T18:05:00+01:00", T0 },
		{ "2026-11-20T14:05:00-03:00", T0 },
		{ " 2026-11-20T17:05:00 \n", T0 },
		{ "2024-02-29T00:00:00Z", 1709164800 },
		{ "1970-01-01T00:00:00Z", 0 },
	};
	static const char *const bad[] = {
		"2026-11-20 17:05:00Z", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z",
		"2026-11-20T24:00:00Z", "2026-11-20T17:05:00+1:00", "2026-11-20T17:05Z",
		"26-11-20T17:05:00Z", "2026-11-20T17:05:00Zjunk", "",
	};
	int64_t t;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		cr_assert(xw_time(ok[i].s, &t), "%s", ok[i].s);
		cr_assert_eq(t, ok[i].t, "%s", ok[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert(!xw_time(bad[i], &t), "%s", bad[i]);
}

/* An activity of n points whose elevations come from f(i). */
static void
climb_track(struct af_activity *a, size_t n, double (*f)(size_t))
{
	size_t i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i++) {
		struct af_point *p = af_add_point(a);

		cr_assert_not_null(p);
		p->ele = f(i);
		p->has_ele = true;
	}
}

/* Deterministic noise in [-1, 1]. */
static double
noise(size_t i)
{
	return sin((double)i * 12.9898) * cos((double)i * 78.233);
}

static double flat_noisy(size_t i) { return 35 + 1.4 * noise(i); }
/* 0-999 up 100 m, then down 100 m, then up 50 m: with +-1 m noise. */
static double
hills(size_t i)
{
	double base = i < 1000 ? i * 0.1 : i < 2000 ? 100 - (i - 1000) * 0.1 :
	    (i - 2000) * 0.05;

	return 200 + base + noise(i);
}
static double stairs(size_t i) { return (double)(i / 10) * 2.0; }
static double jumpy(size_t i) { return i % 2 ? 15000 : -15000; }

Test(activity_files, climb_ignores_noise_and_counts_every_hill)
{
	struct af_activity	a;
	double			g;

	climb_track(&a, 3000, flat_noisy);
	cr_assert_eq(af_climb_m(&a), 0, "%.1f m on the flat",
	    af_climb_m(&a));
	af_free(&a);

	climb_track(&a, 3000, hills);
	g = af_climb_m(&a);
	cr_assert(g >= 145 && g <= 160, "150 m of hills read as %.1f m", g);
	af_free(&a);

	/* Steps of 2 m, each under the threshold, still add up. */
	climb_track(&a, 1000, stairs);
	g = af_climb_m(&a);
	cr_assert(g >= 195 && g <= 198, "198 m of stairs read as %.1f m", g);
	af_free(&a);

	/* A trace jumping 30 km up and down is no run's climb: unknown. */
	climb_track(&a, 1000, jumpy);
	cr_assert_eq(af_climb_m(&a), -1);
	af_free(&a);

	/* No elevation, or one point: unknown. */
	climb_track(&a, 1, hills);
	cr_assert_eq(af_climb_m(&a), -1);
	af_free(&a);
	memset(&a, 0, sizeof(a));
	cr_assert_eq(af_climb_m(&a), -1);
}

/*
 * A run along a meridian: a point every 10 s, 30 m apart (3 m/s), heart
 * rate 150, climbing 1 m every 100 m, with a 60 s stop at 2,490 m, over
 * metres in all.
 */
static void
split_track(struct af_activity *a, double metres)
{
	double	 d;
	int64_t	 t = 1700000000;

	memset(a, 0, sizeof(*a));
	for (d = 0; d <= metres + 1e-6; d += 30) {
		struct af_point *p = af_add_point(a);

		cr_assert_not_null(p);
		p->distance_m = -1;
		p->time = t;
		p->lat = 45 + d / 111195.0;
		p->lon = 7;
		p->has_pos = true;
		p->hr = 150;
		p->ele = 100 + d / 100;
		p->has_ele = true;
		t += 10;
		if (d == 2490)
			t += 60;	/* standing at a crossing */
	}
}

Test(activity_files, splits_from_points_per_km_and_mile)
{
	struct af_activity	a;
	struct split_input	s[32];
	size_t			n, i;

	split_track(&a, 10500);
	n = af_splits(&a, 1000, s, 32);
	cr_assert_eq(n, 11, "%zu splits", n);
	for (i = 0; i < 10; i++) {
		cr_assert_float_eq(s[i].distance_m, 1000, 1, "split %zu", i);
		/* 1000 m at 3 m/s, the stop left out (and the step across
		 * it, as af_finish measures moving time: 10 s). */
		cr_assert(abs(s[i].moving_s - (i == 2 ? 323 : 333)) <= 1,
		    "split %zu: %d s", i, s[i].moving_s);
		cr_assert_float_eq(s[i].average_hr, 150, 0.01);
		cr_assert(s[i].has_elevation);
		cr_assert_float_eq(s[i].elevation_m, 10, 0.01);
	}
	cr_assert_float_eq(s[10].distance_m, 500, 1);
	cr_assert(abs(s[10].moving_s - 167) <= 1);

	/* Per mile: 6 whole miles and what is left. */
	n = af_splits(&a, 1609.344, s, 32);
	cr_assert_eq(n, 7);
	cr_assert_float_eq(s[6].distance_m, 10500 - 6 * 1609.344, 1);

	/* Room for fewer: no more than max, and the last one not swollen
	 * with the rest; counting alone (no array) gives the room needed. */
	cr_assert_eq(af_splits(&a, 1000, s, 4), 4);
	cr_assert_float_eq(s[3].distance_m, 1000, 1);
	cr_assert_eq(af_splits(&a, 1000, NULL, SPLITS_MAX), 11);
	cr_assert_eq(af_splits(&a, 1000, NULL, 3), 3);
	af_free(&a);

	/* 5 m over 10 km: the sliver joins the tenth split. */
	split_track(&a, 9990);
	{
		struct af_point *p = af_add_point(&a);	/* may move points */

		*p = a.points[a.npoints - 2];
		p->lat += 15 / 111195.0;
		p->time += 5;
	}
	n = af_splits(&a, 1000, s, 32);
	cr_assert_eq(n, 10, "%zu splits", n);
	cr_assert_float_eq(s[9].distance_m, 1005, 1);
	af_free(&a);

	/* No positions, no distances: nothing. */
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 5; i++)
		af_add_point(&a)->time = 1700000000 + (int64_t)i;
	cr_assert_eq(af_splits(&a, 1000, s, 32), 0);
	af_free(&a);
}

/* A stated distance past 10,000 km is refused, not stored (the review). */
Test(activity_files, a_distance_past_10000_km_is_refused)
{
	struct af_activity	a;
	char			err[AF_ERR_MAX] = "";
	struct af_point		*p;

	memset(&a, 0, sizeof(a));
	p = af_add_point(&a);
	p->time = 1700000000;
	p->distance_m = -1;
	p = af_add_point(&a);
	p->time = 1700003600;
	p->distance_m = -1;
	a.distance_m = 1e15;
	a.has_distance = true;
	cr_assert_eq(af_finish(&a, err, sizeof(err)), -1);
	cr_assert(strstr(err, "impossible") != NULL, "%s", err);
	af_free(&a);
}
