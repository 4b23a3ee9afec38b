/*
 * fuzz_cargo_lock.c — the rust-lock cataloger (Cargo.lock) on arbitrary
 * text. Corpus: Trivy's and Syft's lock files (fuzz/corpus/cargo_lock).
 */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("src/app/Cargo.lock", data, size, 0);
}
