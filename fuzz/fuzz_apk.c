/* fuzz_apk.c — the apk cataloger on an arbitrary lib/apk/db/installed. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("lib/apk/db/installed", data, size,
	                        size && data[size - 1] == 'T');
}
