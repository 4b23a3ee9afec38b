/* fuzz_jar.c — the java cataloger (libarchive's zip reader on memory,
 * MANIFEST.MF, pom.properties, nested archives) on an arbitrary .jar. */
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_catalog_run("opt/app/lib/x-1.0.jar", data, size, 0);
}
