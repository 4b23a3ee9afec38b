/* fuzz_bdb.c — the rpm cataloger on an arbitrary Berkeley DB "Packages"
 * (the BDB reader, then the header parser on every record it yields). */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("var/lib/rpm/Packages", data, size, 0);
}
