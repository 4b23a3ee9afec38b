/* fuzz_content_rules.c — the NAME=REGEX file parser (vigil/files.h) on
 * arbitrary bytes; what parses is compiled with vectorscan and, when it
 * compiles, run over the input itself in small chunks. */
#include <stdint.h>
#include <string.h>

#include "vigil/files.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void sink(void *ctx, const char *rule, uint64_t off)
{
	size_t *n = ctx;
	*n += rule[0] != '\0' && off < SIZE_MAX;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_content_rules *r = NULL;
	struct vg_error err = VG_ERROR_INIT;
	size_t found = 0;

	if (vg_content_rules_new(&r, &err) != VG_OK)
		return 0;
	if (vg_content_rules_add_text(r, (const char *)data, size, "fuzz",
	                              &err) == VG_OK &&
	    vg_content_rules_count(r) <= 8 &&
	    vg_content_rules_compile(r, &err) == VG_OK)
		vg_content_rules_scan(r, data, size, 5, sink, &found, &err);
	vg_content_rules_free(r);
	return 0;
}
