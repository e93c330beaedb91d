/*
 * upload_bench: how long the activity-file parsers (files/activity_file.h)
 * take on what an upload brings: a 10,000-point GPX (positions, times,
 * elevation and heart rate, about 2.8 h at one point a second), the same
 * run as TCX and as FIT, and the multipart parse of a 24 MB body.  Each
 * for about BENCH_SECONDS (default 1) of CPU time; prints ms per file and
 * MB/s.  CPU time, not wall time: the figures hold on a shared machine.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "files/activity_file.h"
#include "files/fit.h"
#include "web/multipart.h"

#define NPTS	10000
#define T0	1795000000LL	/* 2026-11-19 */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
seconds(void)
{
	const char *s = getenv("BENCH_SECONDS");

	return s != NULL && atof(s) > 0 ? atof(s) : 1.0;
}

static void
point(int i, double *lat, double *lon)
{
	double th = i * 3.0 / 400.0;

	*lat = 48.85 + 400 * sin(th) / 111195.0;
	*lon = 2.35 + 400 * (1 - cos(th)) / 73000.0;
}

static void
make_gpx(buf_t *b)
{
	char	ts[40];
	double	lat, lon;
	int	i;

	buf_puts(b, "<?xml version=\"1.0\"?>\n<gpx version=\"1.1\" creator=\"b\""
	    " xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx="
	    "\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">"
	    "<trk><type>running</type><trkseg>\n");
	for (i = 0; i < NPTS; i++) {
		point(i, &lat, &lon);
		af_format_time(ts, sizeof(ts), T0 + i);
		buf_printf(b, "<trkpt lat=\"%.7f\" lon=\"%.7f\"><ele>%d</ele>"
		    "<time>%s</time><extensions><gpxtpx:TrackPointExtension>"
		    "<gpxtpx:hr>%d</gpxtpx:hr></gpxtpx:TrackPointExtension>"
		    "</extensions></trkpt>\n", lat, lon, 35 + i % 10, ts,
		    120 + i % 50);
	}
	buf_puts(b, "</trkseg></trk></gpx>\n");
}

static void
make_tcx(buf_t *b)
{
	char	ts[40];
	double	lat, lon;
	int	i;

	af_format_time(ts, sizeof(ts), T0);
	buf_printf(b, "<?xml version=\"1.0\"?>\n<TrainingCenterDatabase xmlns="
	    "\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\">"
	    "<Activities><Activity Sport=\"Running\"><Id>%s</Id><Lap "
	    "StartTime=\"%s\"><TotalTimeSeconds>%d</TotalTimeSeconds><Track>",
	    ts, ts, NPTS);
	for (i = 0; i < NPTS; i++) {
		point(i, &lat, &lon);
		af_format_time(ts, sizeof(ts), T0 + i);
		buf_printf(b, "<Trackpoint><Time>%s</Time><Position>"
		    "<LatitudeDegrees>%.7f</LatitudeDegrees><LongitudeDegrees>"
		    "%.7f</LongitudeDegrees></Position><HeartRateBpm><Value>%d"
		    "</Value></HeartRateBpm></Trackpoint>", ts, lat, lon,
		    120 + i % 50);
	}
	buf_puts(b, "</Track></Lap></Activity></Activities>"
	    "</TrainingCenterDatabase>\n");
}

static void
le(buf_t *b, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		buf_putc(b, (int)((v >> (8 * i)) & 0xFF));
}

static void
make_fit(buf_t *out)
{
	buf_t	r = BUF_INIT;
	double	lat, lon;
	int	i;

	buf_add(&r, "\x40\x00\x00\x00\x00\x02\x00\x01\x00\x04\x04\x86", 12);
	buf_putc(&r, 0);
	buf_putc(&r, FIT_FILE_ACTIVITY);
	le(&r, (uint64_t)(T0 - FIT_EPOCH), 4);
	buf_add(&r, "\x41\x00\x00\x14\x00\x04\xfd\x04\x86\x00\x04\x85\x01\x04"
	    "\x85\x03\x01\x02", 18);
	for (i = 0; i < NPTS; i++) {
		point(i, &lat, &lon);
		buf_putc(&r, 0x01);
		le(&r, (uint64_t)(T0 + i - FIT_EPOCH), 4);
		le(&r, (uint32_t)(int32_t)lround(lat * 2147483648.0 / 180), 4);
		le(&r, (uint32_t)(int32_t)lround(lon * 2147483648.0 / 180), 4);
		buf_putc(&r, 120 + i % 50);
	}
	buf_add(out, "\x0e\x20", 2);
	le(out, 2100, 2);
	le(out, r.len, 4);
	buf_add(out, ".FIT", 4);
	le(out, fit_crc16(0, out->data, 12), 2);
	buf_add(out, r.data, r.len);
	le(out, fit_crc16(0, out->data, out->len), 2);
	buf_free(&r);
}

static int
bench_file(const char *name, const buf_t *b)
{
	struct af_activity	a;
	char			err[AF_ERR_MAX];
	double			t0 = now(), t, limit = seconds();
	long			n = 0;
	size_t			pts = 0;

	do {
		if (af_parse(b->data, b->len, &a, err, sizeof(err)) != 0) {
			fprintf(stderr, "upload_bench: %s: %s\n", name, err);
			return 1;
		}
		pts = a.npoints;
		af_free(&a);
		n++;
	} while ((t = now() - t0) < limit);
	printf("upload: %s of %zu points (%zu bytes): %.2f ms/file, %.0f MB/s\n",
	    name, pts, b->len, t / n * 1e3, b->len * (double)n / t / 1e6);
	return 0;
}

static int
bench_multipart(void)
{
	static const char ct[] = "multipart/form-data; boundary=----B0undary";
	buf_t		 b = BUF_INIT;
	arena_t		 a;
	struct params	 f;
	struct uploads	 u;
	double		 t0 = now(), t, limit = seconds();
	long		 n = 0;
	int		 i, j;

	for (i = 0; i < 3; i++) {
		buf_printf(&b, "------B0undary\r\nContent-Disposition: form-data;"
		    " name=\"files\"; filename=\"%d.fit\"\r\n\r\n", i);
		for (j = 0; j < 8 * 1024 * 1024; j++)	/* bytes that look like delimiters */
			buf_putc(&b, j % 97 == 0 ? '\r' : j % 89 == 0 ? '-' : 'x');
		buf_puts(&b, "\r\n");
	}
	buf_puts(&b, "------B0undary--\r\n");
	do {
		arena_init(&a);
		if (multipart_parse(&a, ct, b.data, b.len, &f, &u) !=
		    MULTIPART_OK || u.n != 3) {
			fprintf(stderr, "upload_bench: multipart refused\n");
			return 1;
		}
		arena_free(&a);
		n++;
	} while ((t = now() - t0) < limit);
	printf("upload: multipart body of %zu bytes, 3 files: %.2f ms, %.0f MB/s\n",
	    b.len, t / n * 1e3, b.len * (double)n / t / 1e6);
	buf_free(&b);
	return 0;
}

int
main(void)
{
	buf_t	gpx = BUF_INIT, tcx = BUF_INIT, fit = BUF_INIT;
	int	rc;

	make_gpx(&gpx);
	make_tcx(&tcx);
	make_fit(&fit);
	rc = bench_file("GPX", &gpx) | bench_file("TCX", &tcx) |
	    bench_file("FIT", &fit) | bench_multipart();
	buf_free(&gpx);
	buf_free(&tcx);
	buf_free(&fit);
	return rc;
}
