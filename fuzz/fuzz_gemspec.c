/* fuzz_gemspec.c — the language catalogers on an installed gemspec. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("usr/lib/ruby/gems/3.1.0/specifications/x-1.gemspec", data, size,
	                        size && data[size - 1] == 'T');
}
