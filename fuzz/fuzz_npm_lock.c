/* fuzz_npm_lock.c — the language catalogers on an arbitrary package-lock.json (v1/v2/v3). */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("app/package-lock.json", data, size,
	                        size && data[size - 1] == 'T');
}
