/* fuzz_npm.c — the language catalogers on an installed node_modules/X/package.json. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("node_modules/x/package.json", data, size,
	                        size && data[size - 1] == 'T');
}
