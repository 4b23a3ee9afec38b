/* fuzz_requirements.c — the language catalogers on an arbitrary requirements.txt. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("app/requirements.txt", data, size,
	                        size && data[size - 1] == 'T');
}
