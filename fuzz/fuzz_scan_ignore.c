/*
 * fuzz_scan_ignore.c — the `--ignore FILE` parser (lib/match/ignore.c):
 * any bytes either parse into rules or fail with a message, never crash.
 */
#include <stdint.h>
#include <stddef.h>

#include "vigil/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_ignore_list *l = NULL;
	struct vg_error err = VG_ERROR_INIT;

	if (vg_ignore_parse((const char *)data, size, "fuzz", &l, &err) == VG_OK)
		(void)vg_ignore_count(l);
	vg_ignore_free(l);
	return 0;
}
