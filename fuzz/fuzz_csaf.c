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
#include "vulndb/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vulndb_import_opts opts;
	struct vulndb_import_stats stats = { 0 };
	struct vg_error err = VG_ERROR_INIT;
	struct vdb_writer w;
	struct vdb_purl p;
	char *s = vg_strndup((const char *)data, size < 8192 ? size : 8192);
	sqlite3 *db;

	if (s) {
		vdb_purl_parse(s, &p);
		vg_free(s);
	}
	if (vdb_memory_open(&db, &err) != VG_OK) {
		sqlite3_close(db);
		return 0;
	}
	vulndb_import_opts_default(&opts);
	if (vdb_writer_init(&w, db, &err) == VG_OK) {
		w.opts = &opts;
		w.stats = &stats;
		w.feed_id = 1;
		w.gen = 1;
		vdb_import_entry(&w, "fuzz/entry.json", data, size, &err);
		vdb_writer_release(&w);
	}
	sqlite3_close(db);
	return 0;
}
