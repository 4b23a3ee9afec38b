/*
 * fuzz_csaf.c — the VEX importers (CSAF 2.0 advisories / CSAF VEX,
 * OpenVEX) and the package-URL parser they map products with: the input
 * as one JSON archive entry through the real import path into an
 * in-memory DB, and as a purl. Corpus: real Red Hat CSAF and Ubuntu
 * OpenVEX documents (cut down) plus hostile shapes.
 */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "base/alloc.h"
#include "fuzz_vdb_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vdb_purl p;
	char *s = vg_strndup((const char *)data, size < 8192 ? size : 8192);

	if (s) {
		vdb_purl_parse(s, &p);
		vg_free(s);
	}
	fuzz_vdb_import("fuzz/entry.json", data, size);
	return 0;
}
