/* fuzz_yarn_lock.c — the language catalogers on an arbitrary yarn.lock (v1 or berry). */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("app/yarn.lock", data, size,
	                        size && data[size - 1] == 'T');
}
