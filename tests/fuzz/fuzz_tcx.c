/*
 * libFuzzer driver for the TCX parser (files/tcx.c on files/xml_walk.c):
 * any input is refused with a message or parsed within the documented
 * limits (activity_check.h).  The dictionary (tcx.dict) holds its element
 * and attribute names and the hostile constructs (DOCTYPE, ENTITY).
 */
#include <stdint.h>

#include "activity_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct af_activity a;
	char err[AF_ERR_MAX] = "";
	int rc = af_parse_tcx(data, size, &a, err, sizeof(err));

	fuzz_check_activity(rc, &a, err);
	return 0;
}
