/* fuzz_composer.c — the language catalogers on Composer's installed.json. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("app/vendor/composer/installed.json", data, size,
	                        size && data[size - 1] == 'T');
}
