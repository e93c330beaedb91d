/*
 * libFuzzer driver for the FIT decoder (files/fit.c).  Inputs starting
 * with 'R' are records only: the driver wraps them in a valid header and
 * CRC, so mutations reach the record parser instead of dying on the
 * CRC; other inputs are whole files.  Every result is checked against
 * the documented limits (activity_check.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "files/fit.h"
#include "activity_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
wrap(buf_t *b, const uint8_t *rec, size_t n)
{
	uint8_t h[14] = { 14, 0x20, 0x34, 0x08, 0, 0, 0, 0, '.', 'F', 'I', 'T', 0, 0 };
	uint16_t crc;

	h[4] = (uint8_t)n;
	h[5] = (uint8_t)(n >> 8);
	h[6] = (uint8_t)(n >> 16);
	h[7] = (uint8_t)(n >> 24);
	buf_add(b, h, sizeof(h));
	buf_add(b, rec, n);
	crc = fit_crc16(0, b->data, b->len);
	buf_putc(b, crc & 0xFF);
	buf_putc(b, crc >> 8);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct af_activity a;
	char err[AF_ERR_MAX] = "";
	buf_t b = BUF_INIT;
	int rc;

	if (size > 0 && data[0] == 'R') {
		wrap(&b, data + 1, size - 1);
		rc = af_parse_fit(b.data, b.len, &a, err, sizeof(err));
	} else
		rc = af_parse_fit(data, size, &a, err, sizeof(err));
	fuzz_check_activity(rc, &a, err);
	buf_free(&b);
	return 0;
}
