/* fuzz_nuget_lock.c — the language catalogers on an arbitrary NuGet
 * packages.lock.json. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("src/app/packages.lock.json", data, size,
	                        size && data[size - 1] == 'T');
}
