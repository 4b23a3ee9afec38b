/* fuzz_ndb.c — the rpm cataloger on an arbitrary NDB "Packages.db". */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("usr/lib/sysimage/rpm/Packages.db", data, size,
	                        0);
}
