/*
 * fuzz_hints.c — the hints file (hints.c) through the whole catalog
 * pipeline at /vigil-hints.json. Corpus: valid and invalid hints files in
 * Anchore's format and vigil's extensions (fuzz/corpus/hints).
 */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("vigil-hints.json", data, size, 0);
}
