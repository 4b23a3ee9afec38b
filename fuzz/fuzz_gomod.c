/*
 * fuzz_gomod.c — the go-lock cataloger (go.mod) on arbitrary text.
 * Corpus: Debian's cmd/go.mod and a file using every directive form
 * (fuzz/corpus/gomod).
 */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("src/app/go.mod", data, size, 0);
}
