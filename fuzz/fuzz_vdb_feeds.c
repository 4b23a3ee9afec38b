/*
 * fuzz_vdb_feeds.c — every vulndb feed importer, through the same path
 * as a real import: the input is one archive entry, parsed (JSON or CSV),
 * offered to the feed table's detect() and imported into an in-memory DB.
 * The corpus holds one real record of each format (tests/data/vulndb).
 */
#include <stdint.h>
#include <stddef.h>

#include "fuzz_vdb_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_vdb_import("fuzz/entry", data, size);
	return 0;
}
