/* fuzz_cvss3.c — lib/match's CVSS 3.x vector parser and vendor-label
 * mapping (both read strings straight from feed records in the DB). A
 * score must be -1 (unparseable) or within [0, 10]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "match/matcher.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = vg_malloc(size + 1);
	double sc;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	sc = match_cvss3_score(s);
	if (!(sc == -1 || (sc >= 0 && sc <= 10)))
		abort();
	(void)match_severity_label(s);
	(void)match_severity_cvss("CVSS_V3", sc);
	vg_free(s);
	return 0;
}
