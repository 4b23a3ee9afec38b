/* fuzz_dpkg.c — the dpkg cataloger on an arbitrary status file (and, by
 * the first byte, as a distroless status.d entry or a truncated capture). */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned mode = size ? data[0] % 3 : 0;
	const char *path = mode == 1 ? "var/lib/dpkg/status.d/pkg"
	                             : "var/lib/dpkg/status";

	return fuzz_catalog_run(path, data, size, mode == 2);
}
