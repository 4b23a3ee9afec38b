/* fuzz_python_metadata.c — the python cataloger on an arbitrary METADATA
 * and RECORD: the input is split at the first "\n--RECORD--\n" into the
 * two files of one .dist-info directory. */
#include "catalog/internal.h"
#include "fuzz_catalog_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n--RECORD--\n";
	const char *cut = catalog_memmem((const char *)data, size, sep,
	                                 sizeof(sep) - 1);
	size_t n1 = cut ? (size_t)(cut - (const char *)data) : size;
	const struct catalog_file files[] = {
		fuzz_catalog_file(
			"usr/lib/python3/site-packages/x-1.dist-info/METADATA",
			data, n1),
		fuzz_catalog_file(
			"usr/lib/python3/site-packages/x-1.dist-info/RECORD",
			data + n1 + (cut ? sizeof(sep) - 1 : 0),
			cut ? size - n1 - (sizeof(sep) - 1) : 0),
	};

	return fuzz_catalog_run_files(files, 2);
}
