/* fuzz_deps_json.c — the language catalogers on an arbitrary .NET *.deps.json. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("app/App.deps.json", data, size,
	                        size && data[size - 1] == 'T');
}
